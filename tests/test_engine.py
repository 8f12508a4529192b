"""The scan engine over an in-memory provider: what it reads, skips, finds and reports."""

from __future__ import annotations

import io
import json
import threading
from concurrent.futures import Future
from importlib import resources
from typing import Any

import jsonschema
import pytest

from bucketscan.metering import Meter
from bucketscan.policies.severity import Severity
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import BucketRef, Exposure, split_keys
from bucketscan.records.content import Category, Classification, Signal, Strength
from bucketscan.records.s3 import S3BucketFacts, S3Grant, S3Grantee, S3ObjectFacts
from bucketscan.scanner.analyzer import Analysis
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan

PUBLIC_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::{bucket}/*",
            }
        ],
    }
)
PRIVATE_ACL = (S3Grant(S3Grantee.CANONICAL_USER, "owner", "FULL_CONTROL"),)


def public_facts(bucket: str) -> S3BucketFacts:
    return S3BucketFacts(acl=PRIVATE_ACL, policy_json=PUBLIC_POLICY.replace("{bucket}", bucket))


PRIVATE_FACTS = S3BucketFacts(acl=PRIVATE_ACL)


class MarkerAnalyzer:
    """A test double for the content pipeline: files containing b"ID-CARD" are ID documents."""

    def __init__(self, fail_on: bytes | None = None) -> None:
        self.seen: list[str] = []
        self.sizes: list[int] = []
        self.inflight = 0
        self.peak = 0
        self._lock = threading.Lock()
        self._fail_on = fail_on

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        future: Future[Analysis] = Future()
        with self._lock:
            self.seen.append(name)
            self.sizes.append(len(data))
            self.inflight += 1
            self.peak = max(self.peak, self.inflight)
        # Resolve later, from another thread, as a real worker pool would.
        threading.Timer(0.002, self._resolve, (future, data)).start()
        return future

    def _resolve(self, future: Future[Analysis], data: bytes) -> None:
        with self._lock:
            self.inflight -= 1
        if self._fail_on is not None and self._fail_on in data:
            future.set_exception(RuntimeError("worker crashed"))
            return
        found = b"ID-CARD" in data
        signal = Signal("marker", "marker", Strength.STRONG, "marker present", "ID-****")
        classification = Classification(
            Category.ID_DOCUMENT if found else None,
            "my_number_card" if found else None,
            0.97 if found else 0.0,
            (signal,) if found else (),
        )
        future.set_result(Analysis(classification, 0.001))

    def cancel(self, *, running: bool) -> None:
        """Nothing is queued."""

    def close(self) -> None:
        """Nothing to stop."""


def body(index: int) -> bytes:
    return b"ID-CARD scan" if index % 10 == 0 else b"holiday photo"


def scan(
    buckets: tuple[MemoryBucket, ...], analyzer: MarkerAnalyzer | None = None, **options: Any
) -> tuple[ScanOutcome, Meter]:
    meter = Meter()
    provider = MemoryProvider(buckets, meter=meter, page_size=7)
    outcome = run_scan(
        provider,
        ScanOptions(io_threads=4, workers=2, **options),
        (),
        meter=meter,
        analyzer=analyzer or MarkerAnalyzer(),
    )
    return outcome, meter


def test_public_bucket_findings_come_from_content_and_carry_exposure() -> None:
    outcome, meter = scan((MemoryBucket("uploads", public_facts("uploads"), 50, body),))
    keys = sorted(f.key for f in outcome.findings)
    assert keys == [f"objects/{i:09d}.txt" for i in range(0, 50, 10)]
    assert {f.exposure for f in outcome.findings} == {Exposure.PUBLIC}
    assert {f.severity for f in outcome.findings} == {Severity.CRITICAL}
    (bucket,) = outcome.buckets
    assert bucket.access.read is Exposure.PUBLIC
    assert (bucket.objects_listed, bucket.objects_inspected, bucket.findings) == (50, 50, 5)
    assert meter.requests()["memory.ListObjects"] == 8  # 50 objects in pages of 7


def test_private_bucket_is_listed_but_never_read() -> None:
    analyzer = MarkerAnalyzer()
    outcome, meter = scan((MemoryBucket("hr", PRIVATE_FACTS, 30, body),), analyzer)
    assert outcome.findings == ()
    assert analyzer.seen == []
    assert "memory.GetObject" not in meter.requests()
    (bucket,) = outcome.buckets
    assert bucket.objects_skipped == {"not_exposed": 30}
    assert bucket.access.read is Exposure.PRIVATE


def test_include_private_reads_everything_with_low_severity() -> None:
    outcome, _ = scan((MemoryBucket("hr", PRIVATE_FACTS, 20, body),), include_private=True)
    assert len(outcome.findings) == 2
    assert {(f.exposure, f.severity) for f in outcome.findings} == {
        (Exposure.PRIVATE, Severity.LOW)
    }


def test_one_public_object_acl_in_a_private_bucket() -> None:
    def acl(index: int) -> S3ObjectFacts:
        grants = PRIVATE_ACL
        if index == 20:
            grants = (*grants, S3Grant(S3Grantee.ALL_USERS, "AllUsers", "READ"))
        return S3ObjectFacts(acl=grants)

    bucket = MemoryBucket("mixed", PRIVATE_FACTS, 25, body, object_facts=acl)
    outcome, meter = scan((bucket,))
    assert [f.key for f in outcome.findings] == ["objects/000000020.txt"]
    assert meter.requests()["memory.GetObjectAcl"] == 25
    (result,) = outcome.buckets
    assert result.access.read is Exposure.PUBLIC
    assert result.objects_readable == {"private": 24, "public": 1}


def test_failures_are_recorded_and_the_scan_goes_on() -> None:
    def broken(index: int) -> bytes:
        return b"CRASH ID-CARD" if index == 3 else body(index)

    buckets = (
        MemoryBucket("a", public_facts("a"), 12, broken),
        MemoryBucket("b", public_facts("b"), 12, body),
    )
    outcome, _ = scan(buckets, MarkerAnalyzer(fail_on=b"CRASH"))
    by_name = {b.ref.name: b for b in outcome.buckets}
    assert by_name["a"].objects_skipped == {"analysis_error": 1}
    assert any("worker crashed" in e for e in by_name["a"].errors)
    assert len([f for f in outcome.findings if f.bucket == "b"]) == 2


def test_limits_sampling_and_prefixes() -> None:
    bucket = MemoryBucket("big", public_facts("big"), 100, body)
    truncated, _ = scan((bucket,), max_objects_per_bucket=40)
    assert truncated.buckets[0].objects_listed == 40
    assert truncated.buckets[0].truncated
    first, _ = scan((bucket,), sample=0.3)
    second, _ = scan((bucket,), sample=0.3)
    inspected = first.buckets[0].objects_inspected
    assert 10 < inspected < 50
    assert inspected == second.buckets[0].objects_inspected
    assert {f.key for f in first.findings} == {f.key for f in second.findings}
    prefixed, _ = scan((bucket,), exclude_prefixes=("objects/0000000",))
    assert prefixed.buckets[0].objects_skipped["out_of_scope"] == 100


def test_large_and_media_objects_are_skipped_before_download() -> None:
    def key(index: int) -> str:
        return f"media/{index:03d}.mp4" if index % 2 else f"docs/{index:03d}.jpg"

    bucket = MemoryBucket("media", public_facts("media"), 10, body, key=key)
    outcome, meter = scan((bucket,), max_object_bytes=5)
    skipped = outcome.buckets[0].objects_skipped
    assert skipped == {"file_type": 5, "too_large": 5}
    assert "memory.GetObject" not in meter.requests()


def test_large_text_is_read_up_to_the_limit() -> None:
    def key(index: int) -> str:
        return f"exports/{index:03d}.csv"

    analyzer = MarkerAnalyzer()
    bucket = MemoryBucket("exports", public_facts("exports"), 4, body, key=key)
    limit = 8
    outcome, meter = scan((bucket,), analyzer, max_object_bytes=limit)
    (result,) = outcome.buckets
    assert result.objects_skipped == {}  # read in part is inspected, not skipped
    assert result.objects_inspected == 4 and result.objects_partly_read == 4
    told = (*outcome.findings, *outcome.unreadable)
    assert len(told) == 4  # nothing found in the first bytes is could-not-tell, not clean
    assert all("only the first 8 bytes read (--max-object-bytes)" in t.notes for t in told)
    assert meter.requests()["memory.GetObject"] == 4
    assert meter.bytes_read == 4 * limit
    assert analyzer.sizes == [limit] * 4


def test_backpressure_bounds_objects_in_flight() -> None:
    analyzer = MarkerAnalyzer()
    scan((MemoryBucket("many", public_facts("many"), 300, body),), analyzer)
    assert len(analyzer.seen) == 300
    assert analyzer.peak <= 4 + 2 * 2


def test_reports_validate_against_the_schema() -> None:
    meter = Meter()
    provider = MemoryProvider((MemoryBucket("uploads", public_facts("uploads"), 20, body),))
    json_stream, lines_stream = io.StringIO(), io.StringIO()
    run_scan(
        provider,
        ScanOptions(io_threads=2, workers=1),
        (JsonWriter(json_stream), JsonLinesWriter(lines_stream)),
        meter=meter,
        analyzer=MarkerAnalyzer(),
    )
    schema_text = resources.files("bucketscan.scanner.report") / "report.schema.json"
    schema = json.loads(schema_text.read_text(encoding="utf-8"))
    report = json.loads(json_stream.getvalue())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert len(report["findings"]) == 2
    assert report["buckets"][0]["access"]["read"] == "public"
    lines = [json.loads(line) for line in lines_stream.getvalue().splitlines()]
    assert [line["type"] for line in lines].count("finding") == 2
    assert lines[0]["type"] == "scan" and lines[-1]["type"] == "summary"


@pytest.mark.parametrize("bad", [{"findings": "x"}, {"schema_version": "2"}])
def test_schema_rejects_malformed_reports(bad: dict[str, Any]) -> None:
    schema_text = resources.files("bucketscan.scanner.report") / "report.schema.json"
    schema = json.loads(schema_text.read_text(encoding="utf-8"))
    base = {"schema_version": "1", "scan": {}, "summary": {}, "buckets": [], "findings": []}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**base, **bad})


def test_key_ranges_give_the_same_results_as_whole_buckets() -> None:
    buckets = (
        MemoryBucket("uploads", public_facts("uploads"), 50, body),
        MemoryBucket("hr", PRIVATE_FACTS, 30, body),
    )
    whole, _ = scan(buckets)
    splits = ("objects/000000035", "objects/000000012", "objects/000000035")
    split, meter = scan(buckets, key_splits=splits)
    assert sorted(f.key for f in split.findings) == sorted(f.key for f in whole.findings)
    assert {r.ref.name: r for r in split.buckets} == {r.ref.name: r for r in whole.buckets}
    assert meter.requests()["memory.GetBucketFacts"] == 2  # described once, not once per range


def test_split_keys_put_every_key_in_exactly_one_range() -> None:
    ref = BucketRef("aws", "1", "b")
    units = split_keys(ref, ("m", "c", "m"))
    assert [(u.keys.start_after, u.keys.last) for u in units] == [
        ("", "c"),
        ("c", "m"),
        ("m", None),
    ]
    for key in ("a", "c", "c0", "lz", "m", "m/", "z", "\uffff"):
        assert sum(unit.keys.holds(key) for unit in units) == 1, key
