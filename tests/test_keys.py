"""Object keys are untrusted: escaped on the terminal and in Markdown, encoded in URLs, maskable;
and every note of the content pipeline reaches every scan report."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import pytest
from rich.console import Console

from bucketscan.metering import Meter
from bucketscan.policies.keys import redact_key, safe_url, visible
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.content import Category, Classification, Signal, Strength
from bucketscan.scanner.analyzer import Analysis
from bucketscan.scanner.console.terminal import print_scan
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan
from test_engine import public_facts

BOMB = "word/media/image1.png: refused: inflates past the limit (zip bomb)"
PAGES = "PDF has 900 pages: only the first 20 read"
CARD = Classification(
    Category.ID_DOCUMENT,
    "my_number_card",
    0.97,
    (Signal("marker", "marker", Strength.STRONG, "marker present", "個人番号 **** **** 0257"),),
    ("text decoded as utf-8", PAGES),
)
ANSWERS = {
    b"card": CARD,
    b"bomb": Classification(None, None, 0.0, (), (BOMB,)),
    b"plain": Classification(None, None, 0.0, (), ("text decoded as utf-8",)),
}
HOSTILE = (
    "a/../b.jpg",
    "evil\x1b[2J\x1b]0;owned\x07.jpg",
    "row\r\nbreak|`code`<img src=x onerror=alert(1)>.jpg",
    "履歴書_山田花子_19900501.jpg",
)


class FixedAnalyzer:
    """Answers from a table of contents, at once."""

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        future: Future[Analysis] = Future()
        future.set_result(Analysis(ANSWERS[data], 0.001))
        return future

    def close(self) -> None:
        """Nothing to stop."""


def scanned(
    keys: tuple[str, ...], body: Callable[[int], bytes], **options: Any
) -> tuple[ScanOutcome, dict[str, str]]:
    """Scan one public bucket with every writer; the outcome and each report's text."""
    ordered = tuple(sorted(keys))
    bucket = MemoryBucket("up", public_facts("up"), len(ordered), body, key=ordered.__getitem__)
    streams = {"json": io.StringIO(), "jsonl": io.StringIO(), "markdown": io.StringIO()}
    writers = (
        JsonWriter(streams["json"]),
        JsonLinesWriter(streams["jsonl"]),
        MarkdownWriter(streams["markdown"]),
    )
    outcome = run_scan(
        MemoryProvider((bucket,)),
        ScanOptions(io_threads=2, workers=1, **options),
        writers,
        meter=Meter(),
        analyzer=FixedAnalyzer(),
    )
    return outcome, {name: stream.getvalue() for name, stream in streams.items()}


def terminal(outcome: ScanOutcome) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_scan(console, outcome)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_visible_shows_control_characters_as_escapes() -> None:
    assert visible("a\x1b[31mb\r\nc\u202ed\x7f 日本") == "a\\x1b[31mb\\x0d\\x0ac\\u202ed\\x7f 日本"


def test_every_note_reaches_every_report() -> None:
    outcome, reports = scanned(
        ("bomb.docx", "card.txt", "plain.txt"), lambda i: (b"bomb", b"card", b"plain")[i]
    )
    for name, text in reports.items():
        assert BOMB in text and PAGES in text, name
    report = json.loads(reports["json"])
    (bomb,) = report["unreadable"]  # nothing found, part refused: could not tell, not clean
    assert bomb["reason"] == BOMB and bomb["notes"] == [BOMB]
    (card,) = report["findings"]
    assert card["notes"] == ["text decoded as utf-8", PAGES]
    objects = report["buckets"][0]["objects"]
    assert objects["partly_read"] == 2 and objects["skipped"] == {}
    assert PAGES in terminal(outcome) and BOMB in terminal(outcome)


def test_hostile_keys_are_inert_on_the_terminal() -> None:
    outcome, _ = scanned(HOSTILE, lambda index: b"card")
    text = terminal(outcome)
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "evil\\x1b[2J\\x1b]0;owned\\x07.jpg" in text
    assert "row\\x0d\\x0abreak" in text


def test_hostile_keys_are_inert_in_markdown() -> None:
    _, reports = scanned(HOSTILE, lambda index: b"card")
    markdown = reports["markdown"]
    assert "<img" not in markdown and "\r" not in markdown and "\x1b" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| high |")]
    rows += [line for line in markdown.splitlines() if line.startswith("| critical |")]
    assert len(rows) == len(HOSTILE)
    header = next(line for line in markdown.splitlines() if line.startswith("| severity |"))
    cells = header.count("|")
    for row in rows:  # every row keeps the header's cells: no pipe or backtick escapes its cell
        assert len(re.findall(r"(?<!\\)\|", row)) == cells, row
        assert "`" not in row.replace("\\`", "")


def test_report_urls_keep_dot_segments_encoded() -> None:
    assert safe_url("https://b.s3.amazonaws.com/a/../b.jpg") == (
        "https://b.s3.amazonaws.com/a/%2E%2E/b.jpg"
    )
    assert safe_url("https://h/a/./b") == "https://h/a/%2E/b"
    assert safe_url("https://h/a..b/.c") == "https://h/a..b/.c"
    _, reports = scanned(("a/../b.jpg",), lambda index: b"card")
    (finding,) = json.loads(reports["json"])["findings"]
    assert finding["url"] == "memory://up/a/%2E%2E/b.jpg"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("uploads/職務経歴書_加藤.jpg", "uploads/職務経歴書_***.jpg"),
        ("hr/tanaka_taro_19800101_mynumber.pdf", "hr/***_***_******01_mynumber.pdf"),
        ("emp/123456789012/front.jpg", "***/********9012/front.jpg"),
        ("履歴書_山田花子(1990-05-01).pdf", "履歴書_***(***-***-***).pdf"),
        ("cv-john-smith.docx", "cv-***-***.docx"),
        (
            "scans/550e8400-e29b-41d4-a716-446655440000.jpg",
            "scans/550e8400-e29b-41d4-a716-446655440000.jpg",
        ),
        ("scans/001.png", "scans/001.png"),
    ],
)
def test_redacted_keys_mask_names_and_numbers(key: str, shown: str) -> None:
    assert redact_key(key) == shown


def test_redact_keys_masks_every_report_and_the_terminal() -> None:
    outcome, reports = scanned(HOSTILE, lambda index: b"card", redact_keys=True)
    everything = "\n".join([*reports.values(), terminal(outcome)])
    for secret in ("山田花子", "19900501", "evil", "owned", "onerror"):
        assert secret not in everything, secret
    assert "履歴書_***_******01.jpg" in everything
    plain, _ = scanned(HOSTILE, lambda index: b"card")
    assert {finding.key for finding in plain.findings} == set(HOSTILE)  # default: verbatim
