"""Live counters of a running scan, read by the progress display and the summary."""

from __future__ import annotations

import threading
from collections import Counter


class ScanStats:
    """Thread-safe counts (buckets, objects, findings) and seconds spent per stage."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._seconds: dict[str, float] = {}

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

    def seconds(self) -> dict[str, float]:
        """Seconds per stage, rounded."""
        with self._lock:
            return {stage: round(value, 3) for stage, value in self._seconds.items()}
