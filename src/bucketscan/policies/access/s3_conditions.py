"""Which callers a bucket policy condition lets through (Allow) or certainly catches (Deny), by
AWS's own definition of a public policy.

Sources, as tables below cite them:
- [PUBLIC] S3 User Guide, "The meaning of "public"" (access-control-block-public-access.html):
  a policy is non-public only when it grants to *fixed* values (no wildcard, no policy variable)
  of the keys it lists; `aws:SourceIp` restricts unless a range is broader than /8 (IPv4) or
  /32 (IPv6); `aws:userid` restricts outside the pattern "AROLEID:*"; `s3:DataAccessPointArn`
  may hold a wildcard in the access point's name when the account is fixed.
- [OPERATORS] IAM User Guide, "IAM JSON policy elements: Condition operators": negated operators,
  `...IfExists` and `ForAllValues:` hold when the key is missing from the request; `Null` tests
  whether it is; `*Like` operators match `*` and `?`.
- [KEYS] IAM User Guide, "AWS global condition context keys": an anonymous request carries
  `aws:PrincipalType` = "Anonymous" and `aws:userid` = "anonymous", no principal tags, account or
  organisation; `aws:SourceIp` is always present.
- [S3KEYS] Service Authorization Reference, "Condition keys for Amazon S3": request headers such
  as `s3:x-amz-acl` or `s3:x-amz-server-side-encryption-aws-kms-key-id` come with writes, never
  with a GetObject or a listing.

Callers come in three tiers: anonymous internet users (PUBLIC), signed-in users of any AWS account
(AUTHENTICATED), and those a fixed value names (neither: restricted). Examples:
``StringEquals aws:SourceVpce vpce-1`` restricts; ``StringLike aws:SourceVpc vpc-*`` admits
anyone (a wildcard); ``StringEquals aws:PrincipalType Anonymous`` admits anonymous callers;
``IpAddress aws:SourceIp 10.0.0.0/8`` restricts and ``0.0.0.0/1`` does not; in a Deny,
``StringNotEquals aws:SourceVpce vpce-1`` catches every caller from the internet.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from bucketscan.policies.access.networks import broad, networks
from bucketscan.policies.access.s3_policy import Condition
from bucketscan.records.common import Exposure

Tiers = frozenset[Exposure]
ANYONE: Tiers = frozenset({Exposure.PUBLIC, Exposure.AUTHENTICATED})
NOBODY: Tiers = frozenset()
ANONYMOUS: Tiers = frozenset({Exposure.PUBLIC})
SIGNED_IN: Tiers = frozenset({Exposure.AUTHENTICATED})

# [OPERATORS] Operators that hold when the value differs, and those that can pin a key to values.
_NEGATED = frozenset(
    {
        "stringnotequals",
        "stringnotequalsignorecase",
        "stringnotlike",
        "arnnotequals",
        "arnnotlike",
        "notipaddress",
        "numericnotequals",
        "datenotequals",
        "binarynotequals",
    }
)
_PINNING = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)
_LIKE = frozenset({"stringlike", "arnlike"})
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_ROLE_SESSIONS = re.compile(r"[A-Z0-9]+:\*")  # "AROLEID:*": every session of one role


def widest_tier(tiers: Tiers) -> Exposure:
    """The widest exposure among `tiers` (private when there is none)."""
    if Exposure.PUBLIC in tiers:
        return Exposure.PUBLIC
    if Exposure.AUTHENTICATED in tiers:
        return Exposure.AUTHENTICATED
    return Exposure.PRIVATE


def _no_wildcard(value: str) -> bool:
    return not any(char in value for char in "*?")


def _userid_fixed(value: str) -> bool:
    return _no_wildcard(value) or bool(_ROLE_SESSIONS.fullmatch(value))


def _account_fixed(value: str) -> bool:
    """An ARN whose service and account are fixed (region and resource may hold wildcards):
    it names resources or principals of one account only."""
    parts = value.split(":", 5)
    return len(parts) == 6 and _no_wildcard(parts[2]) and _no_wildcard(parts[4]) and parts[4] != ""


# [PUBLIC] Keys whose fixed values make a grant non-public, and what "fixed" means for each (an
# ARN naming one account's principals or resources counts as fixed, as for access points).
RESTRICTING: dict[str, Callable[[str], bool]] = {
    "aws:sourcearn": _account_fixed,
    "aws:sourcevpc": _no_wildcard,
    "aws:sourcevpce": _no_wildcard,
    "aws:sourceowner": _no_wildcard,
    "aws:sourceaccount": _no_wildcard,
    "aws:principalorgid": _no_wildcard,
    "aws:principalaccount": _no_wildcard,
    "aws:principalarn": _account_fixed,
    "aws:userid": _userid_fixed,
    "s3:x-amz-server-side-encryption-aws-kms-key-id": _no_wildcard,
    "s3:dataaccesspointarn": _account_fixed,
    "s3:dataaccesspointaccount": _no_wildcard,
}
# [KEYS] Values an anonymous request carries; other principal keys it lacks.
ANONYMOUS_VALUES = {"aws:principaltype": "Anonymous", "aws:userid": "anonymous"}
_PRINCIPAL = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principaltype",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:userid",
        "aws:username",
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "aws:tokenissuetime",
        "aws:federatedprovider",
        "aws:sourceidentity",
        "aws:calledvia",
        "aws:calledviafirst",
        "aws:calledvialast",
        "aws:viaawsservice",
    }
)
_PRINCIPAL_PREFIXES = ("aws:principaltag/",)
# Keys only a call from inside a network, or made by an AWS service for someone, carries.
_NETWORK_OR_SERVICE = frozenset(
    {
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:vpcsourceip",
        "aws:ec2instancesourcevpc",
        "aws:ec2instancesourceprivateipv4",
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
        "s3:accesspointnetworkorigin",
    }
)
# Keys about the request's signature: any signed-in caller can satisfy them, anonymous callers not.
_SIGNATURE = frozenset({"s3:authtype", "s3:signatureversion", "s3:signatureage"})
# [S3KEYS] Request headers and tags of writes: a GetObject or a listing never carries them.
_WRITE_ONLY = frozenset(
    {
        "s3:x-amz-acl",
        "s3:x-amz-copy-source",
        "s3:x-amz-metadata-directive",
        "s3:x-amz-storage-class",
        "s3:x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:requestobjecttagkeys",
        "s3:locationconstraint",
        "aws:tagkeys",
    }
)
_WRITE_ONLY_PREFIXES = (
    "s3:x-amz-grant-",
    "s3:object-lock-",
    "s3:requestobjecttag/",
    "aws:requesttag/",
)
# Keys known not to restrict who may call (transport, time, tags, request shape).
_NEUTRAL = frozenset(
    {
        "aws:securetransport",
        "aws:currenttime",
        "aws:epochtime",
        "aws:useragent",
        "aws:referer",
        "aws:requestedregion",
        "aws:resourceaccount",
        "aws:resourceorgid",
        "aws:resourceorgpaths",
        "s3:prefix",
        "s3:delimiter",
        "s3:max-keys",
        "s3:versionid",
        "s3:tlsversion",
        "s3:resourceaccount",
        "s3:x-amz-content-sha256",
        *_WRITE_ONLY,
    }
)
_NEUTRAL_PREFIXES = ("aws:resourcetag/", "s3:existingobjecttag/", *_WRITE_ONLY_PREFIXES)
_EVERY_ADDRESS = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


@dataclass(frozen=True)
class Verdict:
    """The tiers a condition admits (Allow) or catches (Deny), and why."""

    tiers: Tiers
    note: str


@dataclass(frozen=True)
class _Operator:
    base: str
    negated: bool
    if_exists: bool
    for_all: bool


def _operator(text: str) -> _Operator:
    name = text.casefold()
    for_all = name.startswith("forallvalues:")
    name = name.split(":", 1)[1] if ":" in name else name
    if_exists = name.endswith("ifexists")
    name = name.removesuffix("ifexists")
    return _Operator(name, name in _NEGATED, if_exists, for_all)


def _kind(key: str) -> str:
    name = key.casefold()
    if name == "aws:sourceip":
        return "ip"
    if name in _NETWORK_OR_SERVICE:
        return "network"
    if name in _PRINCIPAL or name.startswith(_PRINCIPAL_PREFIXES):
        return "principal"
    if name in _SIGNATURE:
        return "signature"
    if name in _NEUTRAL or name.startswith(_NEUTRAL_PREFIXES):
        return "neutral"
    return "unknown"


def _write_only(key: str) -> bool:
    name = key.casefold()
    return name in _WRITE_ONLY or name.startswith(_WRITE_ONLY_PREFIXES)


def _describe(condition: Condition) -> str:
    values = ", ".join(condition.values)
    return f"{condition.operator} {condition.key} [{values}]"


def _when_absent(operator: _Operator, condition: Condition) -> bool:
    """Whether the condition holds when its key is missing from the request."""
    if operator.base == "null":
        return "true" in (value.casefold() for value in condition.values)
    return operator.negated or operator.if_exists or operator.for_all


def _pins(operator: _Operator, condition: Condition) -> bool:
    """Whether the condition holds only for fixed values of a key that restricts [PUBLIC]."""
    fixed = RESTRICTING.get(condition.key.casefold())
    if fixed is None or operator.base not in _PINNING or _when_absent(operator, condition):
        return False
    return all(
        not _VARIABLE.search(value) and (operator.base not in _LIKE or fixed(value))
        for value in condition.values
    )


def _anonymous_passes(operator: _Operator, condition: Condition) -> bool:
    """Whether an anonymous request satisfies the condition [KEYS]."""
    carried = ANONYMOUS_VALUES.get(condition.key.casefold())
    if carried is None:
        return _when_absent(operator, condition)
    if operator.base == "null":
        return "false" in (value.casefold() for value in condition.values)
    if operator.base not in _PINNING | {"stringnotequals", "stringnotequalsignorecase"}:
        return True  # an operator we do not model on this key: assume it can pass
    hit = any(_same(operator, value, carried) for value in condition.values)
    return hit != operator.negated


def _same(operator: _Operator, value: str, carried: str) -> bool:
    if _VARIABLE.search(value):
        return True  # ${aws:userid} and the like stand for the caller's own value
    if operator.base in _LIKE:
        return fnmatchcase(carried.casefold(), value.casefold())
    if operator.base.endswith("ignorecase"):
        return value.casefold() == carried.casefold()
    return value == carried


def admitted(condition: Condition, reading: bool = True) -> Verdict:
    """Which callers can satisfy one condition of an Allow statement (for a read or listing
    when `reading`, else for a write)."""
    operator, kind, text = _operator(condition.operator), _kind(condition.key), _describe(condition)
    if reading and _write_only(condition.key):
        if _when_absent(operator, condition):
            return Verdict(ANYONE, f"condition {text} holds for reads: they never carry the key")
        return Verdict(NOBODY, f"condition {text} never holds for a read, which lacks the key")
    if kind == "ip":
        return _admitted_ip(operator, condition, text)
    if _pins(operator, condition):
        if _anonymous_passes(operator, condition):
            return Verdict(ANONYMOUS, f"condition {text} admits anonymous callers")
        return Verdict(NOBODY, f"restricted to fixed values by condition {text}")
    if kind == "neutral":
        spoof = " (set by the caller, trivially spoofed)" if "referer" in text.casefold() else ""
        return Verdict(ANYONE, f"condition {text} does not restrict who can call{spoof}")
    if kind == "unknown":
        return Verdict(ANYONE, f"condition {condition.key} not understood; treated as public")
    if kind == "network":
        return Verdict(ANYONE, f"condition {text} does not pin the caller to fixed values")
    # Principal and signature keys: what anonymous requests carry decides for them; a signed-in
    # caller of some account can bring whatever a test not pinned to fixed values admits.
    tiers: set[Exposure] = set()
    if _anonymous_passes(operator, condition):
        tiers.add(Exposure.PUBLIC)
    absent_only = operator.base == "null" and _when_absent(operator, condition)
    if kind == "principal" or not absent_only:
        tiers.add(Exposure.AUTHENTICATED)
    if not tiers:
        return Verdict(NOBODY, f"restricted by condition {text}")
    return Verdict(frozenset(tiers), f"condition {text} admits {_who(frozenset(tiers))}")


def _who(tiers: Tiers) -> str:
    return " and ".join(f"{tier.value} callers" for tier in sorted(tiers)) or "no caller certainly"


def _admitted_ip(operator: _Operator, condition: Condition, text: str) -> Verdict:
    if operator.base == "null":
        holds = not _when_absent(operator, condition)
        return Verdict(ANYONE if holds else NOBODY, f"condition {text} on an always-present key")
    ranges = networks(condition.values)
    if ranges is None:
        return Verdict(ANYONE, f"condition {text}: address not understood; treated as public")
    if operator.negated:
        if any(network in ranges for network in _EVERY_ADDRESS):
            return Verdict(NOBODY, f"condition {text} excludes every address")
        return Verdict(ANYONE, f"condition {text} still admits every other address")
    wide = broad(ranges)
    if wide:
        shown = ", ".join(str(network) for network in wide)
        return Verdict(ANYONE, f"condition {text} admits ranges broader than /8 or /32 ({shown})")
    return Verdict(NOBODY, f"restricted to source addresses by condition {text}")


def caught(condition: Condition) -> Verdict:
    """Which callers one condition of a Deny statement certainly applies to."""
    operator, kind, text = _operator(condition.operator), _kind(condition.key), _describe(condition)
    if kind in ("neutral", "unknown"):
        return Verdict(NOBODY, f"Deny condition {text} does not apply to every caller")
    if kind == "ip":
        if operator.base == "null":
            holds = not _when_absent(operator, condition)
            return Verdict(ANYONE if holds else NOBODY, f"Deny condition {text}")
        ranges = networks(condition.values)
        if ranges is None:
            return Verdict(NOBODY, f"Deny condition {text}: address not understood")
        everything = any(network in ranges for network in _EVERY_ADDRESS)
        if operator.negated or everything:
            return Verdict(ANYONE, f"Deny condition {text} applies to the internet at large")
        return Verdict(NOBODY, f"Deny condition {text} applies only to some addresses")
    if condition.key.casefold() in ANONYMOUS_VALUES:
        anonymous = _anonymous_passes(operator, condition)
        # Other callers' values differ from any one named: a negated test catches them.
        tiers = (ANONYMOUS if anonymous else NOBODY) | (SIGNED_IN if operator.negated else NOBODY)
        return Verdict(tiers, f"Deny condition {text} applies to {_who(tiers)}")
    if not _when_absent(operator, condition):
        if kind == "principal" and operator.base == "null":
            return Verdict(SIGNED_IN, f"Deny condition {text} applies to signed-in callers")
        return Verdict(NOBODY, f"Deny condition {text} applies only to some callers")
    if kind == "network":
        return Verdict(ANYONE, f"Deny condition {text} applies to every call from the internet")
    if operator.negated:
        # Anonymous calls lack the key; arbitrary other accounts have another value.
        tiers = ANONYMOUS if kind == "signature" else ANYONE
        return Verdict(tiers, f"Deny condition {text} applies to callers outside its values")
    return Verdict(ANONYMOUS, f"Deny condition {text} applies to anonymous callers")
