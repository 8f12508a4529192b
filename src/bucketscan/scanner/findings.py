"""The neutral records a scan produces: findings, bucket results and the scan summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from bucketscan.policies.exposure import bucket_missing, bucket_possibly_exposed, possibly_exposed
from bucketscan.policies.fingerprint import COULD_NOT_TELL, finding_id
from bucketscan.policies.severity import Severity
from bucketscan.policies.verification import Agreement, Verification
from bucketscan.records.common import BucketAccess, BucketRef, Exposure, Tags
from bucketscan.records.content import Category, Signal


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
    notes: tuple[str, ...] = ()  # what extraction noted: caps, refusals, how it was read


@dataclass(frozen=True, kw_only=True)
class Finding(AnalysedObject):
    """A sensitive file and who can read it."""

    category: Category
    document_type: str
    severity: Severity
    confidence: float
    evidence: tuple[Signal, ...]
    mute_reason: str | None = None  # set when a mutelist entry mutes it: kept, not counted
    bucket_tags: Tags | None = None  # its bucket's tags, for the mutelist; None: not read
    # The start of the earlier run that read it, when --state carried it forward unread.
    carried_from: str | None = None

    @property
    def muted(self) -> bool:
        """Whether a mutelist entry mutes it (it stays in the report, --fail-on skips it)."""
        return self.mute_reason is not None

    @property
    def id(self) -> str:
        """The stable id: the same object and document type give it in every run."""
        return finding_id(self.provider, self.account, self.bucket, self.key, self.document_type)


@dataclass(frozen=True, kw_only=True)
class UnreadableObject(AnalysedObject):
    """An exposed object whose content could not be read, or only in part: could not tell."""

    reason: str
    failed: bool = False  # the content never reached analysis (download or analysis failed)

    @property
    def id(self) -> str:
        """The stable id of this could-not-tell row."""
        return finding_id(self.provider, self.account, self.bucket, self.key, COULD_NOT_TELL)


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
    # Exposed or possibly exposed objects whose content was never analysed: NotJudged -> count.
    objects_not_judged: dict[str, int] = field(default_factory=dict)
    objects_partly_read: int = 0  # inspected, but a cap or a refusal left part unread
    listing_failed: bool = False  # the listing broke off: objects beyond it were never seen
    # Every error by kind ("download failed (SlowDown)": 31), however few `errors` name.
    error_counts: dict[str, int] = field(default_factory=dict)
    # Unsigned requests beside the verdicts they check (--verify-anonymous), with their agreement.
    verification: tuple[Verification, ...] = ()
    website: bool = False  # serves a static website (S3/GCS website config, Azure $web)
    tags: Tags | None = None  # tags (S3), labels (GCS) or metadata (Azure); None: not read
    # The mutelist's reason when an intended_public entry says it is meant to be public.
    intended_public: str | None = None
    objects_carried_forward: int = 0  # unchanged since --state's earlier run: not read again

    @property
    def unreadable(self) -> int:
        """How many analysed objects could not be read."""
        return sum(self.objects_unreadable.values())

    @property
    def missing(self) -> bool:
        """Whether the bucket does not exist (its listing answered not-found)."""
        return self.objects_listed == 0 and bucket_missing(self.errors)

    @property
    def possibly_exposed(self) -> bool:
        """Whether its objects or file list are, or may be, readable from outside."""
        return not self.missing and bucket_possibly_exposed(self.access)

    @property
    def not_listed(self) -> bool:
        """Whether objects that may be readable from outside were never seen (listing failed)."""
        return self.listing_failed and not self.missing and possibly_exposed(self.access.read)


@dataclass(frozen=True)
class ScanCost:
    """What the scan cost: calls by kind, bytes read, a price, and what retries added."""

    requests: dict[str, int]  # logical API calls by kind
    bytes_read: int
    estimated_usd: float
    requests_sent: dict[str, int] = field(default_factory=dict)  # on the wire, retries included
    retries: dict[str, int] = field(default_factory=dict)  # by reason: throttled, server_error, ...
    retries_exhausted: dict[str, int] = field(default_factory=dict)  # calls failed, by reason


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
    objects_not_judged: dict[str, int] = field(default_factory=dict)
    objects_partly_read: int = 0
    buckets_possibly_exposed: int = 0  # read or list public, authenticated or unknown
    buckets_not_listed: int = 0  # possibly readable buckets whose listing failed
    buckets_missing: tuple[str, ...] = ()  # named buckets that do not exist
    verification: dict[str, int] = field(default_factory=dict)  # anonymous probes by agreement
    objects_carried_forward: int = 0  # unchanged since --state's earlier run: not read again
    findings_muted: int = 0  # accepted by a --mutelist entry: in neither count by severity or type

    @property
    def disagreements(self) -> int:
        """Anonymous probes whose answer contradicts the verdict they checked."""
        return self.verification.get(Agreement.DISAGREES.value, 0)
