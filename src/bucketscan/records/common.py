"""Provider-neutral records that cross module boundaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bucketscan.records.facts import BucketFacts, ObjectFacts


# A bucket's tags (S3), labels (GCS) or metadata (Azure): (key, value) pairs sorted by key.
Tags = tuple[tuple[str, str], ...]


def tag_pairs(mapping: Mapping[str, str] | None) -> Tags:
    """A tag, label or metadata mapping as sorted (key, value) pairs."""
    return tuple(sorted((str(key), str(value)) for key, value in (mapping or {}).items()))


class Exposure(StrEnum):
    """Who can perform an action."""

    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    PRIVATE = "private"
    UNKNOWN = "unknown"


# Widest first: an unknown part never hides a known public part, and never reads as private.
_WIDTH = {
    Exposure.PUBLIC: 3,
    Exposure.AUTHENTICATED: 2,
    Exposure.UNKNOWN: 1,
    Exposure.PRIVATE: 0,
}


# Verdicts that let someone outside the owner's organisation in.
OUTSIDE = frozenset({Exposure.PUBLIC, Exposure.AUTHENTICATED})


def widest(*exposures: Exposure) -> Exposure:
    """Return the widest of some exposures (PRIVATE when given none)."""
    return max(exposures, key=_WIDTH.__getitem__, default=Exposure.PRIVATE)


@dataclass(frozen=True)
class BucketRef:
    """A bucket or container to scan: plain and serialisable."""

    provider: str
    account: str
    name: str
    region: str | None = None


@dataclass(frozen=True)
class KeyRange:
    """Keys after `start_after` up to and including `last` (None: to the end), in listing order."""

    start_after: str = ""
    last: str | None = None

    def passed(self, key: str) -> bool:
        """Whether a listing (sorted by key) has gone beyond this range."""
        return self.last is not None and key > self.last

    def holds(self, key: str) -> bool:
        """Whether a key lies inside the range."""
        return key > self.start_after and not self.passed(key)


@dataclass(frozen=True)
class WorkUnit:
    """A plain, serialisable unit of work: one bucket, or one key range of it."""

    ref: BucketRef
    keys: KeyRange = KeyRange()


def units_per_bucket(boundaries: tuple[str, ...]) -> int:
    """How many key ranges `split_keys` cuts every bucket into."""
    return len(set(boundaries)) + 1


def split_keys(ref: BucketRef, boundaries: tuple[str, ...]) -> tuple[WorkUnit, ...]:
    """A bucket cut at sorted boundaries: (.., b1], (b1, b2], … (bn, ..); one unit if none."""
    edges = sorted(set(boundaries))  # len(edges) + 1 units: see units_per_bucket
    starts, lasts = ["", *edges], [*edges, None]
    return tuple(
        WorkUnit(ref, KeyRange(start, last)) for start, last in zip(starts, lasts, strict=True)
    )


@dataclass(frozen=True)
class Bucket:
    """A bucket with every access fact its provider could gather."""

    ref: BucketRef
    facts: BucketFacts
    errors: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The bucket's name."""
        return self.ref.name


@dataclass(frozen=True)
class StoredObject:
    """One object of a bucket; `facts` holds per-object access facts once fetched."""

    key: str
    size: int
    content_type: str | None = None
    last_modified: datetime | None = None
    etag: str | None = None
    facts: ObjectFacts | None = None


@dataclass(frozen=True)
class BucketAccess:
    """Verdict for a bucket: read means at least some objects are readable."""

    read: Exposure
    list: Exposure
    write: Exposure
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ObjectAccess:
    """Verdict for one object's download."""

    read: Exposure
    reasons: tuple[str, ...]
