"""Which callers a bucket policy condition lets through (Allow) or certainly catches (Deny).

Callers come in two tiers: anonymous internet users (PUBLIC) and signed-in users of any AWS
account (AUTHENTICATED). Example: ``IpAddress aws:SourceIp 203.0.113.0/24`` admits neither tier
(only those addresses, even though the range is public), ``Bool aws:SecureTransport true`` admits
both, and in a Deny ``StringNotEquals aws:SourceVpce vpce-1`` catches both (internet callers carry
no VPC endpoint), so such a Deny is honoured.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from bucketscan.policies.access.s3_policy import Condition
from bucketscan.records.common import Exposure

Tiers = frozenset[Exposure]
ANYONE: Tiers = frozenset({Exposure.PUBLIC, Exposure.AUTHENTICATED})
NOBODY: Tiers = frozenset()
ANONYMOUS: Tiers = frozenset({Exposure.PUBLIC})
SIGNED_IN: Tiers = frozenset({Exposure.AUTHENTICATED})

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
# Keys a direct call from the internet carries whether signed or not.
_ALWAYS_PRESENT = frozenset({"aws:sourceip"})
# Keys that only exist for calls from inside a network, or made by an AWS service for someone.
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
# Keys about the signed-in principal: absent on anonymous calls, specific values per account.
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
# Keys about the request's signature: any signed-in caller can satisfy them, anonymous callers not.
_SIGNATURE = frozenset({"s3:authtype", "s3:signatureversion", "s3:signatureage"})
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
        "aws:tagkeys",
        "s3:prefix",
        "s3:delimiter",
        "s3:max-keys",
        "s3:versionid",
        "s3:tlsversion",
        "s3:resourceaccount",
        "s3:locationconstraint",
        "s3:requestobjecttagkeys",
        "s3:x-amz-acl",
        "s3:x-amz-content-sha256",
        "s3:x-amz-copy-source",
        "s3:x-amz-metadata-directive",
        "s3:x-amz-storage-class",
        "s3:x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
    }
)
_NEUTRAL_PREFIXES = (
    "aws:resourcetag/",
    "aws:requesttag/",
    "s3:existingobjecttag/",
    "s3:requestobjecttag/",
    "s3:x-amz-grant-",
    "s3:object-lock-",
)
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
    if name in _ALWAYS_PRESENT:
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


def _describe(condition: Condition) -> str:
    values = ", ".join(condition.values)
    return f"{condition.operator} {condition.key} [{values}]"


def _ranges_cover_everything(values: tuple[str, ...]) -> bool | None:
    """Whether the CIDRs include all of IPv4 or IPv6; None when one does not parse."""
    try:
        networks = [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError:
        return None
    return any(network in networks for network in _EVERY_ADDRESS)


def _when_absent(operator: _Operator, condition: Condition) -> bool:
    """Whether the condition holds when its key is missing from the request."""
    if operator.base == "null":
        return "true" in (value.casefold() for value in condition.values)
    return operator.negated or operator.if_exists or operator.for_all


def admitted(condition: Condition) -> Verdict:
    """Which callers can satisfy one condition of an Allow statement."""
    operator, kind, text = _operator(condition.operator), _kind(condition.key), _describe(condition)
    if kind == "neutral":
        spoof = " (set by the caller, trivially spoofed)" if "referer" in text.casefold() else ""
        return Verdict(ANYONE, f"condition {text} does not restrict who can call{spoof}")
    if kind == "unknown":
        return Verdict(ANYONE, f"condition {condition.key} not understood; treated as public")
    if kind == "ip":
        return _admitted_ip(operator, condition, text)
    absent_ok = _when_absent(operator, condition)
    present_ok = operator.negated or (operator.base == "null" and not absent_ok)
    if kind == "network":
        if absent_ok:
            return Verdict(ANYONE, f"condition {text} holds for calls from the internet")
        return Verdict(NOBODY, f"restricted by condition {text}")
    # principal and signature keys: absent on anonymous calls, present on signed ones.
    tiers: set[Exposure] = set()
    if absent_ok:
        tiers.add(Exposure.PUBLIC)
    if present_ok or (kind == "signature" and not operator.negated and operator.base != "null"):
        tiers.add(Exposure.AUTHENTICATED)
    if not tiers:
        return Verdict(NOBODY, f"restricted by condition {text}")
    who = " and ".join(sorted(tier.value for tier in tiers))
    return Verdict(frozenset(tiers), f"condition {text} admits {who} callers")


def _admitted_ip(operator: _Operator, condition: Condition, text: str) -> Verdict:
    if operator.base == "null":
        holds = not _when_absent(operator, condition)
        return Verdict(ANYONE if holds else NOBODY, f"condition {text} on an always-present key")
    everything = _ranges_cover_everything(condition.values)
    if everything is None:
        return Verdict(ANYONE, f"condition {text}: address not understood; treated as public")
    if operator.negated:
        if everything:
            return Verdict(NOBODY, f"condition {text} excludes every address")
        return Verdict(ANYONE, f"condition {text} still admits every other address")
    if everything:
        return Verdict(ANYONE, f"condition {text} admits every address")
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
        everything = _ranges_cover_everything(condition.values)
        if everything is None:
            return Verdict(NOBODY, f"Deny condition {text}: address not understood")
        if operator.negated or everything:
            return Verdict(ANYONE, f"Deny condition {text} applies to the internet at large")
        return Verdict(NOBODY, f"Deny condition {text} applies only to some addresses")
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
