"""Scan records as plain JSON-ready dicts; every writer uses these."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bucketscan.policies.keys import safe_url
from bucketscan.policies.verification import Verification
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
        "url": safe_url(item.url),
        "size": item.size,
        "exposure": item.exposure.value,
        "exposure_reasons": list(item.exposure_reasons),
        "notes": list(item.notes),
    }


def finding_json(finding: Finding) -> JsonDict:
    """One finding, with its stable id (and, when --state carried it forward, since when)."""
    body: JsonDict = {
        "id": finding.id,
        **_located(finding),
        "category": finding.category.value,
        "document_type": finding.document_type,
        "severity": finding.severity.value,
        "confidence": round(finding.confidence, 3),
        "evidence": [signal_json(signal) for signal in finding.evidence],
        "muted": finding.muted,
        "mute_reason": finding.mute_reason,
    }
    if finding.carried_from is not None:
        body["carried_from"] = finding.carried_from
    return body


def evidence_text(finding: Finding, limit: int = 3) -> str:
    """The first pieces of evidence on one line: redacted snippets, else the detectors' reasons."""
    return "; ".join(signal.snippet or signal.reason for signal in finding.evidence[:limit])


def unreadable_json(item: UnreadableObject) -> JsonDict:
    """One analysed object that could not be read (no content, only where it is and why)."""
    return {
        "id": item.id,
        **_located(item),
        "reason": item.reason,
        "failed": item.failed,
    }


def bucket_json(result: BucketResult) -> JsonDict:
    """One bucket's verdicts and counts (and, with --verify-anonymous, its probes)."""
    body: JsonDict = {
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
            "not_judged": result.objects_not_judged,
            "partly_read": result.objects_partly_read,
            "carried_forward": result.objects_carried_forward,
        },
        "findings": result.findings,
        "errors": list(result.errors),
        "error_counts": result.error_counts,
        "truncated": result.truncated,
        "listing_failed": result.listing_failed,
        "missing": result.missing,
        "possibly_exposed": result.possibly_exposed,
        "website": result.website,
        "intended_public": result.intended_public is not None,
        "intended_public_reason": result.intended_public,
    }
    if result.verification:
        body["verification"] = [verification_json(item) for item in result.verification]
    return body


def verification_json(item: Verification) -> JsonDict:
    """One anonymous probe beside the verdict it checks (status only: no content is kept)."""
    probe = item.probe
    return {
        "target": probe.target.value,
        "key": probe.key,
        "request": probe.request,
        "status": probe.status,
        "code": probe.code,
        "outcome": probe.outcome.value,
        "detail": probe.detail,
        "verdict": item.verdict.value,
        "agreement": item.agreement.value,
    }


def summary_json(summary: ScanSummary) -> JsonDict:
    """Totals of the scan."""
    return asdict(summary)


def meta_json(meta: ScanMeta) -> JsonDict:
    """What ran, when, with which options."""
    return asdict(meta)


MISSING_REASON = "does not exist: its listing answered not-found"


def reason_lines(result: BucketResult) -> list[str]:
    """A bucket's reasons and errors, each said once.

    Verdict reasons that share their text ("read: X", "list: X") become one ("read, list: X");
    an error whose detail a reason already gives is dropped; a missing bucket says only that.
    """
    if result.missing:
        return [MISSING_REASON]
    grouped: dict[str, list[str]] = {}
    for reason in result.access.reasons:
        verdict, sep, text = reason.partition(": ")
        if sep and verdict in ("read", "list", "write"):
            grouped.setdefault(text, []).append(verdict)
        else:
            grouped.setdefault(reason, [])
    lines = [
        f"{', '.join(verdicts)}: {text}" if verdicts else text for text, verdicts in grouped.items()
    ]
    for error in result.errors:
        _, _, detail = error.partition(": ")
        if detail and any(detail in reason for reason in result.access.reasons):
            continue
        lines.append(f"error: {error}")
    return lines
