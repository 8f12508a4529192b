"""CPU seconds for the benchmarks: this process and its finished children (Tesseract)."""

from __future__ import annotations

import os


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
