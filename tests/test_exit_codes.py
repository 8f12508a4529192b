"""Unknown is never safe: exit codes, summaries and counters under denied calls and skips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from bucketscan.policies.exposure import (
    UNLISTED_REASON,
    limits_reading,
    possibly_exposed,
    unlisted_read,
)
from bucketscan.records.common import BucketAccess, Exposure
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo.aws import public_read_policy
from test_errors import assert_one_line_error
from test_provider_aws import deny_hook

CONFIG_CALLS = {
    "GetBucketAcl",
    "GetBucketPolicy",
    "GetPublicAccessBlock",
    "GetBucketOwnershipControls",
    "GetBucketWebsite",
    "GetObjectAcl",
}


def deny(monkeypatch: pytest.MonkeyPatch, operations: set[str]) -> None:
    """Every boto3 session made from now on answers these operations with AccessDenied."""
    real = boto3.Session

    def session(*args: Any, **kwargs: Any) -> boto3.Session:
        made = real(*args, **kwargs)
        made.events.register("before-call", deny_hook(operations))
        return made

    monkeypatch.setattr(boto3, "Session", session)


def s3(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


def scan(endpoint: str, report: Path, *args: str) -> Result:
    base = ["scan", "aws", "--endpoint-url", endpoint, "-q", "--workers", "1", "-o", str(report)]
    return CliRunner().invoke(main, [*base, *args])


def seed_public(endpoint: str, name: str = "open", keys: tuple[str, ...] = ("a.txt",)) -> None:
    client = s3(endpoint)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
    for key in keys:
        client.put_object(Bucket=name, Key=key, Body=b"plain text, nothing personal")


@pytest.mark.parametrize(
    ("exposure", "expected"),
    [
        (Exposure.PUBLIC, True),
        (Exposure.AUTHENTICATED, True),
        (Exposure.UNKNOWN, True),
        (Exposure.PRIVATE, False),
    ],
)
def test_one_definition_of_possibly_exposed(exposure: Exposure, expected: bool) -> None:
    assert possibly_exposed(exposure) is expected


def test_an_unlisted_bucket_with_object_grants_reads_unknown() -> None:
    private = BucketAccess(Exposure.PRIVATE, Exposure.PRIVATE, Exposure.PRIVATE, ("no grant",))
    judged = unlisted_read(private, object_grants_count=True)
    assert judged.read is Exposure.UNKNOWN and judged.reasons[-1] == UNLISTED_REASON
    assert unlisted_read(private, object_grants_count=False) == private


@pytest.mark.parametrize(
    ("note", "limits"),
    [
        ("text decoded as utf-8", False),
        ("image read after turning it 90°", False),
        ("page 2: text layer has no Unicode map, rendered as an image", False),
        ("PDF has 400 pages: only the first 20 read", True),
        ("multi-frame image: first frame only", True),
        ("OCR skipped: OCR timed out", True),
        ("word/media/image1.png: image too large to decode (pixel bomb)", True),
        ("a note nobody has seen before", True),
    ],
)
def test_only_notes_known_to_be_harmless_are_not_limits(note: str, limits: bool) -> None:
    assert limits_reading(note) is limits


def test_fail_on_exposure_counts_a_bucket_whose_every_call_was_denied(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = s3(moto_endpoint)
    client.create_bucket(Bucket="guarded")
    client.put_object(Bucket="guarded", Key="a.txt", Body=b"x")
    deny(monkeypatch, CONFIG_CALLS | {"ListObjectsV2", "GetObject"})
    report = tmp_path / "r.json"
    result = scan(moto_endpoint, report, "--fail-on", "exposure")
    assert result.exit_code == 1, result.output
    (bucket,) = json.loads(report.read_text())["buckets"]
    assert bucket["access"]["read"] == "unknown" and bucket["possibly_exposed"] is True
    assert json.loads(report.read_text())["summary"]["buckets_possibly_exposed"] == 1


def test_no_content_on_a_public_bucket_does_not_look_clean(
    moto_endpoint: str, tmp_path: Path
) -> None:
    seed_public(moto_endpoint, keys=("a.txt", "b.txt"))
    report = tmp_path / "r.json"
    result = scan(moto_endpoint, report, "--no-content")
    assert result.exit_code == 1, result.output  # with --no-content, --fail-on is exposure
    summary = json.loads(report.read_text())["summary"]
    assert summary["objects_not_judged"] == {"content_analysis_off": 2}
    markdown = tmp_path / "r.md"
    scan(moto_endpoint, markdown, "--no-content", "--format", "markdown")
    assert "- exposed objects not judged: 2 (content_analysis_off: 2)" in markdown.read_text()


def test_listing_denied_where_object_acls_count_reads_unknown(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = s3(moto_endpoint)
    client.create_bucket(Bucket="legacy")  # no ownership controls: object ACLs count
    client.put_object(Bucket="legacy", Key="cv.pdf", Body=b"x", ACL="public-read")
    deny(monkeypatch, {"ListObjectsV2"})
    report = tmp_path / "r.json"
    exposure = scan(moto_endpoint, report, "--fail-on", "exposure")
    assert exposure.exit_code == 1, exposure.output
    (bucket,) = json.loads(report.read_text())["buckets"]
    assert bucket["access"]["read"] == "unknown"
    assert UNLISTED_REASON in bucket["reasons"] and bucket["listing_failed"] is True
    default = scan(moto_endpoint, report)
    assert_one_line_error(default, "could not tell", "1 possibly readable buckets could not be")


def test_get_object_denied_on_exposed_objects_is_not_clean(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_public(moto_endpoint, keys=("cv/1.pdf", "cv/2.pdf"))
    deny(monkeypatch, {"GetObject"})
    report = tmp_path / "r.json"
    result = scan(moto_endpoint, report)
    assert_one_line_error(result, "could not tell: 2 exposed objects could not be downloaded")
    written = json.loads(report.read_text())
    assert [(u["key"], u["failed"]) for u in written["unreadable"]] == [
        ("cv/1.pdf", True),
        ("cv/2.pdf", True),
    ]
    assert written["summary"]["objects_not_judged"] == {"download_failed": 2}
    (bucket,) = written["buckets"]
    assert len([e for e in bucket["errors"] if "AccessDenied" in e]) == 1  # said once
    assert scan(moto_endpoint, report, "--fail-on", "unreadable").exit_code == 1
    assert scan(moto_endpoint, report, "--fail-on", "never").exit_code == 0


def test_counters_add_up_and_harmless_notes_are_not_limits(
    moto_endpoint: str, tmp_path: Path
) -> None:
    seed_public(moto_endpoint, keys=("a.txt", "b.txt", "c.mp4", "d.txt"))
    report = tmp_path / "r.json"
    assert scan(moto_endpoint, report).exit_code == 0
    (bucket,) = json.loads(report.read_text())["buckets"]
    objects = bucket["objects"]
    assert objects["inspected"] == 3 and objects["skipped"] == {"file_type": 1}
    assert objects["inspected"] + sum(objects["skipped"].values()) <= objects["listed"] == 4
    assert objects["partly_read"] == 0  # "text decoded as utf-8" is how, not a limit
    assert json.loads(report.read_text())["unreadable"] == []


def test_a_listing_that_reads_in_part_is_counted(moto_endpoint: str, tmp_path: Path) -> None:
    seed_public(moto_endpoint, keys=("big.txt",))
    s3(moto_endpoint).put_object(Bucket="open", Key="big.txt", Body=b"word " * 200)
    report = tmp_path / "r.json"
    scan(moto_endpoint, report, "--max-object-bytes", "100", "--fail-on", "never")
    written = json.loads(report.read_text())
    assert written["buckets"][0]["objects"]["partly_read"] == 1
    (item,) = written["unreadable"]
    assert item["reason"] == "only the first 100 bytes read (--max-object-bytes)"


def test_fail_severity_leaves_out_findings_less_severe(moto_endpoint: str, tmp_path: Path) -> None:
    client = s3(moto_endpoint)
    client.create_bucket(Bucket="cvs")
    client.put_bucket_policy(Bucket="cvs", Policy=public_read_policy("cvs", ""))
    resume = (
        "職務経歴書\n氏名 山田 太郎\n職務要約\n営業として10年勤務\n職務経歴\n"
        "2015年4月 株式会社サンプル 入社\n活かせる経験・知識・技術\n自己PR\n"
    )
    client.put_object(Bucket="cvs", Key="cv.txt", Body=resume.encode())
    report = tmp_path / "r.json"
    assert scan(moto_endpoint, report).exit_code == 1  # a public résumé: high
    (finding,) = json.loads(report.read_text())["findings"]
    assert finding["severity"] == "high"
    assert scan(moto_endpoint, report, "--fail-severity", "high").exit_code == 1
    result = scan(moto_endpoint, report, "--fail-severity", "critical")
    assert result.exit_code == 0, result.output  # still in the report
    assert json.loads(report.read_text())["findings"]
