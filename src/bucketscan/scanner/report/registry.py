"""The explicit table of report formats."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.report.writer import ReportWriter

WRITERS: dict[str, Callable[[TextIO], ReportWriter]] = {
    "json": JsonWriter,
    "jsonl": JsonLinesWriter,
    "markdown": MarkdownWriter,
}
