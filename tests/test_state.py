"""--state: unchanged objects carried forward unread, changed ones read again, sweeps resumed."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bucketscan.metering import Meter
from bucketscan.policies.severity import Severity
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.records.content import Classification
from bucketscan.records.s3 import S3Grant, S3Grantee, S3ObjectFacts
from bucketscan.scanner.analyzer import Analysis
from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.serialize import bucket_json, finding_json, unreadable_json
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.state import ScanState, StateError, content_fingerprint, run_settings
from test_engine import PRIVATE_ACL, PRIVATE_FACTS, MarkerAnalyzer, public_facts

T0 = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2024, 6, 2, 9, 0, tzinfo=UTC)
OPTIONS = ScanOptions(io_threads=4, workers=2)


class Versions:
    """Which objects changed after the first run: they get a new time and the other content."""

    def __init__(self) -> None:
        self.changed: set[int] = set()

    def body(self, index: int) -> bytes:
        marked = (index % 10 == 0) != (index in self.changed)
        return b"ID-CARD scan" if marked else b"holiday photo"

    def modified(self, index: int) -> datetime:
        return T1 if index in self.changed else T0


class VersionedProvider(MemoryProvider):
    """The memory provider with last-modified times, so that a change can be seen."""

    def __init__(self, buckets: tuple[MemoryBucket, ...], versions: Versions, meter: Meter):
        super().__init__(buckets, meter=meter, page_size=50)
        self._versions = versions

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        for obj in super().objects(bucket, prefix, start_after):
            yield replace(obj, last_modified=self._versions.modified(int(obj.etag or 0)))


def opened(path: Path, options: ScanOptions = OPTIONS, *, resume: bool = False) -> ScanState:
    state, _resumed = ScanState.open(
        path,
        settings=run_settings("aws", options),
        fingerprint=content_fingerprint(options),
        resume=resume,
    )
    return state


def scan(
    buckets: tuple[MemoryBucket, ...],
    versions: Versions,
    state: ScanState | None,
    *,
    options: ScanOptions = OPTIONS,
    analyzer: Any = None,
    stop: Stop | None = None,
    writers: tuple[Any, ...] = (),
) -> tuple[ScanOutcome, Meter]:
    meter = Meter()
    outcome = run_scan(
        VersionedProvider(buckets, versions, meter),
        options,
        writers,
        meter=meter,
        analyzer=analyzer or MarkerAnalyzer(),
        state=state,
        stop=stop,
    )
    return outcome, meter


def reads(meter: Meter) -> int:
    return meter.requests().get("memory.GetObject", 0)


def uploads(versions: Versions, count: int = 1000) -> tuple[MemoryBucket, ...]:
    return (MemoryBucket("uploads", public_facts("uploads"), count, versions.body),)


def test_an_unchanged_bucket_is_read_once_then_carried_forward(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    with opened(path) as state:
        first, meter = scan(uploads(versions), versions, state)
        started = state.started_at
    assert reads(meter) == 1000 and len(first.findings) == 100
    with opened(path) as state:
        second, meter = scan(uploads(versions), versions, state)
    assert reads(meter) == 0
    assert sorted(f.id for f in second.findings) == sorted(f.id for f in first.findings)
    assert {f.carried_from for f in second.findings} == {started}
    assert {f.carried_from for f in first.findings} == {None}
    (bucket,) = second.buckets
    assert (bucket.objects_inspected, bucket.objects_carried_forward) == (0, 1000)
    assert second.summary.objects_carried_forward == 1000
    assert second.summary.findings_by_severity == first.summary.findings_by_severity


def test_after_one_percent_changed_only_that_one_percent_is_read(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    with opened(path) as state:
        scan(uploads(versions), versions, state)
    versions.changed = set(range(5, 1000, 100))  # 10 objects: each now holds an ID card
    analyzer = MarkerAnalyzer()
    with opened(path) as state:
        second, meter = scan(uploads(versions), versions, state, analyzer=analyzer)
    assert reads(meter) == 10
    assert sorted(analyzer.seen) == sorted(f"objects/{i:09d}.txt" for i in versions.changed)
    fresh = {f.key for f in second.findings if f.carried_from is None}
    assert fresh == {f"objects/{i:09d}.txt" for i in versions.changed}
    assert len(second.findings) == 110
    assert second.summary.objects_carried_forward == 990
    versions.changed = {0}  # a finding that is gone: read again, clean, no longer reported
    with opened(path) as state:
        third, meter = scan(uploads(versions), versions, state)
    assert reads(meter) == 11  # object 0, and the 10 changed ones back at T0
    assert "objects/000000000.txt" not in {f.key for f in third.findings}


class UnreadableAnalyzer(MarkerAnalyzer):
    """Every file: nothing could be read."""

    def _resolve(self, future: Any, data: bytes) -> None:
        with self._lock:
            self.inflight -= 1
        nothing = Classification(None, None, 0.0, (), unreadable="OCR found no text")
        future.set_result(Analysis(nothing, 0.001))


def test_could_not_tell_is_never_carried_forward(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    for _run in range(2):
        with opened(path) as state:
            outcome, meter = scan(
                uploads(versions, 20), versions, state, analyzer=UnreadableAnalyzer()
            )
        assert reads(meter) == 20
        assert len(outcome.unreadable) == 20
        assert outcome.summary.objects_carried_forward == 0


def test_exposure_is_judged_anew_for_carried_findings(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    with opened(path) as state:
        first, _ = scan(uploads(versions, 30), versions, state)
    assert {f.severity for f in first.findings} == {Severity.CRITICAL}

    def signed_in(index: int) -> S3ObjectFacts:
        return S3ObjectFacts(acl=(*PRIVATE_ACL, S3Grant(S3Grantee.AUTHENTICATED_USERS, "", "READ")))

    narrowed = (MemoryBucket("uploads", PRIVATE_FACTS, 30, versions.body, object_facts=signed_in),)
    with opened(path) as state:
        second, meter = scan(narrowed, versions, state)
    assert reads(meter) == 0
    assert len(second.findings) == 3
    assert {f.exposure for f in second.findings} == {Exposure.AUTHENTICATED}
    assert Severity.CRITICAL not in {f.severity for f in second.findings}
    assert all(f.carried_from is not None for f in second.findings)
    closed = (MemoryBucket("uploads", PRIVATE_FACTS, 30, versions.body),)
    with opened(path) as state:
        third, meter = scan(closed, versions, state)
    assert third.findings == () and reads(meter) == 0  # private now: nothing exposed to report


def test_a_changed_content_analysis_reads_everything_again(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    with opened(path) as state:
        scan(uploads(versions, 40), versions, state)
    other = replace(OPTIONS, max_object_bytes=OPTIONS.max_object_bytes - 1)
    assert content_fingerprint(other) != content_fingerprint(OPTIONS)
    with opened(path, other) as state:
        _, meter = scan(uploads(versions, 40), versions, state, options=other)
    assert reads(meter) == 40


def test_an_object_without_etag_or_time_is_always_read(tmp_path: Path) -> None:
    path, versions = tmp_path / "state.db", Versions()
    with opened(path) as state:
        scan(uploads(versions, 20), versions, state)
    ref = BucketRef("aws", "000000000000", "uploads", "us-east-1")
    listed = StoredObject("objects/000000001.txt", 13, last_modified=T0, etag="1")
    with opened(path) as state:
        assert state.earlier(ref, listed) is not None
        assert state.earlier(ref, replace(listed, etag="2")) is None
        assert state.earlier(ref, replace(listed, last_modified=T1)) is None
        assert state.earlier(ref, replace(listed, size=14)) is None
        assert state.earlier(ref, replace(listed, etag=None, last_modified=None)) is None


@pytest.mark.parametrize("redact", [False, True])
def test_the_state_file_holds_no_key_and_no_content(tmp_path: Path, redact: bool) -> None:
    path = tmp_path / "state.db"
    secret = "tanaka_taro_mynumber_123456789012"
    versions = Versions()
    bucket = MemoryBucket(
        "uploads", public_facts("uploads"), 20, versions.body, key=lambda i: f"{secret}/{i:04d}.txt"
    )
    options = replace(OPTIONS, redact_keys=redact)
    with opened(path, options) as state:
        scan((bucket,), versions, state, options=options)
    with opened(path, options) as state:
        second, meter = scan((bucket,), versions, state, options=options)
    assert reads(meter) == 0 and len(second.findings) == 2
    assert all((secret in f.key) is not redact for f in second.findings)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for needle in (b"tanaka", b"123456789012", b"ID-CARD", b"holiday"):
        assert needle not in stored
    assert path.stat().st_mode & 0o077 == 0


def test_carried_findings_validate_against_the_schema(tmp_path: Path) -> None:
    versions, path = Versions(), tmp_path / "state.db"
    with opened(path) as state:
        scan(uploads(versions, 20), versions, state)
    stream = io.StringIO()
    with opened(path) as state:
        scan(uploads(versions, 20), versions, state, writers=(JsonWriter(stream),))
    report = json.loads(stream.getvalue())
    text = (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    jsonschema.Draft202012Validator(json.loads(text)).validate(report)
    assert {f["carried_from"] for f in report["findings"]} != {None}
    assert report["summary"]["objects_carried_forward"] == 20
    assert report["buckets"][0]["objects"]["carried_forward"] == 20


class StopAfter:
    """A report writer that asks the scan to stop once `count` buckets are done."""

    def __init__(self, stop: Stop, count: int) -> None:
        self._stop, self._count = stop, count

    def start(self, meta: ScanMeta) -> None:
        """Nothing."""

    def bucket(self, result: BucketResult) -> None:
        self._count -= 1
        if self._count <= 0:
            self._stop.request()

    def finding(self, finding: Finding) -> None:
        """Nothing."""

    def unreadable(self, item: UnreadableObject) -> None:
        """Nothing."""

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Nothing."""


