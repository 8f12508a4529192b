"""Block Public Access and Object Ownership: the switches that void ACL or policy grants.

Example: with IgnorePublicAcls on at account level (bucket level off), ``acl_gate`` is VOID with
the reason "IgnorePublicAcls is on (account level)": every AllUsers/AuthenticatedUsers ACL grant
then counts for nothing, while BlockPublicAcls alone would void nothing (it only rejects new ACLs).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bucketscan.records.common import Exposure
from bucketscan.records.s3 import BlockPublicAccess, S3BucketFacts, S3Fact

OWNER_ENFORCED = "BucketOwnerEnforced"
_FLAG_NAMES = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


class GateState(StrEnum):
    """Whether a kind of grant counts."""

    OPEN = "open"
    VOID = "void"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Gate:
    """A gate's state, and a note to add to every grant it lets through, voids or blurs."""

    state: GateState
    note: str | None = None

    def apply(self, exposure: Exposure, reason: str) -> tuple[Exposure, str]:
        """The exposure a grant really gives once the gate is taken into account."""
        if exposure is Exposure.PRIVATE or exposure is Exposure.UNKNOWN:
            return exposure, reason
        if self.state is GateState.VOID:
            return Exposure.PRIVATE, f"{reason}, but {self.note} voids it"
        if self.state is GateState.UNKNOWN:
            return Exposure.UNKNOWN, f"{reason}, but {self.note}"
        if self.note:
            return exposure, f"{reason} ({self.note})"
        return exposure, reason


def _unread(facts: S3BucketFacts, fact: S3Fact) -> str | None:
    for entry in facts.unreadable:
        if entry.fact == fact:
            return entry.reason
    return None


def _block(facts: S3BucketFacts, fact: S3Fact) -> BlockPublicAccess | None:
    """The settings, all-off when absent, None when they could not be read."""
    if _unread(facts, fact) is not None:
        return None
    value = facts.account_block if fact is S3Fact.ACCOUNT_BLOCK else facts.bucket_block
    return value or BlockPublicAccess()


def _flag_gate(facts: S3BucketFacts, flag: str) -> Gate | None:
    """VOID when account or bucket sets the flag, UNKNOWN/OPEN-with-note when one is unread."""
    name = _FLAG_NAMES[flag]
    account = _block(facts, S3Fact.ACCOUNT_BLOCK)
    bucket = _block(facts, S3Fact.BUCKET_BLOCK)
    levels = [
        level
        for level, settings in (("account", account), ("bucket", bucket))
        if settings is not None and getattr(settings, flag)
    ]
    if levels:
        return Gate(GateState.VOID, f"{name} ({' and '.join(levels)} level)")
    if bucket is None:
        why = _unread(facts, S3Fact.BUCKET_BLOCK)
        return Gate(GateState.UNKNOWN, f"bucket Block Public Access could not be read ({why})")
    if account is None:
        why = _unread(facts, S3Fact.ACCOUNT_BLOCK)
        note = f"account Block Public Access could not be read ({why}); its {name} may void this"
        return Gate(GateState.OPEN, note)
    return None


def acl_gate(facts: S3BucketFacts) -> Gate:
    """Whether ACL grants to AllUsers/AuthenticatedUsers count."""
    if facts.object_ownership == OWNER_ENFORCED:
        return Gate(GateState.VOID, "ObjectOwnership BucketOwnerEnforced (ACLs disabled)")
    flag = _flag_gate(facts, "ignore_public_acls")
    if flag is not None and flag.state is not GateState.OPEN:
        return flag
    ownership = _unread(facts, S3Fact.OWNERSHIP)
    if ownership is not None:
        return Gate(GateState.UNKNOWN, f"object ownership could not be read ({ownership})")
    return flag or Gate(GateState.OPEN)


def policy_gate(facts: S3BucketFacts) -> Gate:
    """Whether public bucket policy grants count (RestrictPublicBuckets voids them)."""
    return _flag_gate(facts, "restrict_public_buckets") or Gate(GateState.OPEN)


def write_only_flags(facts: S3BucketFacts) -> tuple[str, ...]:
    """Reasons for BlockPublicAcls/BlockPublicPolicy, which only reject new grants."""
    notes = []
    for flag in ("block_public_acls", "block_public_policy"):
        for level, fact in (("account", S3Fact.ACCOUNT_BLOCK), ("bucket", S3Fact.BUCKET_BLOCK)):
            settings = _block(facts, fact)
            if settings is not None and getattr(settings, flag):
                notes.append(
                    f"{_FLAG_NAMES[flag]} is on ({level} level): it only rejects new public "
                    "grants, existing ones still count"
                )
    return tuple(notes)
