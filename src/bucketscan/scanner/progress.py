"""A live progress line on a terminal; nothing at all when output is not a TTY."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext

from rich.console import Console, RenderableType
from rich.live import Live
from rich.text import Text

from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.stats import ScanStats


class _StatsLine:
    """Renders the current counters each time rich refreshes."""

    def __init__(self, stats: ScanStats, stop: Stop | None) -> None:
        self._stats = stats
        self._stop = stop

    def __rich__(self) -> RenderableType:
        count = self._stats.count
        line = Text.assemble(
            ("scanning ", "bold"),
            f"buckets {count('buckets_done')}/{count('buckets_total')}  ",
            f"objects listed {count('objects_listed'):,}  ",
            f"inspected {count('objects_inspected'):,}  ",
            ("findings ", "bold red" if count("findings") else ""),
            f"{count('findings')}  ",
            ("could not read ", "magenta" if count("objects_unreadable") else ""),
            f"{count('objects_unreadable'):,}",
        )
        signal = self._stop.signal if self._stop is not None else None
        if signal is not None:
            line.append(f"  stopping ({signal.name}): finishing the analysis in flight", "yellow")
        return line


def live_progress(
    stats: ScanStats, *, quiet: bool, stop: Stop | None = None
) -> AbstractContextManager[object]:
    """A rich live display on stderr, or a no-op when quiet or not on a terminal."""
    if quiet or not sys.stderr.isatty():
        return nullcontext()
    return Live(_StatsLine(stats, stop), console=Console(stderr=True), refresh_per_second=4)