def many(versions: Versions) -> tuple[MemoryBucket, ...]:
    return tuple(
        MemoryBucket(f"b{n:02d}", public_facts(f"b{n:02d}"), 60, versions.body) for n in range(12)
    )


def comparable(outcome: ScanOutcome) -> tuple[list[Any], list[Any], list[Any], dict[str, Any]]:
    """What a report says of buckets and objects (times and costs aside)."""
    summary = {
        name: getattr(outcome.summary, name)
        for name in ("buckets", "buckets_by_read", "objects_listed", "objects_inspected")
    }
    summary["findings"] = outcome.summary.findings_by_type
    return (
        sorted((bucket_json(b) for b in outcome.buckets), key=lambda b: b["name"]),
        sorted((finding_json(f) for f in outcome.findings), key=lambda f: f["id"]),
        sorted((unreadable_json(u) for u in outcome.unreadable), key=lambda u: u["key"]),
        summary,
    )


@pytest.mark.parametrize("splits", [(), ("objects/000000030",)])
def test_a_resumed_sweep_reports_what_an_uninterrupted_one_does(
    tmp_path: Path, splits: tuple[str, ...]
) -> None:
    versions = Versions()
    options = replace(OPTIONS, key_splits=splits)
    whole, whole_meter = scan(many(versions), versions, None, options=options)
    path, stop = tmp_path / "state.db", Stop()
    with opened(path, options) as state:
        cut, cut_meter = scan(
            many(versions),
            versions,
            state,
            options=options,
            stop=stop,
            writers=(StopAfter(stop, 3),),
        )
    assert not cut.meta.complete
    with opened(path, options, resume=True) as state:
        resumed, meter = scan(many(versions), versions, state, options=options)
        assert state.run == 1  # the interrupted run, not a new one
    assert resumed.meta.complete
    assert comparable(resumed) == comparable(whole)
    assert {f.carried_from for f in resumed.findings} == {None}  # one run, resumed
    assert reads(meter) + reads(cut_meter) >= reads(whole_meter)
    assert reads(meter) < reads(whole_meter)  # the finished units were not read again
    with opened(path, options, resume=True) as state:
        assert state.run == 2  # that run completed: nothing left to resume


