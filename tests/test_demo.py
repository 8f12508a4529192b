"""The demo end to end: emulators of three clouds, synthetic uploads, scans, reports."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from rich.console import Console

from bucketscan.scanner.cli import main
from bucketscan.scanner.demo import DEMOS, report_path, run_demo
from bucketscan.scanner.demo.story import deal
from bucketscan.synthetic.corpus import SyntheticFile, generate_corpus

SEED = 2024
# Quick to extract (text layers, or one card image each) and each recognised from its content.
QUICK = {
    ("rirekisho", "pdf-text"),
    ("shokumu_keirekisho", "docx"),
    ("cv_en", "txt"),
    ("my_number_card", "scan-jpeg"),
    ("id_card_icao", "photo-exif"),
    ("health_insurance_jp", "photo-lowres"),
    ("drivers_license_us", "scan-jpeg"),
    ("my_number_notification", "photo-tilted"),
    (None, "negative-order-csv"),
    (None, "negative-article-mynumber"),
    (None, "negative-recruiting"),
}
PUBLIC = {"read": "public", "list": "public", "write": "private"}
PRIVATE = {"read": "private", "list": "private", "write": "private"}


def validate(report: dict[str, Any]) -> None:
    schema_text = resources.files("bucketscan.scanner.report") / "report.schema.json"
    schema = json.loads(schema_text.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def demo_report(output: Path, cloud: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """One cloud's report, validated against the schema, and its buckets by name."""
    report = json.loads(report_path(output, cloud).read_text(encoding="utf-8"))
    validate(report)
    return report, {bucket["name"]: bucket for bucket in report["buckets"]}


def assert_found_from_content(report: dict[str, Any]) -> None:
    for finding in report["findings"]:
        kinds = {evidence["kind"] for evidence in finding["evidence"]}
        assert kinds - {"filename"}, f"{finding['key']} was found by its name only"


