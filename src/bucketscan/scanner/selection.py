"""Which listed objects a scan looks inside, decided before anything is downloaded."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from bucketscan.policies.exposure import NotJudged
from bucketscan.records.common import StoredObject
from bucketscan.scanner.options import ScanOptions

# Formats that cannot hold a scanned ID or a résumé we can read; skipped before download.
_SKIPPED_SUFFIXES = frozenset(
    {
        ".mp4", ".mov", ".avi", ".mkv", ".webm", ".mp3", ".wav", ".flac", ".aac", ".ogg",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".iso", ".dmg",
        ".exe", ".dll", ".so", ".bin", ".class", ".jar", ".wasm", ".pyc",
        ".parquet", ".avro", ".orc", ".db", ".sqlite", ".log",
        ".js", ".css", ".map", ".woff", ".woff2", ".ttf", ".otf", ".ico", ".svg",
    }
)  # fmt: skip
_SKIPPED_TYPES = ("video/", "audio/", "font/")
# Formats whose first bytes can be read on their own: a large one is read up to the byte limit.
_PREFIX_READABLE_SUFFIXES = frozenset(
    {".txt", ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".md", ".html", ".htm", ".xml"}
)
_PREFIX_READABLE_TYPES = ("text/", "application/json", "application/x-ndjson")

TOO_LARGE = NotJudged.TOO_LARGE


def in_scope(key: str, options: ScanOptions, bucket: str) -> bool:
    """Whether a key falls inside the include/exclude prefixes and the reproducible sample."""
    if options.include_prefixes and not key.startswith(options.include_prefixes):
        return False
    if options.exclude_prefixes and key.startswith(options.exclude_prefixes):
        return False
    return options.sample >= 1.0 or sample_point(bucket, key) < options.sample


def sample_point(bucket: str, key: str) -> float:
    """A stable number in [0, 1) for a key, so that `--sample` picks the same keys every run."""
    digest = hashlib.blake2b(f"{bucket}/{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def skip_reason(obj: StoredObject, options: ScanOptions) -> str | None:
    """Why an object is not worth downloading, or None to inspect it."""
    if obj.size == 0 or obj.key.endswith("/"):
        return "empty"
    if PurePosixPath(obj.key.lower()).suffix in _SKIPPED_SUFFIXES:
        return "file_type"
    if obj.content_type and obj.content_type.lower().startswith(_SKIPPED_TYPES):
        return "content_type"
    if obj.size > options.max_object_bytes and not prefix_readable(obj):
        return TOO_LARGE
    return None


def prefix_readable(obj: StoredObject) -> bool:
    """Whether the object's first bytes make sense alone (plain text, CSV, JSON lines…)."""
    if PurePosixPath(obj.key.lower()).suffix in _PREFIX_READABLE_SUFFIXES:
        return True
    content_type = (obj.content_type or "").lower()
    return content_type.startswith(_PREFIX_READABLE_TYPES)
