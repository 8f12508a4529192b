"""The scan engine: buckets in parallel, objects streamed, only exposed objects analysed."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bucketscan.metering import Meter
from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.providers.base import Provider
from bucketscan.records.common import (
    Bucket,
    BucketAccess,
    BucketRef,
    Exposure,
    KeyRange,
    ObjectAccess,
    StoredObject,
    WorkUnit,
    split_keys,
    units_per_bucket,
    widest,
)
from bucketscan.scanner.analyzer import Analysis, Analyzer
from bucketscan.scanner.assembly import ResultAssembler
from bucketscan.scanner.executor import LocalExecutor, WorkExecutor
from bucketscan.scanner.findings import BucketResult, Finding, UnreadableObject, severity
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.selection import READ_PREFIX_ONLY, in_scope, skip_reason
from bucketscan.scanner.stats import ScanStats

MAX_ERRORS_PER_BUCKET = 20

Event = BucketResult | Finding | UnreadableObject


@dataclass
class _Tally:
    """Mutable per-bucket counters, guarded by the lock of the bucket's job."""

    listed: int = 0
    readable: Counter[str] = field(default_factory=Counter)
    inspected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    findings: int = 0
    unreadable: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    widest_read: Exposure = Exposure.PRIVATE
    pending: int = 0

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS_PER_BUCKET:
            self.errors.append(message)
        elif len(self.errors) == MAX_ERRORS_PER_BUCKET:
            self.errors.append("further errors omitted")


