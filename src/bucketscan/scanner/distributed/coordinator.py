"""The coordinator of a Dask scan: targets listed and units scanned as tasks, events streamed back.

It stays light (the machine it runs on may also be a worker): it submits tasks, keeps a bounded
number in flight (at most `account_concurrency` units of one account at once, so a sweep never
piles every worker onto one account's request rate), merges what each task counted, and joins
key-range results as the local engine does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from bucketscan.metering import Meter
from bucketscan.providers.base import UNLISTED
from bucketscan.providers.spec import Target
from bucketscan.records.common import BucketRef, WorkUnit, split_keys, units_per_bucket
from bucketscan.scanner.assembly import ResultAssembler
from bucketscan.scanner.distributed.account_queue import AccountQueue
from bucketscan.scanner.distributed.tasks import Listing, UnitOutcome, list_target, scan_unit
from bucketscan.scanner.engine import Event, unknown_bucket
from bucketscan.scanner.findings import BucketResult
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.meta import Interruption
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.stats import ScanStats

ACCOUNT_CONCURRENCY = 4  # units of one account scanned at once, over the whole cluster
_POLL_S = 0.02  # how long the coordinator sleeps when no task has finished
_LISTING_PRIORITY = 10  # listings first: the sooner every bucket is known, the sooner ranges run
# Counters the coordinator keeps itself: per task they would count every unit as a whole scan.
_OWN_COUNTS = frozenset({"buckets_total", "buckets_known", "buckets_done", "units_total"})

_Key = tuple[str, str]  # (provider, account)


@dataclass
class _Stopped:
    """What a stop request left unreached, gathered from the coordinator and every unit."""

    not_reached: dict[str, None] = field(default_factory=dict)
    unfinished: dict[str, None] = field(default_factory=dict)
    listing_stopped: bool = False
    not_analysed: int = 0

    def add(self, interruption: Interruption | None) -> None:
        if interruption is None:
            return
        self.not_reached.update(dict.fromkeys(interruption.buckets_not_reached))
        self.unfinished.update(dict.fromkeys(interruption.buckets_unfinished))
        self.listing_stopped |= interruption.bucket_listing_stopped
        self.not_analysed += interruption.objects_not_analysed


class DaskSweep:
    """Scans targets on a Dask cluster; `run` yields events as the local Engine's does."""

    def __init__(
        self,
        client: Any,
        targets: Iterable[Target],
        options: ScanOptions,
        *,
        meter: Meter,
        stats: ScanStats,
        stop: Stop | None = None,
        account_concurrency: int = ACCOUNT_CONCURRENCY,
    ) -> None:
        self._client = client
        self._targets = tuple(targets)
        self._options = options
        self._meter = meter
        self._stats = stats
        self._stop = stop or Stop()
        self._queue: AccountQueue[_Key, tuple[Target, WorkUnit]] = AccountQueue(account_concurrency)
        self._stopped = _Stopped()
        self._stopped_in_run = False

    def run(self) -> Iterator[Event]:
        """Every target's buckets scanned on the cluster; events as each unit's task finishes."""
        import distributed

        dask = cast(Any, distributed)  # distributed ships no type hints
        flag_name = f"bucketscan-stop-{uuid.uuid4().hex}"
        flag = dask.Event(flag_name, client=self._client)
        assembler = ResultAssembler(units_per_bucket(self._options.key_splits))
        done = dask.as_completed()
        listings: dict[Any, Target] = {}
        units: dict[Any, tuple[_Key, WorkUnit]] = {}
        limit = 2 * max(1, sum(self._client.nthreads().values()))
        for target in self._targets:
            future = self._client.submit(
                list_target, target, pure=False, priority=_LISTING_PRIORITY
            )
            listings[future] = target
            done.add(future)
        stopping = False
        try:
            while listings or units or len(self._queue):
                if self._stop.requested and not stopping:
                    stopping = True
                    flag.set()  # running units wind down; queued ones report not reached
                    yield from self._joined(assembler, self._abandon(listings, done))
                while not stopping and len(units) < limit:
                    taken = self._queue.take()
                    if taken is None:
                        break
                    key, (target, unit) = taken
                    future = self._client.submit(
                        scan_unit, target, unit, self._options, flag_name, pure=False
                    )
                    units[future] = (key, unit)
                    done.add(future)
                batch = done.next_batch(block=False) if done.has_ready() else []
                if not batch:
                    time.sleep(_POLL_S)
                    continue
                for future in batch:
                    if future in listings:
                        target = listings.pop(future)
                        yield from self._joined(assembler, self._listed(future, target))
                        if not listings:
                            self._stats.add(buckets_known=1)
                    elif future in units:  # else a listing cancelled by a stop request
                        key, unit = units.pop(future)
                        self._queue.done(key)
                        yield from self._joined(assembler, self._scanned(future, unit))
            self._stopped_in_run = self._stop.requested
        except BaseException:
            flag.set()
            self._client.cancel([*listings, *units])
            raise

    def interruption(self) -> Interruption | None:
        """What a stop request left unreached, when one came before the scan's end."""
        if not self._stopped_in_run:
            return None
        signal = self._stop.signal
        return Interruption(
            signal=signal.name if signal is not None else "stop",
            buckets_not_reached=tuple(self._stopped.not_reached),
            buckets_unfinished=tuple(self._stopped.unfinished),
            bucket_listing_stopped=self._stopped.listing_stopped,
            objects_not_analysed=self._stopped.not_analysed,
        )

    def _joined(self, assembler: ResultAssembler, events: Iterable[Event]) -> Iterator[Event]:
        """Events as they come; a bucket's result once every one of its ranges has reported."""
        for event in events:
            if not isinstance(event, BucketResult):
                yield event
                continue
            joined = assembler.add(event)
            if joined is not None:
                self._stats.add(buckets_done=1)
                yield joined

    def _listed(self, future: Any, target: Target) -> list[Event]:
        """Queue the units of a listed target; a target the stop request reached is not queued."""
        try:
            listing: Listing = future.result()
        except Exception as error:  # noqa: BLE001 - a lost worker: the account is unknown, not safe
            ref = BucketRef(target.provider, target.account, UNLISTED)
            reason = f"could not list on a worker: {type(error).__name__}: {error}"
            self._stats.add(buckets_total=1)
            return self._unreached(self._split(ref), reason, noted=False)
        self._meter.absorb(listing.meter)
        self._stats.add(buckets_total=len(listing.refs))
        key = (target.provider, target.account)
        ranges = [unit for ref in listing.refs for unit in self._split(ref)]
        if self._stop.requested:
            return self._unreached(ranges, self._stop_reason(), noted=True)
        for unit in ranges:
            self._queue.add(key, (listing.target, unit))
        return []

    def _scanned(self, future: Any, unit: WorkUnit) -> tuple[Event, ...]:
        """One unit's events, its counts merged; a task that failed gives an unknown bucket."""
        try:
            outcome: UnitOutcome = future.result()
        except Exception as error:  # noqa: BLE001 - a lost worker: the bucket is unknown, not safe
            self._stats.add(units_listed=1)
            reason = f"could not scan on a worker: {type(error).__name__}: {error}"
            return (unknown_bucket(unit.ref, reason),)
        self._meter.absorb(outcome.meter)
        self._stats.add(**{k: v for k, v in outcome.counts.items() if k not in _OWN_COUNTS})
        for stage, seconds in outcome.seconds.items():
            self._stats.add_time(stage, seconds)
        self._stopped.add(outcome.interruption)
        return outcome.events

    def _abandon(self, listings: dict[Any, Target], done: Any) -> list[Event]:
        """On a stop request: listings not finished are cancelled, queued units not started."""
        events: list[Event] = []
        pending = [future for future in listings if not future.done()]
        self._client.cancel(pending)
        for future in pending:
            target = listings.pop(future)
            self._stopped.listing_stopped = True
            self._stats.add(buckets_total=1)
            ref = BucketRef(target.provider, target.account, UNLISTED)
            reason = f"{self._stop_reason()}'s listing"
            events.extend(self._unreached(self._split(ref), reason, noted=False))
        if not listings:
            self._stats.add(buckets_known=1)
        queued = [unit for _, unit in self._queue.drain()]
        events.extend(self._unreached(queued, self._stop_reason(), noted=True))
        return events

    def _split(self, ref: BucketRef) -> tuple[WorkUnit, ...]:
        units = split_keys(ref, self._options.key_splits)
        self._stats.add(units_total=len(units))
        return units

    def _unreached(self, units: Iterable[WorkUnit], reason: str, *, noted: bool) -> list[Event]:
        """Units that will not run: unknown, never safe; `noted`, their buckets not reached."""
        events: list[Event] = []
        for unit in units:
            self._stats.add(units_listed=1)
            events.append(unknown_bucket(unit.ref, reason))
            if noted:
                self._stopped.not_reached[unit.ref.name] = None
        return events

    def _stop_reason(self) -> str:
        signal = self._stop.signal
        name = signal.name if signal is not None else "stop"
        return f"not scanned: the scan was interrupted ({name}) before this bucket"
