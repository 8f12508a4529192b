"""Caps on how many calls a scan has in flight to one account and to one bucket.

A scan shares the account's request rate with production traffic: however many threads the
scan runs, at most `per_account` of its calls (with their retries and backoff) are in flight to
one account and `per_bucket` to one bucket.

Example: ``with cap.slot("123456789012", "uploads"): s3.get_bucket_acl(Bucket="uploads")``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

PER_ACCOUNT = 16
PER_BUCKET = 8


class ConcurrencyCap:
    """One semaphore per account and per bucket, made on first use."""

    def __init__(self, per_account: int = PER_ACCOUNT, per_bucket: int = PER_BUCKET) -> None:
        if per_account < 1 or per_bucket < 1:
            raise ValueError("concurrency caps must be at least 1")
        self.per_account = per_account
        self.per_bucket = per_bucket
        self._lock = threading.Lock()
        self._slots: dict[tuple[str, str | None], threading.BoundedSemaphore] = {}

    def _semaphore(self, account: str, bucket: str | None) -> threading.BoundedSemaphore:
        with self._lock:
            semaphore = self._slots.get((account, bucket))
            if semaphore is None:
                size = self.per_account if bucket is None else self.per_bucket
                semaphore = self._slots[(account, bucket)] = threading.BoundedSemaphore(size)
            return semaphore

    @contextmanager
    def slot(self, account: str, bucket: str | None = None) -> Iterator[None]:
        """Hold one of the bucket's slots (if named) and one of the account's for a call."""
        # Always bucket before account, so two callers never wait on each other in a cycle.
        held = [self._semaphore(account, bucket)] if bucket is not None else []
        held.append(self._semaphore(account, None))
        acquired: list[threading.BoundedSemaphore] = []
        try:
            for semaphore in held:
                semaphore.acquire()
                acquired.append(semaphore)
            yield
        finally:
            for semaphore in reversed(acquired):
                semaphore.release()

    def call(self, account: str, bucket: str | None, function: Callable[[], T]) -> T:
        """Run one call inside a slot."""
        with self.slot(account, bucket):
            return function()

    def each(self, items: Iterator[T], account: str, bucket: str | None) -> Iterator[T]:
        """Iterate a lazy listing, each fetch of the next item inside a slot."""
        while True:
            with self.slot(account, bucket):
                try:
                    item = next(items)
                except StopIteration:
                    return
            yield item
