"""Verdicts checked from outside (`--verify-anonymous`): what an unsigned request's answer means,
and whether it agrees with the verdict it was sent to check.

Example: a listing judged private whose unsigned ListObjectsV2 answered 200 is a disagreement;
an object judged public whose HEAD timed out could not be verified.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bucketscan.policies.access.s3_access_points import through_access_point
from bucketscan.records.common import BucketAccess, Exposure
from bucketscan.records.probe import ProbeAnswer

PRIVATE_BUCKETS_SAMPLED = 3  # private buckets checked per scan
PROBES_PER_BUCKET = 3  # the listing, one object judged public, one judged private

# Error codes that refuse an anonymous caller whatever their status says. Azure answers 409
# PublicAccessNotPermitted where the account disallows anonymous access, and hides a private
# container behind 404 ResourceNotFound (a blob missing from a readable container is BlobNotFound).
REFUSAL_CODES = frozenset({"PublicAccessNotPermitted", "ResourceNotFound"})
DISAGREES_LINE = "anonymous check DISAGREES"  # how a disagreement's reason line starts


class ProbeTarget(StrEnum):
    """What an unsigned request asked for."""

    LISTING = "listing"  # a listing of at most one key
    OBJECT = "object"  # one object's metadata (a HEAD) or its first byte, discarded


class ProbeOutcome(StrEnum):
    """What the answer says about anonymous access."""

    READABLE = "readable"  # 200, 206: readable anonymously
    REFUSED = "refused"  # 401, 403 (and REFUSAL_CODES)
    NOT_FOUND = "not_found"  # 404
    UNVERIFIED = "could_not_verify"  # any other status, a timeout, no answer


class Agreement(StrEnum):
    """How a probe's outcome stands to the verdict it checks."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    UNVERIFIED = "unverified"  # the answer settles nothing (timeout, 5xx, not found when public)
    NO_VERDICT = "no_verdict"  # the verdict was unknown: the answer is recorded, not compared


@dataclass(frozen=True)
class ProbeResult:
    """One unsigned request and what its answer means."""

    target: ProbeTarget
    key: str | None  # the object's key as reports show it (masked with --redact-keys)
    request: str
    status: int | None
    code: str | None
    outcome: ProbeOutcome
    detail: str  # "200", "403 AccessDenied", "no answer: ReadTimeoutError: ..."


@dataclass(frozen=True)
class Verification:
    """A probe beside the verdict it checks, their agreement, and the line a report shows."""

    probe: ProbeResult
    verdict: Exposure
    agreement: Agreement
    reason: str


def probe_outcome(answer: ProbeAnswer) -> ProbeOutcome:
    """200/206 readable, 401/403 refused, 404 not found, anything else could not verify."""
    if answer.status is None:
        return ProbeOutcome.UNVERIFIED
    if answer.code in REFUSAL_CODES or answer.status in (401, 403):
        return ProbeOutcome.REFUSED
    if answer.status in (200, 206):
        return ProbeOutcome.READABLE
    if answer.status == 404:
        return ProbeOutcome.NOT_FOUND
    return ProbeOutcome.UNVERIFIED


def probe_result(target: ProbeTarget, key: str | None, answer: ProbeAnswer) -> ProbeResult:
    """The answer with its outcome; `key` is the key as reports show it."""
    if answer.status is None:
        detail = f"no answer: {answer.failure or 'not sent'}"
    else:
        code = answer.code if answer.code and answer.code != str(answer.status) else None
        detail = f"{answer.status} {code}" if code else str(answer.status)
    return ProbeResult(
        target, key, answer.request, answer.status, answer.code, probe_outcome(answer), detail
    )


