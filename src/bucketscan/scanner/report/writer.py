"""The contract every report format fulfils."""

from __future__ import annotations

from typing import Protocol

from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta


class ReportWriter(Protocol):
    """Receives a scan's events in order: start, buckets and findings as found, finish."""

    def start(self, meta: ScanMeta) -> None:
        """The scan began."""
        ...

    def bucket(self, result: BucketResult) -> None:
        """A bucket is done."""
        ...

    def finding(self, finding: Finding) -> None:
        """A sensitive exposed file was found."""
        ...

    def unreadable(self, item: UnreadableObject) -> None:
        """An analysed file could not be read: could not tell."""
        ...

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """The scan ended; write whatever is left."""
        ...
