"""Tables of Azure Blob verdicts: account flag x container level x $web static website."""

from __future__ import annotations

import itertools

import pytest

from bucketscan.policies.access.azure import (
    EVALUATOR,
    evaluate_bucket,
    evaluate_object,
    needs_object_facts,
)
from bucketscan.records.azure import (
    ACCOUNT_FACT,
    LEVEL_FACT,
    WEBSITE_FACT,
    AzureContainerFacts,
    NetworkRules,
)
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.records.gcs import GcsBucketFacts
from bucketscan.records.unreadable import Unreadable

PUB, PRIV, UNK = Exposure.PUBLIC, Exposure.PRIVATE, Exposure.UNKNOWN
WEB = "$web"


def container(
    allow: bool | None,
    level: str | None,
    website: bool | None = False,
    name: str = "uploads",
    network: NetworkRules | None = None,
) -> Bucket:
    """A container record; facts left unread carry the reason a provider would record."""
    unreadable = []
    if allow is None:
        unreadable.append(Unreadable(ACCOUNT_FACT, "AuthorizationFailed: no reader role"))
    if level is None:
        unreadable.append(Unreadable(LEVEL_FACT, "HttpResponseError AuthorizationFailure: 403"))
    if website is None:
        unreadable.append(Unreadable(WEBSITE_FACT, "HttpResponseError: 403 on service props"))
    facts = AzureContainerFacts(
        public_access=level,
        allow_blob_public_access=allow,
        static_website=website,
        unreadable=tuple(unreadable),
        network=network,
    )
    return Bucket(BucketRef("azure", "acme", name), facts)


# (account allowBlobPublicAccess, container level, website, container, read, list, a reason part)
CASES = [
    (True, "off", False, "uploads", PRIV, PRIV, "'off' (private)"),
    (True, "blob", False, "uploads", PUB, PRIV, "blobs can be read anonymously"),
    (True, "container", False, "uploads", PUB, PUB, "listed and read anonymously"),
    (True, None, False, "uploads", UNK, UNK, "level unknown (HttpResponseError"),
    (False, "off", False, "uploads", PRIV, PRIV, "allowBlobPublicAccess=false"),
    (False, "blob", False, "uploads", PRIV, PRIV, "container level ('blob') is void"),
    (False, "container", False, "uploads", PRIV, PRIV, "('container') is void"),
    (False, None, False, "uploads", PRIV, PRIV, "container level (not read) is void"),
    (None, "off", False, "uploads", PRIV, PRIV, "'off' (private)"),
    (None, "blob", False, "uploads", PUB, PRIV, "setting was not read (AuthorizationFailed"),
    (None, "container", False, "uploads", PUB, PUB, "'container' level still counts as public"),
    (None, None, False, "uploads", UNK, UNK, "level unknown"),
    # The website serves $web whatever the container level and the account flag.
    (True, "off", True, WEB, PUB, PRIV, "static website hosting is on"),
    (False, "off", True, WEB, PUB, PRIV, "whatever the container level"),
    (False, "container", True, WEB, PUB, PRIV, "allowBlobPublicAccess=false"),
    (True, "container", True, WEB, PUB, PUB, "listed and read anonymously"),
    (None, None, True, WEB, PUB, UNK, "static website hosting is on"),
    (True, "off", False, WEB, PRIV, PRIV, "static website hosting is off"),
    (True, "blob", False, WEB, PUB, PRIV, "blobs can be read anonymously"),
    (False, "container", False, WEB, PRIV, PRIV, "static website hosting is off"),
    (True, "off", None, WEB, UNK, PRIV, "static website hosting unknown (HttpResponseError"),
    (False, "off", None, WEB, UNK, PRIV, "if on, $web blobs are served anonymously"),
    (True, "container", None, WEB, PUB, PUB, "static website hosting unknown"),
    (None, None, None, WEB, UNK, UNK, "static website hosting unknown"),
    # A website flag means nothing for any other container.
    (True, "off", True, "web", PRIV, PRIV, "'off' (private)"),
    (None, "off", None, "uploads", PRIV, PRIV, "'off' (private)"),
]


@pytest.mark.parametrize(
    ("allow", "level", "website", "name", "read", "listing", "reason"),
    CASES,
    ids=[f"{c[3]}-allow={c[0]}-level={c[1]}-web={c[2]}" for c in CASES],
)
def test_container_verdicts(
    allow: bool | None,
    level: str | None,
    website: bool | None,
    name: str,
    read: Exposure,
    listing: Exposure,
    reason: str,
) -> None:
    access = evaluate_bucket(container(allow, level, website, name))
    assert (access.read, access.list) == (read, listing)
    assert any(reason in line for line in access.reasons), access.reasons
    assert access.write is PRIV


def test_table_covers_every_flag_and_level() -> None:
    plain = {(c[0], c[1]) for c in CASES if c[3] != WEB}
    assert plain >= set(itertools.product((True, False, None), ("off", "blob", "container", None)))
    assert {c[2] for c in CASES if c[3] == WEB} == {True, False, None}


