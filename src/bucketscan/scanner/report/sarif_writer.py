"""SARIF 2.1.0: one run, one rule per document type, one result per exposed file.

Code-scanning dashboards (GitHub, Azure DevOps, DefectDojo) read it. Locations are the objects'
URLs; partialFingerprints carry the stable id so a dashboard tracks a finding across runs.
Objects that could not be read are results of kind "review": a person must look.
"""

from __future__ import annotations

import json

from bucketscan.policies.keys import safe_url
from bucketscan.policies.severity import Severity
from bucketscan.scanner.findings import Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.collecting import CollectingWriter
from bucketscan.scanner.report.rules import COULD_NOT_TELL_RULE, RULES, Rule, rule_of
from bucketscan.scanner.report.serialize import JsonDict, evidence_text

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT = "bucketscanFindingId/v1"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}


def utc(timestamp: str | None) -> str | None:
    """An ISO time in UTC with a Z, as SARIF writes times."""
    return timestamp.replace("+00:00", "Z") if timestamp else None


def _rule_json(rule: Rule) -> JsonDict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help},
    }


def _location(url: str) -> list[JsonDict]:
    return [{"physicalLocation": {"artifactLocation": {"uri": safe_url(url)}}}]


class SarifWriter(CollectingWriter):
    """Keeps findings and unreadable objects; writes the SARIF log when the scan finishes."""

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole log."""
        rules = [*RULES.values(), *self._unlisted_rules()]
        index = {rule.id: position for position, rule in enumerate(rules)}
        findings = self.sorted_findings()
        unreadable = self.sorted_unreadable()
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": meta.tool,
                            "version": meta.version,
                            "rules": [_rule_json(rule) for rule in rules],
                        }
                    },
                    "invocations": [self._invocation(meta)],
                    "results": [
                        *(_finding_result(f, index[f.document_type]) for f in findings),
                        *(_unreadable_result(u, index[COULD_NOT_TELL_RULE.id]) for u in unreadable),
                    ],
                    "properties": {"provider": meta.provider, "complete": meta.complete},
                }
            ],
        }
        json.dump(log, self._stream, ensure_ascii=False, indent=2)
        self._stream.write("\n")

    def _unlisted_rules(self) -> list[Rule]:
        """Rules for document types the table does not name (none today): every result has one."""
        extra = {f.document_type for f in self._findings} - set(RULES)
        return [rule_of(name) for name in sorted(extra)]

    @staticmethod
    def _invocation(meta: ScanMeta) -> JsonDict:
        invocation: JsonDict = {"executionSuccessful": meta.complete}
        if meta.started_at:
            invocation["startTimeUtc"] = utc(meta.started_at)
        if meta.finished_at:
            invocation["endTimeUtc"] = utc(meta.finished_at)
        if meta.interruption is not None:
            invocation["exitSignalName"] = meta.interruption.signal
        return invocation


def _finding_result(finding: Finding, rule_index: int) -> JsonDict:
    """One exposed sensitive file: its level from severity, a redacted message, its URL."""
    evidence = evidence_text(finding)
    message = (
        f"{rule_of(finding.document_type).title} ({finding.severity.value}): exposure "
        f"{finding.exposure.value}, confidence {finding.confidence:.2f}"
        + (f"; evidence: {evidence}" if evidence else "")
    )
    result: JsonDict = {
        "ruleId": finding.document_type,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": _location(finding.url),
        "partialFingerprints": {FINGERPRINT: finding.id},
        "properties": {
            "id": finding.id,
            "provider": finding.provider,
            "account": finding.account,
            "bucket": finding.bucket,
            "category": finding.category.value,
            "severity": finding.severity.value,
            "exposure": finding.exposure.value,
            "confidence": round(finding.confidence, 3),
        },
    }
    if finding.mute_reason is not None:  # a --mutelist entry accepts it: shown as suppressed
        result["suppressions"] = [{"kind": "external", "justification": finding.mute_reason}]
    return result


def _unreadable_result(item: UnreadableObject, rule_index: int) -> JsonDict:
    """An exposed file nobody could read: for review, never counted as clean."""
    return {
        "ruleId": COULD_NOT_TELL_RULE.id,
        "ruleIndex": rule_index,
        "kind": "review",
        "level": "none",
        "message": {"text": f"could not tell (exposure {item.exposure.value}): {item.reason}"},
        "locations": _location(item.url),
        "partialFingerprints": {FINGERPRINT: item.id},
        "properties": {
            "id": item.id,
            "provider": item.provider,
            "account": item.account,
            "bucket": item.bucket,
            "exposure": item.exposure.value,
        },
    }