@pytest.mark.integration
def test_demo_finds_exposed_ids_from_content(tmp_path: Path) -> None:
    args = ["demo", "--cloud", "aws", "--per-type", "1", "--output-dir", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report, buckets = demo_report(tmp_path, "aws")
    access = {name: bucket["access"] for name, bucket in buckets.items()}
    assert access["welcomehr-uploads"] == PUBLIC
    assert access["welcomehr-internal"] == PRIVATE
    assert access["welcomehr-exports"]["read"] == "private"
    assert access["welcomehr-exports"]["list"] == "public"
    assert access["welcomehr-assets"]["read"] == "public"
    findings = report["findings"]
    assert findings, "the demo must show exposed ID scans and résumés"
    assert {f["bucket"] for f in findings} <= {"welcomehr-uploads", "welcomehr-assets"}
    assert all(f["exposure"] == "public" for f in findings)
    assert {f["category"] for f in findings} == {"id_document", "resume"}
    assert_found_from_content(report)
    assert "Exposed sensitive files" in result.output
    assert "Demo summary" in result.output
    assert not (tmp_path / "bucketscan-demo-gcs.json").exists()


@pytest.fixture(scope="module")
def quick_files() -> tuple[SyntheticFile, ...]:
    """One file of each quick kind from the synthetic corpus."""
    picked: dict[tuple[str | None, str], SyntheticFile] = {}
    for file in generate_corpus(SEED, 1):
        picked.setdefault((file.document_type, file.variant), file)
    assert set(picked) >= QUICK
    return tuple(picked[kind] for kind in sorted(QUICK, key=str))


@pytest.fixture(scope="module")
def gcs_and_azure(
    quick_files: tuple[SyntheticFile, ...], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """The GCS and Azure demos run once on the quick files: their report folder and output."""
    output = tmp_path_factory.mktemp("demo")
    printed = io.StringIO()
    console = Console(file=printed, width=160)
    status = run_demo(
        console, output, ("gcs", "azure"), seed=SEED, per_type=1, files=quick_files, workers=2
    )
    text = printed.getvalue()
    assert status == 0, text
    return output, text


def truth(cloud: str, files: Sequence[SyntheticFile]) -> dict[tuple[str, str], SyntheticFile]:
    """(bucket, key) -> the synthetic file the demo uploaded there."""
    by_data = {file.data: file for file in files}
    placed = deal(files, DEMOS[cloud].buckets, random.Random(f"{SEED}:{cloud}"))
    return {
        (bucket, obj.key): by_data[obj.data]
        for bucket, objects in placed.items()
        for obj in objects
    }


def assert_findings_match_exposure(
    report: dict[str, Any], uploaded: dict[tuple[str, str], SyntheticFile]
) -> None:
    """Every sensitive file in a readable bucket is found, with its type and exposure; no other."""
    read = {b["name"]: b["access"]["read"] for b in report["buckets"]}
    expected = {
        place: file
        for place, file in uploaded.items()
        if file.category is not None and read[place[0]] != "private"
    }
    found = {(f["bucket"], f["key"]): f for f in report["findings"]}
    assert set(found) == set(expected)
    for place, finding in found.items():
        assert finding["document_type"] == expected[place].document_type, place
        assert finding["exposure"] == read[place[0]], place
    assert_found_from_content(report)


@pytest.mark.integration
def test_gcs_demo_verdicts(
    gcs_and_azure: tuple[Path, str], quick_files: tuple[SyntheticFile, ...]
) -> None:
    output, text = gcs_and_azure
    report, buckets = demo_report(output, "gcs")
    assert {name: bucket["access"] for name, bucket in buckets.items()} == {
        "welcomehr-uploads": PUBLIC,
        "welcomehr-internal": PRIVATE,
        "welcomehr-exports": {"read": "private", "list": "public", "write": "private"},
        "welcomehr-agency": {"read": "authenticated", "list": "authenticated", "write": "private"},
        "welcomehr-backup": PRIVATE,
        # A condition on the public/ prefix grants reads there, and no listing of the bucket.
        "welcomehr-assets": {"read": "public", "list": "private", "write": "private"},
    }
    assert any("prevention is enforced" in r for r in buckets["welcomehr-backup"]["reasons"])
    assert any("conditional (public-prefix" in r for r in buckets["welcomehr-assets"]["reasons"])
    assert any("could not be ruled out" in r for r in buckets["welcomehr-uploads"]["reasons"])
    assert_findings_match_exposure(report, truth("gcs", quick_files))
    exposures = {(f["bucket"], f["exposure"]) for f in report["findings"]}
    assert exposures == {("welcomehr-uploads", "public"), ("welcomehr-agency", "authenticated")}
    assert "Google Cloud Storage (gcp-storage-emulator on http://127.0.0.1:" in text


@pytest.mark.integration
def test_azure_demo_verdicts(
    gcs_and_azure: tuple[Path, str], quick_files: tuple[SyntheticFile, ...]
) -> None:
    output, text = gcs_and_azure
    report, buckets = demo_report(output, "azure")
    assert {name: bucket["access"] for name, bucket in buckets.items()} == {
        "uploads": {"read": "public", "list": "private", "write": "private"},
        "exports": PUBLIC,
        "internal": PRIVATE,
        "$web": {"read": "public", "list": "private", "write": "private"},
    }
    assert any(
        "allowBlobPublicAccess setting was not read" in r for r in buckets["uploads"]["reasons"]
    )
    assert_findings_match_exposure(report, truth("azure", quick_files))
    assert {f["bucket"] for f in report["findings"]} == {"uploads", "exports"}
    assert "Azure Blob (Azurite on http://127.0.0.1:" in text
    assert "Demo summary" in text


def test_demo_without_azurite_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURITE_BLOB_BIN", str(tmp_path / "missing" / "azurite-blob"))
    result = CliRunner().invoke(main, ["demo", "--cloud", "all", "--output-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "scripts/bootstrap" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # checked before anything was started or written