def test_resume_refuses_other_options(tmp_path: Path) -> None:
    versions, path, stop = Versions(), tmp_path / "state.db", Stop()
    with opened(path) as state:
        scan(many(versions), versions, state, stop=stop, writers=(StopAfter(stop, 2),))
    with pytest.raises(StateError, match="other options"):
        opened(path, replace(OPTIONS, include_private=True), resume=True)
    assert opened(path, replace(OPTIONS, workers=7), resume=True).run == 1  # speed is no matter


def test_a_file_that_is_not_a_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"schema_version": "1"}\n' * 200)
    with pytest.raises(StateError, match="not a bucketscan state file"):
        opened(path)
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(StateError):
        opened(tmp_path / "other.db")


@pytest.mark.integration
def test_cli_state_on_moto_reads_only_what_changed(moto_endpoint: str, tmp_path: Path) -> None:
    import boto3
    from click.testing import CliRunner

    from bucketscan.scanner.cli import main
    from bucketscan.scanner.demo.aws import public_read_policy
    from bucketscan.synthetic.corpus import generate_corpus

    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="docs")
    client.put_bucket_policy(Bucket="docs", Policy=public_read_policy("docs", ""))
    texts = ("pdf-text", "docx", "txt")
    resumes = [f for f in generate_corpus(7, 1) if f.category and f.variant in texts][:3]
    for index, file in enumerate(resumes):
        client.put_object(Bucket="docs", Key=f"cv/{index}-{file.name}", Body=file.data)
    for index in range(97):
        client.put_object(
            Bucket="docs", Key=f"notes/{index:03d}.txt", Body=f"memo {index}".encode()
        )
    state = tmp_path / "state.db"
    base = ["scan", "aws", "--endpoint-url", moto_endpoint, "-q", "--workers", "1"]
    base += ["--state", str(state), "--fail-on", "never"]

    def run(name: str) -> dict[str, Any]:
        result = CliRunner().invoke(main, [*base, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        return dict(json.loads((tmp_path / name).read_text()))

    first, second = run("1.json"), run("2.json")
    assert first["summary"]["cost"]["requests"]["s3.GetObject"] == 100
    assert "s3.GetObject" not in second["summary"]["cost"]["requests"]
    assert len(first["findings"]) == 3
    assert [f["id"] for f in second["findings"]] == [f["id"] for f in first["findings"]]
    assert {f["carried_from"] for f in second["findings"]} == {first["scan"]["started_at"]}
    assert second["summary"]["objects_carried_forward"] == 100
    client.put_object(Bucket="docs", Key="notes/042.txt", Body=b"memo 42, amended")
    third = run("3.json")
    assert third["summary"]["cost"]["requests"]["s3.GetObject"] == 1  # the 1% that changed
    assert [f["id"] for f in third["findings"]] == [f["id"] for f in first["findings"]]


@pytest.mark.integration
def test_resume_after_sigkill_reports_what_an_uninterrupted_run_does(
    moto_endpoint: str, tmp_path: Path
) -> None:
    import os
    import signal

    import boto3

    from bucketscan.scanner.demo.aws import public_read_policy
    from processes import start_scan, wait_until

    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="exports")
    client.put_bucket_policy(Bucket="exports", Policy=public_read_policy("exports", ""))
    line = ("氏名 山田 住所 東京都 売上 合計 2024年 " * 8 + "\n").encode()
    for index in range(12):  # each costs its worker a while: the kill lands part way
        client.put_object(Bucket="exports", Key=f"e/{index:02d}.txt", Body=line * 4000)
    splits = [arg for index in range(1, 12, 2) for arg in ("--key-split", f"e/{index:02d}.txt")]
    base = ["scan", "aws", "--bucket", "exports", "--workers", "1", "--io-threads", "2", "-q"]
    base += [*splits, "--fail-on", "never"]
    env = {"AWS_ENDPOINT_URL": moto_endpoint}
    state = tmp_path / "state.db"

    def finished_units() -> int:
        if not state.exists():
            return 0
        with sqlite3.connect(state) as db:
            try:
                return int(db.execute("SELECT count(*) FROM units").fetchone()[0])
            except sqlite3.OperationalError:
                return 0

    killed = start_scan([*base, "--state", str(state), "-o", str(tmp_path / "k.json")], env)
    try:
        assert wait_until(lambda: finished_units() >= 2, 120), "no unit finished"
        os.killpg(killed.pid, signal.SIGKILL)
        killed.communicate(timeout=30)
    finally:
        if killed.poll() is None:
            os.killpg(killed.pid, signal.SIGKILL)
    done_before = finished_units()
    assert 2 <= done_before < 6, done_before
    reports = {}
    for name, extra in (("whole", []), ("resumed", ["--state", str(state), "--resume"])):
        scan = start_scan([*base, *extra, "-o", str(tmp_path / f"{name}.json")], env)
        _out, err = scan.communicate(timeout=300)
        assert scan.returncode == 0, err.decode()
        reports[name] = json.loads((tmp_path / f"{name}.json").read_text())
    whole, resumed = reports["whole"], reports["resumed"]
    assert resumed["complete"] is True
    for part in ("buckets", "findings", "unreadable"):
        assert resumed[part] == whole[part], part
    for count in ("objects_listed", "objects_inspected", "objects_unreadable", "findings_by_type"):
        assert resumed["summary"][count] == whole["summary"][count], count
    reads = resumed["summary"]["cost"]["requests"].get("s3.GetObject", 0)
    assert reads <= 12 - 2 * done_before  # the units finished before the kill were not read


def test_state_comes_from_the_config_file_and_resume_needs_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bucketscan.scanner.cli import main
    from bucketscan.scanner.config_options import scan_specs

    shared, _own = scan_specs(main.commands["scan"])  # type: ignore[arg-type]
    assert (shared["state"].name, shared["state"].path) == ("state_file", True)
    assert shared["resume"].name == "resume"
    result = CliRunner().invoke(main, ["scan", "aws", "--resume", "-q"])
    assert result.exit_code == 2 and "--resume needs --state FILE" in result.output
