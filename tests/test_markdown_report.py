"""The Markdown report: verdicts with reasons, redacted findings, safe table cells."""

from __future__ import annotations

import io

from bucketscan.metering import Meter
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.markdown_writer import MarkdownWriter, cell
from bucketscan.scanner.report.serialize import reason_lines
from bucketscan.scanner.runner import run_scan
from test_engine import MarkerAnalyzer, body, public_facts


def test_markdown_report_lists_verdicts_reasons_and_redacted_findings() -> None:
    provider = MemoryProvider((MemoryBucket("uploads", public_facts("uploads"), 20, body),))
    stream = io.StringIO()
    outcome = run_scan(
        provider,
        ScanOptions(io_threads=2, workers=1),
        (MarkdownWriter(stream),),
        meter=Meter(),
        analyzer=MarkerAnalyzer(),
    )
    text = stream.getvalue()
    rows = [line for line in text.splitlines() if line.startswith("| critical | public |")]
    assert len(rows) == len(outcome.findings) == 2
    assert "| uploads/objects/000000000.txt |" in rows[0] and "ID-\\*\\*\\*\\*" in rows[0]
    assert "| uploads | public |" in text
    assert all(f"  - {cell(line)}" in text for line in reason_lines(outcome.buckets[0]))
    assert "ID-CARD scan" not in text  # object content never reaches the report


def test_cells_cannot_break_the_table() -> None:
    assert cell("a|b\nc") == "a\\|b\\\\x0ac"
