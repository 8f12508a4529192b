"""Stopping a scan early: SIGINT and SIGTERM become a request the engine honours, not an exception.

On the first signal the engine stops listing and downloading, lets the analysis in flight run for
GRACE_S, then cancels it; the report is written, marked incomplete. A second signal cancels the
analysis in flight at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

GRACE_S = 3.0  # leaves the rest of the 5 s promise to stopping the workers and the report
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stop:
    """A request to end a scan early; set from a signal handler, read by the engine's threads."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._signals: list[signal.Signals] = []

    def request(self, signum: int | None = None) -> None:
        """Ask the scan to stop, for a signal or (None) a failure; asked again for a signal,
        stop the analysis in flight too."""
        if signum is not None:
            self._signals.append(signal.Signals(signum))
        self._event.set()

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for."""
        return self._event.is_set()

    @property
    def insistent(self) -> bool:
        """Whether it was asked for more than once."""
        return len(self._signals) > 1

    @property
    def signal(self) -> signal.Signals | None:
        """The first signal that asked, if a signal asked."""
        return self._signals[0] if self._signals else None

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a stop request; whether one came."""
        return self._event.wait(timeout)


@contextmanager
def stop_on_signals(stop: Stop) -> Iterator[Stop]:
    """While the block runs, SIGINT and SIGTERM request `stop` (from the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.request(signum)

    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
