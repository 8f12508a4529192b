"""The circuit breaker: a dead endpoint costs a few retried calls, not every remaining call."""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import EVALUATOR
from bucketscan.providers.aws import AwsProvider
from bucketscan.providers.breaker import Breaker
from bucketscan.records.common import BucketRef, Exposure
from bucketscan.records.s3 import S3BucketFacts
from bucketscan.scanner.emulators.faults import FaultPlan, fault_proxy
from bucketscan.scanner.emulators.loopback import free_port
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_consecutive_failures_and_probes_after_cooldown() -> None:
    clock = Clock()
    breaker = Breaker(threshold=2, cooldown=30, clock=clock)
    breaker.failed("refused")
    breaker.succeeded()  # an answer in between resets the count
    breaker.failed("refused")
    assert breaker.allow()
    breaker.failed("refused")
    assert not breaker.allow()
    clock.now = 31
    assert breaker.allow()  # one probe
    assert not breaker.allow()  # the others wait for it
    breaker.succeeded()
    assert breaker.allow()


def test_a_dead_s3_endpoint_is_refused_fast_and_reported_unknown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    meter = Meter()
    provider = AwsProvider(
        boto3.Session(region_name="us-east-1"),
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        meter=meter,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2),
    )
    started = time.perf_counter()
    bucket = provider.describe(BucketRef("aws", "1", "gone", "us-east-1"))
    again = provider.describe(BucketRef("aws", "1", "gone-too", "us-east-1"))
    assert time.perf_counter() - started < 10
    assert isinstance(bucket.facts, S3BucketFacts)
    reasons = [entry.reason for entry in again.facts.unreadable]  # type: ignore[union-attr]
    assert reasons and all(reason.startswith("EndpointUnreachable") for reason in reasons)
    assert sum(meter.requests().values()) == 2  # refused calls are not sent, so not counted
    assert EVALUATOR.bucket(again).read is Exposure.UNKNOWN


def test_an_endpoint_dying_while_buckets_are_enumerated_leaves_them_unknown(
    moto_endpoint: str,
) -> None:
    meter = Meter()
    with fault_proxy(moto_endpoint, FaultPlan(rate=0.0)) as proxy:
        provider = AwsProvider(
            boto3.Session(region_name="us-east-1"),
            endpoint_url=proxy.url,
            bucket_names=("uploads", "resumes", "scans"),
            meter=meter,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2),
        )
        provider.account_id()
    # The proxy is gone: GetBucketLocation fails twice, the breaker opens, the third is refused.
    outcome = run_scan(provider, ScanOptions(content=False), (), meter=meter)
    assert sorted(bucket.ref.name for bucket in outcome.buckets) == ["resumes", "scans", "uploads"]
    for bucket in outcome.buckets:
        assert bucket.access.read is Exposure.UNKNOWN
        assert any("EndpointUnreachable" in error for error in bucket.errors), bucket.errors
