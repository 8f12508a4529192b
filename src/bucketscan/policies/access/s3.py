"""Who can read, list and write an S3 bucket and its objects: a pure function of gathered facts.

Example: a bucket whose policy statement 'PublicRead' allows ``s3:GetObject`` to ``*`` on
``arn:aws:s3:::b/uploads/*``, with Block Public Access off everywhere, is judged read=public,
list=private, write=private; the object ``uploads/a.pdf`` is public, ``private/a.pdf`` private.
Requests through the bucket's access points are judged by s3_access_points and count alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.policies.access.s3_access_points import (
    LISTING,
    SOME_OBJECT,
    Target,
    access_point_reach,
)
from bucketscan.policies.access.s3_conditions import (
    ANYONE,
    NOBODY,
    Tiers,
    admitted,
    caught,
    widest_tier,
)
from bucketscan.policies.access.s3_gates import (
    Gate,
    GateState,
    acl_gate,
    policy_gate,
    write_only_flags,
)
from bucketscan.policies.access.s3_policy import (
    BUCKET_ARN,
    OBJECT_ARN,
    PolicyError,
    Statement,
    parse_policy,
)
from bucketscan.records.common import (
    Bucket,
    BucketAccess,
    Exposure,
    ObjectAccess,
    StoredObject,
    widest,
)
from bucketscan.records.s3 import S3BucketFacts, S3Fact, S3Grant, S3Grantee, S3ObjectFacts

READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion")
LIST_ACTIONS = ("s3:ListBucket", "s3:ListBucketVersions")
OBJECT_WRITE_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl")
BUCKET_WRITE_ACTIONS = ("s3:PutBucketPolicy", "s3:PutBucketAcl")
_ACL_TIERS = {
    S3Grantee.ALL_USERS: Exposure.PUBLIC,
    S3Grantee.AUTHENTICATED_USERS: Exposure.AUTHENTICATED,
}
_ACL_WHO = {S3Grantee.ALL_USERS: "AllUsers", S3Grantee.AUTHENTICATED_USERS: "AuthenticatedUsers"}
_LIST_PERMISSIONS = {"READ": "READ", "FULL_CONTROL": "FULL_CONTROL (includes READ)"}
_WRITE_PERMISSIONS = {
    "WRITE": "WRITE",
    "WRITE_ACP": "WRITE_ACP (can rewrite the ACL to grant itself anything)",
    "FULL_CONTROL": "FULL_CONTROL (includes WRITE and WRITE_ACP)",
}
_OBJECT_READ_PERMISSIONS = {"READ": "READ", "FULL_CONTROL": "FULL_CONTROL (includes READ)"}


_Covers = Callable[[Statement], bool]


@dataclass(frozen=True)
class _Part:
    """One contribution to a verdict."""

    exposure: Exposure
    reason: str


@lru_cache(maxsize=1024)
def _allow_tiers(statement: Statement, reading: bool) -> tuple[Tiers, tuple[str, ...]]:
    if not statement.allows_anyone:
        return NOBODY, ()
    tiers, notes = ANYONE, list(statement.principal_notes)
    for condition in statement.conditions:
        verdict = admitted(condition, reading)
        tiers &= verdict.tiers
        notes.append(verdict.note)
    return tiers, tuple(notes)


@lru_cache(maxsize=1024)
def _deny_tiers(statement: Statement) -> Tiers:
    if not statement.allows_anyone:
        return NOBODY
    tiers = ANYONE
    for condition in statement.conditions:
        tiers &= caught(condition).tiers
    return tiers


@dataclass(frozen=True)
class _Policy:
    """The bucket policy's statements, or why they are not known."""

    bucket: str
    statements: tuple[Statement, ...] | None
    problem: str | None
    gate: Gate

    @classmethod
    def of(cls, bucket: str, facts: S3BucketFacts) -> _Policy:
        gate = policy_gate(facts)
        for entry in facts.unreadable:
            if entry.fact == S3Fact.BUCKET_POLICY:
                return cls(bucket, None, f"bucket policy could not be read ({entry.reason})", gate)
        if facts.policy_json is None:
            return cls(bucket, (), None, gate)
        try:
            return cls(bucket, parse_policy(facts.policy_json), None, gate)
        except PolicyError as error:
            return cls(bucket, None, f"bucket policy could not be parsed ({error})", gate)

    @property
    def prefix(self) -> str:
        return OBJECT_ARN.format(bucket=self.bucket, key="")

    def _where(self, statement: Statement) -> str:
        shown = [
            resource.removeprefix(self.prefix)
            if resource.startswith(self.prefix) and resource != self.prefix
            else resource
            for resource in statement.resources
        ]
        where = ", ".join(shown)
        return f"everything except {where}" if statement.negated_resource else where

    def _describe(self, statement: Statement, action: str) -> str:
        how = "" if statement.actions == (action,) else f" (Action {', '.join(statement.actions)})"
        if statement.negated_action:
            how = f" (NotAction {', '.join(statement.actions)})"
        return (
            f"bucket policy statement {statement.label} allows {action}{how} "
            f"to {statement.principal_text} on {self._where(statement)}"
        )

    def unknown_part(self) -> list[_Part]:
        """What an unreadable policy contributes."""
        assert self.problem is not None
        if self.gate.state is GateState.VOID:
            return [
                _Part(Exposure.PRIVATE, f"{self.problem}; {self.gate.note} voids public grants")
            ]
        return [_Part(Exposure.UNKNOWN, self.problem)]

    def denied(self, action: str, covers: _Covers) -> tuple[Tiers, list[str]]:
        """Caller tiers that Deny statements take away for an action on some resources."""
        blocked: set[Exposure] = set()
        labels = []
        for statement in self.statements or ():
            if statement.is_deny and statement.matches_action(action) and covers(statement):
                tiers = _deny_tiers(statement)
                if tiers:
                    blocked |= tiers
                    labels.append(statement.label)
        return frozenset(blocked), labels

    def grants(self, actions: tuple[str, ...], arn: str | None) -> list[_Part]:
        """Allow statements giving `actions` on one ARN, or (arn None) on some object."""
        if self.statements is None:
            return self.unknown_part()
        parts = []
        for statement in self.statements:
            if statement.is_deny or not statement.allows_anyone:
                continue
            if arn is not None and not statement.matches_resource(arn):
                continue
            if arn is None and not statement.may_match_under(self.prefix):
                continue
            options = [
                self._grant(statement, action, arn)
                for action in actions
                if statement.matches_action(action)
            ]
            if options:
                top = widest(*(option.exposure for option in options))
                parts.append(next(option for option in options if option.exposure is top))
        return parts

    def _grant(self, statement: Statement, action: str, arn: str | None) -> _Part:
        reading = action not in OBJECT_WRITE_ACTIONS + BUCKET_WRITE_ACTIONS
        tiers, notes = _allow_tiers(statement, reading)
        reason = self._describe(statement, action)
        if notes:
            reason += "; " + "; ".join(notes)
        covers = _exact(arn) if arn is not None else self._covering(statement)
        blocked, labels = self.denied(action, covers)
        if tiers & blocked:
            reason += f"; Deny statement {', '.join(labels)} overrides it"
        elif labels:
            reason += f"; Deny statement {', '.join(labels)} does not cover everyone it admits"
        partial = self._partial_denies(action, covers) if arn is None else []
        if tiers - blocked and partial:
            reason += f"; Deny statement {', '.join(partial)} removes only some keys"
        exposure, reason = self.gate.apply(widest_tier(tiers - blocked), reason)
        return _Part(exposure, reason)

    def _partial_denies(self, action: str, covers: _Covers) -> list[str]:
        return [
            statement.label
            for statement in self.statements or ()
            if statement.is_deny
            and statement.matches_action(action)
            and statement.may_match_under(self.prefix)
            and not covers(statement)
        ]

    def _covering(self, allow: Statement) -> _Covers:
        """A test: does a Deny statement cover every object of this bucket the Allow gives?"""
        exact: list[str] = []
        targets = [self.prefix]
        if not allow.negated_resource:
            patterns = [p for p in allow.resource_patterns() if p.may_match_under(self.prefix)]
            exact = [p.text for p in patterns if not any(wild for wild, _ in p.tokens)]
            targets = [
                p.literal_prefix if p.literal_prefix.startswith(self.prefix) else self.prefix
                for p in patterns
                if p.text not in exact
            ]

        def covers(deny: Statement) -> bool:
            return all(deny.covers_under(target) for target in targets) and all(
                deny.matches_resource(arn) for arn in exact
            )

        return covers

    def whole_bucket(self) -> _Covers:
        """A test: does a Deny statement cover every object of the bucket?"""
        return lambda deny: deny.covers_under(self.prefix)

    def through_access_points(
        self, facts: S3BucketFacts, actions: tuple[str, ...], target: Target
    ) -> list[_Part]:
        """What requests through the bucket's access points give for `actions` on `target`."""
        reading = not set(actions) & set(OBJECT_WRITE_ACTIONS + BUCKET_WRITE_ACTIONS)
        reaches = access_point_reach(
            self.bucket, facts, self.statements, actions, target, reading=reading
        )
        return [_Part(reach.exposure, reach.reason) for reach in reaches]


