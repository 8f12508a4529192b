"""Runs work units (plain WorkUnit records) and streams their events back to the caller."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from bucketscan.records.common import WorkUnit

E = TypeVar("E")
Job = Callable[[WorkUnit, Callable[[E], None]], None]


class WorkExecutor(Protocol):
    """Runs a job on every unit; a distributed executor implements the same method."""

    def run(self, units: Iterable[WorkUnit], job: Job[E]) -> Iterator[E]:
        """Yield the events the jobs emit, in the caller's thread, until every unit is done."""
        ...


class _Done:
    """Marks the end of one unit in the event queue."""


class LocalExecutor:
    """A thread pool on this machine; events come back through one queue."""

    def __init__(self, threads: int) -> None:
        self._threads = threads

    def run(self, units: Iterable[WorkUnit], job: Job[E]) -> Iterator[E]:
        """Run units with bounded concurrency, yielding events as they arrive."""
        events: queue.Queue[E | _Done | BaseException] = queue.Queue()
        slots = threading.BoundedSemaphore(self._threads * 2)

        def work(unit: WorkUnit) -> None:
            try:
                job(unit, events.put)
            except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
                events.put(error)
            finally:
                slots.release()  # before _Done, so the caller finds the slot free when it sees it
                events.put(_Done())

        submitted = finished = 0
        pending_units = iter(units)
        exhausted = False
        with ThreadPoolExecutor(self._threads, thread_name_prefix="bucketscan-bucket") as pool:
            while True:
                while not exhausted and slots.acquire(blocking=False):
                    unit = next(pending_units, None)
                    if unit is None:
                        slots.release()
                        exhausted = True
                    else:
                        pool.submit(work, unit)
                        submitted += 1
                if exhausted and finished == submitted:
                    return
                event = events.get()
                if isinstance(event, _Done):
                    finished += 1
                elif isinstance(event, BaseException):
                    raise event
                else:
                    yield event
