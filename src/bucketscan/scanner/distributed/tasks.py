"""What a Dask worker runs: list one target's buckets, or scan one work unit in its own engine.

Both take and return plain picklable records. A unit's engine opens the account's provider from
its spec in the worker, reads the exposed objects there and analyses them there (in the worker's
threads: a Dask worker process is daemonic and cannot start the analysis pool), so only events
(bucket results, findings, unreadable objects), never object bytes, go back to the coordinator.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, cast

from bucketscan.metering import Meter, MeterReading
from bucketscan.policies.access.registry import EVALUATORS
from bucketscan.providers.spec import Refused, Target
from bucketscan.providers.sweep import SweepProvider
from bucketscan.records.common import BucketRef, WorkUnit
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.engine import Engine, Event
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.meta import Interruption
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.stats import ScanStats

_POLL_S = 0.5  # how often a running unit asks whether the cluster's stop flag is set


@dataclass(frozen=True)
class Listing:
    """One target's buckets; `target` is a Refused when it could not be entered or listed."""

    target: Target
    refs: tuple[BucketRef, ...]
    meter: MeterReading


@dataclass(frozen=True)
class UnitOutcome:
    """What scanning one work unit gave: its events, and what it cost and counted."""

    unit: WorkUnit
    events: tuple[Event, ...]
    meter: MeterReading
    counts: dict[str, int]
    seconds: dict[str, float]
    interruption: Interruption | None


def list_target(target: Target) -> Listing:
    """Enter the target's account and list its buckets (UNLISTED, with why, when it cannot)."""
    meter = Meter()
    sweep = SweepProvider((target,), meter, ahead=1)
    refs = tuple(sweep.bucket_refs())
    reason = sweep.refusal(target.provider, target.account)
    if reason is not None and not isinstance(target, Refused):
        target = Refused(target.provider, target.account, reason)
    return Listing(target, refs, meter.reading())


def scan_unit(
    target: Target, unit: WorkUnit, options: ScanOptions, stop_flag: str | None = None
) -> UnitOutcome:
    """Scan one bucket or key range with the same engine, evaluation and detection as locally.

    `stop_flag` names the cluster's stop Event: once it is set, the unit winds down as a local
    scan does on SIGINT, and reports what it did not reach.
    """
    meter, stats, stop = Meter(), ScanStats(), Stop()
    provider = SweepProvider((target,), meter, ahead=1)
    analyzer = InlineAnalyzer(ocr_engine=options.ocr_engine) if options.content else None
    engine = Engine(
        provider,
        EVALUATORS[target.provider],
        replace(options, key_splits=()),  # the unit is one range already
        analyzer=analyzer,
        meter=meter,
        stats=stats,
        stop=stop,
    )
    with _stopped_by(stop_flag, stop):
        events = tuple(engine.run(units=(unit,)))
    return UnitOutcome(
        unit, events, meter.reading(), stats.counts(), stats.seconds(), engine.interruption()
    )


@contextmanager
def _stopped_by(flag: str | None, stop: Stop) -> Iterator[None]:
    """While the block runs, the cluster's stop Event (when named) requests `stop`."""
    if flag is None:
        yield
        return
    import distributed

    event = cast(Any, distributed).Event(flag)  # distributed ships no type hints
    if event.is_set():
        stop.request()
    finished = threading.Event()

    def watch() -> None:  # asks the scheduler twice a second; ends as soon as the unit does
        while not finished.wait(_POLL_S):
            if event.is_set():
                stop.request()
                return

    watcher = threading.Thread(target=watch, name="bucketscan-stop-flag", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()