# Only an anonymous reader is let in: a verdict judged anything else expects a refusal.
_EXPECTS_REFUSAL = frozenset({Exposure.PRIVATE, Exposure.AUTHENTICATED})
_SAYS = {
    ProbeOutcome.READABLE: "readable anonymously",
    ProbeOutcome.REFUSED: "refused",
    ProbeOutcome.NOT_FOUND: "not found",
    ProbeOutcome.UNVERIFIED: "could not verify",
}


def compare(verdict: Exposure, probe: ProbeResult, reasons: Sequence[str] = ()) -> Verification:
    """Whether a probe's outcome agrees with the verdict it checks.

    `reasons` are the verdict's own: a public verdict reached only through an S3 access point is
    not disproved by a refusal at the bucket's own endpoint, which is what the probe asks.
    """
    outcome = probe.outcome
    agreement = Agreement.UNVERIFIED
    if verdict is Exposure.UNKNOWN:
        agreement = Agreement.NO_VERDICT
    elif outcome is ProbeOutcome.UNVERIFIED:
        agreement = Agreement.UNVERIFIED
    elif verdict is Exposure.PUBLIC:
        if outcome is ProbeOutcome.READABLE:
            agreement = Agreement.AGREES
        elif outcome is ProbeOutcome.REFUSED and not any(map(through_access_point, reasons)):
            agreement = Agreement.DISAGREES
    elif verdict in _EXPECTS_REFUSAL:
        # Not found reads nothing either: what the verdict says an outsider gets.
        readable = outcome is ProbeOutcome.READABLE
        agreement = Agreement.DISAGREES if readable else Agreement.AGREES
    return Verification(probe, verdict, agreement, _line(verdict, probe, agreement, reasons))


def _line(
    verdict: Exposure, probe: ProbeResult, agreement: Agreement, reasons: Sequence[str]
) -> str:
    """One reason line: `anonymous check DISAGREES: ... answered 200 (...), but list judged ...`."""
    what = "the listing" if probe.target is ProbeTarget.LISTING else f"object {probe.key}"
    judged = "list" if probe.target is ProbeTarget.LISTING else "the object"
    verb = "got" if probe.status is None else "answered"  # detail: "no answer: ..."
    answered = f"unsigned {probe.request} of {what} {verb} {probe.detail}"
    if probe.outcome is not ProbeOutcome.UNVERIFIED:
        answered += f" ({_SAYS[probe.outcome]})"
    if agreement is Agreement.AGREES:
        return f"anonymous check agrees: {answered}; {judged} judged {verdict.value}"
    if agreement is Agreement.DISAGREES:
        return f"{DISAGREES_LINE}: {answered}, but {judged} judged {verdict.value}"
    if agreement is Agreement.NO_VERDICT:
        return f"anonymous check: {answered}; {judged} judged unknown"
    why = ""
    if probe.outcome is ProbeOutcome.NOT_FOUND:
        why = ": listed moments ago, so deleted since or hidden from anonymous callers"
    elif probe.outcome is ProbeOutcome.REFUSED and any(map(through_access_point, reasons)):
        why = ": judged public through an access point, and the probe asks the bucket itself"
    return f"anonymous check could not verify: {answered}{why}; {judged} judged {verdict.value}"


def bucket_check(access: BucketAccess) -> Exposure | None:
    """Which check a bucket gets: PUBLIC (read or list public: always checked), PRIVATE (read and
    list private: a sample is checked), or None."""
    if Exposure.PUBLIC in (access.read, access.list):
        return Exposure.PUBLIC
    if access.read is Exposure.PRIVATE and access.list is Exposure.PRIVATE:
        return Exposure.PRIVATE
    return None


def sample_rank(account: str, name: str) -> str:
    """Private buckets are sampled by lowest rank: reproducible, and spread across names."""
    return hashlib.sha256(f"{account}\n{name}".encode()).hexdigest()


def agreement_counts(verifications: Iterable[Verification]) -> dict[str, int]:
    """How many probes agreed, disagreed, could not verify or had no verdict to check."""
    return dict(Counter(item.agreement.value for item in verifications))
