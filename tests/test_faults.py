"""Scans behind the fault-injecting proxy: every bucket present, verdicts and findings as without
faults (or unknown with the reason, never private), and every retry counted."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.config import Config

from bucketscan.metering import Meter, MeterReading
from bucketscan.providers.aws import AwsProvider, base_config, open_aws
from bucketscan.providers.aws_retry import AccountRetry
from bucketscan.providers.limits import ConcurrencyCap
from bucketscan.records.common import Exposure
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.faults import Fault, FaultCounts, FaultPlan, fault_proxy
from bucketscan.scanner.emulators.s3 import moto_server
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan

pytestmark = pytest.mark.integration

REGION = "us-east-1"
SENSITIVE = "個人番号カード\n個人番号 6214 9832 0257\n氏名 山田 太郎\n".encode()
OBJECTS = 24  # more than the 20 errors a bucket names at most
FAST_STALLS = (0.02, 0.08)
# bucket -> keys (by index) holding an exposed ID document
EXPOSED = {"pub-uploads": (3, 12), "acl-uploads": (5,)}


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    """moto with a public bucket, one whose object ACLs count (one public object), a private one."""
    with moto_server() as url:
        s3 = boto3.client("s3", endpoint_url=url, region_name=REGION)
        enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        for name in ("pub-uploads", "acl-uploads", "private-hr"):
            s3.create_bucket(Bucket=name)
            if name != "acl-uploads":
                s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=enforced)
        s3.put_bucket_policy(Bucket="pub-uploads", Policy=public_read_policy("pub-uploads", ""))
        for name in ("pub-uploads", "acl-uploads", "private-hr"):
            for index in range(OBJECTS):
                sensitive = index in EXPOSED.get(name, (7,))
                body = SENSITIVE if sensitive else f"notes {index}\n".encode() * 10
                extra = {"ACL": "public-read" if sensitive else "private"}
                if name != "acl-uploads":
                    extra = {}
                s3.put_object(Bucket=name, Key=f"u/{index:03d}.txt", Body=body, **extra)
        yield url


@pytest.fixture(autouse=True)
def _no_shared_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@dataclass(frozen=True)
class Run:
    """One scan behind the proxy: its outcome, the meter and the proxy's counts."""

    outcome: ScanOutcome
    reading: MeterReading
    counts: FaultCounts
    report: str  # the JSON report

    def verdicts(self) -> dict[str, tuple[Exposure, Exposure, Exposure]]:
        return {
            b.ref.name: (b.access.read, b.access.list, b.access.write) for b in self.outcome.buckets
        }

    def findings(self) -> set[tuple[str, str, str, Exposure]]:
        return {(f.bucket, f.key, f.document_type, f.exposure) for f in self.outcome.findings}


def scan(
    moto_url: str,
    plan: FaultPlan,
    *,
    adaptive: bool = True,
    attempts: int | None = None,
    cap: ConcurrencyCap | None = None,
) -> Run:
    """Scan moto through the proxy; fast backoff, real detectors on text, no OCR."""
    with fault_proxy(moto_url, plan) as proxy:
        meter = Meter()
        config = base_config(4)
        if attempts is not None:
            config = config.merge(Config(retries={"mode": "standard", "max_attempts": attempts}))
        provider = AwsProvider(
            boto3.Session(region_name=REGION),
            endpoint_url=proxy.url,
            meter=meter,
            config=config,
            retry=AccountRetry(meter, max_backoff=0.05, adaptive=adaptive),
            cap=cap,
        )
        provider.account_id()
        report = io.StringIO()
        outcome = run_scan(
            provider,
            ScanOptions(ocr_engine="none", io_threads=4),
            (JsonWriter(report),),
            meter=meter,
            analyzer=InlineAnalyzer(ocr_engine="none"),
        )
        return Run(outcome, meter.reading(), proxy.counts(), report.getvalue())


@pytest.fixture(scope="module")
def clean(moto: str) -> Run:
    """The fault-free scan every faulty one is held against."""
    return scan(moto, FaultPlan(rate=0.0))


def test_the_fault_free_scan_finds_what_was_seeded(clean: Run) -> None:
    assert clean.verdicts() == {
        "pub-uploads": (Exposure.PUBLIC, Exposure.PRIVATE, Exposure.PRIVATE),
        "acl-uploads": (Exposure.PUBLIC, Exposure.PRIVATE, Exposure.PRIVATE),
        "private-hr": (Exposure.PRIVATE, Exposure.PRIVATE, Exposure.PRIVATE),
    }
    assert {(bucket, key) for bucket, key, _, _ in clean.findings()} == {
        (bucket, f"u/{index:03d}.txt") for bucket, keys in EXPOSED.items() for index in keys
    }
    assert clean.reading.retries == {}
    assert clean.reading.sent == clean.reading.calls


