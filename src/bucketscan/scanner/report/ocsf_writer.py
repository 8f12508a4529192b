"""OCSF 1.5 Detection Findings (class 2004), one per exposed file, as one JSON array.

A JSON array of events is what Prowler's OCSF output writes and what tools that import it
(Prowler App, AWS Security Hub and Security Lake pipelines, SIEM loaders) read; Security Lake
itself stores Parquet, which its ingestion converts from these JSON events.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import IntEnum
from typing import TextIO

from bucketscan.policies.keys import safe_url
from bucketscan.policies.severity import Severity
from bucketscan.scanner.findings import (
    AnalysedObject,
    Finding,
    ScanSummary,
    UnreadableObject,
)
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.collecting import CollectingWriter
from bucketscan.scanner.report.rules import COULD_NOT_TELL_RULE, rule_of
from bucketscan.scanner.report.serialize import JsonDict, evidence_text, signal_json

OCSF_VERSION = "1.5.0"
DETECTION_FINDING = 2004
FINDINGS_CATEGORY = 2


class Activity(IntEnum):
    """OCSF finding activity ids."""

    CREATE = 1


class SeverityId(IntEnum):
    """OCSF severity ids."""

    UNKNOWN = 0
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5


class ConfidenceId(IntEnum):
    """OCSF confidence ids."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3


_SEVERITY = {
    Severity.CRITICAL: SeverityId.CRITICAL,
    Severity.HIGH: SeverityId.HIGH,
    Severity.MEDIUM: SeverityId.MEDIUM,
    Severity.LOW: SeverityId.LOW,
}


# provider -> (cloud.provider, account type_id, account type, resource type)
_CLOUDS: dict[str, tuple[str, int, str, str]] = {
    "aws": ("AWS", 10, "AWS Account", "AwsS3Object"),
    "gcs": ("GCP", 99, "GCP Project", "storage.googleapis.com/Object"),
    "azure": ("Azure", 99, "Azure Storage Account", "Microsoft.Storage/storageAccounts/blobs"),
}


def _without_none(body: JsonDict) -> JsonDict:
    return {name: value for name, value in body.items() if value is not None}


def _epoch_ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp() * 1000)


def _confidence(confidence: float) -> ConfidenceId:
    if confidence >= 0.8:
        return ConfidenceId.HIGH
    return ConfidenceId.MEDIUM if confidence >= 0.5 else ConfidenceId.LOW


def _partition(provider: str, region: str | None) -> str | None:
    """The AWS partition of a region (OCSF cloud_partition); other clouds have none."""
    if provider != "aws":
        return None
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class OcsfWriter(CollectingWriter):
    """Keeps findings, unreadable objects and bucket regions; writes the array at the end."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._regions: dict[tuple[str, str, str], str | None] = {}

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write every event."""
        refs = (result.ref for result in self._buckets)
        self._regions = {(ref.provider, ref.account, ref.name): ref.region for ref in refs}
        time = meta.finished_at or meta.started_at
        events = [
            *(self._finding_event(meta, time, f) for f in self.sorted_findings()),
            *(self._unreadable_event(meta, time, u) for u in self.sorted_unreadable()),
        ]
        json.dump(events, self._stream, ensure_ascii=False, indent=2)
        self._stream.write("\n")

    def _region(self, provider: str, account: str, bucket: str) -> str | None:
        """The region of a kept bucket, which its findings' resources and cloud name."""
        return self._regions.get((provider, account, bucket))

    def _event(
        self, meta: ScanMeta, time: str, item: AnalysedObject, uid: str, rule_id: str
    ) -> JsonDict:
        """The fields every event shares: class, time, product, the object and its cloud."""
        region = self._region(item.provider, item.account, item.bucket)
        cloud, account_type_id, account_type, resource_type = _CLOUDS.get(
            item.provider, (item.provider, 99, "Other", "object")
        )
        return {
            "activity_id": Activity.CREATE.value,
            "activity_name": "Create",
            "category_uid": FINDINGS_CATEGORY,
            "category_name": "Findings",
            "class_uid": DETECTION_FINDING,
            "class_name": "Detection Finding",
            "type_uid": DETECTION_FINDING * 100 + Activity.CREATE.value,
            "type_name": "Detection Finding: Create",
            "time": _epoch_ms(time),
            "time_dt": time,
            "status_id": 1,
            "status": "New",
            "metadata": {
                "version": OCSF_VERSION,
                "uid": uid,
                "event_code": rule_id,
                "profiles": ["cloud"],
                "product": {
                    "name": meta.tool,
                    "vendor_name": meta.tool,
                    "version": meta.version,
                },
            },
            "cloud": _without_none(
                {
                    "provider": cloud,
                    "region": region,
                    "account": {
                        "uid": item.account,
                        "name": item.account,
                        "type_id": account_type_id,
                        "type": account_type,
                    },
                }
            ),
            "resources": [
                _without_none(
                    {
                        "uid": safe_url(item.url),
                        "name": item.key,
                        "type": resource_type,
                        "region": region,
                        "cloud_partition": _partition(item.provider, region),
                        "group": {"name": item.bucket},
                        "data": {"bucket": item.bucket, "key": item.key, "size": item.size},
                    }
                )
            ],
        }

    def _finding_event(self, meta: ScanMeta, time: str, finding: Finding) -> JsonDict:
        """One exposed ID document or résumé."""
        rule = rule_of(finding.document_type)
        evidence = evidence_text(finding)
        desc = f"Exposure: {finding.exposure.value}" + (
            f"; evidence: {evidence}" if evidence else ""
        )
        muted = finding.mute_reason is not None  # a --mutelist entry accepts it
        return {
            **self._event(meta, time, finding, finding.id, rule.id),
            **(
                {"status_id": 3, "status": "Suppressed", "status_detail": finding.mute_reason}
                if muted
                else {}
            ),
            "severity_id": _SEVERITY[finding.severity].value,
            "severity": finding.severity.value.capitalize(),
            "confidence_id": _confidence(finding.confidence).value,
            "confidence_score": round(finding.confidence * 100),
            "message": f"{rule.title} in {finding.bucket}",
            "finding_info": {
                "uid": finding.id,
                "title": rule.title,
                "desc": desc,
                "types": [finding.category.value, finding.document_type],
                "created_time": _epoch_ms(time),
                "created_time_dt": time,
            },
            "unmapped": {
                "exposure": finding.exposure.value,
                "exposure_reasons": list(finding.exposure_reasons),
                "evidence": [signal_json(signal) for signal in finding.evidence],
            },
        }

    def _unreadable_event(self, meta: ScanMeta, time: str, item: UnreadableObject) -> JsonDict:
        """An exposed file nobody could read: severity unknown, never clean."""
        rule = COULD_NOT_TELL_RULE
        return {
            **self._event(meta, time, item, item.id, rule.id),
            "severity_id": SeverityId.UNKNOWN.value,
            "severity": "Unknown",
            "message": f"{rule.title} in {item.bucket}",
            "finding_info": {
                "uid": item.id,
                "title": rule.title,
                "desc": f"Exposure: {item.exposure.value}; could not tell: {item.reason}",
                "types": [COULD_NOT_TELL_RULE.id],
                "created_time": _epoch_ms(time),
                "created_time_dt": time,
            },
            "unmapped": {
                "exposure": item.exposure.value,
                "exposure_reasons": list(item.exposure_reasons),
            },
        }