class Engine:
    """Joins a provider, its access evaluator and content analysis into a stream of events."""

    def __init__(
        self,
        provider: Provider,
        evaluator: Evaluator,
        options: ScanOptions,
        *,
        analyzer: Analyzer | None,
        meter: Meter,
        stats: ScanStats | None = None,
        executor: WorkExecutor | None = None,
    ) -> None:
        self._provider = provider
        self._evaluator = evaluator
        self._options = options
        self._analyzer = analyzer if options.content else None
        self._meter = meter
        self.stats = stats or ScanStats()
        self._executor = executor or LocalExecutor(max(1, options.io_threads // 2))
        self._io = ThreadPoolExecutor(options.io_threads, thread_name_prefix="bucketscan-io")
        # Backpressure: a bucket's listing waits while this many objects are being read/analysed.
        self._inflight = threading.BoundedSemaphore(options.io_threads + 2 * options.worker_count)
        self._described: dict[BucketRef, Future[Bucket]] = {}
        self._describe_lock = threading.Lock()

    def run(self, refs: Iterator[BucketRef] | None = None) -> Iterator[Event]:
        """Scan every bucket; yield findings and unreadable objects as found, buckets when done."""
        splits = self._options.key_splits
        units = (
            unit
            for ref in self._counted(refs if refs is not None else self._provider.bucket_refs())
            for unit in split_keys(ref, splits)
        )
        assembler = ResultAssembler(units_per_bucket(splits))
        try:
            for event in self._executor.run(units, self._scan_unit):
                if not isinstance(event, BucketResult):
                    yield event
                    continue
                joined = assembler.add(event)
                if joined is not None:
                    self._described.pop(joined.ref, None)
                    self.stats.add(buckets_done=1)
                    yield joined
        finally:
            self._io.shutdown(wait=True)

    def _counted(self, refs: Iterator[BucketRef]) -> Iterator[BucketRef]:
        for ref in refs:
            self.stats.add(buckets_total=1)
            yield ref

    def _describe(self, ref: BucketRef) -> Bucket:
        """The bucket's facts, gathered once however many key ranges it was cut into."""
        if not self._options.key_splits:
            return self._provider.describe(ref)
        with self._describe_lock:
            future = self._described.get(ref)
            owner = future is None
            if future is None:
                future = self._described[ref] = Future()
        if owner:
            try:
                future.set_result(self._provider.describe(ref))
            except Exception as error:  # noqa: BLE001 - handed to every range of this bucket
                future.set_exception(error)
        return future.result()

    def _scan_unit(self, unit: WorkUnit, emit: Callable[[Event], None]) -> None:
        """One work unit: describe, evaluate, stream the objects, wait for their analysis."""
        started = time.perf_counter()
        try:
            bucket = self._describe(unit.ref)
            access = self._evaluator.bucket(bucket)
        except Exception as error:  # noqa: BLE001 - a broken bucket is unknown, the scan goes on
            reason = f"could not describe bucket: {type(error).__name__}: {error}"
            emit(unknown_bucket(unit.ref, reason))
            return
        self.stats.add_time("describe", time.perf_counter() - started)
        tally = _Tally(errors=list(bucket.errors))
        done = threading.Condition()
        truncated = self._walk(bucket, unit.keys, tally, done, emit)
        with done:
            done.wait_for(lambda: tally.pending == 0)
        emit(self._result(bucket, access, tally, truncated))

    def _walk(
        self,
        bucket: Bucket,
        keys: KeyRange,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> bool:
        """List the unit's objects; returns True when the listing stopped early."""
        limit = self._options.max_objects_per_bucket
        needs_facts = self._evaluator.needs_object_facts(bucket)
        prefixes = self._options.include_prefixes or ("",)
        try:
            for prefix in prefixes:
                for obj in self._timed_listing(bucket, prefix, keys.start_after):
                    if keys.passed(obj.key):
                        break  # listings come in key order: the rest belongs to other ranges
                    if limit is not None and tally.listed >= limit:
                        tally.error(f"stopped after {limit} objects (--max-objects-per-bucket)")
                        return True
                    with done:
                        tally.listed += 1
                    self.stats.add(objects_listed=1)
                    if not in_scope(obj.key, self._options, bucket.name):
                        with done:
                            tally.skipped["out_of_scope"] += 1
                        continue
                    self._dispatch(bucket, obj, needs_facts, tally, done, emit)
        except Exception as error:  # noqa: BLE001 - any SDK failure: record it, keep the scan going
            with done:
                tally.error(f"listing failed: {type(error).__name__}: {error}")
            return True
        return False

    def _timed_listing(
        self, bucket: Bucket, prefix: str, start_after: str
    ) -> Iterator[StoredObject]:
        objects = self._provider.objects(bucket, prefix, start_after)
        while True:
            started = time.perf_counter()
            obj = next(objects, None)
            self.stats.add_time("listing", time.perf_counter() - started)
            if obj is None:
                return
            yield obj

    def _dispatch(
        self,
        bucket: Bucket,
        obj: StoredObject,
        needs_facts: bool,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> None:
        """Evaluate one object now, or hand it to the I/O threads when it needs a call."""
        if not needs_facts:
            verdict = self._evaluator.obj(bucket, obj)
            if not self._worth_reading(obj, verdict, tally, done):
                return
        self._inflight.acquire()
        with done:
            tally.pending += 1
        self._io.submit(self._object_task, bucket, obj, needs_facts, tally, done, emit)

    def _worth_reading(
        self, obj: StoredObject, verdict: ObjectAccess, tally: _Tally, done: threading.Condition
    ) -> bool:
        """Count the verdict and decide whether to download the object."""
        with done:
            tally.readable[verdict.read.value] += 1
            tally.widest_read = widest(tally.widest_read, verdict.read)
            reason = self._skip(obj, verdict)
            if reason is not None:
                tally.skipped[reason] += 1
            elif obj.size > self._options.max_object_bytes:
                tally.skipped[READ_PREFIX_ONLY] += 1
        return reason is None

    def _skip(self, obj: StoredObject, verdict: ObjectAccess) -> str | None:
        if self._analyzer is None:
            return "content_analysis_off"
        if verdict.read is Exposure.PRIVATE and not self._options.include_private:
            return "not_exposed"
        return skip_reason(obj, self._options)

    def _object_task(
        self,
        bucket: Bucket,
        obj: StoredObject,
        needs_facts: bool,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> None:
        """Fetch facts if needed, read the object, and queue it for analysis."""
        finished = True
        try:
            if needs_facts:
                obj = self._provider.object_facts(bucket, obj)
            verdict = self._evaluator.obj(bucket, obj)
            if needs_facts and not self._worth_reading(obj, verdict, tally, done):
                return
            assert self._analyzer is not None
            started = time.perf_counter()
            data = self._provider.read(bucket, obj, self._options.max_object_bytes)
            self.stats.add_time("download", time.perf_counter() - started)
            future = self._analyzer.submit(data, obj.key)
            finished = False
            future.add_done_callback(
                lambda f: self._analysed(f, bucket, obj, verdict, tally, done, emit)
            )
        except Exception as error:  # noqa: BLE001 - one unreadable object must not stop the scan
            with done:
                tally.skipped["read_error"] += 1
                tally.error(f"{obj.key}: {type(error).__name__}: {error}")
        finally:
            if finished:
                self._release(tally, done)

    def _analysed(
        self,
        future: Future[Analysis],
        bucket: Bucket,
        obj: StoredObject,
        verdict: ObjectAccess,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> None:
        """Turn a finished analysis into a finding (or a recorded skip)."""
        try:
            analysis = future.result()
        except Exception as error:  # noqa: BLE001 - a crashed worker is a skipped object, noted
            with done:
                tally.skipped["analysis_error"] += 1
                tally.error(f"{obj.key}: analysis failed: {type(error).__name__}: {error}")
            self._release(tally, done)
            return
        for stage, seconds in analysis.timings.items():
            self.stats.add_time(stage, seconds)
        self.stats.add(objects_inspected=1)
        result = analysis.classification
        with done:
            tally.inspected += 1
            if result.notes:
                tally.skipped["partly_unreadable"] += 1
        if result.category is not None and result.document_type is not None:
            with done:
                tally.findings += 1
            self.stats.add(findings=1)
            emit(
                Finding(
                    **self._where(bucket, obj, verdict),
                    category=result.category,
                    document_type=result.document_type,
                    severity=severity(verdict.read, result.category),
                    confidence=result.confidence,
                    evidence=result.evidence,
                )
            )
        elif result.category is None and result.unreadable is not None:
            with done:
                tally.unreadable[result.unreadable] += 1
            self.stats.add(objects_unreadable=1)
            emit(self._unreadable(bucket, obj, verdict, result.unreadable))
        self._release(tally, done)

    def _where(self, bucket: Bucket, obj: StoredObject, verdict: ObjectAccess) -> dict[str, Any]:
        """The fields every per-object record shares: where it is and who can read it."""
        return {
            "provider": bucket.ref.provider,
            "account": bucket.ref.account,
            "bucket": bucket.name,
            "key": obj.key,
            "url": self._provider.url(bucket, obj),
            "size": obj.size,
            "exposure": verdict.read,
            "exposure_reasons": verdict.reasons,
        }

    def _unreadable(
        self, bucket: Bucket, obj: StoredObject, verdict: ObjectAccess, reason: str
    ) -> UnreadableObject:
        """An analysed object that could not be read, with who can read it."""
        return UnreadableObject(**self._where(bucket, obj, verdict), reason=reason)

    def _release(self, tally: _Tally, done: threading.Condition) -> None:
        self._inflight.release()
        with done:
            tally.pending -= 1
            done.notify_all()

    @staticmethod
    def _result(
        bucket: Bucket, access: BucketAccess, tally: _Tally, truncated: bool
    ) -> BucketResult:
        """The bucket's verdicts widened by what its objects showed."""
        read = widest(access.read, tally.widest_read)
        reasons = access.reasons
        if read is not access.read:
            reasons = (*reasons, f"some objects are readable ({read.value}) by object-level grants")
        return BucketResult(
            ref=bucket.ref,
            access=BucketAccess(read=read, list=access.list, write=access.write, reasons=reasons),
            objects_listed=tally.listed,
            objects_readable=dict(tally.readable),
            objects_inspected=tally.inspected,
            objects_skipped=dict(tally.skipped),
            findings=tally.findings,
            errors=tuple(tally.errors),
            truncated=truncated,
            objects_unreadable=dict(tally.unreadable),
        )


def unknown_bucket(ref: BucketRef, reason: str) -> BucketResult:
    """A bucket whose configuration could not be read at all."""
    unknown = Exposure.UNKNOWN
    return BucketResult(
        ref=ref,
        access=BucketAccess(read=unknown, list=unknown, write=unknown, reasons=(reason,)),
        objects_listed=0,
        objects_readable={},
        objects_inspected=0,
        objects_skipped={},
        findings=0,
        errors=(reason,),
        truncated=True,
    )
