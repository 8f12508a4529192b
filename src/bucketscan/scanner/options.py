"""What a user can ask of a scan."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_OBJECT_BYTES = 20 * 1024 * 1024


def default_workers() -> int:
    """One content worker per core."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ScanOptions:
    """Limits and switches of one scan; every field is plain data so it can travel to workers."""

    content: bool = True
    include_private: bool = False
    max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES
    max_objects_per_bucket: int | None = None
    sample: float = 1.0
    include_prefixes: tuple[str, ...] = ()
    exclude_prefixes: tuple[str, ...] = ()
    workers: int = 0
    io_threads: int = 8
    ocr_engine: str = "auto"  # an OcrEngine value
    key_splits: tuple[str, ...] = ()  # cut every bucket into key ranges listed in parallel
    redact_keys: bool = False  # mask names and numbers in object keys (reports that leave the team)
    verify_anonymous: bool = False  # after the verdicts, check them with unsigned requests

    @property
    def worker_count(self) -> int:
        """Content workers to start (0 means one per core)."""
        return self.workers or default_workers()
