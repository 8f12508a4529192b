"""Thread-safe counters of what a scan cost: API requests by kind and bytes read."""

from __future__ import annotations

import threading
from collections import Counter


class Meter:
    """Counts API requests by kind ("s3.ListObjectsV2", ...) and bytes downloaded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._bytes = 0

    def request(self, kind: str, count: int = 1) -> None:
        """Record `count` API requests of one kind."""
        with self._lock:
            self._requests[kind] += count

    def read_bytes(self, count: int) -> None:
        """Record bytes of object content downloaded."""
        with self._lock:
            self._bytes += count

    def requests(self) -> dict[str, int]:
        """A snapshot of request counts by kind."""
        with self._lock:
            return dict(self._requests)

    @property
    def bytes_read(self) -> int:
        """Bytes of object content downloaded so far."""
        with self._lock:
            return self._bytes
