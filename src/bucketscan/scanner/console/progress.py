"""Live progress bars on a terminal (rate, and ETA once totals are known); nothing when output is
not a TTY."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.stats import ScanStats


@dataclass(frozen=True)
class ProgressState:
    """What the bars show; a total is None while it is still growing (a spinner, no ETA)."""

    buckets_done: int
    buckets_total: int | None
    objects_listed: int
    objects_checked: int
    objects_due: int | None
    findings: int
    unreadable: int


def progress_state(counts: Mapping[str, int]) -> ProgressState:
    """The bars' values from the scan's counters.

    Buckets have a total once the bucket listing ended; objects to check (read or judged from
    their facts) once, in addition, every bucket's object listing ended.
    """
    buckets_known = bool(counts.get("buckets_known"))
    listings_done = counts.get("units_listed", 0) >= counts.get("units_total", 0)
    return ProgressState(
        buckets_done=counts.get("buckets_done", 0),
        buckets_total=counts.get("buckets_total", 0) if buckets_known else None,
        objects_listed=counts.get("objects_listed", 0),
        objects_checked=counts.get("objects_done", 0),
        objects_due=counts.get("objects_queued", 0) if buckets_known and listings_done else None,
        findings=counts.get("findings", 0),
        unreadable=counts.get("objects_unreadable", 0),
    )


class CountColumn(ProgressColumn):
    """Done of total, or done alone while the total is unknown."""

    def render(self, task: Task) -> Text:
        """The count."""
        done = int(task.completed)
        shown = f"{done:,}" if task.total is None else f"{done:,}/{int(task.total):,}"
        return Text(shown, style="progress.download")


class RateColumn(ProgressColumn):
    """Items per second over the last half minute."""

    def render(self, task: Task) -> Text:
        """The rate, or nothing before there is one."""
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


class ScanProgress(Progress):
    """Bars for buckets, objects listed and objects checked, fed from ScanStats at each refresh."""

    def __init__(self, stats: ScanStats, stop: Stop | None, console: Console) -> None:
        self._stats = stats  # set first: rich renders once while constructing
        self._stop = stop
        self._bars: tuple[TaskID, TaskID, TaskID] | None = None
        super().__init__(
            SpinnerColumn(),
            TextColumn("{task.description:<16}"),
            BarColumn(),
            CountColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=console,
            refresh_per_second=4,
        )
        self._bars = (
            self.add_task("buckets", total=None),
            self.add_task("objects listed", total=None),
            self.add_task("objects checked", total=None),
        )

    def sync(self) -> ProgressState:
        """Copy the current counters into the bars."""
        state = progress_state(self._stats.counts())
        if self._bars is not None:
            buckets, listed, checked = self._bars
            self.update(buckets, completed=state.buckets_done, total=state.buckets_total)
            self.update(listed, completed=state.objects_listed)
            self.update(checked, completed=state.objects_checked, total=state.objects_due)
        return state

    def get_renderables(self) -> Iterable[RenderableType]:
        """The bars, then a line with findings so far and a stop request, if any."""
        state = self.sync()
        yield from super().get_renderables()
        line = Text.assemble(
            ("findings ", "bold red" if state.findings else ""),
            f"{state.findings:,}  ",
            ("could not read ", "magenta" if state.unreadable else ""),
            f"{state.unreadable:,}",
        )
        signal = self._stop.signal if self._stop is not None else None
        if signal is not None:
            line.append(f"  stopping ({signal.name}): finishing the analysis in flight", "yellow")
        yield line


def live_progress(
    stats: ScanStats, *, quiet: bool, stop: Stop | None = None, console: Console | None = None
) -> AbstractContextManager[object]:
    """Progress bars on stderr, or a no-op when quiet or not on a terminal."""
    if quiet or not sys.stderr.isatty():
        return nullcontext()
    return ScanProgress(stats, stop, console or Console(stderr=True))
