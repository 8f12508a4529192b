"""Live counters of a running scan, read by the progress display and the summary."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable


class ScanStats:
    """Thread-safe counts (buckets, objects, findings) and seconds spent per stage; with a
    listener (`--verbose`), also notes of what happens as it happens."""

    def __init__(self, on_note: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._seconds: dict[str, float] = {}
        self._on_note = on_note

    @property
    def noting(self) -> bool:
        """Whether anyone listens to notes (so callers skip building them otherwise)."""
        return self._on_note is not None

    def note(self, message: str) -> None:
        """Pass one line to the listener, if any (called from any thread)."""
        if self._on_note is not None:
            self._on_note(message)

    def add(self, **counts: int) -> None:
        """Add to named counters."""
        with self._lock:
            self._counts.update(counts)

    def add_time(self, stage: str, seconds: float) -> None:
        """Add seconds spent in a stage (summed over threads and workers)."""
        with self._lock:
            self._seconds[stage] = self._seconds.get(stage, 0.0) + seconds

    def count(self, name: str) -> int:
        """One counter's value."""
        with self._lock:
            return self._counts[name]

    def counts(self) -> dict[str, int]:
        """Every counter at one instant (a consistent snapshot for the progress display)."""
        with self._lock:
            return dict(self._counts)

    def seconds(self) -> dict[str, float]:
        """Seconds per stage, rounded."""
        with self._lock:
            return {stage: round(value, 3) for stage, value in self._seconds.items()}
