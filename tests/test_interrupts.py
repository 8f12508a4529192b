"""Interrupts: a stop request in the engine, and SIGINT, SIGTERM and SIGKILL on a real scan."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
from concurrent.futures import Future
from importlib import resources
from pathlib import Path

import boto3
import jsonschema
import pytest

from bucketscan.metering import Meter
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import Exposure
from bucketscan.records.content import Classification
from bucketscan.scanner.analyzer import Analysis
from bucketscan.scanner.demo.aws import REGION, public_read_policy
from bucketscan.scanner.findings import ScanCost, ScanSummary
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.meta import Interruption, ScanMeta
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.runner import run_scan
from processes import alive, in_session, start_scan, wait_until, workers_of
from test_engine import public_facts

EARLIER = '{"earlier": "report"}\n'
MIB = 1024 * 1024


class StoppingAnalyzer:
    """Answers in another thread; asks the scan to stop once it has seen `after` files and
    keeps the files queued after that unanswered until the scan cancels them."""

    def __init__(self, stop: Stop, after: int) -> None:
        self._stop, self._after = stop, after
        self._lock = threading.Lock()
        self.seen = 0
        self.held: list[Future[Analysis]] = []

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        future: Future[Analysis] = Future()
        with self._lock:
            self.seen += 1
            if self.seen > self._after:
                self.held.append(future)
                self._stop.request(signal.SIGTERM)
                return future
        clean = Classification(None, None, 0.0, ())
        threading.Timer(0.001, future.set_result, (Analysis(clean, 0.001),)).start()
        return future

    def cancel(self, *, running: bool) -> None:
        """The held files count as in flight: cancelled when the grace period is over."""
        if running:
            with self._lock:
                for future in self.held:
                    future.cancel()

    def close(self) -> None:
        """Nothing to stop."""


def test_a_stop_request_ends_the_scan_and_says_what_was_not_reached() -> None:
    stop = Stop()
    analyzer = StoppingAnalyzer(stop, after=5)
    buckets = tuple(
        MemoryBucket(name, public_facts(name), 200, lambda i: b"holiday photo")
        for name in ("first", "second", "third", "fourth")
    )
    lines = io.StringIO()
    outcome = run_scan(
        MemoryProvider(buckets, meter=Meter(), page_size=10),
        ScanOptions(io_threads=1, workers=1),
        (JsonLinesWriter(lines),),
        meter=Meter(),
        analyzer=analyzer,
        stop=stop,
    )
    stopped = outcome.meta.interruption
    assert stopped is not None and not outcome.meta.complete
    assert stopped.signal == "SIGTERM"
    assert stopped.buckets_unfinished == ("first",)
    assert stopped.bucket_listing_stopped
    assert stopped.objects_not_analysed == sum(
        b.objects_skipped.get("interrupted", 0) for b in outcome.buckets
    )
    assert stopped.objects_not_analysed >= len(analyzer.held) > 0
    by_name = {bucket.ref.name: bucket for bucket in outcome.buckets}
    first = by_name["first"]
    assert first.truncated and first.objects_listed < 200
    assert any("interrupted (SIGTERM)" in error for error in first.errors)
    for name in stopped.buckets_not_reached:  # known but never started: unknown, never safe
        assert by_name[name].access.read is Exposure.UNKNOWN
    summary = json.loads(lines.getvalue().splitlines()[-1])
    assert summary["complete"] is False
    assert summary["scan"]["interruption"]["signal"] == "SIGTERM"


def _meta(interruption: Interruption | None) -> ScanMeta:
    return ScanMeta(
        "bucketscan", "0", "aws", "2024-01-01T00:00:00+00:00", None, None, {}, interruption
    )


def test_markdown_says_first_that_the_report_is_incomplete() -> None:
    summary = ScanSummary(0, {}, {}, 0, 0, {}, {}, {}, {}, 0, ScanCost({}, 0, 0.0))
    stopped = Interruption("SIGINT", ("later",), ("uploads",), True, 12)
    complete, interrupted = io.StringIO(), io.StringIO()
    MarkdownWriter(complete).finish(_meta(None), summary)
    MarkdownWriter(interrupted).finish(_meta(stopped), summary)
    assert "Incomplete" not in complete.getvalue()
    text = interrupted.getvalue()
    assert text.index("Incomplete: the scan was interrupted (SIGINT)") < text.index("## Summary")
    assert "not analysed: 12" in text and "not reached: later" in text


@pytest.fixture
def slow_bucket(moto_endpoint: str) -> str:
    """A public bucket of text exports, each costing its worker seconds of detection."""
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION)
    client.create_bucket(Bucket="exports", CreateBucketConfiguration={"LocationConstraint": REGION})
    client.put_bucket_policy(Bucket="exports", Policy=public_read_policy("exports", ""))
    line = ("氏名 山田 住所 東京都 売上 合計 2024年 " * 8 + "\n").encode()
    body = line * (2 * MIB // len(line))
    for index in range(48):  # far more than the analysis in flight when the signal comes
        client.put_object(Bucket="exports", Key=f"exports/{index:03d}.txt", Body=body)
    return moto_endpoint


def _scan_args(report: Path) -> list[str]:
    return ["scan", "aws", "--bucket", "exports", "--workers", "2", "-o", str(report)]


def _schema() -> jsonschema.Draft202012Validator:
    text = (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    return jsonschema.Draft202012Validator(json.loads(text))


@pytest.mark.integration
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_writes_an_incomplete_report_and_leaves_no_process(
    slow_bucket: str, tmp_path: Path, signum: signal.Signals, status: int
) -> None:
    report = tmp_path / "keep.json"
    report.write_text(EARLIER, encoding="utf-8")
    scan = start_scan(_scan_args(report), {"AWS_ENDPOINT_URL": slow_bucket})
    try:
        assert wait_until(lambda: bool(workers_of(scan.pid)), 120), "analysis never started"
        if signum is signal.SIGINT:  # Ctrl-C signals the terminal's foreground process group
            os.killpg(scan.pid, signum)
        else:  # what Kubernetes sends: to the process alone
            os.kill(scan.pid, signum)
        _out, err = scan.communicate(timeout=60)
    finally:
        if scan.poll() is None:
            os.killpg(scan.pid, signal.SIGKILL)
    stderr = err.decode()
    assert scan.returncode == status, stderr
    assert f"interrupted ({signum.name}): the report is marked incomplete" in stderr
    assert "Traceback" not in stderr and "leaked" not in stderr
    assert wait_until(lambda: not in_session(scan.pid), 10), in_session(scan.pid)
    written = json.loads(report.read_text(encoding="utf-8"))
    _schema().validate(written)
    assert written["complete"] is False
    stopped = written["scan"]["interruption"]
    assert stopped["signal"] == signum.name
    assert stopped["buckets_unfinished"] == ["exports"], (stopped, written["buckets"])
    assert stopped["objects_not_analysed"] > 0
    assert [path.name for path in tmp_path.iterdir()] == ["keep.json"]  # no temporary left


@pytest.mark.integration
def test_sigkill_leaves_the_earlier_report_and_no_process(slow_bucket: str, tmp_path: Path) -> None:
    report = tmp_path / "keep.json"
    report.write_text(EARLIER, encoding="utf-8")
    scan = start_scan(_scan_args(report), {"AWS_ENDPOINT_URL": slow_bucket})
    try:
        assert wait_until(lambda: len(workers_of(scan.pid)) == 2, 120), "workers never started"
        workers = workers_of(scan.pid)
        os.kill(scan.pid, signal.SIGKILL)
        scan.communicate(timeout=60)
    finally:
        if scan.poll() is None:
            os.killpg(scan.pid, signal.SIGKILL)
    assert scan.returncode == -signal.SIGKILL
    assert wait_until(lambda: not in_session(scan.pid), 10), in_session(scan.pid)
    assert not any(alive(pid) for pid in workers)
    assert report.read_text(encoding="utf-8") == EARLIER
    assert [path.name for path in tmp_path.iterdir()] == ["keep.json"]
