"""The demo end to end: emulator, synthetic uploads, scan, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bucketscan.scanner.cli import main


@pytest.mark.integration
def test_demo_finds_exposed_ids_from_content(tmp_path: Path) -> None:
    report_path = tmp_path / "demo.json"
    result = CliRunner().invoke(main, ["demo", "--per-type", "1", "--output", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    access = {b["name"]: b["access"] for b in report["buckets"]}
    assert access["welcomehr-uploads"] == {"read": "public", "list": "public", "write": "private"}
    assert access["welcomehr-internal"] == {
        "read": "private",
        "list": "private",
        "write": "private",
    }
    assert access["welcomehr-exports"]["read"] == "private"
    assert access["welcomehr-exports"]["list"] == "public"
    assert access["welcomehr-assets"]["read"] == "public"
    findings = report["findings"]
    assert findings, "the demo must show exposed ID scans and résumés"
    assert {f["bucket"] for f in findings} <= {"welcomehr-uploads", "welcomehr-assets"}
    assert all(f["exposure"] == "public" for f in findings)
    assert {f["category"] for f in findings} == {"id_document", "resume"}
    for finding in findings:
        kinds = {e["kind"] for e in finding["evidence"]}
        assert kinds - {"filename"}, f"{finding['key']} was found by its name only"
    assert "Exposed sensitive files" in result.output