def _exact(arn: str) -> _Covers:
    return lambda deny: deny.matches_resource(arn)


@dataclass(frozen=True)
class _Acl:
    """ACL grants of the bucket or an object, judged through the ACL gate and policy Denies."""

    gate: Gate
    policy: _Policy

    def parts(
        self,
        grants: tuple[S3Grant, ...],
        permissions: dict[str, str],
        owner: str,
        action: str,
        covers: _Covers,
    ) -> list[_Part]:
        """What the grants with some permissions give, once Denies and the gate are applied."""
        parts = []
        for grant in grants:
            tier = _ACL_TIERS.get(grant.grantee)
            shown = permissions.get(grant.permission)
            if tier is None or shown is None:
                continue
            reason = f"{owner} ACL grants {shown} to {_ACL_WHO[grant.grantee]}"
            blocked, labels = self.policy.denied(action, covers)
            exposure = widest_tier(frozenset({tier}) - blocked)
            if exposure is not tier:
                reason += f"; bucket policy Deny statement {', '.join(labels)} overrides it"
            exposure, reason = self.gate.apply(exposure, reason)
            parts.append(_Part(exposure, reason))
        return parts


def _unread(facts: S3BucketFacts | S3ObjectFacts, fact: S3Fact) -> str | None:
    for entry in facts.unreadable:
        if entry.fact == fact:
            return entry.reason
    return None


