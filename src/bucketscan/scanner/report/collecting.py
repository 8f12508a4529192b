"""The shape most report formats share: keep a scan's results as they come, write at the end."""

from __future__ import annotations

from typing import TextIO

from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta


class CollectingWriter:
    """Keeps bucket results, findings and unreadable objects (never listings); a format's
    `write` makes its whole report of them when the scan finishes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buckets: list[BucketResult] = []
        self._findings: list[Finding] = []
        self._unreadable: list[UnreadableObject] = []

    def start(self, meta: ScanMeta) -> None:
        """Nothing to write yet."""

    def bucket(self, result: BucketResult) -> None:
        """Keep the bucket's result."""
        self._buckets.append(result)

    def finding(self, finding: Finding) -> None:
        """Keep the finding."""
        self._findings.append(finding)

    def unreadable(self, item: UnreadableObject) -> None:
        """Keep the object that could not be read."""
        self._unreadable.append(item)

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole report."""
        self.write(meta, summary)
        self._stream.flush()

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the report to the stream (each format its own)."""
        raise NotImplementedError

    def sorted_findings(self) -> list[Finding]:
        """The findings in report order: bucket, key, document type."""
        return sorted(self._findings, key=lambda f: (f.bucket, f.key, f.document_type))

    def sorted_unreadable(self) -> list[UnreadableObject]:
        """The objects that could not be read, in report order: bucket, key."""
        return sorted(self._unreadable, key=lambda u: (u.bucket, u.key))
