"""The Dask executor on a real LocalCluster of 2 worker processes: same report as the local one."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from bucketscan.metering import Meter
from bucketscan.providers.memory_org import MemoryAccountSpec, organization
from bucketscan.providers.spec import Refused, Target
from bucketscan.providers.sweep import SweepProvider
from bucketscan.records.common import BucketRef, Exposure, WorkUnit
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.distributed.account_queue import AccountQueue
from bucketscan.scanner.distributed.coordinator import DaskSweep
from bucketscan.scanner.distributed.tasks import scan_unit
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.stats import ScanStats

pytest.importorskip("distributed")

OPTIONS = ScanOptions(io_threads=4, workers=1, ocr_engine="none")
REFUSAL = "cannot assume arn:aws:iam::100000000009:role/audit: AccessDenied: not allowed"


def targets() -> tuple[Target, ...]:
    accounts = organization(4, buckets=3, objects=60, public_every=2, exposed=3)
    return (*accounts, Refused("aws", "100000000009", REFUSAL))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from bucketscan.scanner.distributed.cluster import dask_client

    with dask_client(None, 2) as made:
        assert len(made.nthreads()) == 2
        yield made


def local(options: ScanOptions = OPTIONS) -> ScanOutcome:
    meter = Meter()
    provider = SweepProvider(targets(), meter)
    analyzer = InlineAnalyzer(ocr_engine="none")
    return run_scan(provider, options, (), meter=meter, analyzer=analyzer)


def on_dask(client: Any, options: ScanOptions = OPTIONS, stop: Stop | None = None) -> ScanOutcome:
    meter, stats = Meter(), ScanStats()
    sweep = DaskSweep(client, targets(), options, meter=meter, stats=stats, stop=stop)
    provider = SweepProvider(targets(), meter)  # names the run; the cluster does the work
    return run_scan(provider, options, (), meter=meter, stats=stats, source=sweep)


def found(outcome: ScanOutcome) -> list[tuple[str, str, str, str]]:
    return sorted((f.account, f.bucket, f.key, f.document_type) for f in outcome.findings)


def buckets(outcome: ScanOutcome) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (b.ref.account, b.ref.name): (b.access, b.objects_listed, b.objects_inspected, b.errors)
        for b in outcome.buckets
    }


def test_account_queue_caps_each_account_and_takes_turns() -> None:
    queue: AccountQueue[str, str] = AccountQueue(2)
    for item in ("a1", "a2", "a3", "b1"):
        queue.add(item[0], item)
    taken = [queue.take(), queue.take(), queue.take(), queue.take()]
    assert taken == [("a", "a1"), ("b", "b1"), ("a", "a2"), None]
    queue.done("a")
    assert queue.take() == ("a", "a3")
    assert queue.take() is None and len(queue) == 0


def test_work_and_its_results_pickle() -> None:
    spec = MemoryAccountSpec("100000000000", buckets=1, objects=5, public=(0,))
    unit = WorkUnit(BucketRef("aws", spec.account, spec.bucket_name(0), "us-east-1"))
    outcome = scan_unit(spec, unit, OPTIONS)
    assert [type(event).__name__ for event in outcome.events].count("Finding") == 3
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_dask_finds_what_the_local_executor_finds(client: Any) -> None:
    expected, got = local(), on_dask(client)
    assert len(found(expected)) == 6  # 2 public buckets x 3 résumés
    assert found(got) == found(expected)
    assert buckets(got) == buckets(expected)
    refused = buckets(got)[("100000000009", "*")]
    assert refused[0].read is Exposure.UNKNOWN and REFUSAL in refused[3][0]
    assert got.meta.complete
    assert got.summary.cost.requests == expected.summary.cost.requests


def test_key_ranges_on_workers_are_joined_as_locally(client: Any) -> None:
    options = ScanOptions(
        io_threads=4, workers=1, ocr_engine="none", key_splits=("objects/000000020.txt",)
    )
    expected, got = local(options), on_dask(client, options)
    assert found(got) == found(expected)
    assert buckets(got) == buckets(expected)


def test_a_stop_request_reports_what_was_not_reached(client: Any) -> None:
    stop = Stop()
    stop.request(2)  # SIGINT before the first task
    got = on_dask(client, stop=stop)
    assert not got.meta.complete
    assert got.meta.interruption is not None and got.meta.interruption.signal == "SIGINT"
    assert got.buckets and all(b.access.read is Exposure.UNKNOWN for b in got.buckets)
    assert got.findings == ()


@pytest.mark.integration
def test_cli_dask_on_moto_reports_what_local_reports(tmp_path: Any) -> None:
    """Workers open a real boto3 provider from an AwsSpec and read the objects themselves."""
    import json

    import boto3
    from click.testing import CliRunner

    from bucketscan.providers.memory_org import resume_text
    from bucketscan.scanner.cli import main
    from bucketscan.scanner.demo.aws import public_read_policy
    from bucketscan.scanner.emulators.s3 import moto_server

    with moto_server() as endpoint:  # its credentials reach the LocalCluster's workers
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="uploads")
        s3.put_bucket_policy(Bucket="uploads", Policy=public_read_policy("uploads", ""))
        for index in range(4):
            s3.put_object(Bucket="uploads", Key=f"cv/{index}.txt", Body=resume_text(str(index)))
        s3.create_bucket(Bucket="private")
        s3.put_object(Bucket="private", Key="cv.txt", Body=resume_text("private"))
        reports = {}
        for executor in ("local", "dask"):
            report = tmp_path / f"{executor}.json"
            args = ["scan", "aws", "--endpoint-url", endpoint, "--executor", executor,
                    "--ocr-engine", "none", "--workers", "1", "--key-split", "cv/1.txt",
                    "-q", "-o", str(report), "--fail-on", "never"]  # fmt: skip
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output
            reports[executor] = json.loads(report.read_text())
    local, dask = reports["local"], reports["dask"]
    assert len(local["findings"]) == 4
    assert [f["id"] for f in dask["findings"]] == [f["id"] for f in local["findings"]]
    assert dask["buckets"] == local["buckets"]
    on_dask, here = dask["summary"]["cost"]["requests"], local["summary"]["cost"]["requests"]
    for call in ("s3.ListObjectsV2", "s3.GetObject", "s3.GetObjectAcl"):
        assert on_dask[call] == here[call], call
    # Each key range's task describes its bucket again (2 ranges here): the price of ranges that
    # share nothing but plain records.
    assert on_dask["s3.GetBucketPolicy"] == 2 * here["s3.GetBucketPolicy"]