def _verdict(parts: list[_Part], nothing: str) -> tuple[Exposure, tuple[str, ...]]:
    if not parts:
        return Exposure.PRIVATE, (nothing,)
    reasons = tuple(dict.fromkeys(part.reason for part in parts))
    return widest(*(part.exposure for part in parts)), reasons


def _bucket_acl_parts(
    facts: S3BucketFacts, acl: _Acl, permissions: dict[str, str], action: str, covers: _Covers
) -> list[_Part]:
    why = _unread(facts, S3Fact.BUCKET_ACL)
    if why is not None:
        if acl.gate.state is GateState.VOID:
            return []
        return [_Part(Exposure.UNKNOWN, f"bucket ACL could not be read ({why})")]
    return acl.parts(facts.acl or (), permissions, "bucket", action, covers)


def evaluate_bucket(bucket: Bucket) -> BucketAccess:
    """Judge a bucket's read/list/write exposure from its policy, ACL and Block Public Access."""
    facts = bucket.facts
    if not isinstance(facts, S3BucketFacts):
        reason = f"not S3 facts: {type(facts).__name__}"
        return BucketAccess(Exposure.UNKNOWN, Exposure.UNKNOWN, Exposure.UNKNOWN, (reason,))
    policy = _Policy.of(bucket.name, facts)
    acl = _Acl(acl_gate(facts), policy)
    bucket_arn = BUCKET_ARN.format(bucket=bucket.name)
    reading = policy.grants(READ_ACTIONS, None) + policy.through_access_points(
        facts, READ_ACTIONS, SOME_OBJECT
    )
    read, read_why = _verdict(reading, "no bucket policy statement lets outsiders read objects")
    listing = (
        policy.grants(LIST_ACTIONS, bucket_arn)
        + _bucket_acl_parts(facts, acl, _LIST_PERMISSIONS, "s3:ListBucket", _exact(bucket_arn))
        + policy.through_access_points(facts, LIST_ACTIONS, LISTING)
    )
    list_, list_why = _verdict(listing, "no policy statement or ACL grant lets outsiders list")
    writing = (
        policy.grants(OBJECT_WRITE_ACTIONS, None)
        + policy.grants(BUCKET_WRITE_ACTIONS, bucket_arn)
        + _bucket_acl_parts(facts, acl, _WRITE_PERMISSIONS, "s3:PutObject", policy.whole_bucket())
        + policy.through_access_points(facts, OBJECT_WRITE_ACTIONS, SOME_OBJECT)
    )
    write, write_why = _verdict(writing, "no policy statement or ACL grant lets outsiders write")
    reasons = [
        *(f"read: {reason}" for reason in read_why),
        *(f"list: {reason}" for reason in list_why),
        *(f"write: {reason}" for reason in write_why),
        *write_only_flags(facts),
    ]
    if facts.website:
        reasons.append("static website hosting is on: public objects are also served as a site")
    if acl.gate.state is GateState.VOID and acl.gate.note:
        reasons.append(f"ACL grants do not count: {acl.gate.note}")
    if policy.gate.state is GateState.VOID and policy.gate.note:
        reasons.append(f"public policy grants do not count: {policy.gate.note}")
    reasons.extend(_second_opinion(facts, policy))
    return BucketAccess(read, list_, write, tuple(dict.fromkeys(reasons)))


@dataclass(frozen=True)
class _Opinion:
    """An outside judge of the bucket policy alone: its verdict (None: not read), and why not."""

    who: str
    public: bool | None
    problem: str | None
    reasons: tuple[str, ...] = ()