@pytest.mark.parametrize(
    ("rate", "adaptive"),
    [(0.05, True), (0.2, False), (0.5, False)],  # the adaptive send rate makes 50% slow
)
def test_faults_leave_verdicts_and_findings_as_without_them(
    moto: str, clean: Run, rate: float, adaptive: bool
) -> None:
    run = scan(moto, FaultPlan(rate=rate, seed=11, stall_seconds=FAST_STALLS), adaptive=adaptive)
    expected = clean.verdicts()
    results = {b.ref.name: b for b in run.outcome.buckets}
    assert set(results) == set(expected)  # every bucket present
    for name, verdict in run.verdicts().items():
        for was, now in zip(expected[name], verdict, strict=True):
            # Equal, or unknown with the reason: never a known exposure turned private.
            assert now is was or (now is Exposure.UNKNOWN and results[name].errors), (name, now)
    missing = clean.findings() - run.findings()
    unread = {(u.bucket, u.key) for u in run.outcome.unreadable if u.failed}
    unlisted = {b.ref.name for b in run.outcome.buckets if b.listing_failed}
    for bucket, key, _, _ in missing:
        assert (bucket, key) in unread or bucket in unlisted, (bucket, key)
    assert run.findings() <= clean.findings()
    # Every request the proxy saw was counted as sent; calls are what the scan asked for.
    assert sum(run.reading.sent.values()) == run.counts.requests
    retries = sum(run.reading.retries.values())
    assert retries > 0
    assert sum(run.reading.sent.values()) - sum(run.reading.calls.values()) == retries
    # The report says what the retries cost, in the schema's terms.
    report = json.loads(run.report)
    schema_file = resources.files("bucketscan.scanner.report") / "report.schema.json"
    jsonschema.Draft202012Validator(json.loads(schema_file.read_text("utf-8"))).validate(report)
    cost = report["summary"]["cost"]
    assert cost["retries"] == run.reading.retries
    assert cost["requests_sent"] == run.reading.sent
    assert cost["requests"] == run.reading.calls


def test_retries_that_run_out_leave_the_bucket_unknown_never_private(moto: str, clean: Run) -> None:
    plan = FaultPlan(rate=1.0, targets=("/acl-uploads?list-type=2",), kinds=(Fault.THROTTLE,))
    run = scan(moto, plan, attempts=2, adaptive=False)
    results = {b.ref.name: b for b in run.outcome.buckets}
    acl = results["acl-uploads"]
    assert acl.listing_failed
    assert acl.access.read is Exposure.UNKNOWN  # its public object was never seen
    assert any("SlowDown" in error for error in acl.errors), acl.errors
    assert any("read" in reason and "unknown" in reason for reason in acl.access.reasons)
    assert acl.error_counts == {"listing failed: SlowDown": 1}
    assert run.reading.exhausted == {"throttled": 1}
    assert run.reading.retries == {"throttled": 2}
    others = {name: v for name, v in run.verdicts().items() if name != "acl-uploads"}
    assert others == {name: v for name, v in clean.verdicts().items() if name != "acl-uploads"}


def test_one_transient_error_at_start_up_does_not_abort_the_scan(moto: str) -> None:
    # The identity check (STS, a POST) meets a throttle, a 500 and a dropped connection.
    kinds = (Fault.THROTTLE, Fault.SERVER_ERROR, Fault.DROP)
    plan = FaultPlan(rate=1.0, targets=("POST /",), per_request=3, kinds=kinds)
    with fault_proxy(moto, plan) as proxy:
        meter = Meter()
        provider = open_aws(None, REGION, proxy.url, (), meter)
        assert provider.account_id() == "123456789012"
        assert proxy.counts().faults and sum(proxy.counts().faults.values()) == 3
    assert meter.reading().calls["sts.GetCallerIdentity"] == 1
    assert meter.reading().sent["sts.GetCallerIdentity"] == 4


def test_calls_in_flight_stay_under_the_account_and_bucket_caps(moto: str, clean: Run) -> None:
    # Every request is held a little, so the scan's threads pile up against the caps.
    plan = FaultPlan(rate=1.0, kinds=(Fault.STALL,), stall_seconds=FAST_STALLS)
    run = scan(moto, plan, cap=ConcurrencyCap(per_account=3, per_bucket=2))
    assert run.counts.peak_inflight <= 3
    buckets = {"pub-uploads", "acl-uploads", "private-hr"}
    peaks = [peak for name, peak in run.counts.peak_inflight_by_segment.items() if name in buckets]
    assert peaks and max(peaks) <= 2
    assert run.findings() == clean.findings()


def test_every_failed_download_is_counted_and_listed_though_few_are_named(
    moto: str, clean: Run
) -> None:
    plan = FaultPlan(rate=1.0, targets=("GET /pub-uploads/u/",), kinds=(Fault.THROTTLE,))
    run = scan(moto, plan, attempts=1, adaptive=False)
    pub = next(b for b in run.outcome.buckets if b.ref.name == "pub-uploads")
    assert pub.access.read is Exposure.PUBLIC
    assert pub.error_counts == {"download failed (SlowDown)": OBJECTS}
    assert len(pub.errors) == 1 and "SlowDown" in pub.errors[0]  # said once, counted in full
    failed = [u for u in run.outcome.unreadable if u.bucket == "pub-uploads" and u.failed]
    assert len(failed) == OBJECTS
    assert {u.reason for u in failed} == {"download failed (SlowDown)"}
    assert run.reading.exhausted == {"throttled": OBJECTS}
    assert run.findings() == {f for f in clean.findings() if f[0] != "pub-uploads"}