@pytest.mark.parametrize(
    ("allow", "level", "website", "name"),
    list(
        itertools.product(
            (True, False, None), ("off", "blob", "container", None), (True, False, None), ("c", WEB)
        )
    ),
)
def test_never_authenticated_and_write_never_anonymous(
    allow: bool | None, level: str | None, website: bool | None, name: str
) -> None:
    access = evaluate_bucket(container(allow, level, website, name))
    assert Exposure.AUTHENTICATED not in (access.read, access.list, access.write)
    assert access.write is PRIV
    assert any("anonymous writes are impossible" in line for line in access.reasons)
    blob = evaluate_object(container(allow, level, website, name), StoredObject("a/b.pdf", 1))
    assert blob.read is access.read
    assert blob.reasons and not any("writes" in line for line in blob.reasons)


def test_public_reasons_name_the_website_endpoint_when_known() -> None:
    bucket = container(True, "off", True, WEB)
    facts = bucket.facts
    assert isinstance(facts, AzureContainerFacts)
    endpoint = "https://acme.z11.web.core.windows.net/"
    named = Bucket(bucket.ref, AzureContainerFacts(**{**vars(facts), "web_endpoint": endpoint}))
    assert any(endpoint in line for line in evaluate_bucket(named).reasons)
    assert any("<account>.z<N>" in line for line in evaluate_bucket(bucket).reasons)


def test_unrecognised_level_is_unknown_not_private() -> None:
    access = evaluate_bucket(container(True, "everyone", False))
    assert (access.read, access.list) == (UNK, UNK)
    assert any("'everyone'" in line for line in access.reasons)


def test_foreign_facts_are_unknown_never_private() -> None:
    foreign = Bucket(BucketRef("azure", "a", "c"), GcsBucketFacts())
    access = evaluate_bucket(foreign)
    assert (access.read, access.list, access.write) == (UNK, UNK, UNK)
    assert evaluate_object(foreign, StoredObject("k", 1)).read is UNK


def test_blobs_need_no_object_facts() -> None:
    assert needs_object_facts(container(True, "blob")) is False
    assert EVALUATOR.needs_object_facts is needs_object_facts
    assert EVALUATOR.bucket is evaluate_bucket
    assert EVALUATOR.obj is evaluate_object


def test_registered_for_azure() -> None:
    registry = pytest.importorskip(
        "bucketscan.policies.access.registry", exc_type=ImportError
    )  # needs the S3 evaluator too
    assert registry.EVALUATORS["azure"] is EVALUATOR


FIREWALL = NetworkRules(default_action="Deny", ip_rules=("203.0.113.0/24",), virtual_networks=1)

# (network rules, container level, website, read, list, a reason part; None: no network reason)
NETWORK_CASES = [
    (None, "container", False, PUB, PUB, None),  # not read: nothing assumed
    (NetworkRules(public_network_access="Enabled"), "container", False, PUB, PUB, None),
    (NetworkRules(default_action="Allow"), "blob", False, PUB, PRIV, None),
    (NetworkRules(public_network_access="Disabled"), "container", False, PRIV, PRIV, "disabled"),
    (NetworkRules(public_network_access="Disabled"), None, False, PRIV, PRIV, "disabled"),
    (FIREWALL, "container", False, PRIV, PRIV, "(1 IP rules and 1 virtual networks)"),
    (FIREWALL, "off", True, PRIV, PRIV, "firewall admits only listed networks"),
    (NetworkRules(default_action="Deny"), "blob", False, PRIV, PRIV, "(0 IP rules and 0 virtual"),
    (NetworkRules(default_action="Deny", ip_rules=("10.0.0.0/7",)), "blob", False, PUB, PRIV, None),
    (
        NetworkRules(default_action="Deny", ip_rules=("0.0.0.0/1", "128.0.0.0/1")),
        "blob",
        False,
        PUB,
        PRIV,
        None,
    ),
    (
        NetworkRules(default_action="Deny", ip_rules=("2001:db8::/31",)),
        "blob",
        False,
        PUB,
        PRIV,
        None,
    ),
    (NetworkRules(default_action="Deny", ip_rules=("not-an-ip",)), "blob", False, PUB, PRIV, None),
    (
        NetworkRules(default_action="deny", ip_rules=("198.51.100.7",)),
        "blob",
        False,
        PRIV,
        PRIV,
        "firewall admits only listed networks",
    ),
    (NetworkRules(public_network_access="SecuredByPerimeter"), "blob", False, PUB, PRIV, None),
    (FIREWALL, "off", False, PRIV, PRIV, None),  # private already: the firewall adds no reason
]


@pytest.mark.parametrize(("network", "level", "website", "read", "listing", "part"), NETWORK_CASES)
def test_network_rules_keep_the_internet_out_or_not(
    network: NetworkRules | None,
    level: str | None,
    website: bool,
    read: Exposure,
    listing: Exposure,
    part: str | None,
) -> None:
    name = WEB if website else "uploads"
    access = evaluate_bucket(container(True, level, website, name, network))
    assert (access.read, access.list, access.write) == (read, listing, PRIV)
    network_reasons = [line for line in access.reasons if "restricted by network" in line]
    if part is None:
        assert not network_reasons, access.reasons
    else:
        assert len(network_reasons) == 1 and part in network_reasons[0], access.reasons
