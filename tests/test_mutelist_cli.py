"""--mutelist end to end against moto: muted findings stay in the report and do not fail it."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import boto3
import jsonschema
from click.testing import CliRunner

from bucketscan.metering import Meter
from bucketscan.policies.mutelist import parse_mutelist
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.exit_codes import tally_of
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.runner import run_scan
from test_engine import MarkerAnalyzer, body, public_facts


def schema_errors(report: dict[str, object]) -> list[str]:
    text = (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    validator = jsonschema.Draft202012Validator(json.loads(text))
    return [error.message for error in validator.iter_errors(report)]


def test_a_muted_finding_is_reported_muted_and_does_not_fail(
    moto_endpoint: str, tmp_path: Path
) -> None:
    from bucketscan.synthetic.corpus import generate_corpus

    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="hr-fixtures")
    client.put_bucket_policy(Bucket="hr-fixtures", Policy=public_read_policy("hr-fixtures", ""))
    card = next(f for f in generate_corpus(5, 1) if f.document_type == "passport")
    client.put_object(Bucket="hr-fixtures", Key="synthetic/card.jpg", Body=card.data)
    mutes = tmp_path / "mutes.yaml"
    mutes.write_text(
        "mutes:\n"
        "  - reason: synthetic cards for the demo\n"
        "    bucket: hr-*\n"
        "    key: 'synthetic/**'\n"
        "    document_type: passport\n"
        "  - reason: an old exception\n"
        "    bucket: legacy\n"
        "    expires: 2020-01-31\n"
    )
    report = tmp_path / "r.json"
    args = ["scan", "aws", "--endpoint-url", moto_endpoint, "-q", "--workers", "1"]
    result = CliRunner().invoke(
        main, [*args, "-o", str(report), "--mutelist", str(mutes), "--fail-on", "finding"]
    )
    assert result.exit_code == 0, result.output
    (warning,) = result.stderr.strip().splitlines()
    assert "mutes[2] expired on 2020-01-31" in warning
    written = json.loads(report.read_text())
    (finding,) = written["findings"]
    assert (finding["key"], finding["document_type"]) == ("synthetic/card.jpg", "passport")
    assert finding["muted"] is True
    assert finding["mute_reason"] == "synthetic cards for the demo"
    assert schema_errors(written) == []

    unmuted = CliRunner().invoke(main, [*args, "-o", str(report), "--fail-on", "finding"])
    assert unmuted.exit_code == 1, unmuted.output
    assert json.loads(report.read_text())["findings"][0]["muted"] is False


def test_an_intended_public_website_does_not_fail_exposure(
    moto_endpoint: str, tmp_path: Path
) -> None:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="www-site")
    client.put_bucket_policy(Bucket="www-site", Policy=public_read_policy("www-site", ""))
    client.put_bucket_website(
        Bucket="www-site", WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
    )
    client.put_object(Bucket="www-site", Key="index.html", Body=b"<html></html>")
    mutes = tmp_path / "mutes.yaml"
    mutes.write_text("intended_public:\n  - {reason: the marketing site, website: true}\n")
    report = tmp_path / "r.md"
    args = ["scan", "aws", "--endpoint-url", moto_endpoint, "--no-content", "-q"]
    muted = [*args, "--mutelist", str(mutes), "--format", "markdown", "-o", str(report)]
    assert CliRunner().invoke(main, [*muted, "--fail-on", "exposure"]).exit_code == 0
    assert "intended public (--mutelist): the marketing site" in report.read_text()
    assert CliRunner().invoke(main, [*args, "--fail-on", "exposure"]).exit_code == 1


def test_a_malformed_mutelist_is_one_line_and_exit_2(tmp_path: Path) -> None:
    mutes = tmp_path / "mutes.yaml"
    mutes.write_text("mutes:\n  - {reason: x, bucket: hr, tag: env=test}\n")
    result = CliRunner().invoke(
        main, ["scan", "aws", "--endpoint-url", "http://127.0.0.1:9", "--mutelist", str(mutes)]
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert f"mutelist {mutes}: mutes[1]: unknown field 'tag': write `tags: {{key: value}}`" in line


def test_run_scan_marks_muted_findings_in_markdown_and_the_tally() -> None:
    provider = MemoryProvider((MemoryBucket("uploads", public_facts("uploads"), 20, body),))
    mutelist = parse_mutelist(
        "mutes:\n  - {reason: known test file, key: objects/000000000.txt}\n", "m.yaml"
    )
    stream = io.StringIO()
    outcome = run_scan(
        provider,
        ScanOptions(io_threads=2, workers=1),
        (MarkdownWriter(stream),),
        meter=Meter(),
        analyzer=MarkerAnalyzer(),
        mutelist=mutelist,
        today=date(2025, 1, 1),
    )
    muted = {finding.key: finding.mute_reason for finding in outcome.findings}
    assert muted == {"objects/000000000.txt": "known test file", "objects/000000010.txt": None}
    text = stream.getvalue()
    section = text.split("## Muted findings")[1].split("## Could not tell")[0]
    assert "| uploads/objects/000000000.txt | known test file |" in section
    assert "000000010" not in section
    tally = tally_of(outcome)
    assert (len(tally.findings), tally.muted_findings) == (1, 1)
    # Accepted, so not counted as an open finding of its severity: only as muted.
    assert sum(outcome.summary.findings_by_severity.values()) == 1
    assert sum(outcome.summary.findings_by_type.values()) == 1
    assert outcome.summary.findings_muted == 1
    assert "(1 muted, not counted)" in text


def test_run_scan_carries_bucket_tags_to_the_mutelist() -> None:
    tagged = replace(public_facts("tagged"), tags=(("visibility", "public"),))
    unread = replace(public_facts("unread"), tags=None)
    provider = MemoryProvider(
        (MemoryBucket("tagged", tagged, 20, body), MemoryBucket("unread", unread, 20, body))
    )
    text = (
        "mutes:\n  - {reason: published data, tags: {visibility: pub*}}\n"
        "intended_public:\n  - {reason: published on purpose, tags: {visibility: '*'}}\n"
    )
    outcome = run_scan(
        provider,
        ScanOptions(io_threads=2, workers=1),
        (),
        meter=Meter(),
        analyzer=MarkerAnalyzer(),
        mutelist=parse_mutelist(text, "m.yaml"),
        today=date(2025, 1, 1),
    )
    muted = {(finding.bucket, finding.mute_reason) for finding in outcome.findings}
    assert muted == {("tagged", "published data"), ("unread", None)}
    marked = {result.ref.name: result.intended_public for result in outcome.buckets}
    assert marked == {"tagged": "published on purpose", "unread": None}  # unread tags: no match
