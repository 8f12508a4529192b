"""Who can read, list and write an Azure Blob container: a pure function of gathered facts.

Example: a container at level ``blob`` in an account whose ``allowBlobPublicAccess`` is true is
judged read=public (anyone can download a blob by name), list=private, write=private. The same
container in an account with ``allowBlobPublicAccess`` false is private: the account flag voids
every container level. An account whose ``publicNetworkAccess`` is Disabled, or whose firewall
(``networkAcls``) denies by default and admits only listed networks, is "restricted by network".
The ``$web`` container is readable by anyone through the static website endpoint whenever static
website hosting is on, whatever its level and the account flag.
Anonymous Blob access has no "any signed-in user" audience, so verdicts are never AUTHENTICATED.
"""

from __future__ import annotations

from dataclasses import dataclass

from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.policies.access.networks import broad, networks
from bucketscan.records.azure import (
    ACCOUNT_FACT,
    LEVEL_FACT,
    WEB_CONTAINER,
    WEBSITE_FACT,
    AzureContainerFacts,
    NetworkRules,
)
from bucketscan.records.common import (
    Bucket,
    BucketAccess,
    Exposure,
    ObjectAccess,
    StoredObject,
    widest,
)

PUBLIC, PRIVATE, UNKNOWN = Exposure.PUBLIC, Exposure.PRIVATE, Exposure.UNKNOWN
# What each container level lets anonymous callers do: (read blobs, list blobs).
LEVELS: dict[str, tuple[Exposure, Exposure]] = {
    "off": (PRIVATE, PRIVATE),
    "blob": (PUBLIC, PRIVATE),
    "container": (PUBLIC, PUBLIC),
}
_WRITE_REASON = "anonymous writes are impossible in Azure Blob (a key, SAS or Entra ID is needed)"


@dataclass(frozen=True)
class _Part:
    """One source of exposure (the container level or the static website) and why."""

    read: Exposure
    list: Exposure
    reasons: tuple[str, ...]


def evaluate_bucket(bucket: Bucket) -> BucketAccess:
    """Judge a container's read/list/write exposure from its level, account flag and website."""
    facts = bucket.facts
    if not isinstance(facts, AzureContainerFacts):
        reason = f"not Azure facts: {type(facts).__name__}"
        return BucketAccess(UNKNOWN, UNKNOWN, UNKNOWN, (reason,))
    level = _container_level(facts)
    website = _static_website(bucket.name, facts)
    reasons = (*level.reasons, *website.reasons, _WRITE_REASON)
    read, listing = widest(level.read, website.read), widest(level.list, website.list)
    closed = _network_gate(facts.network)
    if closed is not None and (read, listing) != (PRIVATE, PRIVATE):
        return BucketAccess(PRIVATE, PRIVATE, PRIVATE, (*reasons, closed))
    return BucketAccess(read=read, list=listing, write=PRIVATE, reasons=reasons)


def _network_gate(network: NetworkRules | None) -> str | None:
    """Why the account's network rules keep the internet out, or None when they do not (or
    were not read: then nothing is assumed)."""
    if network is None:
        return None
    if (network.public_network_access or "").casefold() == "disabled":
        return "restricted by network: public network access is disabled on the account"
    if (network.default_action or "").casefold() != "deny":
        return None
    ranges = networks(network.ip_rules)
    if ranges is None or broad(ranges):
        return None  # a firewall admitting a range this broad admits the internet
    listed = f"{len(ranges)} IP rules and {network.virtual_networks} virtual networks"
    return f"restricted by network: the account's firewall admits only listed networks ({listed})"


def needs_object_facts(bucket: Bucket) -> bool:
    """Never: blobs have no access settings of their own."""
    return False


def evaluate_object(bucket: Bucket, obj: StoredObject) -> ObjectAccess:
    """Judge one blob's download: the same as its container's read (blobs have no ACLs)."""
    access = evaluate_bucket(bucket)
    reasons = tuple(reason for reason in access.reasons if reason != _WRITE_REASON)
    return ObjectAccess(access.read, reasons)


EVALUATOR = Evaluator(
    bucket=evaluate_bucket, needs_object_facts=needs_object_facts, obj=evaluate_object
)


def _container_level(facts: AzureContainerFacts) -> _Part:
    """What the container's public access level grants once the account flag is applied."""
    level = facts.public_access
    if facts.allow_blob_public_access is False:
        shown = "not read" if level is None else f"'{level}'"
        reason = (
            "the account disallows anonymous blob access (allowBlobPublicAccess=false), "
            f"so the container level ({shown}) is void"
        )
        return _Part(PRIVATE, PRIVATE, (reason,))
    if level is None:
        why = _why(facts, LEVEL_FACT, "container properties not read")
        reason = f"container public access level unknown ({why})"
        return _Part(UNKNOWN, UNKNOWN, (reason,))
    if level not in LEVELS:
        return _Part(UNKNOWN, UNKNOWN, (f"unrecognised container public access level '{level}'",))
    read, listing = LEVELS[level]
    if level == "off":
        return _Part(read, listing, ("container public access level is 'off' (private)",))
    what = "blobs can be read" if level == "blob" else "blobs can be listed and read"
    reason = f"container public access level is '{level}': {what} anonymously"
    if facts.allow_blob_public_access is None:
        why = _why(facts, ACCOUNT_FACT, "not read")
        gate = (
            f"the account's allowBlobPublicAccess setting was not read ({why}); "
            f"the '{level}' level still counts as public"
        )
    else:
        gate = "the account allows anonymous blob access (allowBlobPublicAccess=true)"
    return _Part(read, listing, (reason, gate))


def _static_website(name: str, facts: AzureContainerFacts) -> _Part:
    """What static website hosting exposes: reads of $web blobs, never a listing."""
    if name != WEB_CONTAINER:
        return _Part(PRIVATE, PRIVATE, ())
    endpoint = facts.web_endpoint or "<account>.z<N>.web.core.windows.net"
    if facts.static_website is None:
        why = _why(facts, WEBSITE_FACT, "not read")
        reason = (
            f"static website hosting unknown ({why}); if on, {WEB_CONTAINER} blobs are served "
            f"anonymously at {endpoint}"
        )
        return _Part(UNKNOWN, PRIVATE, (reason,))
    if facts.static_website:
        reason = (
            f"static website hosting is on: {WEB_CONTAINER} blobs are served anonymously at "
            f"{endpoint}, whatever the container level and allowBlobPublicAccess"
        )
        return _Part(PUBLIC, PRIVATE, (reason,))
    return _Part(PRIVATE, PRIVATE, (f"static website hosting is off for {WEB_CONTAINER}",))


def _why(facts: AzureContainerFacts, fact: str, default: str) -> str:
    """The recorded reason a fact could not be read, else `default`."""
    return next((item.reason for item in facts.unreadable if item.fact == fact), default)
