"""Every mistake an operator makes ends in one line on stderr naming the fix, and exit 2."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from bucketscan.scanner.cli import main
from bucketscan.scanner.emulators.loopback import free_port, serve_http


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 2, no traceback, a single `error:` line on stderr that names the fix."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Throwaway credentials and no configuration files."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def scan_aws(*args: str) -> Result:
    return CliRunner().invoke(main, ["scan", "aws", "--region", "us-east-1", "-q", *args])


def test_endpoint_without_a_scheme(aws_env: None) -> None:
    result = scan_aws("--endpoint-url", "127.0.0.1:5701")
    assert_one_line_error(result, "--endpoint-url 127.0.0.1:5701 has no scheme", "http://")


def test_endpoint_from_the_environment_without_a_scheme(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "localhost:5701")
    assert_one_line_error(scan_aws(), "AWS_ENDPOINT_URL localhost:5701 has no scheme")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://127.0.0.1:21", "must start with http:// or https://"),
        ("http://127.0.0.1:port", "bad port"),
        ("http:///path", "has no host"),
    ],
)
def test_endpoint_of_the_wrong_shape(aws_env: None, url: str, fragment: str) -> None:
    assert_one_line_error(scan_aws("--endpoint-url", url), fragment)


class _NotS3(http.server.BaseHTTPRequestHandler):
    """Answers every request with a web page, as a wrong port often does."""

    def do_GET(self) -> None:
        """A web page."""
        self._page()

    def do_POST(self) -> None:
        """The same page."""
        self._page()

    def _page(self) -> None:
        body = b"<html><body>Welcome to nginx!</body>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def not_s3() -> Iterator[str]:
    with serve_http(_NotS3) as url:
        yield url


def test_endpoint_that_is_not_s3(aws_env: None, not_s3: str) -> None:
    result = scan_aws("--endpoint-url", not_s3)
    assert_one_line_error(result, f"the endpoint at {not_s3} does not answer like S3")


def test_half_set_credentials(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = scan_aws("--endpoint-url", f"http://127.0.0.1:{free_port()}")
    assert_one_line_error(result, "incomplete AWS credentials", "AWS_SECRET_ACCESS_KEY")
    assert "testing" not in result.output  # the key id is not echoed


def test_output_into_a_missing_directory(aws_env: None, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "report.json"
    result = scan_aws("--endpoint-url", f"http://127.0.0.1:{free_port()}", "-o", str(target))
    assert_one_line_error(result, "does not exist: create it first", str(target.parent))


def test_output_that_is_a_directory(aws_env: None, tmp_path: Path) -> None:
    result = scan_aws("-o", str(tmp_path))
    assert_one_line_error(result, "is a directory")


def test_output_into_a_read_only_directory(aws_env: None, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        probe = locked / "probe"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            pytest.skip("running as a user who can write anywhere (root)")
        result = scan_aws("-o", str(locked / "r.json"))
    finally:
        locked.chmod(0o700)
    assert_one_line_error(result, "is not writable")


def test_a_named_bucket_that_does_not_exist(moto_endpoint: str, tmp_path: Path) -> None:
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1").create_bucket(
        Bucket="real"
    )
    report = tmp_path / "r.json"
    args = ["--endpoint-url", moto_endpoint, "--no-content", "-o", str(report)]
    result = scan_aws(*args, "--bucket", "real", "--bucket", "does-not-exist")
    assert_one_line_error(result, "bucket does-not-exist does not exist", "--missing-ok")
    assert report.exists()  # the report still says what was found
    tolerated = scan_aws(*args, "--bucket", "real", "--bucket", "does-not-exist", "--missing-ok")
    assert tolerated.exit_code == 0, tolerated.output


def test_fail_on_findings_without_content(aws_env: None) -> None:
    result = scan_aws("--no-content", "--fail-on", "finding")
    assert_one_line_error(result, "--fail-on finding needs content analysis", "--fail-on exposure")


def test_a_usage_mistake_is_one_line(aws_env: None) -> None:
    result = scan_aws("--sample", "2")
    assert_one_line_error(result, "--sample", "scan aws --help")
    unknown = CliRunner().invoke(main, ["scan", "aws", "--buckett", "x"])
    assert_one_line_error(unknown, "--buckett")


def test_a_missing_baseline_is_one_line(aws_env: None, tmp_path: Path) -> None:
    assert_one_line_error(scan_aws("--baseline", str(tmp_path / "old.json")), "old.json")


def test_classify_of_a_missing_path_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["classify", str(tmp_path / "gone.pdf")])
    assert_one_line_error(result, "gone.pdf", "does not exist")


def test_anything_unexpected_is_one_line(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import bucketscan.providers.aws as aws

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("something\nspanning lines")

    monkeypatch.setattr(aws, "open_aws", broken)
    result = scan_aws()
    assert_one_line_error(result, "unexpected RuntimeError: something", "BUCKETSCAN_DEBUG")


@pytest.mark.parametrize("command", [["scan", "aws"], ["scan", "gcs"], ["scan", "azure"]])
def test_help_documents_every_exit_code(command: list[str]) -> None:
    text = " ".join(CliRunner().invoke(main, [*command, "--help"]).output.split())
    assert "Exit status: 0 nothing that --fail-on names" in text
    assert "1 what --fail-on names was found" in text
    assert "2 the scan could not run" in text and "could not tell" in text


def test_classify_help_documents_its_exit_codes() -> None:
    text = " ".join(CliRunner().invoke(main, ["classify", "--help"]).output.split())
    assert "Exit status: 0 every file was classified" in text and "2 a path" in text
