"""`--verify-anonymous`: finished buckets checked from outside with unsigned requests.

Every bucket judged public is checked as soon as its verdicts are final (its listing, one object
judged public, one judged private), on two threads of its own while the scan goes on; of the
buckets judged private, the PRIVATE_BUCKETS_SAMPLED of lowest `sample_rank` are checked at the
end (they are held back until then, the others pass at once). A probe is sent once with short
timeouts; one that fails is "could not verify", never a failed scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import partial

from bucketscan.policies.keys import redact_key, scrub
from bucketscan.policies.verification import (
    PRIVATE_BUCKETS_SAMPLED,
    ProbeTarget,
    Verification,
    bucket_check,
    compare,
    probe_result,
    sample_rank,
)
from bucketscan.providers.base import Provider
from bucketscan.records.common import Bucket, Exposure, ObjectAccess, StoredObject
from bucketscan.records.probe import ProbeAnswer
from bucketscan.scanner.findings import BucketResult
from bucketscan.scanner.interrupt import Stop

_THREADS = 2
_POLL_S = 0.1
_SAMPLED = (Exposure.PUBLIC, Exposure.PRIVATE)  # the object verdicts a probe can check


@dataclass(frozen=True)
class Sample:
    """An object and its verdict: what an object probe asks for and checks."""

    obj: StoredObject
    access: ObjectAccess


@dataclass(frozen=True)
class Checkable:
    """What a finished bucket's check needs: its facts, and the first key judged public and the
    first judged private (the same ones every run)."""

    bucket: Bucket
    samples: Mapping[Exposure, Sample]


def keep_first(samples: dict[Exposure, Sample], obj: StoredObject, access: ObjectAccess) -> None:
    """Keep `obj` if it is the lowest key judged public (or private) so far."""
    kept = samples.get(access.read)
    if access.read in _SAMPLED and (kept is None or obj.key < kept.obj.key):
        samples[access.read] = Sample(obj, access)


class Verifier:
    """Checks finished buckets from outside and hands them back, checked, as they are done."""

    def __init__(self, provider: Provider, *, redact_keys: bool, stop: Stop) -> None:
        self._provider = provider
        self._redact_keys = redact_keys
        self._stop = stop
        self._pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="bucketscan-verify")
        self._running: list[tuple[Future[BucketResult], BucketResult]] = []
        self._held: list[tuple[str, BucketResult, Checkable]] = []  # lowest ranks, in order

    def add(self, result: BucketResult, checkable: Checkable | None) -> list[BucketResult]:
        """Start a public bucket's check, hold a private one that may be sampled; what can be
        reported now is returned."""
        check = None if result.missing or checkable is None else bucket_check(result.access)
        if check is None or checkable is None or self._stop.requested:
            return [result]
        if check is Exposure.PUBLIC:
            self._start(result, checkable)
            return []
        self._held.append((sample_rank(result.ref.account, result.ref.name), result, checkable))
        self._held.sort(key=lambda held: held[0])
        released = self._held[PRIVATE_BUCKETS_SAMPLED:]
        del self._held[PRIVATE_BUCKETS_SAMPLED:]
        return [held for _, held, _ in released]

    def ready(self) -> list[BucketResult]:
        """The buckets whose check has finished."""
        done = [pair for pair in self._running if pair[0].done()]
        self._running = [pair for pair in self._running if not pair[0].done()]
        return [self._outcome(future, original) for future, original in done]

    def finish(self) -> Iterator[BucketResult]:
        """Check the sampled private buckets, then hand back every bucket once its check ends
        (unchecked, when a stop request came first)."""
        held, self._held = self._held, []
        for _, result, checkable in held:
            if self._stop.requested:
                yield result
            else:
                self._start(result, checkable)
        while self._running:
            pending = {future for future, _ in self._running}
            wait(pending, timeout=_POLL_S)
            if self._stop.requested:
                for future in pending:
                    future.cancel()  # only those not started: a probe in flight ends in seconds
            yield from self.ready()

    def close(self) -> None:
        """Stop the threads; checks not started are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, result: BucketResult, checkable: Checkable) -> None:
        self._running.append((self._pool.submit(self._check, result, checkable), result))

    def _outcome(self, future: Future[BucketResult], original: BucketResult) -> BucketResult:
        if future.cancelled():
            return original
        try:
            return future.result()
        except Exception:  # noqa: BLE001 - a failed check leaves the bucket as it was judged
            return original

    def _check(self, result: BucketResult, checkable: Checkable) -> BucketResult:
        """The listing, then the sampled objects; each answer compared with its verdict."""
        bucket = checkable.bucket
        found: list[Verification] = []
        listing = self._ask(partial(self._provider.probe_listing, bucket), "", "")
        found.append(
            compare(
                result.access.list,
                probe_result(ProbeTarget.LISTING, None, listing),
                result.access.reasons,
            )
        )
        for exposure in _SAMPLED:
            sample = checkable.samples.get(exposure)
            if sample is None or self._stop.requested:
                continue
            key = sample.obj.key
            shown = redact_key(key) if self._redact_keys else key
            answer = self._ask(partial(self._provider.probe_object, bucket, sample.obj), key, shown)
            probe = probe_result(ProbeTarget.OBJECT, shown, answer)
            found.append(compare(sample.access.read, probe, sample.access.reasons))
        access = replace(
            result.access, reasons=(*result.access.reasons, *(item.reason for item in found))
        )
        return replace(result, access=access, verification=tuple(found))

    def _ask(self, call: Callable[[], ProbeAnswer], key: str, shown: str) -> ProbeAnswer:
        """One probe; whatever it raises is its answer, and SDK text never names a masked key."""
        try:
            answer = call()
        except Exception as error:  # noqa: BLE001 - a probe never fails the scan
            answer = ProbeAnswer("unsigned request", failure=f"{type(error).__name__}: {error}")
        if answer.failure is None:
            return answer
        failure = " ".join(scrub(answer.failure, key, shown).split())[:300]
        return replace(answer, failure=failure)
