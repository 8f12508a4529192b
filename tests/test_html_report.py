"""The HTML report: one self-contained file, hostile keys as text, filter and sort in a browser."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bucketscan.metering import Meter
from bucketscan.policies.severity import Severity
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import BucketAccess, BucketRef, Exposure
from bucketscan.records.content import Category, Signal, Strength
from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.findings import (
    BucketResult,
    Finding,
    ScanCost,
    ScanSummary,
    UnreadableObject,
)
from bucketscan.scanner.meta import Interruption, ScanMeta
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.html_writer import HtmlWriter
from bucketscan.scanner.report.registry import WRITERS
from bucketscan.scanner.runner import run_scan
from test_engine import MarkerAnalyzer, body, public_facts

HOSTILE_KEY = "uploads/<img src=x onerror=alert(1)>\x1b[31m.jpg"
SHOWN_HOSTILE_KEY = "uploads/<img src=x onerror=alert(1)>\\x1b[31m.jpg"
ACCOUNT = "123456789012"
PUBLIC_READ = "bucket policy statement 'PublicRead' allows s3:GetObject to * on *"


def _bucket(name: str, read: Exposure, listing: Exposure, **counts: int) -> BucketResult:
    reasons = (
        f"read: {PUBLIC_READ}" if read is Exposure.PUBLIC else "read: no grant lets outsiders read",
        "list: no policy statement or ACL grant lets outsiders list"
        if listing is Exposure.PRIVATE
        else "list: ACL grants READ to AllUsers",
        "write: no policy statement or ACL grant lets outsiders write",
    )
    return BucketResult(
        ref=BucketRef("aws", ACCOUNT, name, "ap-northeast-1"),
        access=BucketAccess(read, listing, Exposure.PRIVATE, reasons),
        objects_listed=counts.get("listed", 0),
        objects_readable={read.value: counts.get("listed", 0)},
        objects_inspected=counts.get("inspected", 0),
        objects_skipped={"not_exposed": counts.get("skipped", 0)} if counts.get("skipped") else {},
        findings=counts.get("findings", 0),
        errors=(),
        objects_unreadable={"nothing legible": counts["unreadable"]}
        if counts.get("unreadable")
        else {},
    )


def _finding(
    key: str, document_type: str, category: Category, confidence: float, *signals: Signal
) -> Finding:
    severity = Severity.CRITICAL if category is Category.ID_DOCUMENT else Severity.HIGH
    return Finding(
        provider="aws",
        account=ACCOUNT,
        bucket="welcomehr-uploads",
        key=key,
        url=f"https://welcomehr-uploads.s3.amazonaws.com/{key}",
        size=78_996,
        exposure=Exposure.PUBLIC,
        exposure_reasons=(PUBLIC_READ,),
        category=category,
        document_type=document_type,
        severity=severity,
        confidence=confidence,
        evidence=signals,
    )


def sample_records(
    *, interrupted: bool = False, redact_keys: bool = False
) -> tuple[ScanMeta, ScanSummary, list[BucketResult], list[Finding], list[UnreadableObject]]:
    """A small WelcomeHR-like scan: three buckets, three findings, one file that was unreadable."""
    buckets = [
        _bucket("welcomehr-uploads", Exposure.PUBLIC, Exposure.PUBLIC, listed=12, inspected=12,
                findings=3, unreadable=1),
        _bucket("welcomehr-assets", Exposure.PUBLIC, Exposure.PRIVATE, listed=5, inspected=3,
                skipped=2),
        _bucket("welcomehr-hr-private", Exposure.PRIVATE, Exposure.PRIVATE, listed=8, skipped=8),
    ]  # fmt: skip
    findings = [
        _finding(
            "uploads/0333cf96-adc5-4187-a9d3-ccc5dcd2e870/1f954f8b.jpg",
            "my_number_card",
            Category.ID_DOCUMENT,
            0.97,
            Signal(
                "my_number",
                "number",
                Strength.STRONG,
                "12-digit 個人番号 with a valid check digit",
                "個人番号 **** **** 0257",
            ),
            Signal(
                "my_number",
                "labels",
                Strength.MEDIUM,
                "5 distinct My Number card labels",
                "個人番号カード、氏名、住所、生年月日、有効期限",
            ),
        ),
        _finding(
            "uploads/職務経歴書_加藤.pdf",
            "shokumu_keirekisho",
            Category.RESUME,
            0.81,
            Signal(
                "resume_jp", "title", Strength.STRONG, "document title 職務経歴書", "職務経歴書"
            ),
        ),
        _finding(
            HOSTILE_KEY,
            "drivers_license_jp",
            Category.ID_DOCUMENT,
            0.9,
            Signal(
                "drivers_license_jp",
                "license_number",
                Strength.MEDIUM,
                "第…号 12-digit number with 公安委員会 code 45",
                "第 ********5640 号",
            ),
        ),
    ]
    unreadable = [
        UnreadableObject(
            provider="aws",
            account=ACCOUNT,
            bucket="welcomehr-uploads",
            key="uploads/scan-0007.heic",
            url="https://welcomehr-uploads.s3.amazonaws.com/uploads/scan-0007.heic",
            size=2_400_000,
            exposure=Exposure.PUBLIC,
            exposure_reasons=(PUBLIC_READ,),
            reason="nothing legible on a card- or page-like image",
        )
    ]
    summary = ScanSummary(
        buckets=3,
        buckets_by_read={"public": 2, "private": 1},
        buckets_by_list={"public": 1, "private": 2},
        objects_listed=25,
        objects_inspected=15,
        objects_skipped={"not_exposed": 10},
        objects_unreadable={"nothing legible on a card- or page-like image": 1},
        findings_by_severity={"critical": 2, "high": 1},
        findings_by_type={"my_number_card": 1, "drivers_license_jp": 1, "shokumu_keirekisho": 1},
        errors=0,
        cost=ScanCost({"s3.ListObjectsV2": 3, "s3.GetObject": 15, "s3.GetBucketPolicy": 3},
                      2_104_853, 0.000244),
        timings={"describe": 2.9, "listing": 0.4, "download": 0.6, "extraction_with_ocr": 15.8},
        buckets_possibly_exposed=2,
    )  # fmt: skip
    stopped = Interruption("SIGINT", ("welcomehr-archive",), ("welcomehr-uploads",), False, 4)
    meta = ScanMeta(
        "bucketscan",
        "0.9.0",
        "aws",
        "2026-12-04T10:00:00Z",
        "2026-12-04T10:00:21Z",
        21.4,
        {"redact_keys": redact_keys, "verify_anonymous": False},
        stopped if interrupted else None,
    )
    return meta, summary, buckets, findings, unreadable


def render(**variant: bool) -> str:
    """The sample scan through the writer, as a scan would feed it."""
    meta, summary, buckets, findings, unreadable = sample_records(**variant)
    stream = io.StringIO()
    writer = HtmlWriter(stream)
    writer.start(meta)
    for result in buckets:
        writer.bucket(result)
    for finding in findings:
        writer.finding(finding)
    for item in unreadable:
        writer.unreadable(item)
    writer.finish(meta, summary)
    return stream.getvalue()


class Page(HTMLParser):
    """The parts of a page the tests look at: elements, rows per table, inline code, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: dict[str, list[dict[str, str | None]]] = {}
        self.row_text: dict[str, list[str]] = {}
        self.inline: dict[str, str] = {}
        self.text: list[str] = []
        self._table: str | None = None
        self._in_body_row = False
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self._table = attributes.get("data-table")
        elif tag == "tbody":
            self._in_body_row = True
        elif tag == "tr" and self._in_body_row and self._table:
            self.rows.setdefault(self._table, []).append(attributes)
            self.row_text.setdefault(self._table, []).append("")
        elif tag in ("style", "script"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body_row = False
        elif tag == "table":
            self._table = None
        elif tag in ("style", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline[self._in] = self.inline.get(self._in, "") + data
            return
        self.text.append(data)
        if self._in_body_row and self._table in self.row_text:
            self.row_text[self._table][-1] += data

    def elements(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_html_report_is_one_self_contained_page() -> None:
    page = Page(render())
    assert not page.elements("link") and not page.elements("img") and not page.elements("iframe")
    assert not [
        a for _, a in page.tags if a.get("src") or not (a.get("href") or "#").startswith("#")
    ]
    (policy,) = [m["content"] for m in page.elements("meta") if m.get("http-equiv")]
    assert policy is not None and policy.startswith("default-src 'none'")
    # Only this CSS and this script may run: their hashes are the policy's only sources.
    assert f"style-src {_csp_hash(page.inline['style'])};" in policy
    assert f"script-src {_csp_hash(page.inline['script'])};" in policy
    assert "http://" not in page.inline["style"] + page.inline["script"]


def test_html_report_shows_summary_buckets_findings_and_unreadable() -> None:
    page = Page(render())
    text = " ".join(" ".join(page.text).split())
    tiles = {t["data-severity"] for t in page.elements("div") if t.get("data-severity")}
    assert tiles == {"critical", "high", "medium", "low"}
    assert "2 critical" in text and "1 high" in text and "0 medium" in text
    assert "Complete: the scan ran to its end." in text and "INCOMPLETE" not in text
    assert "listed 25 inspected 15 skipped 10 not_exposed: 10" in text
    assert "could not tell (unreadable) 1 nothing legible on a card- or page-like image: 1" in text
    assert "API requests 21" in text and "2.0 MiB 2,104,853 bytes" in text and "21.4 s" in text
    assert "my_number_card 1" in text and "drivers_license_jp 1" in text
    # Exposed buckets first, each with its reasons; the private one last.
    bucket_rows = page.row_text["buckets"]
    assert [row.split()[1] for row in bucket_rows] == [
        "welcomehr-uploads", "welcomehr-assets", "welcomehr-hr-private",
    ]  # fmt: skip
    assert f"read: {PUBLIC_READ}" in bucket_rows[1]
    # Critical findings first; evidence is the redacted snippet and its reason, never more.
    findings = page.row_text["findings"]
    assert len(findings) == 3 and [r.split()[0] for r in findings] == ["critical"] * 2 + ["high"]
    assert "個人番号 **** **** 0257" in findings[0] and "0.97" in findings[0]
    assert all(row.get("data-id") for row in page.rows["findings"])
    assert len(page.row_text["unreadable"]) == 1 and "scan-0007.heic" in text
    assert "Object keys are shown as stored" in text


def test_hostile_keys_render_as_text() -> None:
    document = render()
    page = Page(document)
    assert not page.elements("img")
    assert not [a for _, a in page.tags if any(name.startswith("on") for name in a)]
    assert any(SHOWN_HOSTILE_KEY in row for row in page.row_text["findings"])
    assert "\x1b" not in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document


def test_interrupted_scan_says_incomplete_first() -> None:
    page = Page(render(interrupted=True))
    text = " ".join(" ".join(page.text).split())
    banner = text.index("INCOMPLETE: the scan was interrupted by SIGINT.")
    assert banner < text.index("Summary")
    assert "buckets not reached: welcomehr-archive" in text
    assert "buckets scanned in part: welcomehr-uploads" in text
    assert "listed objects not analysed: 4" in text


def test_redacted_run_says_keys_are_masked() -> None:
    text = " ".join(Page(render(redact_keys=True)).text)
    assert "Object keys are masked" in text and "shown as stored" not in text


def test_html_is_a_registered_format_and_a_scan_writes_it() -> None:
    provider = MemoryProvider((MemoryBucket("uploads", public_facts("uploads"), 20, body),))
    stream = io.StringIO()
    outcome = run_scan(
        provider,
        ScanOptions(io_threads=2, workers=1),
        (WRITERS["html"](stream),),
        meter=Meter(),
        analyzer=MarkerAnalyzer(),
    )
    page = Page(stream.getvalue())
    assert len(page.row_text["findings"]) == len(outcome.findings) == 2
    assert "ID-****" in page.row_text["findings"][0]
    assert "ID-CARD scan" not in stream.getvalue()  # object content never reaches the report


def test_html_without_jinja2_fails_before_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ScanError, match=r"bucketscan\[html\]"):
        HtmlWriter(io.StringIO())


def _chromium() -> str | None:
    return next(
        (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
    )


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (scripts/bootstrap installs it from Debian)"
)
_CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught|Content Security Policy", re.IGNORECASE)


def chromium(url: str, profile: Path, *args: str) -> tuple[str, list[str]]:
    """Load a page in headless Chromium: its DOM after scripts ran, and console lines."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", "--no-first-run", f"--user-data-dir={profile}", *args, url],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout, [line for line in done.stderr.splitlines() if _CONSOLE.search(line)]


@needs_chromium
def test_console_errors_are_caught(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>missingFunction();</script>")
    _, console = chromium(broken.as_uri(), tmp_path / "profile", "--dump-dom")
    assert any("Uncaught ReferenceError" in line for line in console)


@needs_chromium
def test_report_filters_and_sorts_in_a_real_browser(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render(), encoding="utf-8")
    url = f"{report.as_uri()}#filter=critical%20uploads&sort=findings.confidence.asc"
    dom, console = chromium(url, tmp_path / "profile", "--dump-dom")
    assert console == []
    page = Page(dom)
    (root,) = page.elements("html")
    assert root.get("data-ready") == "true"  # the script ran to its end
    rows = page.rows["findings"]
    shown = [text for row, text in zip(rows, page.row_text["findings"], strict=True)
             if "hidden" not in row]  # fmt: skip
    assert len(rows) == 3 and len(shown) == 2
    assert "0.90" in shown[0] and "0.97" in shown[1]  # ascending confidence
    assert "2 of 3 shown" in " ".join(page.text)
    assert not page.elements("img") and any(SHOWN_HOSTILE_KEY in row for row in shown)
    (header,) = [th for th in page.elements("th") if th.get("aria-sort")]
    assert header == {"data-key": "confidence", "data-sort": "num", "class": "num",
                      "aria-sort": "ascending"}  # fmt: skip


@needs_chromium
def test_report_screenshot_renders(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render(interrupted=True), encoding="utf-8")
    shot = tmp_path / "report.png"
    _, console = chromium(
        report.as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000"
    )
    assert console == []
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


def test_the_same_records_give_the_same_page() -> None:
    assert render() == render()
