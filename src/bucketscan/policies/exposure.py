"""One definition of "exposed or possibly exposed", read by exit codes, summaries and writers.

Unknown is never safe: a verdict nobody could settle counts as possibly exposed, an object whose
content was not judged is counted with why, and a bucket that could not be listed while object
grants can open any of its objects has an unknown read verdict, never a private one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from bucketscan.records.common import BucketAccess, Exposure, widest

# Verdicts that may let someone outside in: the known ones, and the ones nobody could settle.
POSSIBLY_EXPOSED = frozenset({Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.UNKNOWN})


def possibly_exposed(exposure: Exposure) -> bool:
    """Whether someone outside can, or may, do it."""
    return exposure in POSSIBLY_EXPOSED


def bucket_possibly_exposed(access: BucketAccess) -> bool:
    """Whether a bucket's objects or its file list are, or may be, readable from outside."""
    return possibly_exposed(access.read) or possibly_exposed(access.list)


class NotJudged(StrEnum):
    """Why the content of an exposed or possibly exposed object was never analysed."""

    CONTENT_OFF = "content_analysis_off"  # --no-content
    TOO_LARGE = "too_large"  # over --max-object-bytes and not readable in part
    DOWNLOAD_FAILED = "download_failed"  # GetObject denied, throttled, ...
    ANALYSIS_FAILED = "analysis_failed"  # the worker crashed or gave up


# Not judged because something failed, not because the user asked: the scan could not tell.
FAILED = frozenset({NotJudged.DOWNLOAD_FAILED, NotJudged.ANALYSIS_FAILED})

UNLISTED_REASON = (
    "read: the objects could not be listed and object-level grants can make any of them "
    "readable, so read is unknown"
)


def unlisted_read(access: BucketAccess, object_grants_count: bool) -> BucketAccess:
    """A bucket whose listing failed: where object grants count, its read verdict is unknown."""
    if not object_grants_count or possibly_exposed(access.read):
        return access
    return BucketAccess(
        read=widest(access.read, Exposure.UNKNOWN),
        list=access.list,
        write=access.write,
        reasons=(*access.reasons, UNLISTED_REASON),
    )


# Extraction notes that say how a file was read, not that part of it went unread.
_HOW_READ = re.compile(
    "|".join(
        (
            r"text decoded as ",
            r"read after turning it",
            r"read the part of the page that has content",
            r"card shape from the whole image",
            r"rendered as an image$",
            r"PDF text from pypdf",
            r"trying pypdf$",
            r"MRZ band located by shape only",
            r"OCR skipped: no text-like line structure",
            r"^empty file",
        )
    )
)


def limits_reading(note: str) -> bool:
    """Whether a note says part of the file went unread (a cap, a refusal, a failure).

    Any note not known to be harmless counts: a new limit is never mistaken for a clean read.
    """
    return _HOW_READ.search(note) is None


def reading_limits(notes: tuple[str, ...]) -> tuple[str, ...]:
    """The notes that say part of a file went unread."""
    return tuple(note for note in notes if limits_reading(note))


# How each cloud says "no such bucket" when a listing fails: S3, GCS, Azure.
_NOT_FOUND = re.compile(r"NoSuchBucket|ContainerNotFound|NotFound: 404 ")
LISTING_FAILED = "listing failed: "


def bucket_missing(errors: tuple[str, ...]) -> bool:
    """Whether a bucket's errors say it does not exist (its listing answered not-found)."""
    return any(
        error.startswith(LISTING_FAILED) and _NOT_FOUND.search(error) is not None
        for error in errors
    )


def widened_by_objects(access: BucketAccess, widest_object: Exposure) -> BucketAccess:
    """A bucket's verdicts once its objects are judged: read is at least as wide as the widest
    object's (object ACLs can open objects the bucket's own grants do not)."""
    read = widest(access.read, widest_object)
    if read is access.read:
        return access
    why = f"some objects are readable ({read.value}) by object-level grants"
    return replace(access, read=read, reasons=(*access.reasons, why))
