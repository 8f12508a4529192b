"""The neutral records a scan produces: findings, bucket results and the scan summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bucketscan.records.common import BucketAccess, BucketRef, Exposure
from bucketscan.records.content import Category, Signal


class Severity(StrEnum):
    """How urgent a finding is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


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


@dataclass(frozen=True, kw_only=True)
class AnalysedObject:
    """Where an analysed object is and who can read it."""

    provider: str
    account: str
    bucket: str
    key: str
    url: str
    size: int
    exposure: Exposure
    exposure_reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Finding(AnalysedObject):
    """A sensitive file and who can read it."""

    category: Category
    document_type: str
    severity: Severity
    confidence: float
    evidence: tuple[Signal, ...]


@dataclass(frozen=True, kw_only=True)
class UnreadableObject(AnalysedObject):
    """An analysed object whose content could not be read: could not tell, never clean."""

    reason: str


@dataclass(frozen=True)
class BucketResult:
    """One bucket's verdicts and what the scan did in it."""

    ref: BucketRef
    access: BucketAccess
    objects_listed: int
    objects_readable: dict[str, int]
    objects_inspected: int
    objects_skipped: dict[str, int]
    findings: int
    errors: tuple[str, ...]
    truncated: bool = False
    objects_unreadable: dict[str, int] = field(default_factory=dict)  # reason -> count

    @property
    def unreadable(self) -> int:
        """How many analysed objects could not be read."""
        return sum(self.objects_unreadable.values())


@dataclass(frozen=True)
class ScanCost:
    """What the scan cost: requests by kind, bytes read and an approximate price."""

    requests: dict[str, int]
    bytes_read: int
    estimated_usd: float


@dataclass(frozen=True)
class ScanSummary:
    """Totals over a whole scan."""

    buckets: int
    buckets_by_read: dict[str, int]
    buckets_by_list: dict[str, int]
    objects_listed: int
    objects_inspected: int
    objects_skipped: dict[str, int]
    objects_unreadable: dict[str, int]
    findings_by_severity: dict[str, int]
    findings_by_type: dict[str, int]
    errors: int
    cost: ScanCost
    timings: dict[str, float] = field(default_factory=dict)
    changes: dict[str, object] | None = None
