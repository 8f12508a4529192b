"""CSV: one row per exposed sensitive file, and one per file that could not be read.

Spreadsheets run a cell that starts with = + - @ as a formula, and object keys come from whoever
uploaded them: such cells get a leading apostrophe, and control characters are shown as escapes.
"""

from __future__ import annotations

import csv
from enum import StrEnum

from bucketscan.policies.keys import safe_url, visible
from bucketscan.scanner.findings import Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.collecting import CollectingWriter
from bucketscan.scanner.report.serialize import evidence_text

COLUMNS = (
    "id",
    "status",
    "provider",
    "account",
    "bucket",
    "key",
    "document_type",
    "category",
    "severity",
    "exposure",
    "confidence",
    "evidence",
    "url",
    "reason",
)
_FORMULA_START = ("=", "+", "-", "@")  # tabs and CRs are escapes already


class RowStatus(StrEnum):
    """What a row says about its file."""

    FINDING = "finding"
    MUTED = "muted"  # a --mutelist entry accepts it; the reason column says why
    COULD_NOT_TELL = "could not tell"


def inert(text: str) -> str:
    """Untrusted text as a cell no spreadsheet runs: one line, no leading formula character."""
    shown = visible(text)
    return f"'{shown}" if shown.startswith(_FORMULA_START) else shown


class CsvWriter(CollectingWriter):
    """Keeps findings and unreadable objects; writes the sorted table when the scan finishes."""

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the header and every row."""
        table = csv.writer(self._stream, lineterminator="\n")
        table.writerow(COLUMNS)
        for finding in self.sorted_findings():
            table.writerow(_finding_row(finding))
        for item in self.sorted_unreadable():
            table.writerow(_unreadable_row(item))


def _finding_row(finding: Finding) -> list[str]:
    return [
        finding.id,
        (RowStatus.FINDING if finding.mute_reason is None else RowStatus.MUTED).value,
        finding.provider,
        inert(finding.account),
        inert(finding.bucket),
        inert(finding.key),
        finding.document_type,
        finding.category.value,
        finding.severity.value,
        finding.exposure.value,
        f"{finding.confidence:.3f}",
        inert(evidence_text(finding)),
        inert(safe_url(finding.url)),
        inert(finding.mute_reason or ""),
    ]


def _unreadable_row(item: UnreadableObject) -> list[str]:
    return [
        item.id,
        RowStatus.COULD_NOT_TELL.value,
        item.provider,
        inert(item.account),
        inert(item.bucket),
        inert(item.key),
        "",
        "",
        "",
        item.exposure.value,
        "",
        "",
        inert(safe_url(item.url)),
        inert(item.reason),
    ]
