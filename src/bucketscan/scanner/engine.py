"""The scan engine: buckets in parallel, objects streamed, only exposed objects analysed."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from bucketscan.metering import Meter
from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.policies.exposure import (
    NotJudged,
    possibly_exposed,
    reading_limits,
    unlisted_read,
    widened_by_objects,
)
from bucketscan.policies.keys import redact_key, scrub
from bucketscan.policies.severity import severity
from bucketscan.providers.base import KeyPlanner, Provider, error_kind
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
from bucketscan.records.facts import bucket_tags, serves_website
from bucketscan.scanner.analyzer import Analysis, Analyzer
from bucketscan.scanner.assembly import ResultAssembler
from bucketscan.scanner.executor import LocalExecutor, WorkExecutor
from bucketscan.scanner.findings import BucketResult, Finding, UnreadableObject
from bucketscan.scanner.interrupt import GRACE_S, Stop
from bucketscan.scanner.meta import Interruption
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.pool import BudgetExceededError
from bucketscan.scanner.selection import in_scope, skip_reason
from bucketscan.scanner.state import Earlier, Outcome, ScanState
from bucketscan.scanner.stats import ScanStats
from bucketscan.scanner.verify import Checkable, Sample, Verifier, keep_first

MAX_ERRORS_PER_BUCKET = 20
INTERRUPTED = "interrupted"  # listed and due to be read when a signal stopped the scan
_POLL_S = 0.1  # how often waiting threads look at the stop request
_CHOSEN = frozenset({NotJudged.CONTENT_OFF, NotJudged.TOO_LARGE})  # left unread as asked
_UNNOTED = frozenset({NotJudged.CONTENT_OFF, "not_exposed"})  # most objects: --verbose omits them

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
    not_judged: Counter[str] = field(default_factory=Counter)
    partly_read: int = 0
    listing_failed: bool = False
    stopped: bool = False  # a stop request cut the listing short
    error_counts: Counter[str] = field(default_factory=Counter)  # every error, by kind
    samples: dict[Exposure, Sample] = field(default_factory=dict)  # --verify-anonymous
    carried: int = 0  # unchanged since --state's earlier run: its outcome used, not read again
    events: list[Finding | UnreadableObject] = field(default_factory=list)  # kept for --state

    def error(self, message: str, kind: str | None = None) -> None:
        self.error_counts[kind or message.split(": ", 1)[0]] += 1
        if message in self.errors:
            return  # one line per distinct failure; the objects it hit are listed as unreadable
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
        stop: Stop | None = None,
        state: ScanState | None = None,
    ) -> None:
        self._provider = provider
        self._state = state
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
        self._stop = stop or Stop()
        self._stopped_lock = threading.Lock()  # guards the four fields below
        self._not_reached: dict[str, None] = {}  # ordered sets of bucket names
        self._unfinished: dict[str, None] = {}
        self._listing_stopped = False
        self._not_analysed = 0
        self._stopped_in_run = False
        self._checkable: dict[BucketRef, Checkable] = {}  # guarded by _describe_lock
        self._planned: set[BucketRef] = set()  # buckets cut where their provider planned

    def run(
        self, refs: Iterator[BucketRef] | None = None, *, units: Iterable[WorkUnit] | None = None
    ) -> Iterator[Event]:
        """Scan every bucket (or just `units`, each one bucket's whole range or a part cut by
        the caller); yield findings and unreadable objects as found, buckets when done."""
        splits = self._options.key_splits
        assembler = ResultAssembler(units_per_bucket(splits))
        if units is None:
            listed = self._counted(refs if refs is not None else self._provider.bucket_refs())
            units = (unit for ref in listed for unit in self._units(ref, assembler))
        units = (self._counted_unit(unit) for unit in units)
        verifier = self._verifier()
        finished = threading.Event()
        watch = threading.Thread(target=self._watch_stop, args=(finished,), name="bucketscan-stop")
        watch.start()
        try:
            for event in self._executor.run(units, self._scan_unit):
                if not isinstance(event, BucketResult):
                    yield event
                else:
                    joined = assembler.add(event)
                    if joined is not None:
                        self._described.pop(joined.ref, None)
                        self._planned.discard(joined.ref)
                        self.stats.add(buckets_done=1)
                        yield from self._checked(verifier, joined)
                if verifier is not None:
                    yield from verifier.ready()
            if verifier is not None:
                yield from verifier.finish()
            self._stopped_in_run = self._stop.requested
            if self._state is not None and not self._stopped_in_run:
                self._state.finish()
        except BaseException:
            self._stop.request()  # the scan failed: wind every unit down instead of finishing it
            raise
        finally:
            finished.set()
            watch.join()
            self._io.shutdown(wait=True)
            if verifier is not None:
                verifier.close()

    def _verifier(self) -> Verifier | None:
        """The checks from outside, when --verify-anonymous asks for them."""
        if not self._options.verify_anonymous:
            return None
        return Verifier(self._provider, redact_keys=self._options.redact_keys, stop=self._stop)

    def _checked(self, verifier: Verifier | None, result: BucketResult) -> list[BucketResult]:
        """A finished bucket, or what the verifier can report now (it checks it from outside)."""
        if verifier is None:
            return [result]
        with self._describe_lock:
            checkable = self._checkable.pop(result.ref, None)
        return verifier.add(result, checkable)

    def _keep_checkable(self, bucket: Bucket, tally: _Tally) -> None:
        """What --verify-anonymous needs of a finished unit: facts and objects to probe."""
        if not self._options.verify_anonymous:
            return
        with self._describe_lock:
            kept = self._checkable.get(bucket.ref)
            samples = dict(kept.samples) if kept is not None else {}
            for sample in tally.samples.values():  # joined with the bucket's other key ranges
                keep_first(samples, sample.obj, sample.access)
            self._checkable[bucket.ref] = Checkable(bucket, samples)

    def interruption(self) -> Interruption | None:
        """What a stop request left unreached, when one came before the scan's end."""
        if not self._stopped_in_run:
            return None
        signal = self._stop.signal
        with self._stopped_lock:
            return Interruption(
                signal=signal.name if signal is not None else "stop",
                buckets_not_reached=tuple(self._not_reached),
                buckets_unfinished=tuple(self._unfinished),
                bucket_listing_stopped=self._listing_stopped,
                objects_not_analysed=self._not_analysed,
            )

    def _watch_stop(self, finished: threading.Event) -> None:
        """On a stop request drop queued analysis; cancel the rest after the grace period."""
        while not self._stop.wait(_POLL_S):
            if finished.is_set():
                return
        if self._analyzer is None:
            return
        self._analyzer.cancel(running=False)
        deadline = time.monotonic() + GRACE_S
        while not finished.wait(_POLL_S):
            if self._stop.insistent or time.monotonic() >= deadline:
                self._analyzer.cancel(running=True)
                return

    def _counted(self, refs: Iterator[BucketRef]) -> Iterator[BucketRef]:
        for ref in refs:
            self.stats.add(buckets_total=1)
            yield ref
            if self._stop.requested:  # the bucket just handed out is reported as not reached
                with self._stopped_lock:
                    self._listing_stopped = True
                return
        self.stats.add(buckets_known=1)  # the progress display may now show a total and an ETA

    def _counted_unit(self, unit: WorkUnit) -> WorkUnit:
        self.stats.add(units_total=1)
        return unit

    def _units(self, ref: BucketRef, assembler: ResultAssembler) -> tuple[WorkUnit, ...]:
        """The bucket cut at --key-split and where its provider plans (an S3 Inventory's ranges)."""
        planned: tuple[str, ...] = ()
        if isinstance(self._provider, KeyPlanner):
            planned = self._provider.key_boundaries(ref)
        units = split_keys(ref, (*self._options.key_splits, *planned))
        if planned:  # before the first unit is handed out, so no result arrives before this
            assembler.expect(ref, len(units))
            self._planned.add(ref)
        return units

    def _describe(self, ref: BucketRef) -> Bucket:
        """The bucket's facts, gathered once however many key ranges it was cut into."""
        if not self._options.key_splits and ref not in self._planned:
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
        if self._stop.requested:
            self.stats.add(units_listed=1)
            emit(self._not_reached_bucket(unit.ref))
            return
        replay = self._state.finished(unit) if self._state is not None else None
        if replay is not None:  # --resume: finished before the interruption, reported as it was
            self.stats.add(units_listed=1, objects_listed=replay.result.objects_listed)
            for event in replay.events:
                emit(event)
            emit(replay.result)
            return
        started = time.perf_counter()
        try:
            bucket = self._describe(unit.ref)
            access = self._evaluator.bucket(bucket)
        except Exception as error:  # noqa: BLE001 - a broken bucket is unknown, the scan goes on
            self.stats.add(units_listed=1)
            reason = f"could not describe bucket: {type(error).__name__}: {error}"
            emit(unknown_bucket(unit.ref, reason))
            return
        self.stats.add_time("describe", time.perf_counter() - started)
        tally = _Tally(errors=list(bucket.errors))
        tally.error_counts.update(
            f"{entry.fact}: {entry.reason.split(':', 1)[0]}" for entry in bucket.facts.unreadable
        )
        done = threading.Condition()
        if self._state is not None:
            emit = self._kept(emit, tally, done)
        truncated = self._walk(bucket, unit.keys, tally, done, emit)
        self.stats.add(units_listed=1)  # once all are, the objects due for analysis are counted
        with done:
            done.wait_for(lambda: tally.pending == 0)
        self._keep_checkable(bucket, tally)
        result = self._result(bucket, access, tally, truncated)
        cut = tally.stopped or tally.listing_failed or tally.skipped[INTERRUPTED]
        if self._state is not None and not cut:  # a unit cut short is scanned again on --resume
            self._state.unit_done(unit, tally.events, result)
        emit(result)

    @staticmethod
    def _kept(
        emit: Callable[[Event], None], tally: _Tally, done: threading.Condition
    ) -> Callable[[Event], None]:
        """`emit` that also keeps the unit's findings and unreadable objects for --state."""

        def keep(event: Event) -> None:
            if not isinstance(event, BucketResult):
                with done:
                    tally.events.append(event)
            emit(event)

        return keep

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
                for obj in self._timed_listing(bucket, prefix, keys):
                    if self._stop.requested:
                        with done:
                            tally.stopped = True
                        return True
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
                    # An object listed with its facts (an inventory's ACL) needs no call.
                    calls = needs_facts and obj.facts is None
                    self._dispatch(bucket, obj, calls, tally, done, emit)
        except Exception as error:  # noqa: BLE001 - any SDK failure: record it, keep the scan going
            with done:
                tally.error(
                    f"listing failed: {type(error).__name__}: {error}",
                    f"listing failed: {error_kind(error)}",
                )
                tally.listing_failed = True
            return True
        return False

    def _timed_listing(self, bucket: Bucket, prefix: str, keys: KeyRange) -> Iterator[StoredObject]:
        objects = (
            self._provider.objects_in(bucket, prefix, keys)
            if isinstance(self._provider, KeyPlanner)
            else self._provider.objects(bucket, prefix, keys.start_after)
        )
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
            if not self._worth_reading(bucket, obj, verdict, tally, done):
                return
        while not self._inflight.acquire(timeout=_POLL_S):
            if self._stop.requested:
                self._interrupted(tally, done)
                return
        with done:
            tally.pending += 1
        self.stats.add(objects_queued=1)
        self._io.submit(self._object_task, bucket, obj, needs_facts, tally, done, emit)

    def _worth_reading(
        self,
        bucket: Bucket,
        obj: StoredObject,
        verdict: ObjectAccess,
        tally: _Tally,
        done: threading.Condition,
    ) -> bool:
        """Count the verdict and decide whether to download the object."""
        with done:
            tally.readable[verdict.read.value] += 1
            tally.widest_read = widest(tally.widest_read, verdict.read)
            if self._options.verify_anonymous:
                keep_first(tally.samples, obj, verdict)
            reason = self._skip(obj, verdict)
            if reason is not None:
                tally.skipped[reason] += 1
                if reason in _CHOSEN and possibly_exposed(verdict.read):
                    tally.not_judged[reason] += 1
        if reason is not None and reason not in _UNNOTED and self.stats.noting:
            key = redact_key(obj.key) if self._options.redact_keys else obj.key
            self.stats.note(f"skipped {bucket.name}/{key}: {reason.replace('_', ' ')}")
        return reason is None

    def _skip(self, obj: StoredObject, verdict: ObjectAccess) -> str | None:
        if self._analyzer is None:
            return NotJudged.CONTENT_OFF
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
        verdict = ObjectAccess(Exposure.UNKNOWN, ("object access facts could not be read",))
        try:
            if needs_facts:
                obj = self._provider.object_facts(bucket, obj)
            verdict = self._evaluator.obj(bucket, obj)
            if needs_facts and not self._worth_reading(bucket, obj, verdict, tally, done):
                return
            assert self._analyzer is not None
            earlier = self._state.earlier(bucket.ref, obj) if self._state is not None else None
            if earlier is not None:
                self._carry(bucket, obj, verdict, earlier, tally, done, emit)
                return
            if self._stop.requested:
                self._interrupted(tally, done)
                return
            started = time.perf_counter()
            data = self._provider.read(bucket, obj, self._options.max_object_bytes)
            self.stats.add_time("download", time.perf_counter() - started)
            if self._stop.requested:
                self._interrupted(tally, done)
                return
            future = self._analyzer.submit(data, obj.key)
            finished = False
            future.add_done_callback(
                lambda f: self._analysed(f, bucket, obj, verdict, tally, done, emit)
            )
        except Exception as error:  # noqa: BLE001 - one unreadable object must not stop the scan
            self._not_judged(
                bucket, obj, verdict, NotJudged.DOWNLOAD_FAILED, error, tally, done, emit
            )
        finally:
            if finished:
                self._release(tally, done)

    def _carry(
        self,
        bucket: Bucket,
        obj: StoredObject,
        verdict: ObjectAccess,
        earlier: Earlier,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> None:
        """An unchanged object: its earlier outcome under today's verdict, without reading it."""
        assert self._state is not None
        outcome = earlier.outcome
        carried = earlier.run != self._state.run  # else read by this run before a --resume
        with done:
            if carried:
                tally.carried += 1
            else:
                tally.inspected += 1
                tally.partly_read += bool(reading_limits(outcome.notes))
        self.stats.add(objects_carried=int(carried), objects_inspected=int(not carried))
        if outcome.category is not None:  # else clean then, clean now
            carried_from = earlier.analysed_at if carried else None
            self._found(bucket, obj, verdict, outcome, tally, done, emit, carried_from)

    def _found(
        self,
        bucket: Bucket,
        obj: StoredObject,
        verdict: ObjectAccess,
        outcome: Outcome,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
        carried_from: str | None = None,
    ) -> None:
        """A finding of what content analysis concluded, under today's verdict."""
        assert outcome.category is not None and outcome.document_type is not None
        with done:
            tally.findings += 1
        self.stats.add(findings=1)
        emit(
            Finding(
                **self._where(bucket, obj, verdict),
                category=outcome.category,
                document_type=outcome.document_type,
                severity=severity(verdict.read, outcome.category),
                confidence=outcome.confidence,
                evidence=outcome.evidence,
                notes=outcome.notes,
                bucket_tags=bucket_tags(bucket.facts),
                carried_from=carried_from,
            )
        )

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
        except CancelledError:  # a stop request: neither clean nor unreadable, not reached
            self._interrupted(tally, done)
            self._release(tally, done)
            return
        except Exception as error:  # noqa: BLE001 - a crashed worker is a skipped object, noted
            self._not_judged(
                bucket, obj, verdict, NotJudged.ANALYSIS_FAILED, error, tally, done, emit
            )
            self._release(tally, done)
            return
        for stage, seconds in analysis.timings.items():
            self.stats.add_time(stage, seconds)
        self.stats.add(objects_inspected=1)
        result = analysis.classification
        notes = result.notes
        if obj.size > self._options.max_object_bytes:
            limit = self._options.max_object_bytes
            notes = (*notes, f"only the first {limit:,} bytes read (--max-object-bytes)")
        limits = reading_limits(notes)
        with done:
            tally.inspected += 1
            tally.partly_read += bool(limits)
        if result.category is not None and result.document_type is not None:
            found = Outcome(
                result.category, result.document_type, result.confidence, result.evidence, notes
            )
            if self._state is not None:
                self._state.record(bucket.ref, obj, found)
            self._found(bucket, obj, verdict, found, tally, done, emit)
        elif result.unreadable is not None or limits:
            # Nothing found in what was read; where part went unread that is could-not-tell.
            reason = result.unreadable or limits[0]
            with done:
                tally.unreadable[reason] += 1
            self.stats.add(objects_unreadable=1)
            emit(UnreadableObject(**self._where(bucket, obj, verdict), reason=reason, notes=notes))
        elif self._state is not None:  # clean; could-not-tell is never recorded, so read again
            self._state.record(bucket.ref, obj, Outcome(notes=notes))
        self._release(tally, done)

    def _not_judged(
        self,
        bucket: Bucket,
        obj: StoredObject,
        verdict: ObjectAccess,
        why: NotJudged,
        error: Exception,
        tally: _Tally,
        done: threading.Condition,
        emit: Callable[[Event], None],
    ) -> None:
        """An object whose content never reached analysis: listed as could-not-tell, with why."""
        where = self._where(bucket, obj, verdict)
        detail = scrub(f"{type(error).__name__}: {error}", obj.key, where["key"])
        cause = error if isinstance(error, BudgetExceededError) else error_kind(error)
        reason = f"{why.value.replace('_', ' ')} ({cause})"
        with done:
            tally.skipped[
                "read_error" if why is NotJudged.DOWNLOAD_FAILED else "analysis_error"
            ] += 1
            tally.unreadable[reason] += 1
            if possibly_exposed(verdict.read):
                tally.not_judged[why] += 1
            tally.error(f"{why.value.replace('_', ' ')}: {detail}", reason)
        self.stats.add(objects_unreadable=1)
        emit(UnreadableObject(**where, reason=reason, failed=True))

    def _where(self, bucket: Bucket, obj: StoredObject, verdict: ObjectAccess) -> dict[str, Any]:
        """The fields every per-object record shares: where it is and who can read it."""
        if self._options.redact_keys:  # the one place keys enter records: masked here, or never
            obj = replace(obj, key=redact_key(obj.key))
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

    def _interrupted(self, tally: _Tally, done: threading.Condition) -> None:
        """An object a stop request kept from analysis."""
        with done:
            tally.skipped[INTERRUPTED] += 1
        with self._stopped_lock:
            self._not_analysed += 1

    def _not_reached_bucket(self, ref: BucketRef) -> BucketResult:
        """A bucket a stop request kept from being scanned: unknown, never safe."""
        with self._stopped_lock:
            self._not_reached[ref.name] = None
        return unknown_bucket(ref, f"not scanned: {self._stop_text()} before this bucket")

    def _stop_text(self) -> str:
        signal = self._stop.signal
        return f"the scan was interrupted ({signal.name if signal is not None else 'stop'})"

    def _stopped_errors(self, bucket: Bucket, tally: _Tally) -> tuple[str, ...]:
        """What a stop request cut short in this bucket (recorded as unfinished), if anything."""
        lines = []
        if tally.stopped:
            lines.append(f"{self._stop_text()}: listing stopped after {tally.listed} objects")
        if tally.skipped[INTERRUPTED]:
            count = tally.skipped[INTERRUPTED]
            lines.append(f"{self._stop_text()}: {count} listed objects not analysed")
        if lines:
            with self._stopped_lock:
                self._unfinished[bucket.name] = None
        return tuple(lines)

    def _release(self, tally: _Tally, done: threading.Condition) -> None:
        self._inflight.release()
        self.stats.add(objects_done=1)
        with done:
            tally.pending -= 1
            done.notify_all()

    def _result(
        self, bucket: Bucket, access: BucketAccess, tally: _Tally, truncated: bool
    ) -> BucketResult:
        """The bucket's verdicts widened by what its objects showed."""
        stopped = self._stopped_errors(bucket, tally)
        if tally.listing_failed or tally.stopped:
            access = unlisted_read(access, self._evaluator.needs_object_facts(bucket))
        return BucketResult(
            ref=bucket.ref,
            access=widened_by_objects(access, tally.widest_read),
            objects_listed=tally.listed,
            objects_readable=dict(tally.readable),
            objects_inspected=tally.inspected,
            objects_skipped=dict(tally.skipped),
            findings=tally.findings,
            errors=(*tally.errors, *stopped),
            truncated=truncated or bool(stopped),
            objects_unreadable=dict(tally.unreadable),
            objects_not_judged=dict(tally.not_judged),
            objects_partly_read=tally.partly_read,
            listing_failed=tally.listing_failed,
            error_counts=dict(tally.error_counts),
            website=serves_website(bucket.facts, bucket.name),
            tags=bucket_tags(bucket.facts),
            objects_carried_forward=tally.carried,
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
        listing_failed=True,
        error_counts={reason.split(": ", 1)[0]: 1},
    )
