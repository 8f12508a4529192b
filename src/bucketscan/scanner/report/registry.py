"""The explicit table of report formats."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bucketscan.scanner.report.csv_writer import CsvWriter
from bucketscan.scanner.report.html_writer import HtmlWriter
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.report.ocsf_writer import OcsfWriter
from bucketscan.scanner.report.sarif_writer import SarifWriter
from bucketscan.scanner.report.writer import ReportWriter

WRITERS: dict[str, Callable[[TextIO], ReportWriter]] = {
    "html": HtmlWriter,
    "json": JsonWriter,
    "jsonl": JsonLinesWriter,
    "markdown": MarkdownWriter,
    "sarif": SarifWriter,
    "ocsf": OcsfWriter,
    "csv": CsvWriter,
}

# The file name ending of each format in --output-dir: DIR/bucketscan-report.<extension>.
EXTENSIONS: dict[str, str] = {
    "json": "json",
    "jsonl": "jsonl",
    "markdown": "md",
    "sarif": "sarif",
    "ocsf": "ocsf.json",
    "csv": "csv",
    "html": "html",
}
