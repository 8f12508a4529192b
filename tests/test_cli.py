"""The command line: exit codes, one-line errors, reports, baselines."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from bucketscan import __version__
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo import public_read_policy


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_unreachable_endpoint_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    url = f"http://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(main, ["scan", "aws", "--endpoint-url", url, "-q"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "error:" in result.output and url in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_credentials_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = CliRunner().invoke(main, ["scan", "aws", "--region", "us-east-1", "-q"])
    assert result.exit_code == 2
    assert "credentials" in result.output.lower()
    assert "Traceback" not in result.output


def seed_listing_and_private(endpoint: str) -> None:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="listing")
    client.put_bucket_acl(Bucket="listing", ACL="public-read")
    client.put_object(Bucket="listing", Key="names/leak.txt", Body=b"x")
    client.create_bucket(Bucket="private")
    client.put_object(Bucket="private", Key="a.txt", Body=b"x")


def test_fail_on_exposure_and_report_file(moto_endpoint: str, tmp_path: Path) -> None:
    seed_listing_and_private(moto_endpoint)
    report = tmp_path / "r.json"
    args = ["scan", "aws", "--endpoint-url", moto_endpoint, "--no-content", "-q", "-o", str(report)]
    exposed = CliRunner().invoke(main, [*args, "--fail-on", "exposure"])
    assert exposed.exit_code == 1, exposed.output
    buckets = {b["name"]: b for b in json.loads(report.read_text())["buckets"]}
    assert buckets["listing"]["access"]["list"] == "public"
    assert buckets["private"]["access"] == {
        "read": "private",
        "list": "private",
        "write": "private",
    }
    assert CliRunner().invoke(main, [*args, "--fail-on", "never"]).exit_code == 0


def test_baseline_records_new_and_resolved(moto_endpoint: str, tmp_path: Path) -> None:
    from bucketscan.synthetic.corpus import generate_corpus

    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="up-bucket")
    client.put_bucket_policy(Bucket="up-bucket", Policy=public_read_policy("up-bucket", ""))
    card = next(f for f in generate_corpus(5, 1) if f.document_type == "passport")
    client.put_object(Bucket="up-bucket", Key="a/card.jpg", Body=card.data)
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    base = ["scan", "aws", "--endpoint-url", moto_endpoint, "-q", "--workers", "1"]
    assert CliRunner().invoke(main, [*base, "-o", str(first)]).exit_code == 1
    client.put_object(Bucket="up-bucket", Key="b/card.jpg", Body=card.data)
    client.delete_object(Bucket="up-bucket", Key="a/card.jpg")
    result = CliRunner().invoke(
        main, [*base, "-o", str(second), "--baseline", str(first), "--fail-on", "new"]
    )
    assert result.exit_code == 1, result.output
    changes = json.loads(second.read_text())["summary"]["changes"]
    assert [c["key"] for c in changes["new"]] == ["b/card.jpg"]
    assert [c["key"] for c in changes["resolved"]] == ["a/card.jpg"]
