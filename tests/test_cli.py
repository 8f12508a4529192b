"""The command line: exit codes, one-line errors, reports, baselines."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner, Result

from azure_emulators import azurite
from bucketscan import __version__
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo import azure as demo_azure
from bucketscan.scanner.demo import gcs as demo_gcs
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.azurite import Azurite
from bucketscan.scanner.emulators.gcs import storage_emulator
from bucketscan.scanner.emulators.loopback import free_port

CONNECTION_ENV = "AZURE_STORAGE_CONNECTION_STRING"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_unreachable_endpoint_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    url = f"http://127.0.0.1:{free_port()}"
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


def test_key_splits_list_ranges_and_report_one_bucket(moto_endpoint: str, tmp_path: Path) -> None:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="ranged")
    client.put_bucket_acl(Bucket="ranged", ACL="public-read")
    for index in range(12):
        client.put_object(Bucket="ranged", Key=f"u/{index:02d}.jpg", Body=b"x", ACL="private")
    report = tmp_path / "r.json"
    args = ["scan", "aws", "--endpoint-url", moto_endpoint, "--no-content", "-q", "-o", str(report)]
    splits = ["--key-split", "u/03.jpg", "--key-split", "u/07.jpg"]
    assert CliRunner().invoke(main, [*args, *splits, "--fail-on", "never"]).exit_code == 0
    written = json.loads(report.read_text())
    (bucket,) = written["buckets"]
    assert bucket["objects"]["listed"] == 12
    assert bucket["access"]["list"] == "public"
    assert written["summary"]["cost"]["requests"]["s3.ListObjectsV2"] == 3  # one per range


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


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith("error:")
    for fragment in fragments:
        assert fragment in result.output


@pytest.mark.parametrize("via_env", [False, True])
def test_gcs_unreachable_endpoint_fails_fast(
    monkeypatch: pytest.MonkeyPatch, via_env: bool
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    args = ["scan", "gcs", "-q"]
    if via_env:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", url)
    else:
        args += ["--endpoint-url", url]
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    assert_one_line_error(result, url, "unreachable")
    assert time.monotonic() - started < 10


def test_gcs_missing_credentials_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("STORAGE_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))  # no gcloud ADC file there
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # and no metadata server
    result = CliRunner().invoke(main, ["scan", "gcs", "--project", "hr-prod", "-q"])
    assert_one_line_error(result, "no GCS credentials", "gcloud auth application-default login")


def test_gcs_scan_reports_verdicts(tmp_path: Path) -> None:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    buckets = {bucket.name: bucket for bucket in demo_gcs.BUCKETS}
    with storage_emulator() as url:
        client = storage.Client(
            project="p", credentials=AnonymousCredentials(), client_options={"api_endpoint": url}
        )
        for name in ("welcomehr-exports", "welcomehr-backup"):
            demo_gcs.create_bucket(client, buckets[name]).blob("a.txt").upload_from_string(b"x")
        report = tmp_path / "r.json"
        args = ["scan", "gcs", "--endpoint-url", url, "--no-content", "-q", "-o", str(report)]
        exposed = CliRunner().invoke(main, [*args, "--fail-on", "exposure"])
        named = CliRunner().invoke(main, [*args, "--bucket", "welcomehr-backup"])
    assert exposed.exit_code == 1, exposed.output
    assert named.exit_code == 0, named.output
    access = {b["name"]: b["access"] for b in json.loads(report.read_text())["buckets"]}
    assert access == {
        "welcomehr-backup": {"read": "private", "list": "private", "write": "private"}
    }


def test_azure_unreachable_endpoint_fails_fast() -> None:
    dead = Azurite(free_port(), demo_azure.ACCOUNTS)
    connection = dead.connection_string(demo_azure.ACCOUNT)
    result = CliRunner().invoke(main, ["scan", "azure", "--connection-string", connection, "-q"])
    assert_one_line_error(result, dead.blob_endpoint(demo_azure.ACCOUNT), "unusable")
    assert demo_azure.ACCOUNTS[demo_azure.ACCOUNT] not in result.output


def test_azure_missing_credentials_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path))
    url = f"https://127.0.0.1:{free_port()}/welcomehr"
    result = CliRunner().invoke(main, ["scan", "azure", "--account-url", url, "-q"])
    assert_one_line_error(result, "no Azure credentials", url)


def test_azure_needs_one_account_source() -> None:
    neither = CliRunner().invoke(main, ["scan", "azure", "-q"], env={CONNECTION_ENV: None})
    assert_one_line_error(neither, "--account-url", "--subscription")
    both = CliRunner().invoke(
        main,
        ["scan", "azure", "--account-url", "https://a.blob.core.windows.net",
         "--connection-string", "AccountName=a;AccountKey=a2V5"],
    )  # fmt: skip
    assert both.exit_code == 2
    assert "not both" in both.output


@pytest.fixture(scope="module")
def seeded_azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Azurite with a `blob`-level and a private container; the account's connection string."""
    from azure.storage.blob import BlobServiceClient

    with azurite(tmp_path_factory.mktemp("azurite")) as server:
        connection = server.connection_string("welcomehr")
        service = BlobServiceClient.from_connection_string(connection)
        service.create_container("uploads", public_access="blob").upload_blob("a.txt", b"x")
        service.create_container("internal").upload_blob("b.txt", b"x")
        yield connection


@pytest.mark.integration
def test_azure_connection_string_from_the_environment(seeded_azurite: str, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    args = ["scan", "azure", "--no-content", "-q", "-o", str(report), "--fail-on", "exposure"]
    result = CliRunner().invoke(main, args, env={CONNECTION_ENV: seeded_azurite})
    assert result.exit_code == 1, result.output
    access = {b["name"]: b["access"] for b in json.loads(report.read_text())["buckets"]}
    assert access["uploads"] == {"read": "public", "list": "private", "write": "private"}
    assert access["internal"] == {"read": "private", "list": "private", "write": "private"}


@pytest.mark.integration
def test_an_explicit_account_url_wins_over_the_environment(seeded_azurite: str) -> None:
    url = seeded_azurite.split("BlobEndpoint=")[1].rstrip(";")
    result = CliRunner().invoke(
        main, ["scan", "azure", "--account-url", url, "-q"], env={CONNECTION_ENV: seeded_azurite}
    )
    assert_one_line_error(result, "needs an https account URL")
