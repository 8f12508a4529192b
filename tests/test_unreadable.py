"""Could not tell: objects whose content could not be read are counted, listed and never clean."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from rich.console import Console

from bucketscan.metering import Meter
from bucketscan.policies.fingerprint import COULD_NOT_TELL, finding_id
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import Exposure
from bucketscan.records.content import Category, Classification, Signal, Strength
from bucketscan.scanner import local_files
from bucketscan.scanner.analyzer import Analysis
from bucketscan.scanner.cli import EXIT_CLEAN, EXIT_FINDINGS, exit_status, main
from bucketscan.scanner.console.terminal import print_classifications, print_scan
from bucketscan.scanner.local_files import FileResult, classification_rows
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.report.writer import ReportWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan
from test_cli import seed_listing_and_private
from test_engine import PRIVATE_FACTS, public_facts

TIMED_OUT = "OCR timed out"
ILLEGIBLE = "nothing legible on a card-shaped image"
CARD = Classification(
    Category.ID_DOCUMENT,
    "my_number_card",
    0.97,
    (Signal("marker", "marker", Strength.STRONG, "marker present", "ID-****"),),
)
CLEAN = Classification(None, None, 0.0, ())
ANSWERS = {
    b"card": CARD,
    b"slow": Classification(None, None, 0.0, (), (), TIMED_OUT),
    b"blur": Classification(None, None, 0.0, (), (), ILLEGIBLE),
}


class FixedAnalyzer:
    """Answers from a table of contents, at once: no extraction, no OCR."""

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        future: Future[Analysis] = Future()
        future.set_result(Analysis(ANSWERS.get(data, CLEAN), 0.001))
        return future

    def cancel(self, *, running: bool) -> None:
        """Nothing is queued."""

    def close(self) -> None:
        """Nothing to stop."""


def uploads(index: int) -> bytes:
    """Object 0 is a card, 3 illegible, 5 and 7 timed out, the rest clean."""
    return {0: b"card", 3: b"blur", 5: b"slow", 7: b"slow"}.get(index, b"photo")


def key(index: int) -> str:
    return f"scans/{index:03d}.jpg"


def scan(
    buckets: tuple[MemoryBucket, ...],
    writers: tuple[ReportWriter, ...] = (),
    **options: Any,
) -> ScanOutcome:
    return run_scan(
        MemoryProvider(buckets, page_size=3),
        ScanOptions(io_threads=2, workers=1, **options),
        writers,
        meter=Meter(),
        analyzer=FixedAnalyzer(),
    )


PUBLIC = MemoryBucket("uploads", public_facts("uploads"), 10, uploads, key=key)
PRIVATE = MemoryBucket("hr", PRIVATE_FACTS, 4, lambda index: b"slow", key=key)


def schema() -> dict[str, Any]:
    text = resources.files("bucketscan.scanner.report") / "report.schema.json"
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def test_engine_counts_unreadable_objects_by_reason_apart_from_findings() -> None:
    outcome = scan((PUBLIC,))
    (bucket,) = outcome.buckets
    assert bucket.objects_unreadable == {TIMED_OUT: 2, ILLEGIBLE: 1}
    assert bucket.unreadable == 3
    assert (bucket.objects_inspected, bucket.findings) == (10, 1)
    assert [f.key for f in outcome.findings] == ["scans/000.jpg"]
    assert outcome.summary.objects_unreadable == {TIMED_OUT: 2, ILLEGIBLE: 1}
    listed = sorted((u.key, u.exposure, u.reason) for u in outcome.unreadable)
    assert listed == [
        ("scans/003.jpg", Exposure.PUBLIC, ILLEGIBLE),
        ("scans/005.jpg", Exposure.PUBLIC, TIMED_OUT),
        ("scans/007.jpg", Exposure.PUBLIC, TIMED_OUT),
    ]
    assert all(
        u.url == f"memory://uploads/{u.key}" and u.exposure_reasons for u in outcome.unreadable
    )


def test_key_ranges_join_unreadable_counts() -> None:
    whole = scan((PUBLIC,))
    split = scan((PUBLIC,), key_splits=("scans/004.jpg",))
    assert split.buckets == whole.buckets
    assert sorted(u.key for u in split.unreadable) == sorted(u.key for u in whole.unreadable)


def test_json_report_lists_unreadable_objects_and_validates() -> None:
    stream = io.StringIO()
    scan((PUBLIC,), (JsonWriter(stream),))
    report = json.loads(stream.getvalue())
    jsonschema.Draft202012Validator(schema()).validate(report)
    assert [(u["key"], u["exposure"], u["reason"]) for u in report["unreadable"]] == [
        ("scans/003.jpg", "public", ILLEGIBLE),
        ("scans/005.jpg", "public", TIMED_OUT),
        ("scans/007.jpg", "public", TIMED_OUT),
    ]
    assert report["buckets"][0]["objects"]["unreadable"] == {TIMED_OUT: 2, ILLEGIBLE: 1}
    assert report["summary"]["objects_unreadable"] == {TIMED_OUT: 2, ILLEGIBLE: 1}
    assert b"blur" not in stream.getvalue().encode()  # object content never reaches the report
    # Each has its stable id under the could-not-tell rule, distinct per object.
    ids = [u["id"] for u in report["unreadable"]]
    expected = [
        finding_id(u["provider"], u["account"], u["bucket"], u["key"], COULD_NOT_TELL)
        for u in report["unreadable"]
    ]
    assert ids == expected and len(set(ids)) == 3


def test_reports_without_the_unreadable_fields_still_validate() -> None:
    stream = io.StringIO()
    scan((PUBLIC,), (JsonWriter(stream),))
    report = json.loads(stream.getvalue())
    del report["unreadable"], report["summary"]["objects_unreadable"]
    del report["buckets"][0]["objects"]["unreadable"]
    jsonschema.Draft202012Validator(schema()).validate(report)


def test_schema_rejects_an_unreadable_entry_without_its_reason() -> None:
    stream = io.StringIO()
    scan((PUBLIC,), (JsonWriter(stream),))
    report = json.loads(stream.getvalue())
    del report["unreadable"][0]["reason"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema()).validate(report)


def test_jsonl_streams_one_line_per_unreadable_object() -> None:
    stream = io.StringIO()
    scan((PUBLIC,), (JsonLinesWriter(stream),))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    full = schema()
    item = jsonschema.Draft202012Validator(
        {"$defs": full["$defs"], **full["properties"]["unreadable"]["items"]}
    )
    unreadable = [line for line in lines if line["type"] == "unreadable"]
    for line in unreadable:
        item.validate({k: v for k, v in line.items() if k != "type"})
    assert sorted(line["reason"] for line in unreadable) == sorted(
        [ILLEGIBLE, TIMED_OUT, TIMED_OUT]
    )
    (bucket,) = (line for line in lines if line["type"] == "bucket")
    assert bucket["objects"]["unreadable"] == {TIMED_OUT: 2, ILLEGIBLE: 1}
    assert lines[-1]["type"] == "summary"
    assert lines[-1]["objects_unreadable"] == {TIMED_OUT: 2, ILLEGIBLE: 1}


def test_markdown_has_a_could_not_tell_section() -> None:
    stream = io.StringIO()
    scan((PUBLIC,), (MarkdownWriter(stream),))
    text = stream.getvalue()
    section = text.split("## Could not tell (unreadable files)")[1]
    rows = [line for line in section.splitlines() if line.startswith("| public |")]
    assert rows == [
        f"| public | uploads/scans/003.jpg | {ILLEGIBLE} |  |",
        f"| public | uploads/scans/005.jpg | {TIMED_OUT} |  |",
        f"| public | uploads/scans/007.jpg | {TIMED_OUT} |  |",
    ]
    assert f"- could not tell (unreadable): 3 ({TIMED_OUT}: 2; {ILLEGIBLE}: 1)" in text
    assert "| 10 | 1 | 3 |" in text  # objects, findings, unreadable of the bucket
    assert "slow" not in text and "blur" not in text


def test_markdown_says_none_when_everything_was_read() -> None:
    stream = io.StringIO()
    scan(
        (MemoryBucket("plain", public_facts("plain"), 3, lambda index: b"photo"),),
        (MarkdownWriter(stream),),
    )
    text = stream.getvalue()
    assert "- could not tell (unreadable): none" in text
    assert text.rstrip().endswith("## Could not tell (unreadable files)\n\nNone.")


def test_terminal_summary_shows_unreadable_objects_and_reasons() -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_scan(console, scan((PUBLIC,)))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "10 inspected, 3 could not be read" in text
    assert "Could not tell: files that could not be read (3)" in text
    assert f"public {TIMED_OUT}\n    uploads/scans/005.jpg" in text
    assert f"3 could not be read ({TIMED_OUT} 2, {ILLEGIBLE} 1)" in text


def test_terminal_summary_cuts_a_long_list_short() -> None:
    many = MemoryBucket("many", public_facts("many"), 25, lambda index: b"slow", key=key)
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_scan(console, scan((many,)))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count(TIMED_OUT) == 20 + 1  # twenty listed, and the totals line
    assert "… 5 more in the report" in text


def test_fail_on_unreadable_exits_1_for_exposed_unreadable_objects_only() -> None:
    exposed = scan((MemoryBucket("u", public_facts("u"), 2, lambda index: b"slow", key=key),))
    assert exposed.findings == () and len(exposed.unreadable) == 2
    assert exit_status(exposed, "finding") == EXIT_CLEAN
    assert exit_status(exposed, "unreadable") == EXIT_FINDINGS
    private = scan((PRIVATE,), include_private=True)
    assert {u.exposure for u in private.unreadable} == {Exposure.PRIVATE}
    assert exit_status(private, "unreadable") == EXIT_CLEAN
    assert exit_status(scan((PUBLIC,)), "unreadable") == EXIT_FINDINGS


RESULTS = (
    FileResult(Path("a/card.jpg"), CARD),
    FileResult(Path("a/blur.jpg"), ANSWERS[b"slow"]),
    FileResult(Path("a/cat.jpg"), CLEAN),
    FileResult(Path("a/huge.tif"), None, "skipped: 99 bytes is over the size limit"),
)


def test_classify_rows_keep_category_null_and_say_why() -> None:
    rows = {row["path"]: row for row in classification_rows(RESULTS)}
    assert rows["a/blur.jpg"]["category"] is None
    assert rows["a/blur.jpg"]["unreadable"] == TIMED_OUT
    assert rows["a/card.jpg"]["unreadable"] is None
    assert rows["a/cat.jpg"]["unreadable"] is None
    assert rows["a/huge.tif"]["unreadable"] is None


def test_classify_table_shows_unreadable_with_its_reason_and_counts_it() -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_classifications(console, classification_rows(RESULTS))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"unreadable ({TIMED_OUT})" in text
    assert "4 files · 1 id_document · 1 not analysed · 1 unreadable" in text


def fixed_results(results: Iterable[FileResult]) -> Callable[..., Iterator[FileResult]]:
    def classify_paths(paths: Iterable[Path], **kwargs: Any) -> Iterator[FileResult]:
        return iter(results)

    return classify_paths


def test_classify_command_json_rows_carry_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(local_files, "classify_paths", fixed_results(RESULTS))
    result = CliRunner().invoke(main, ["classify", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(row["category"], row["unreadable"]) for row in rows] == [
        ("id_document", None),
        (None, TIMED_OUT),
        (None, None),
        (None, None),
    ]


def test_fail_on_unreadable_is_a_scan_option(moto_endpoint: str) -> None:
    seed_listing_and_private(moto_endpoint)
    args = ["scan", "aws", "--endpoint-url", moto_endpoint, "-q", "--bucket", "private"]
    result = CliRunner().invoke(main, [*args, "--fail-on", "unreadable"])
    assert result.exit_code == EXIT_CLEAN, result.output  # private: nothing read or unreadable
    assert json.loads(result.output)["unreadable"] == []