def _opinions(facts: S3BucketFacts) -> tuple[_Opinion, ...]:
    """AWS's GetBucketPolicyStatus (IsPublic) and IAM Access Analyzer's CheckNoPublicAccess."""
    analyzer = facts.analyzer_no_public
    return (
        _Opinion("AWS GetBucketPolicyStatus", facts.policy_is_public, facts.policy_status_problem),
        _Opinion(
            "IAM Access Analyzer CheckNoPublicAccess",
            None if analyzer is None else not analyzer,
            facts.analyzer_problem,
            facts.analyzer_reasons,
        ),
    )


def _policy_alone_public(policy: _Policy) -> bool:
    """Whether our reading of the policy alone (before Block Public Access) admits outsiders."""
    ungated = replace(policy, gate=Gate(GateState.OPEN))
    bucket_arn = BUCKET_ARN.format(bucket=policy.bucket)
    parts = ungated.grants(READ_ACTIONS + OBJECT_WRITE_ACTIONS, None) + ungated.grants(
        LIST_ACTIONS + BUCKET_WRITE_ACTIONS, bucket_arn
    )
    return any(part.exposure in (Exposure.PUBLIC, Exposure.AUTHENTICATED) for part in parts)


def second_opinion(who: str, theirs: bool, ours: bool, reasons: tuple[str, ...] = ()) -> str:
    """The reason line saying whether an outside judge agrees with our reading of the policy."""
    said = "public" if theirs else "not public"
    why = f" ({'; '.join(reasons)})" if reasons else ""
    if ours == theirs:
        return f"second opinion: {who} agrees the policy is {said}{why}"
    judged = "public" if ours else "not public"
    return (
        f"second opinion DISAGREES: {who} says the policy is {said}{why}, "
        f"bucketscan judges it {judged}"
    )


def _second_opinion(facts: S3BucketFacts, policy: _Policy) -> tuple[str, ...]:
    """Each outside judge beside our reading of the policy alone (before Block Public Access, as
    IsPublic and CheckNoPublicAccess are), and whether the two agree."""
    lines = []
    ours: bool | None = None
    for opinion in _opinions(facts):
        if opinion.public is None:
            if opinion.problem:
                lines.append(f"second opinion: {opinion.who} not read ({opinion.problem})")
        elif policy.statements is not None:
            ours = _policy_alone_public(policy) if ours is None else ours
            lines.append(second_opinion(opinion.who, opinion.public, ours, opinion.reasons))
    return tuple(lines)


def needs_object_acl(bucket: Bucket) -> bool:
    """Whether object ACLs can matter (not when ownership or IgnorePublicAcls voids them)."""
    facts = bucket.facts
    if not isinstance(facts, S3BucketFacts):
        return False
    return acl_gate(facts).state is not GateState.VOID


def _object_acl_parts(obj: StoredObject, acl: _Acl, arn: str) -> list[_Part]:
    if acl.gate.state is GateState.VOID:
        return []
    facts = obj.facts
    if facts is None:
        # The engine fetches facts whenever they matter; None means the provider has none.
        return []
    if not isinstance(facts, S3ObjectFacts):
        return [_Part(Exposure.UNKNOWN, f"not S3 object facts: {type(facts).__name__}")]
    why = _unread(facts, S3Fact.OBJECT_ACL)
    if why is not None or facts.acl is None:
        unread = f"object ACL could not be read ({why or 'not fetched'})"
        blocked, labels = acl.policy.denied("s3:GetObject", _exact(arn))
        if blocked >= ANYONE:  # whatever the ACL grants, a Deny takes it from every outsider
            denies = ", ".join(labels)
            return [_Part(Exposure.PRIVATE, f"{unread}; bucket policy Deny {denies} covers it")]
        return [_Part(Exposure.UNKNOWN, unread)]
    return acl.parts(facts.acl, _OBJECT_READ_PERMISSIONS, "object", "s3:GetObject", _exact(arn))


def evaluate_object(bucket: Bucket, obj: StoredObject) -> ObjectAccess:
    """Judge who can download one object: policy statements on its ARN, and its own ACL."""
    facts = bucket.facts
    if not isinstance(facts, S3BucketFacts):
        return ObjectAccess(Exposure.UNKNOWN, (f"not S3 facts: {type(facts).__name__}",))
    policy = _Policy.of(bucket.name, facts)
    acl = _Acl(acl_gate(facts), policy)
    arn = OBJECT_ARN.format(bucket=bucket.name, key=obj.key)
    parts = (
        policy.grants(READ_ACTIONS, arn)
        + _object_acl_parts(obj, acl, arn)
        + policy.through_access_points(facts, READ_ACTIONS, Target(key=obj.key))
    )
    read, reasons = _verdict(parts, "no policy statement or ACL grant lets outsiders read it")
    return ObjectAccess(read, reasons)


EVALUATOR = Evaluator(
    bucket=evaluate_bucket, needs_object_facts=needs_object_acl, obj=evaluate_object
)
