"""Scan records as plain JSON-ready dicts; every writer uses these."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bucketscan.records.content import Signal
from bucketscan.scanner.findings import (
    AnalysedObject,
    BucketResult,
    Finding,
    ScanSummary,
    UnreadableObject,
)
from bucketscan.scanner.meta import ScanMeta

JsonDict = dict[str, Any]


def signal_json(signal: Signal) -> JsonDict:
    """One piece of evidence (its snippet is already redacted)."""
    return {
        "detector": signal.detector,
        "kind": signal.kind,
        "strength": signal.strength.value,
        "reason": signal.reason,
        "snippet": signal.snippet,
    }


def _located(item: AnalysedObject) -> JsonDict:
    """Where an analysed object is and who can read it."""
    return {
        "provider": item.provider,
        "account": item.account,
        "bucket": item.bucket,
        "key": item.key,
        "url": item.url,
        "size": item.size,
        "exposure": item.exposure.value,
        "exposure_reasons": list(item.exposure_reasons),
    }


def finding_json(finding: Finding) -> JsonDict:
    """One finding."""
    return {
        **_located(finding),
        "category": finding.category.value,
        "document_type": finding.document_type,
        "severity": finding.severity.value,
        "confidence": round(finding.confidence, 3),
        "evidence": [signal_json(signal) for signal in finding.evidence],
    }


def unreadable_json(item: UnreadableObject) -> JsonDict:
    """One analysed object that could not be read (no content, only where it is and why)."""
    return {
        **_located(item),
        "reason": item.reason,
    }


def bucket_json(result: BucketResult) -> JsonDict:
    """One bucket's verdicts and counts."""
    return {
        "provider": result.ref.provider,
        "account": result.ref.account,
        "name": result.ref.name,
        "region": result.ref.region,
        "access": {
            "read": result.access.read.value,
            "list": result.access.list.value,
            "write": result.access.write.value,
        },
        "reasons": list(result.access.reasons),
        "objects": {
            "listed": result.objects_listed,
            "readable": result.objects_readable,
            "inspected": result.objects_inspected,
            "skipped": result.objects_skipped,
            "unreadable": result.objects_unreadable,
        },
        "findings": result.findings,
        "errors": list(result.errors),
        "truncated": result.truncated,
    }


def summary_json(summary: ScanSummary) -> JsonDict:
    """Totals of the scan."""
    return asdict(summary)


def meta_json(meta: ScanMeta) -> JsonDict:
    """What ran, when, with which options."""
    return asdict(meta)
