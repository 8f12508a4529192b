"""Totals of a scan, accumulated from its events."""

from __future__ import annotations

from collections import Counter

from bucketscan.metering import Meter
from bucketscan.scanner.cost import estimate_usd
from bucketscan.scanner.findings import BucketResult, Finding, ScanCost, ScanSummary


class SummaryBuilder:
    """Counts buckets and findings as they stream past (main thread only)."""

    def __init__(self) -> None:
        self._buckets = 0
        self._by_read: Counter[str] = Counter()
        self._by_list: Counter[str] = Counter()
        self._listed = 0
        self._inspected = 0
        self._skipped: Counter[str] = Counter()
        self._unreadable: Counter[str] = Counter()
        self._severity: Counter[str] = Counter()
        self._types: Counter[str] = Counter()
        self._errors = 0
        self._not_judged: Counter[str] = Counter()
        self._partly_read = 0
        self._possibly_exposed = 0
        self._not_listed = 0
        self._missing: list[str] = []
        self._verification: Counter[str] = Counter()
        self._carried = 0
        self._muted = 0

    def bucket(self, result: BucketResult) -> None:
        """Add one finished bucket."""
        self._buckets += 1
        self._by_read[result.access.read.value] += 1
        self._by_list[result.access.list.value] += 1
        self._listed += result.objects_listed
        self._inspected += result.objects_inspected
        self._skipped.update(result.objects_skipped)
        self._unreadable.update(result.objects_unreadable)
        self._errors += len(result.errors)
        self._not_judged.update(result.objects_not_judged)
        self._partly_read += result.objects_partly_read
        self._carried += result.objects_carried_forward
        self._possibly_exposed += result.possibly_exposed
        self._not_listed += result.not_listed
        if result.missing:
            self._missing.append(result.ref.name)
        self._verification.update(item.agreement.value for item in result.verification)

    def finding(self, finding: Finding) -> None:
        """Add one finding; a muted one only to the muted count (it was accepted)."""
        if finding.muted:
            self._muted += 1
            return
        self._severity[finding.severity.value] += 1
        self._types[finding.document_type] += 1

    def build(
        self,
        provider: str,
        meter: Meter,
        timings: dict[str, float],
        changes: dict[str, object] | None = None,
    ) -> ScanSummary:
        """The totals, with what the scan cost."""
        reading = meter.reading()
        requests = reading.calls
        return ScanSummary(
            buckets=self._buckets,
            buckets_by_read=dict(self._by_read),
            buckets_by_list=dict(self._by_list),
            objects_listed=self._listed,
            objects_inspected=self._inspected,
            objects_skipped=dict(self._skipped),
            objects_unreadable=dict(self._unreadable),
            findings_by_severity=dict(self._severity),
            findings_by_type=dict(self._types),
            errors=self._errors,
            cost=ScanCost(
                requests=requests,
                bytes_read=meter.bytes_read,
                estimated_usd=estimate_usd(provider, requests, meter.bytes_read),
                requests_sent=reading.sent,
                retries=reading.retries,
                retries_exhausted=reading.exhausted,
            ),
            timings=timings,
            changes=changes,
            objects_not_judged=dict(self._not_judged),
            objects_partly_read=self._partly_read,
            buckets_possibly_exposed=self._possibly_exposed,
            buckets_not_listed=self._not_listed,
            buckets_missing=tuple(sorted(self._missing)),
            findings_muted=self._muted,
            verification=dict(self._verification),
            objects_carried_forward=self._carried,
        )
