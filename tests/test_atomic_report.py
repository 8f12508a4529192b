"""Report files appear whole or not at all, and a failed run leaves the earlier report intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bucketscan.scanner.cli import main
from bucketscan.scanner.emulators.loopback import free_port
from bucketscan.scanner.report.atomic import atomic_text

EARLIER = '{"earlier": "report"}\n'


@pytest.fixture(params=["unnamed", "named"])
def temporaries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of holding the report until it is whole: O_TMPFILE, and a hidden named file."""
    if request.param == "named":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    return str(request.param)


def test_the_report_replaces_the_earlier_one_only_when_whole(
    temporaries: str, tmp_path: Path
) -> None:
    report = tmp_path / "keep.json"
    report.write_text(EARLIER, encoding="utf-8")
    report.chmod(0o640)
    with atomic_text(report) as stream:
        stream.write('{"new": ')
        assert report.read_text(encoding="utf-8") == EARLIER  # a reader sees the old one whole
        stream.write("true}\n")
    assert report.read_text(encoding="utf-8") == '{"new": true}\n'
    assert report.stat().st_mode & 0o777 == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["keep.json"]


def test_a_failure_while_writing_keeps_the_earlier_report(temporaries: str, tmp_path: Path) -> None:
    report = tmp_path / "keep.json"
    report.write_text(EARLIER, encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(report) as stream:
        stream.write("half a rep")
        raise RuntimeError("the scan failed")
    assert report.read_text(encoding="utf-8") == EARLIER
    assert [path.name for path in tmp_path.iterdir()] == ["keep.json"]


def test_a_new_report_gets_the_mode_open_would_give(temporaries: str, tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        with atomic_text(tmp_path / "new.json") as stream:
            stream.write("{}\n")
    finally:
        os.umask(previous)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640


def test_a_scan_that_fails_leaves_the_earlier_report_intact(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    report = tmp_path / "keep.json"
    report.write_text(EARLIER, encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    args = ["scan", "aws", "--endpoint-url", url, "-q", "-o", str(report)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert report.read_text(encoding="utf-8") == EARLIER
    assert [path.name for path in tmp_path.iterdir()] == ["keep.json"]
