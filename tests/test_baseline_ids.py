"""Baselines match on stable ids, are checked against the schema, and never call unreached
findings resolved."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from bucketscan.records.common import Exposure
from bucketscan.scanner.baseline import Baseline, BaselineError
from bucketscan.scanner.cli import main
from bucketscan.scanner.coverage import coverage_of
from bucketscan.scanner.options import ScanOptions
from test_report_formats import records, render


def _report(tmp_path: Path, *, strip_ids: bool = False, redact: bool = True) -> Path:
    report = json.loads(render("json", redact=redact))
    if strip_ids:
        for finding in report["findings"]:
            del finding["id"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def _changes(baseline: Baseline, options: ScanOptions, *, keep: int, complete: bool = True,
             truncated: bool = False) -> dict[str, object]:  # fmt: skip
    _, buckets, findings, _, _ = records(redact=True)
    buckets = [replace(bucket, truncated=truncated) for bucket in buckets]
    coverage = coverage_of(options, buckets, [], complete=complete)
    return baseline.changes(findings[:keep], coverage)


def _keys(changes: dict[str, object], part: str) -> list[object]:
    entries = changes[part]
    assert isinstance(entries, list)
    return [entry["document_type"] for entry in entries]


@pytest.mark.parametrize("strip_ids", [False, True])
def test_the_same_findings_are_neither_new_nor_resolved(tmp_path: Path, strip_ids: bool) -> None:
    baseline = Baseline.load(_report(tmp_path, strip_ids=strip_ids), redact_keys=True)
    changes = _changes(baseline, ScanOptions(redact_keys=True), keep=2)
    assert changes["new"] == changes["resolved"] == changes["not_reached"] == []


def test_a_finding_gone_from_a_whole_scan_is_resolved(tmp_path: Path) -> None:
    baseline = Baseline.load(_report(tmp_path), redact_keys=True)
    changes = _changes(baseline, ScanOptions(redact_keys=True), keep=1)
    assert _keys(changes, "resolved") == ["rirekisho"]
    assert changes["not_reached"] == []
    resolved = changes["resolved"]
    assert isinstance(resolved, list) and len(resolved[0]["id"]) == 20


@pytest.mark.parametrize(
    ("options", "complete", "truncated"),
    [
        (ScanOptions(redact_keys=True, sample=0.5), True, False),
        (ScanOptions(redact_keys=True, include_prefixes=("resumes/",)), True, False),
        (ScanOptions(redact_keys=True), False, False),  # interrupted
        (ScanOptions(redact_keys=True, max_objects_per_bucket=1), True, True),  # cut short
        (ScanOptions(redact_keys=True, content=False), True, False),
    ],
)
def test_a_finding_a_limited_run_did_not_reach_is_not_resolved(
    tmp_path: Path, options: ScanOptions, complete: bool, truncated: bool
) -> None:
    baseline = Baseline.load(_report(tmp_path), redact_keys=True)
    changes = _changes(baseline, options, keep=1, complete=complete, truncated=truncated)
    assert changes["resolved"] == []
    assert _keys(changes, "not_reached") == ["rirekisho"]


def test_an_object_that_could_not_be_read_now_is_not_resolved(tmp_path: Path) -> None:
    baseline = Baseline.load(_report(tmp_path), redact_keys=True)
    _, buckets, findings, unreadable, _ = records(redact=True)
    now_unreadable = replace(unreadable[0], key=findings[1].key, url=findings[1].url)
    coverage = coverage_of(ScanOptions(redact_keys=True), buckets, [now_unreadable], complete=True)
    changes = baseline.changes(findings[:1], coverage)
    assert changes["resolved"] == []
    assert _keys(changes, "not_reached") == ["rirekisho"]


def test_a_bucket_not_scanned_resolves_nothing(tmp_path: Path) -> None:
    baseline = Baseline.load(_report(tmp_path), redact_keys=True)
    coverage = coverage_of(ScanOptions(redact_keys=True), [], [], complete=True)
    changes = baseline.changes([], coverage)
    assert changes["resolved"] == []
    assert len(_keys(changes, "not_reached")) == 2


def test_prefixes_decide_by_key_when_keys_are_not_masked(tmp_path: Path) -> None:
    baseline = Baseline.load(_report(tmp_path, redact=False))
    options = ScanOptions(include_prefixes=("uploads/",))
    _, buckets, findings, _, _ = records(redact=False)
    coverage = coverage_of(options, buckets, [], complete=True)
    changes = baseline.changes([], coverage)
    assert _keys(changes, "resolved") == ["my_number_card"]  # under the prefix: looked, gone
    assert _keys(changes, "not_reached") == ["rirekisho"]  # outside it
    assert findings[0].exposure is Exposure.PUBLIC


def test_a_schema_invalid_baseline_is_refused(tmp_path: Path) -> None:
    path = _report(tmp_path)
    report = json.loads(path.read_text())
    report["findings"][0]["severity"] = "catastrophic"
    path.write_text(json.dumps(report))
    with pytest.raises(BaselineError, match=r"not a bucketscan JSON report.*findings/0/severity"):
        Baseline.load(path, redact_keys=True)


def test_a_baseline_of_the_other_key_masking_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="written with --redact-keys"):
        Baseline.load(_report(tmp_path), redact_keys=False)


@pytest.mark.parametrize("content", ["{not json", '{"schema_version": "1"}', "[]"])
def test_a_bad_baseline_is_a_one_line_error_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    path = tmp_path / "old.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["scan", "aws", "--region", "us-east-1", "-q", "--baseline", str(path)]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "old.json" in lines[0]
