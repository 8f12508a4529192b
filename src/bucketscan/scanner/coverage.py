"""Where a run looked: a finding gone since the baseline is resolved only where the run looked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bucketscan.records.common import Exposure
from bucketscan.scanner.findings import BucketResult, UnreadableObject
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.selection import in_scope

BucketPlace = tuple[str, str, str]  # provider, account, bucket
ObjectPlace = tuple[str, str, str, str]  # provider, account, bucket, key


@dataclass(frozen=True)
class Coverage:
    """Where a finished run looked, and how far."""

    options: ScanOptions
    complete: bool  # ran to its end: no signal stopped it
    buckets_scanned: frozenset[BucketPlace]  # every key range listed to its end, all judged
    unreadable: frozenset[ObjectPlace]  # analysed objects whose content could not be read


def coverage_of(
    options: ScanOptions,
    buckets: Iterable[BucketResult],
    unreadable: Iterable[UnreadableObject],
    *,
    complete: bool,
) -> Coverage:
    """The coverage of a run from its bucket results (one per key range with --key-split)."""
    seen: set[BucketPlace] = set()
    partial: set[BucketPlace] = set()
    for result in buckets:
        place = (result.ref.provider, result.ref.account, result.ref.name)
        seen.add(place)
        if result.truncated or result.listing_failed or result.objects_not_judged:
            partial.add(place)
    return Coverage(
        options=options,
        complete=complete,
        buckets_scanned=frozenset(seen - partial),
        unreadable=frozenset((u.provider, u.account, u.bucket, u.key) for u in unreadable),
    )


def reached(coverage: Coverage, place: ObjectPlace, exposure: str, *, keys_redacted: bool) -> bool:
    """Whether the run would have found this earlier finding again had it still been there.

    A sampled or prefix-limited run decides by the key, unless keys were masked (a masked key
    does not say whether the real one was in the sample); an interrupted or content-less run, a
    bucket not scanned to its end, and an object that could not be read reach nothing.
    """
    options = coverage.options
    if not coverage.complete or not options.content:
        return False
    if place[:3] not in coverage.buckets_scanned or place in coverage.unreadable:
        return False
    if exposure == Exposure.PRIVATE and not options.include_private:
        return False  # found with --include-private; this run does not look at private objects
    limited = options.sample < 1.0 or options.include_prefixes or options.exclude_prefixes
    if not limited:
        return True
    return not keys_redacted and in_scope(place[3], options, place[2])
