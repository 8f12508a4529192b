"""Bucket results of key-range work units joined back into one result per bucket."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bucketscan.records.common import BucketAccess, BucketRef, widest
from bucketscan.scanner.findings import BucketResult

MAX_JOINED_ERRORS = 40


def join_results(parts: Iterable[BucketResult]) -> BucketResult:
    """One bucket's result from the results of its key ranges (widest verdicts, summed counts)."""
    parts = tuple(parts)
    first = parts[0]
    access = BucketAccess(
        read=widest(*(part.access.read for part in parts)),
        list=widest(*(part.access.list for part in parts)),
        write=widest(*(part.access.write for part in parts)),
        reasons=tuple(dict.fromkeys(reason for part in parts for reason in part.access.reasons)),
    )
    errors = tuple(dict.fromkeys(error for part in parts for error in part.errors))
    return BucketResult(
        ref=first.ref,
        access=access,
        objects_listed=sum(part.objects_listed for part in parts),
        objects_readable=dict(sum((Counter(part.objects_readable) for part in parts), Counter())),
        objects_inspected=sum(part.objects_inspected for part in parts),
        objects_skipped=dict(sum((Counter(part.objects_skipped) for part in parts), Counter())),
        findings=sum(part.findings for part in parts),
        errors=errors[:MAX_JOINED_ERRORS],
        truncated=any(part.truncated for part in parts),
        objects_unreadable=dict(
            sum((Counter(part.objects_unreadable) for part in parts), Counter())
        ),
        objects_not_judged=dict(
            sum((Counter(part.objects_not_judged) for part in parts), Counter())
        ),
        objects_partly_read=sum(part.objects_partly_read for part in parts),
        objects_carried_forward=sum(part.objects_carried_forward for part in parts),
        listing_failed=any(part.listing_failed for part in parts),
        error_counts=dict(sum((Counter(part.error_counts) for part in parts), Counter())),
        website=any(part.website for part in parts),
        tags=first.tags,  # every range's bucket was described once: the same tags
    )


class ResultAssembler:
    """Holds the results of a bucket's key ranges until the last one arrives."""

    def __init__(self, units_per_bucket: int) -> None:
        self._expected = units_per_bucket
        self._parts: dict[BucketRef, list[BucketResult]] = {}
        self._planned: dict[BucketRef, int] = {}  # buckets cut into another number of ranges

    def expect(self, ref: BucketRef, units: int) -> None:
        """This bucket was cut into `units` ranges (its own plan, e.g. an inventory's)."""
        self._planned[ref] = units

    def add(self, part: BucketResult) -> BucketResult | None:
        """The bucket's joined result once every range has reported, else None."""
        expected = self._planned.get(part.ref, self._expected)
        if expected == 1:
            return part
        parts = self._parts.setdefault(part.ref, [])
        parts.append(part)
        if len(parts) < expected:
            return None
        del self._parts[part.ref]
        self._planned.pop(part.ref, None)
        return join_results(parts)
