"""AWS Organizations sweeps on moto: every account in one report, the refusing one unknown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from click.testing import CliRunner

from bucketscan.metering import Meter
from bucketscan.providers import aws_spec
from bucketscan.providers.aws_org import OrgAccount, OrgSweep, account_specs, open_sweep
from bucketscan.providers.aws_spec import AwsSpec
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.s3 import moto_server
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan

pytestmark = pytest.mark.integration

MANAGEMENT = "123456789012"  # the account moto's demo credentials sign in to


def test_account_specs_skip_suspended_and_keep_the_callers_own_credentials() -> None:
    accounts = (
        OrgAccount(MANAGEMENT, "management", "ACTIVE"),
        OrgAccount("111111111111", "hr", "ACTIVE"),
        OrgAccount("222222222222", "old", "SUSPENDED"),
        OrgAccount("333333333333", "gone", "CLOSED"),
        OrgAccount("444444444444", "web", "ACTIVE"),
    )
    sweep = OrgSweep("audit", external_id="x-1")
    specs = account_specs(accounts, sweep, AwsSpec("", region="eu-west-1"), MANAGEMENT)
    assert [(s.account, s.role_arn, s.external_id, s.region) for s in specs] == [
        (MANAGEMENT, None, None, "eu-west-1"),
        ("111111111111", "arn:aws:iam::111111111111:role/audit", "x-1", "eu-west-1"),
        ("444444444444", "arn:aws:iam::444444444444:role/audit", "x-1", "eu-west-1"),
    ]
    capped = account_specs(accounts, OrgSweep("audit", max_accounts=2), AwsSpec(""), MANAGEMENT)
    assert [spec.account for spec in capped] == [MANAGEMENT, "111111111111"]


def clients_of(endpoint: str, account: str) -> Any:
    """An S3 client signed in to `account` through an assumed role."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
    arn = f"arn:aws:iam::{account}:role/audit"
    credentials = sts.assume_role(RoleArn=arn, RoleSessionName="seed")["Credentials"]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@pytest.fixture
def organisation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Management + 3 members on a moto server: one suspended, one refusing the role."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto_server() as endpoint:
        org = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1")
        org.create_organization(FeatureSet="ALL")
        members = [
            org.create_account(AccountName=name, Email=f"{name}@example.test")[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("hr", "web", "old", "locked")
        ]
        hr, web, old, locked = members
        org.close_account(AccountId=old)
        own = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        own.create_bucket(Bucket="mgmt-logs")
        s3 = clients_of(endpoint, hr)
        s3.create_bucket(Bucket="hr-uploads")
        s3.put_bucket_policy(Bucket="hr-uploads", Policy=public_read_policy("hr-uploads", ""))
        s3.put_object(Bucket="hr-uploads", Key="cv.txt", Body=b"x")
        clients_of(endpoint, web).create_bucket(Bucket="web-assets")
        clients_of(endpoint, old).create_bucket(Bucket="old-archive")
        clients_of(endpoint, locked).create_bucket(Bucket="locked-data")

        def refusing_session(profile: str | None, region: str | None) -> boto3.Session:
            session = boto3.Session(profile_name=profile, region_name=region)
            session.events.register("before-call.sts.AssumeRole", refuse_for(locked))
            return session

        monkeypatch.setattr(aws_spec, "base_session", refusing_session)
        yield {"endpoint": endpoint, "hr": hr, "web": web, "old": old, "locked": locked}


def refuse_for(account: str) -> Any:
    """A before-call handler answering AccessDenied to AssumeRole into `account` only."""

    def handler(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if f"::{account}:" not in params["body"]["RoleArn"]:
            return None  # every other call goes to moto
        error = {"Code": "AccessDenied", "Message": "not authorized to assume the role"}
        return AWSResponse("", 403, {}, None), {"Error": error, "ResponseMetadata": {}}

    return handler


def test_sweep_reports_every_account_and_the_refusing_one_as_unknown(
    organisation: dict[str, Any],
) -> None:
    meter = Meter()
    base = AwsSpec("", region="us-east-1", endpoint_url=organisation["endpoint"])
    provider = open_sweep(OrgSweep("audit"), base, meter)
    outcome = run_scan(provider, ScanOptions(content=False, io_threads=4), (), meter=meter)
    got = {(b.ref.account, b.ref.name): b for b in outcome.buckets}
    hr, web, locked = organisation["hr"], organisation["web"], organisation["locked"]
    assert set(got) == {
        (MANAGEMENT, "mgmt-logs"),
        (hr, "hr-uploads"),
        (web, "web-assets"),
        (locked, "*"),
    }  # the suspended account is skipped
    assert got[(hr, "hr-uploads")].access.read.value == "public"
    assert got[(web, "web-assets")].access.read.value == "private"
    refused = got[(locked, "*")]
    assert refused.access.read.value == "unknown"
    assert "AccessDenied" in refused.errors[0] and f"{locked}:role/audit" in refused.errors[0]
    # hr and web; the refusal is answered before anything is sent, so it is not counted
    assert meter.requests()["sts.AssumeRole"] == 2


def test_cli_organization_sweep_end_to_end(organisation: dict[str, Any], tmp_path: Path) -> None:
    report = tmp_path / "org.json"
    args = ["scan", "aws", "--organization", "--role-name", "audit", "--region", "us-east-1",
            "--endpoint-url", organisation["endpoint"], "--no-content", "-q", "-o", str(report),
            "--fail-on", "exposure"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # hr-uploads is public
    written = json.loads(report.read_text())
    accounts = {bucket["account"] for bucket in written["buckets"]}
    assert accounts == {MANAGEMENT, organisation["hr"], organisation["web"], organisation["locked"]}
    (refused,) = [b for b in written["buckets"] if b["account"] == organisation["locked"]]
    assert refused["access"]["read"] == "unknown"
    assert any("AccessDenied" in error for error in refused["errors"])
    usage = CliRunner().invoke(main, ["scan", "aws", "--organization", "-q"])
    assert usage.exit_code == 2 and "--role-name" in usage.output
