"""What `--fail-on` counts, as a table over scan tallies (policies/fail_on.py)."""

from __future__ import annotations

import pytest

from bucketscan.policies.fail_on import FailOn, ScanTally, names_something, untold
from bucketscan.policies.severity import Severity, at_least
from bucketscan.records.common import Exposure

PUB, UNK, PRIV = Exposure.PUBLIC, Exposure.UNKNOWN, Exposure.PRIVATE
CLEAN = ScanTally(0, (), (), None, 0)
UNKNOWN_BUCKET = ScanTally(1, (), (), None, 0)  # every configuration call was denied
PUBLIC_FINDING = ScanTally(1, (PUB,), (), 0, 0)
UNKNOWN_FINDING = ScanTally(1, (UNK,), (), 0, 0)
PRIVATE_FINDING = ScanTally(0, (PRIV,), (), None, 0)
UNREAD = ScanTally(1, (), ((PUB, True),), None, 0)
NEW_FINDING = ScanTally(1, (PUB,), (), 1, 0)


@pytest.mark.parametrize(
    ("tally", "fail_on", "named"),
    [
        (CLEAN, FailOn.EXPOSURE, False),
        (UNKNOWN_BUCKET, FailOn.EXPOSURE, True),  # unknown counts as exposed
        (UNKNOWN_BUCKET, FailOn.FINDING, False),
        (PUBLIC_FINDING, FailOn.FINDING, True),
        (UNKNOWN_FINDING, FailOn.FINDING, True),  # possibly exposed counts
        (PRIVATE_FINDING, FailOn.FINDING, False),
        (PRIVATE_FINDING, FailOn.EXPOSURE, False),
        (UNREAD, FailOn.FINDING, False),
        (UNREAD, FailOn.UNREADABLE, True),
        (PUBLIC_FINDING, FailOn.NEW, False),  # already in the baseline
        (NEW_FINDING, FailOn.NEW, True),
        (NEW_FINDING, FailOn.NEVER, False),
    ],
)
def test_what_fail_on_names(tally: ScanTally, fail_on: FailOn, named: bool) -> None:
    assert names_something(tally, fail_on) is named


def test_what_the_scan_could_not_tell_matters_only_where_content_is_judged() -> None:
    unlisted = ScanTally(1, (), ((PUB, True), (PRIV, True), (PUB, False)), None, 2)
    gap = untold(unlisted, FailOn.FINDING)
    assert (gap.objects_failed, gap.buckets_not_listed) == (1, 2) and gap
    assert not untold(unlisted, FailOn.EXPOSURE) and not untold(CLEAN, FailOn.FINDING)


@pytest.mark.parametrize(
    ("severity", "floor", "counts"),
    [
        (Severity.CRITICAL, Severity.CRITICAL, True),
        (Severity.HIGH, Severity.CRITICAL, False),
        (Severity.HIGH, Severity.MEDIUM, True),
        (Severity.LOW, Severity.LOW, True),
        (Severity.LOW, Severity.MEDIUM, False),
    ],
)
def test_a_severity_counts_from_its_floor_up(
    severity: Severity, floor: Severity, counts: bool
) -> None:
    assert at_least(severity, floor) is counts
