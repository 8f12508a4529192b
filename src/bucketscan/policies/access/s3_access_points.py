"""Who can reach a bucket's objects through its S3 access points: a pure function of gathered facts.

Sources (AWS documentation, as the rules below cite them):
- [SHARED] S3 User Guide, "Managing access to shared datasets with access points"
  (access-points.html): an access point has its own policy, network origin and Block Public Access.
- [POLICIES] S3 User Guide, "Configuring IAM policies for using access points"
  (access-points-policies.html): a request through an access point must be allowed by the access
  point's policy AND by the bucket's; a bucket delegates with an Allow conditioned on
  `s3:DataAccessPointAccount` (or `s3:DataAccessPointArn`); access point policy resources are
  ``arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY``.
- [BPA] S3 User Guide, "Managing public access to access points" (access-points-bpa-settings.html)
  and "Blocking public access to your Amazon S3 storage" (access-control-block-public-access.html):
  the settings of the access point, the bucket and the account all apply, the most restrictive
  wins; RestrictPublicBuckets restricts an access point with a public policy to the owner's
  account; an access point's settings cannot change after it is created, so with BlockPublicPolicy
  on it no public policy was ever accepted.
- [VPC] S3 User Guide, "Creating access points restricted to a virtual private cloud"
  (access-points-vpc.html): network origin VPC refuses every request from outside that VPC.
- [PUBLIC] S3 User Guide, "The meaning of "public"": conditions are judged with the tables of
  s3_conditions, except the access point keys, whose values a request through a known access
  point carries.
- [MRAP] S3 User Guide, "Multi-Region Access Point restrictions and limitations": Multi-Region
  Access Points take no anonymous requests.

Example: access point ``ap`` (network origin Internet, Block Public Access off everywhere) whose
policy allows ``s3:GetObject`` to ``*`` on ``<ap arn>/object/public/*``, on a bucket whose policy
allows everything to ``*`` under ``StringEquals s3:DataAccessPointAccount <owner>``: the object
``public/a`` is public "via access point ap", ``private/a`` is not reached through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bucketscan.policies.access.s3_conditions import (
    ANONYMOUS,
    ANYONE,
    NOBODY,
    Tiers,
    Verdict,
    admitted,
    caught,
    widest_tier,
)
from bucketscan.policies.access.s3_gates import Gate, GateState, policy_gate
from bucketscan.policies.access.s3_patterns import pattern
from bucketscan.policies.access.s3_policy import (
    BUCKET_ARN,
    OBJECT_ARN,
    Condition,
    PolicyError,
    Statement,
    parse_policy,
)
from bucketscan.records.common import Exposure, widest
from bucketscan.records.s3 import NetworkOrigin, S3AccessPoint, S3BucketFacts, S3Fact
from bucketscan.records.unreadable import Unreadable

_ACCOUNT_KEY = "s3:dataaccesspointaccount"
_ARN_KEY = "s3:dataaccesspointarn"
_ORIGIN_KEY = "s3:accesspointnetworkorigin"
_ACCESS_POINT_KEYS = frozenset({_ACCOUNT_KEY, _ARN_KEY, _ORIGIN_KEY})
# How each operator modelled on access point keys compares values, and whether it is negated
# (IAM User Guide, "Condition operators", as cited in s3_conditions).
_COMPARE = {
    "stringequals": ("equal", False),
    "stringnotequals": ("equal", True),
    "stringequalsignorecase": ("fold", False),
    "stringnotequalsignorecase": ("fold", True),
    "stringlike": ("like", False),
    "stringnotlike": ("like", True),
    "arnequals": ("arn", False),
    "arnlike": ("arn", False),
    "arnnotequals": ("arn", True),
    "arnnotlike": ("arn", True),
    "null": ("null", False),
}
_LISTINGS = {
    S3Fact.ACCESS_POINTS: "access points",
    S3Fact.MULTI_REGION_ACCESS_POINTS: "Multi-Region Access Points",
}


@dataclass(frozen=True)
class Target:
    """What a request reaches: one object (`key`), some object (neither), or the bucket itself."""

    key: str | None = None
    bucket_itself: bool = False


SOME_OBJECT = Target()
LISTING = Target(bucket_itself=True)


@dataclass(frozen=True)
class Reach:
    """What one access point (or a failed listing of them) contributes to a verdict."""

    exposure: Exposure
    reason: str


@dataclass(frozen=True)
class _Request:
    """The access point keys a request carries; `unseen`: any value (an unlisted one's)."""

    values: tuple[tuple[str, str], ...] = ()
    unseen: bool = False

    @classmethod
    def through(cls, access_point: S3AccessPoint) -> _Request:
        """What a request from the internet through this access point carries."""
        parts = access_point.arn.split(":", 5)
        values = [(_ARN_KEY, access_point.arn)]
        if len(parts) == 6 and parts[4]:
            values.append((_ACCOUNT_KEY, parts[4]))
        if access_point.network_origin is not None:
            values.append((_ORIGIN_KEY, access_point.network_origin.value))
        return cls(tuple(values))


@dataclass(frozen=True)
class _Grant:
    """Who one Allow statement lets through, the key prefixes it may reach, and why."""

    tiers: Tiers
    keys: tuple[str, ...]
    reason: str


def _compare(operator: str) -> tuple[str, bool] | None:
    """(how values compare, negated) for the operators modelled on access point keys."""
    name = operator.casefold()
    name = name.split(":", 1)[1] if ":" in name else name  # ForAnyValue: on a one-value key
    name = name.removesuffix("ifexists")  # the key is always present through an access point
    return _COMPARE.get(name)


def _same(how: str, value: str, carried: str) -> bool:
    if how == "equal":
        return value == carried
    if how == "fold":
        return value.casefold() == carried.casefold()
    if how == "like":
        return pattern(value).matches(carried)
    # ArnEquals/ArnLike: each of the six colon-separated parts is matched on its own.
    wanted, have = value.split(":", 5), carried.split(":", 5)
    return len(wanted) == len(have) and all(
        pattern(part).matches(own) for part, own in zip(wanted, have, strict=True)
    )


def _holds(condition: Condition, request: _Request) -> bool | None:
    """Whether a condition on an access point key holds for the request; None when not known."""
    key = condition.key.casefold()
    if key not in _ACCESS_POINT_KEYS:
        return None
    if request.unseen:
        return True  # some access point could carry a value that satisfies it
    # [PUBLIC] the key is known through this access point, so its fixed values decide.
    carried = dict(request.values).get(key)
    compare = _compare(condition.operator)
    if carried is None or compare is None or any("${" in value for value in condition.values):
        return None
    how, negated = compare
    if how == "null":
        return "false" in (value.casefold() for value in condition.values)
    hit = any(_same(how, value, carried) for value in condition.values)
    return hit != negated


def _describe(condition: Condition) -> str:
    return f"{condition.operator} {condition.key} [{', '.join(condition.values)}]"


def _admits(condition: Condition, request: _Request, reading: bool) -> Verdict:
    holds = _holds(condition, request)
    if holds is None:
        return admitted(condition, reading)
    if request.unseen:
        return Verdict(ANYONE, f"condition {_describe(condition)} admits some access point")
    if holds:
        return Verdict(ANYONE, f"condition {_describe(condition)} holds through it")
    return Verdict(NOBODY, f"condition {_describe(condition)} does not hold through it")


def _catches(condition: Condition, request: _Request) -> Tiers:
    holds = _holds(condition, request)
    if holds is None:
        return caught(condition).tiers
    return ANYONE if holds and not request.unseen else NOBODY


@lru_cache(maxsize=1024)
def _allow_tiers(
    statement: Statement, request: _Request, reading: bool
) -> tuple[Tiers, tuple[str, ...]]:
    if not statement.allows_anyone:
        return NOBODY, ()
    tiers, notes = ANYONE, list(statement.principal_notes)
    for condition in statement.conditions:
        verdict = _admits(condition, request, reading)
        tiers &= verdict.tiers
        notes.append(verdict.note)
    return tiers, tuple(notes)


@lru_cache(maxsize=1024)
def _deny_tiers(statement: Statement, request: _Request) -> Tiers:
    if not statement.allows_anyone:
        return NOBODY
    tiers = ANYONE
    for condition in statement.conditions:
        tiers &= _catches(condition, request)
    return tiers


@dataclass(frozen=True)
class _Side:
    """A policy (the access point's or the bucket's) as requests through an access point meet it."""

    who: str
    statements: tuple[Statement, ...]
    base: str  # the ARN prefix of the objects
    exact: str | None  # the one ARN the target names; None for some object
    request: _Request
    reading: bool

    def grants(self, actions: tuple[str, ...]) -> list[_Grant]:
        """The Allow statements letting outsiders do one of `actions`, once Denies are applied."""
        result = []
        for statement in self.statements:
            if statement.is_deny or not self._applies(statement):
                continue
            for action in actions:
                if not statement.matches_action(action):
                    continue
                tiers, notes = _allow_tiers(statement, self.request, self.reading)
                if tiers:
                    result.append(self._grant(statement, action, tiers, notes))
                    break
        return result

    def _applies(self, statement: Statement) -> bool:
        if self.exact is not None:
            return statement.matches_resource(self.exact)
        return statement.may_match_under(self.base)

    def _grant(
        self, statement: Statement, action: str, tiers: Tiers, notes: tuple[str, ...]
    ) -> _Grant:
        where = ", ".join(
            resource.removeprefix(self.base) if resource != self.base else resource
            for resource in statement.resources
        )
        where = f"everything except {where}" if statement.negated_resource else where
        reason = (
            f"{self.who} statement {statement.label} allows {action} "
            f"to {statement.principal_text} on {where}"
        )
        blocked, labels = self._denied(statement, action)
        if notes:
            reason += "; " + "; ".join(notes)
        if tiers & blocked:
            reason += f"; Deny statement {', '.join(labels)} overrides it"
        return _Grant(tiers - blocked, self._keys(statement), reason)

    def _denied(self, allow: Statement, action: str) -> tuple[Tiers, list[str]]:
        blocked: set[Exposure] = set()
        labels = []
        for deny in self.statements:
            if deny.is_deny and deny.matches_action(action) and self._covers(deny, allow):
                tiers = _deny_tiers(deny, self.request)
                if tiers:
                    blocked |= tiers
                    labels.append(deny.label)
        return frozenset(blocked), labels

    def _covers(self, deny: Statement, allow: Statement) -> bool:
        """Whether the Deny covers everything the Allow gives of the target."""
        if self.exact is not None:
            return deny.matches_resource(self.exact)
        if allow.negated_resource:
            return deny.covers_under(self.base)
        patterns = [p for p in allow.resource_patterns() if p.may_match_under(self.base)]
        return all(
            deny.matches_resource(p.text)
            if not any(wild for wild, _ in p.tokens)
            else deny.covers_under(max(p.literal_prefix, self.base, key=len))
            for p in patterns
        )

    def _keys(self, statement: Statement) -> tuple[str, ...]:
        """Key prefixes the statement may reach ("" for any key)."""
        if self.exact is not None or statement.negated_resource:
            return ("",)
        return tuple(
            p.literal_prefix.removeprefix(self.base)
            if p.literal_prefix.startswith(self.base)
            else ""
            for p in statement.resource_patterns()
            if p.may_match_under(self.base)
        ) or ("",)


def _overlap(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    return any(a.startswith(b) or b.startswith(a) for a in one for b in other)


def _unread(entries: tuple[Unreadable, ...], fact: S3Fact) -> str | None:
    for entry in entries:
        if entry.fact == fact:
            return entry.reason
    return None


def _exact(target: Target, object_arn: str, itself: str) -> str | None:
    """The one ARN a target names (`object_arn` ends where the key goes), None for some object."""
    if target.bucket_itself:
        return itself
    return None if target.key is None else object_arn + target.key


_KINDS = {False: "access point", True: "Multi-Region Access Point"}
_ROUTE = "via "  # how a reason about a route through an access point starts


def _label(access_point: S3AccessPoint) -> str:
    return f"{_KINDS[access_point.multi_region]} {access_point.name}"


def through_access_point(reason: str) -> bool:
    """Whether a verdict's reason line names a route through an access point (see `_label`)."""
    head = reason.split(": ", 1)[1] if reason.startswith(("read: ", "list: ")) else reason
    route = head.split(":", 1)[0]
    return route.startswith(_ROUTE) and any(kind in route for kind in _KINDS.values())


def _block_gate(access_point: S3AccessPoint, facts: S3BucketFacts) -> Gate:
    """[BPA] The access point's own flags, then the bucket's and account's RestrictPublicBuckets."""
    own: Gate | None = None
    if access_point.block is None:
        why = _unread(access_point.unreadable, S3Fact.ACCESS_POINT) or "not read"
        own = Gate(GateState.UNKNOWN, f"its Block Public Access could not be read ({why})")
    else:
        flags = [
            name
            for name, on in (
                ("BlockPublicPolicy", access_point.block.block_public_policy),
                ("RestrictPublicBuckets", access_point.block.restrict_public_buckets),
            )
            if on
        ]
        if flags:
            # BlockPublicPolicy counts here: it was set when the access point was created and
            # cannot change, so AWS refused every public policy put on it since.
            own = Gate(GateState.VOID, f"{' and '.join(flags)} (access point level)")
    shared = policy_gate(facts)
    for gate in (own, shared):
        if gate is not None and gate.state is GateState.VOID:
            return gate
    for gate in (own, shared):
        if gate is not None and gate.state is GateState.UNKNOWN:
            return gate
    return shared


def _policy_of(access_point: S3AccessPoint) -> tuple[tuple[Statement, ...] | None, str | None]:
    why = _unread(access_point.unreadable, S3Fact.ACCESS_POINT_POLICY)
    if why is not None:
        return None, f"its policy could not be read ({why})"
    if access_point.policy_json is None:
        return (), None
    try:
        return parse_policy(access_point.policy_json), None
    except PolicyError as error:
        return None, f"its policy could not be parsed ({error})"


def _bucket_side(
    bucket: str, statements: tuple[Statement, ...], target: Target, request: _Request, reading: bool
) -> _Side:
    base = OBJECT_ARN.format(bucket=bucket, key="")
    exact = _exact(target, base, BUCKET_ARN.format(bucket=bucket))
    return _Side("bucket policy", statements, base, exact, request, reading)


def _through(
    access_point: S3AccessPoint,
    bucket: str,
    facts: S3BucketFacts,
    bucket_statements: tuple[Statement, ...] | None,
    actions: tuple[str, ...],
    target: Target,
    reading: bool,
) -> Reach | None:
    """What requests through one access point give; None when its policy grants outsiders none."""
    label = _label(access_point)
    request = _Request.through(access_point)
    statements, problem = _policy_of(access_point)
    base = f"{access_point.arn}/object/"
    side = _Side(
        "access point policy",
        statements or (),
        base,
        _exact(target, base, access_point.arn),
        request,
        reading,
    )
    ours = side.grants(actions)
    if problem is None and not ours:
        return None
    said = problem or "; ".join(grant.reason for grant in ours)
    if problem is None and not any(grant.tiers for grant in ours):
        return Reach(Exposure.PRIVATE, f"{_ROUTE}{label}: {said}")
    if access_point.network_origin is NetworkOrigin.VPC:  # [VPC]
        vpc = f" ({access_point.vpc_id})" if access_point.vpc_id else ""
        why = f"its network origin is VPC{vpc}: requests from outside that VPC are refused"
        return Reach(Exposure.PRIVATE, f"{_ROUTE}{label}: {said}, but {why}")
    gate = _block_gate(access_point, facts)
    if gate.state is GateState.VOID:
        return Reach(Exposure.PRIVATE, f"{_ROUTE}{label}: {said}, but {gate.note} voids it")
    unknowns = []
    if access_point.network_origin is None:
        why = _unread(access_point.unreadable, S3Fact.ACCESS_POINT) or "not read"
        unknowns.append(f"its network origin could not be read ({why})")
    if gate.state is GateState.UNKNOWN and gate.note:
        unknowns.append(gate.note)
    pairs: list[tuple[_Grant, _Grant]] = []
    if bucket_statements is None:
        unknowns.append("the bucket policy, which must also allow the request, could not be read")
    else:
        theirs = _bucket_side(bucket, bucket_statements, target, request, reading).grants(actions)
        admitting = [grant for grant in theirs if grant.tiers]
        if not admitting:
            why = "; ".join(grant.reason for grant in theirs) or (
                "the bucket policy does not allow requests through it"
            )
            return Reach(Exposure.PRIVATE, f"{_ROUTE}{label}: {said}, but {why}")
        pairs = [(a, b) for a in ours for b in admitting if _overlap(a.keys, b.keys)]
        if problem is None and not pairs:
            why = "the bucket policy allows requests through it for other keys only"
            return Reach(Exposure.PRIVATE, f"{_ROUTE}{label}: {said}, but {why}")
        if problem is not None:
            unknowns.append(admitting[0].reason)
    if problem is not None or unknowns:
        return Reach(Exposure.UNKNOWN, f"{_ROUTE}{label}: {'; '.join([said, *unknowns])}")
    return _joined(label, access_point, pairs, gate)


def _joined(
    label: str, access_point: S3AccessPoint, pairs: list[tuple[_Grant, _Grant]], gate: Gate
) -> Reach:
    """The widest pair of an access point grant and a bucket grant: both must allow [POLICIES]."""
    multi = access_point.multi_region
    exposures = [
        widest_tier((mine.tiers - ANONYMOUS if multi else mine.tiers) & theirs.tiers)
        for mine, theirs in pairs
    ]
    exposure = widest(*exposures)
    mine, theirs = pairs[exposures.index(exposure)]
    reason = f"{_ROUTE}{label}: {mine.reason}; {theirs.reason}"
    if multi and Exposure.PUBLIC in mine.tiers & theirs.tiers:
        reason += "; Multi-Region Access Points take no anonymous requests"
    if exposure is Exposure.PRIVATE:
        return Reach(exposure, f"{reason}; together they admit no outsider")
    exposure, reason = gate.apply(exposure, reason)
    return Reach(exposure, reason)


def _unlisted(
    failed: Unreadable,
    bucket: str,
    facts: S3BucketFacts,
    statements: tuple[Statement, ...],
    actions: tuple[str, ...],
    target: Target,
    reading: bool,
) -> Reach | None:
    """A failed listing: unknown where the bucket admits via some access point what it does not."""
    unseen = _bucket_side(bucket, statements, target, _Request(unseen=True), reading)
    direct = _bucket_side(bucket, statements, target, _Request(), reading)
    opened = [grant for grant in unseen.grants(actions) if grant.tiers]
    if not opened:
        return None
    already = NOBODY.union(*(grant.tiers for grant in direct.grants(actions)))
    if all(grant.tiers <= already for grant in opened):
        return None  # the bucket is that open without access points: they add nothing
    names = _LISTINGS[S3Fact(failed.fact)]
    said = (
        f"{names} could not be listed ({failed.reason}): access through one could not be "
        f"ruled out, as {opened[0].reason}"
    )
    gate = policy_gate(facts)
    if gate.state is GateState.VOID:
        return Reach(
            Exposure.PRIVATE, f"{said}; but {gate.note} voids public access point policies"
        )
    return Reach(Exposure.UNKNOWN, said)


def access_point_reach(
    bucket: str,
    facts: S3BucketFacts,
    bucket_statements: tuple[Statement, ...] | None,
    actions: tuple[str, ...],
    target: Target,
    *,
    reading: bool = True,
) -> tuple[Reach, ...]:
    """What access points (and failed listings) give internet callers for `actions` on `target`."""
    reaches = [
        _through(point, bucket, facts, bucket_statements, actions, target, reading)
        for point in facts.access_points
    ]
    if bucket_statements is not None:  # else the unread bucket policy already says unknown
        reaches.extend(
            _unlisted(entry, bucket, facts, bucket_statements, actions, target, reading)
            for entry in facts.unreadable
            if entry.fact in _LISTINGS
        )
    return tuple(reach for reach in reaches if reach is not None)
