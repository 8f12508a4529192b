"""AWS's definition of a public bucket policy, rule by rule, as tables: each row names the page
of AWS documentation it comes from (see the sources in policies/access/s3_conditions.py).

PUBLIC: S3 User Guide, "The meaning of "public"" (access-control-block-public-access.html).
OPERATORS: IAM User Guide, condition operators (reference_policies_elements_condition_operators).
KEYS: IAM User Guide, AWS global condition context keys (reference_policies_condition-keys).
S3KEYS: Service Authorization Reference, condition keys for Amazon S3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bucketscan.policies.access.s3 import evaluate_bucket
from bucketscan.policies.access.s3_conditions import admitted
from bucketscan.policies.access.s3_policy import Condition
from bucketscan.records.common import Exposure
from bucketscan.records.s3 import S3BucketFacts
from test_access_s3 import bucket_of, policy, stmt

PUB, AUTH, PRIV = Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.PRIVATE


@dataclass(frozen=True)
class Rule:
    """One condition of an Allow on s3:GetObject to "*", and who AWS says it admits."""

    id: str
    source: str
    operator: str
    key: str
    values: tuple[str, ...]
    read: Exposure  # the bucket's read verdict with that one statement


RULES = [
    # Fixed values of the listed keys restrict; a wildcard or a policy variable does not.
    Rule("vpc-fixed", "PUBLIC", "StringEquals", "aws:SourceVpc", ("vpc-1a2b",), PRIV),
    Rule("vpc-wildcard", "PUBLIC", "StringLike", "aws:SourceVpc", ("vpc-*",), PUB),
    Rule("vpce-fixed", "PUBLIC", "StringEquals", "aws:SourceVpce", ("vpce-1",), PRIV),
    Rule("vpce-like-fixed", "PUBLIC", "StringLike", "aws:SourceVpce", ("vpce-1",), PRIV),
    Rule("vpce-question-mark", "PUBLIC", "StringLike", "aws:SourceVpce", ("vpce-?",), PUB),
    Rule("org-fixed", "PUBLIC", "StringEquals", "aws:PrincipalOrgID", ("o-abc123",), PRIV),
    Rule("org-wildcard", "PUBLIC", "StringLike", "aws:PrincipalOrgID", ("o-*",), AUTH),
    Rule("account-fixed", "PUBLIC", "StringEquals", "aws:SourceAccount", ("111122223333",), PRIV),
    Rule("owner-fixed", "PUBLIC", "StringEquals", "aws:SourceOwner", ("111122223333",), PRIV),
    Rule(
        "source-arn-fixed",
        "PUBLIC",
        "ArnEquals",
        "aws:SourceArn",
        ("arn:aws:cloudfront::111122223333:distribution/E1",),
        PRIV,
    ),
    Rule(
        "source-arn-any-account",
        "PUBLIC",
        "ArnLike",
        "aws:SourceArn",
        ("arn:aws:cloudfront::*:distribution/*",),
        PUB,
    ),
    Rule("userid-fixed", "PUBLIC", "StringEquals", "aws:userid", ("AIDAEXAMPLE",), PRIV),
    Rule("userid-role-sessions", "PUBLIC", "StringLike", "aws:userid", ("AROAEXAMPLE:*",), PRIV),
    Rule("userid-star", "PUBLIC", "StringLike", "aws:userid", ("*",), PUB),
    Rule("userid-variable", "PUBLIC", "StringEquals", "aws:userid", ("${aws:userid}",), PUB),
    Rule(
        "access-point-any-name",
        "PUBLIC",
        "ArnLike",
        "s3:DataAccessPointArn",
        ("arn:aws:s3:us-east-1:111122223333:accesspoint/*",),
        PRIV,
    ),
    Rule(
        "access-point-any-account",
        "PUBLIC",
        "ArnLike",
        "s3:DataAccessPointArn",
        ("arn:aws:s3:*:*:accesspoint/*",),
        PUB,
    ),
    Rule(
        "access-point-account", "PUBLIC", "StringEquals", "s3:DataAccessPointAccount", ("1",), PRIV
    ),
    # Source addresses: ranges broader than /8 (IPv4) or /32 (IPv6) are public.
    Rule("ip-slash-8", "PUBLIC", "IpAddress", "aws:SourceIp", ("10.0.0.0/8",), PRIV),
    Rule("ip-slash-7", "PUBLIC", "IpAddress", "aws:SourceIp", ("10.0.0.0/7",), PUB),
    Rule("ip-two-halves", "PUBLIC", "IpAddress", "aws:SourceIp", ("0.0.0.0/1", "128.0.0.0/1"), PUB),
    Rule("ipv6-slash-32", "PUBLIC", "IpAddress", "aws:SourceIp", ("2001:db8::/32",), PRIV),
    Rule("ipv6-slash-16", "PUBLIC", "IpAddress", "aws:SourceIp", ("2001::/16",), PUB),
    Rule("not-ip", "OPERATORS", "NotIpAddress", "aws:SourceIp", ("10.0.0.0/8",), PUB),
    # Operators: negation, IfExists and ForAllValues hold when the key is missing.
    Rule("vpce-negated", "OPERATORS", "StringNotEquals", "aws:SourceVpce", ("vpce-1",), PUB),
    Rule("vpce-if-exists", "OPERATORS", "StringEqualsIfExists", "aws:SourceVpce", ("vpce-1",), PUB),
    Rule("vpce-for-all", "OPERATORS", "ForAllValues:StringEquals", "aws:SourceVpce", ("v-1",), PUB),
    Rule("vpce-for-any", "OPERATORS", "ForAnyValue:StringEquals", "aws:SourceVpce", ("v-1",), PRIV),
    Rule("vpce-must-exist", "OPERATORS", "Null", "aws:SourceVpce", ("false",), PUB),
    # Keys that do not restrict who calls; what anonymous requests carry.
    Rule("principal-tag", "PUBLIC", "StringEquals", "aws:PrincipalTag/team", ("hr",), AUTH),
    Rule("username", "PUBLIC", "StringEquals", "aws:username", ("alice",), AUTH),
    Rule("mfa", "PUBLIC", "Bool", "aws:MultiFactorAuthPresent", ("true",), AUTH),
    Rule("anonymous-type", "KEYS", "StringEquals", "aws:PrincipalType", ("Anonymous",), PUB),
    Rule("user-type", "KEYS", "StringEquals", "aws:PrincipalType", ("User",), AUTH),
    Rule("anonymous-userid", "KEYS", "StringEquals", "aws:userid", ("anonymous",), PUB),
    # Keys a read never carries: the grant does not apply to reads.
    Rule(
        "kms-key-on-a-read",
        "S3KEYS",
        "StringEquals",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        ("arn:aws:kms:us-east-1:111122223333:key/k",),
        PRIV,
    ),
    Rule("acl-header-on-a-read", "S3KEYS", "StringEquals", "s3:x-amz-acl", ("private",), PRIV),
    Rule("no-acl-header-on-a-read", "S3KEYS", "StringNotEquals", "s3:x-amz-acl", ("public",), PUB),
]


def _read(condition: dict[str, Any]) -> Exposure:
    facts = S3BucketFacts(policy_json=policy(stmt(condition=condition)))
    return evaluate_bucket(bucket_of(facts)).read


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_aws_rule(rule: Rule) -> None:
    values: Any = list(rule.values) if len(rule.values) > 1 else rule.values[0]
    assert _read({rule.operator: {rule.key: values}}) is rule.read, rule.source


def test_conditions_of_a_statement_are_anded() -> None:
    fixed = {"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SecureTransport": "true"}}
    assert _read(fixed) is PRIV  # one restricting condition is enough
    either = {"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}
    assert _read(either) is PRIV  # values are ORed, each fixed


def test_a_write_header_still_counts_for_writes() -> None:
    verdict = admitted(Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)))
    assert verdict.tiers == frozenset()  # on a read: inapplicable
    for_writes = admitted(
        Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)), reading=False
    )
    assert Exposure.PUBLIC in for_writes.tiers  # any uploader can send that header


@pytest.mark.parametrize(
    ("provider", "read"),
    [
        ("graph.facebook.com", PUB),
        ("cognito-identity.amazonaws.com", PUB),
        ("accounts.google.com", PUB),
    ],
)
def test_a_federated_principal_grants_to_anyone_who_signs_in_there(
    provider: str, read: Exposure
) -> None:
    facts = S3BucketFacts(policy_json=policy(stmt(principal={"Federated": provider})))
    access = evaluate_bucket(bucket_of(facts))
    assert access.read is read
    assert any("Federated" in reason for reason in access.reasons)


def test_a_fixed_service_principal_is_not_public() -> None:
    facts = S3BucketFacts(
        policy_json=policy(stmt(principal={"Service": "logging.s3.amazonaws.com"}))
    )
    assert evaluate_bucket(bucket_of(facts)).read is PRIV
