"""A circuit breaker: after repeated connection failures, calls to an endpoint fail at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


class EndpointUnreachableError(ConnectionError):
    """A call the open breaker did not send."""


class Breaker:
    """Counts consecutive connection failures; while open, callers are told to fail fast.

    Each failure it counts has already been retried by the SDK, so a few in a row mean the endpoint
    is gone: without this, every remaining call of a long scan would spend its whole retry budget.
    After `cooldown` seconds one call is let through again to probe the endpoint.
    """

    def __init__(
        self,
        threshold: int = 2,
        cooldown: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = threshold
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self.last_error = ""

    def allow(self) -> bool:
        """Whether a call may go out now (closed, or the cool-down has passed: one probe)."""
        with self._lock:
            if self._open_until is None:
                return True
            if self._clock() >= self._open_until:
                self._open_until = self._clock() + self._cooldown  # others wait for the probe
                return True
            return False

    def succeeded(self) -> None:
        """The endpoint answered (any HTTP status): close the breaker."""
        with self._lock:
            self._failures = 0
            self._open_until = None

    def failed(self, error: str) -> None:
        """A call could not reach the endpoint after its retries."""
        with self._lock:
            self._failures += 1
            self.last_error = error
            if self._failures >= self._threshold:
                self._open_until = self._clock() + self._cooldown

    def guard(self, call: Callable[[], T], unreachable: Callable[[BaseException], bool]) -> T:
        """Run one call through the breaker; `unreachable` says which errors count against it."""
        if not self.allow():
            message = f"endpoint unreachable, call not sent ({self.last_error})"
            raise EndpointUnreachableError(message)
        try:
            result = call()
        except Exception as error:
            if unreachable(error):
                self.failed(f"{type(error).__name__}: {error}")
            else:
                self.succeeded()  # the endpoint answered, with an error
            raise
        self.succeeded()
        return result

    def guard_each(
        self, items: Iterator[T], unreachable: Callable[[BaseException], bool]
    ) -> Iterator[T]:
        """Iterate a lazy listing, each fetch of the next item going through the breaker."""
        while True:
            try:
                item = self.guard(lambda: next(items), unreachable)
            except StopIteration:
                return
            yield item
