"""JSON Lines: one record per line, written as the scan goes (memory stays flat)."""

from __future__ import annotations

import json
from typing import TextIO

from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.json_writer import SCHEMA_VERSION
from bucketscan.scanner.report.serialize import (
    JsonDict,
    bucket_json,
    finding_json,
    meta_json,
    summary_json,
    unreadable_json,
)


class JsonLinesWriter:
    """Streams `{"type": ..., ...}` lines: scan, bucket, finding, unreadable, summary."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def _line(self, kind: str, body: JsonDict) -> None:
        self._stream.write(json.dumps({"type": kind, **body}, ensure_ascii=False) + "\n")
        self._stream.flush()

    def start(self, meta: ScanMeta) -> None:
        """Write the scan header."""
        self._line("scan", {"schema_version": SCHEMA_VERSION, **meta_json(meta)})

    def bucket(self, result: BucketResult) -> None:
        """Write one bucket."""
        self._line("bucket", bucket_json(result))

    def finding(self, finding: Finding) -> None:
        """Write one finding."""
        self._line("finding", finding_json(finding))

    def unreadable(self, item: UnreadableObject) -> None:
        """Write one object that could not be read."""
        self._line("unreadable", unreadable_json(item))

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the summary and the final scan times."""
        body = {**summary_json(summary), "complete": meta.complete, "scan": meta_json(meta)}
        self._line("summary", body)
