"""What `--fail-on` counts: a pure decision over a finished scan's tally, not over its report.

For `exposure`, "unknown" counts as exposed: a bucket whose every configuration call was denied
may be the public one. `finding` counts exposed or possibly exposed ID documents and résumés;
`unreadable` adds exposed objects whose content could not be read; `new` counts findings that
the baseline does not hold. Muted findings (the mutelist accepts them) count for none of these,
and an intended-public bucket's own exposure does not count for `exposure`; the ID documents
found in it still do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bucketscan.policies.exposure import possibly_exposed
from bucketscan.records.common import Exposure


class FailOn(StrEnum):
    """What makes a scan exit 1."""

    FINDING = "finding"  # an exposed or possibly exposed ID document or résumé
    UNREADABLE = "unreadable"  # that, or an exposed object whose content could not be read
    NEW = "new"  # a finding not in --baseline
    EXPOSURE = "exposure"  # any bucket readable or listable from outside, or possibly so
    NEVER = "never"


# What needs the content read: meaningless with --no-content.
NEEDS_CONTENT = frozenset({FailOn.FINDING, FailOn.UNREADABLE, FailOn.NEW})


@dataclass(frozen=True)
class ScanTally:
    """What a finished scan found, as far as `--fail-on` looks."""

    buckets_exposed: int  # buckets readable or listable from outside, or possibly so
    findings: tuple[Exposure, ...]  # the exposure of each finding the mutelist does not mute
    unreadable: tuple[tuple[Exposure, bool], ...]  # each unreadable object: exposure, failed
    new_findings: int | None  # None without a baseline; muted ones left out
    buckets_not_listed: int  # possibly readable buckets whose listing failed
    buckets_intended_public: int = 0  # of buckets_exposed, those the mutelist says are meant to be
    # Unreadable objects of intended-public buckets: they count for `unreadable`, not `exposure`.
    unreadable_intended: tuple[tuple[Exposure, bool], ...] = ()
    muted_findings: int = 0  # findings the mutelist mutes: counted for nothing


@dataclass(frozen=True)
class Untold:
    """What kept a scan from judging exposed objects."""

    objects_failed: int  # exposed objects that could not be downloaded or analysed
    buckets_not_listed: int

    def __bool__(self) -> bool:
        return bool(self.objects_failed or self.buckets_not_listed)


def names_something(tally: ScanTally, fail_on: FailOn) -> bool:
    """Whether the scan found what `fail_on` names."""
    if fail_on is FailOn.NEVER:
        return False
    if fail_on is FailOn.EXPOSURE:
        exposures = (*tally.findings, *(exposure for exposure, _ in tally.unreadable))
        unintended = tally.buckets_exposed - tally.buckets_intended_public
        return unintended > 0 or any(map(possibly_exposed, exposures))
    if fail_on is FailOn.NEW:
        return bool(tally.new_findings)
    if any(map(possibly_exposed, tally.findings)):
        return True
    unread = (*tally.unreadable, *tally.unreadable_intended)
    return fail_on is FailOn.UNREADABLE and any(
        possibly_exposed(exposure) for exposure, _ in unread
    )


def untold(tally: ScanTally, fail_on: FailOn) -> Untold:
    """What the scan could not tell that `fail_on` needed (nothing for `exposure`/`never`)."""
    if fail_on not in NEEDS_CONTENT:
        return Untold(0, 0)
    items = (*tally.unreadable, *tally.unreadable_intended)
    failed = sum(1 for exposure, fail in items if fail and possibly_exposed(exposure))
    return Untold(failed, tally.buckets_not_listed)
