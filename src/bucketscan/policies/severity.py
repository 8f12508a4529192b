"""How urgent a finding is: a table of who can read it and what it is.

Example: a public ID document is critical; a résumé only signed-in AWS users can read is medium.
"""

from __future__ import annotations

from enum import StrEnum

from bucketscan.records.common import Exposure
from bucketscan.records.content import Category


class Severity(StrEnum):
    """How urgent a finding is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_RANK = {severity: rank for rank, severity in enumerate(reversed(Severity))}


def at_least(severity: Severity | str, floor: Severity) -> bool:
    """Whether `severity` is `floor` or more urgent (what `--fail-severity` lets count)."""
    return _RANK[Severity(severity)] >= _RANK[floor]


_SEVERITY: dict[tuple[Exposure, Category], Severity] = {
    (Exposure.PUBLIC, Category.ID_DOCUMENT): Severity.CRITICAL,
    (Exposure.PUBLIC, Category.RESUME): Severity.HIGH,
    (Exposure.AUTHENTICATED, Category.ID_DOCUMENT): Severity.HIGH,
    (Exposure.AUTHENTICATED, Category.RESUME): Severity.MEDIUM,
    (Exposure.UNKNOWN, Category.ID_DOCUMENT): Severity.HIGH,
    (Exposure.UNKNOWN, Category.RESUME): Severity.MEDIUM,
}


def severity(exposure: Exposure, category: Category) -> Severity:
    """Severity of a sensitive file given who can read it."""
    return _SEVERITY.get((exposure, category), Severity.LOW)
