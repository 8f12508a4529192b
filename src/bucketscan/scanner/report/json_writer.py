"""The JSON report (schema_version 1): keeps only findings and bucket summaries, never listings."""

from __future__ import annotations

import json
from typing import TextIO

from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.serialize import (
    JsonDict,
    bucket_json,
    finding_json,
    meta_json,
    summary_json,
    unreadable_json,
)

SCHEMA_VERSION = "1"


class JsonWriter:
    """Writes one JSON document when the scan finishes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buckets: list[JsonDict] = []
        self._findings: list[JsonDict] = []
        self._unreadable: list[JsonDict] = []

    def start(self, meta: ScanMeta) -> None:
        """Nothing to write yet."""

    def bucket(self, result: BucketResult) -> None:
        """Keep the bucket's summary."""
        self._buckets.append(bucket_json(result))

    def finding(self, finding: Finding) -> None:
        """Keep the finding."""
        self._findings.append(finding_json(finding))

    def unreadable(self, item: UnreadableObject) -> None:
        """Keep the object that could not be read."""
        self._unreadable.append(unreadable_json(item))

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole report."""
        report = {
            "schema_version": SCHEMA_VERSION,
            "complete": meta.complete,  # False: interrupted, scan.interruption says what was missed
            "scan": meta_json(meta),
            "summary": summary_json(summary),
            "buckets": sorted(self._buckets, key=lambda b: (b["account"], b["name"])),
            "findings": sorted(self._findings, key=lambda f: (f["bucket"], f["key"])),
            "unreadable": sorted(self._unreadable, key=lambda u: (u["bucket"], u["key"])),
        }
        json.dump(report, self._stream, ensure_ascii=False, indent=2)
        self._stream.write("\n")
        self._stream.flush()
