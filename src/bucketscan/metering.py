"""Thread-safe counters of what a scan cost: requests sent and retried by kind, bytes read."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class RetryReason(StrEnum):
    """Why a request was sent again (or, once retries ran out, why its call failed)."""

    THROTTLED = "throttled"  # 503 SlowDown, 503 ServerBusy, 429
    SERVER_ERROR = "server_error"  # any other 5xx
    CONNECTION = "connection"  # refused, reset or closed without an answer
    TIMEOUT = "timeout"  # no answer in time
    OTHER = "other"  # a retryable answer of another kind (e.g. S3 RequestTimeout)


@dataclass(frozen=True)
class MeterReading:
    """A snapshot: calls and requests sent by kind, retries and exhausted calls by reason."""

    calls: dict[str, int]
    sent: dict[str, int]
    retries: dict[str, int]
    exhausted: dict[str, int]
    bytes_read: int


class Meter:
    """Counts requests sent by kind ("s3.ListObjectsV2", ...), their retries and bytes read.

    A logical call is one request plus its retries, so calls are requests sent minus retries.
    """

    def __init__(self, on_retry: Callable[[str, RetryReason], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._on_retry = on_retry  # --verbose: each retry as it happens
        self._sent: Counter[str] = Counter()
        self._retried: Counter[str] = Counter()
        self._reasons: Counter[str] = Counter()
        self._exhausted: Counter[str] = Counter()
        self._bytes = 0

    def request(self, kind: str, count: int = 1) -> None:
        """Record `count` requests of one kind sent on the wire (retries included)."""
        with self._lock:
            self._sent[kind] += count

    def retried(self, kind: str, reason: RetryReason) -> None:
        """Record that a request of `kind` is being sent again, and why."""
        with self._lock:
            self._retried[kind] += 1
            self._reasons[reason.value] += 1
        if self._on_retry is not None:
            self._on_retry(kind, reason)

    def exhausted(self, reason: RetryReason) -> None:
        """Record a call that failed for `reason` with no retry left (attempts or budget)."""
        with self._lock:
            self._exhausted[reason.value] += 1

    def read_bytes(self, count: int) -> None:
        """Record bytes of object content downloaded."""
        with self._lock:
            self._bytes += count

    def absorb(self, reading: MeterReading) -> None:
        """Add what another meter counted (a distributed worker's, for one work unit)."""
        with self._lock:
            self._sent.update(reading.sent)
            self._retried.update(
                {kind: sent - reading.calls.get(kind, 0) for kind, sent in reading.sent.items()}
            )
            self._reasons.update(reading.retries)
            self._exhausted.update(reading.exhausted)
            self._bytes += reading.bytes_read

    def requests(self) -> dict[str, int]:
        """Logical API calls by kind: requests sent minus their retries."""
        with self._lock:
            return {kind: sent - self._retried[kind] for kind, sent in self._sent.items()}

    def reading(self) -> MeterReading:
        """Everything counted so far."""
        calls = self.requests()
        with self._lock:
            return MeterReading(
                calls=calls,
                sent=dict(self._sent),
                retries=dict(self._reasons),
                exhausted=dict(self._exhausted),
                bytes_read=self._bytes,
            )

    @property
    def bytes_read(self) -> int:
        """Bytes of object content downloaded so far."""
        with self._lock:
            return self._bytes
