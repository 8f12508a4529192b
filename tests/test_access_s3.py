"""Table tests of the pure S3 access evaluator."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from bucketscan.policies.access.s3 import (
    EVALUATOR,
    evaluate_bucket,
    evaluate_object,
    needs_object_acl,
)
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.records.s3 import (
    BlockPublicAccess,
    S3BucketFacts,
    S3Fact,
    S3Grant,
    S3Grantee,
    S3ObjectFacts,
)
from bucketscan.records.unreadable import Unreadable

PUB, AUTH, PRIV, UNK = Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.PRIVATE, Exposure.UNKNOWN
OWNER = S3Grant(S3Grantee.CANONICAL_USER, "owner-id", "FULL_CONTROL")
OBJECTS = "arn:aws:s3:::b/*"
BUCKET = "arn:aws:s3:::b"


def stmt(
    effect: str = "Allow",
    principal: Any = "*",
    action: Any = "s3:GetObject",
    resource: Any = OBJECTS,
    condition: dict[str, Any] | None = None,
    sid: str | None = None,
    negate: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One statement; `negate` names elements written as NotPrincipal/NotAction/NotResource."""
    item: dict[str, Any] = {"Effect": effect}
    for name, value in (("Principal", principal), ("Action", action), ("Resource", resource)):
        item[f"Not{name}" if name in negate else name] = value
    if condition is not None:
        item["Condition"] = condition
    if sid is not None:
        item["Sid"] = sid
    return item


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def acl(*grants: tuple[S3Grantee, str]) -> tuple[S3Grant, ...]:
    return (OWNER, *(S3Grant(grantee, grantee.value, permission) for grantee, permission in grants))


def bpa(**flags: bool) -> BlockPublicAccess:
    return BlockPublicAccess(**flags)


def unread(fact: S3Fact) -> tuple[Unreadable, ...]:
    return (Unreadable(fact, "AccessDenied: Access Denied"),)


def bucket_of(facts: S3BucketFacts) -> Bucket:
    return Bucket(BucketRef("aws", "111122223333", "b", "us-east-1"), facts)


PUBLIC_READ = policy(stmt(sid="PublicRead"))
ALL_USERS_READ = acl((S3Grantee.ALL_USERS, "READ"))


@dataclass(frozen=True)
class BucketCase:
    id: str
    facts: S3BucketFacts
    read: Exposure
    list: Exposure = PRIV
    write: Exposure = PRIV
    reason: str = ""


def cond(operator: str, key: str, value: Any) -> dict[str, Any]:
    return {operator: {key: value}}


BUCKET_CASES = [
    BucketCase("nothing-granted", S3BucketFacts(acl=acl()), PRIV, reason="no bucket policy"),
    BucketCase(
        "public-policy",
        S3BucketFacts(acl=acl(), policy_json=PUBLIC_READ),
        PUB,
        reason="statement 'PublicRead' allows s3:GetObject to * on *",
    ),
    BucketCase(
        "principal-aws-star", S3BucketFacts(policy_json=policy(stmt(principal={"AWS": "*"}))), PUB
    ),
    BucketCase(
        "principal-list-with-star",
        S3BucketFacts(policy_json=policy(stmt(principal={"AWS": ["arn:aws:iam::1:root", "*"]}))),
        PUB,
    ),
    BucketCase(
        "principal-one-account",
        S3BucketFacts(policy_json=policy(stmt(principal={"AWS": "arn:aws:iam::1:root"}))),
        PRIV,
    ),
    BucketCase("get-star-wildcard", S3BucketFacts(policy_json=policy(stmt(action="s3:Get*"))), PUB),
    BucketCase(
        "s3-star-objects-only",
        S3BucketFacts(policy_json=policy(stmt(action="s3:*"))),
        PUB,
        list=PRIV,
        write=PUB,
        reason="s3:PutObject",
    ),
    BucketCase(
        "star-action-bucket-and-objects",
        S3BucketFacts(policy_json=policy(stmt(action="*", resource=[BUCKET, OBJECTS]))),
        PUB,
        list=PUB,
        write=PUB,
    ),
    BucketCase(
        "action-case-insensitive",
        S3BucketFacts(policy_json=policy(stmt(action="S3:getobject"))),
        PUB,
    ),
    BucketCase(
        "not-action-put-still-deletes",
        S3BucketFacts(policy_json=policy(stmt(action="s3:PutObject", negate=("Action",)))),
        PUB,
        write=PUB,
        reason="s3:DeleteObject (NotAction s3:PutObject)",
    ),
    BucketCase(
        "not-principal-allow",
        S3BucketFacts(
            policy_json=policy(
                stmt(principal={"AWS": "arn:aws:iam::1:root"}, negate=("Principal",))
            )
        ),
        PUB,
        reason="everyone except",
    ),
    BucketCase(
        "not-resource-allow",
        S3BucketFacts(
            policy_json=policy(stmt(resource="arn:aws:s3:::b/private/*", negate=("Resource",)))
        ),
        PUB,
        reason="everything except private/*",
    ),
    BucketCase(
        "deny-beats-allow",
        S3BucketFacts(policy_json=policy(stmt(), stmt(effect="Deny", sid="NoRead"))),
        PRIV,
        reason="Deny statement 'NoRead' overrides it",
    ),
    BucketCase(
        "deny-prefix-exactly-covers-allow-prefix",
        S3BucketFacts(
            policy_json=policy(
                stmt(resource="arn:aws:s3:::b/public/*"),
                stmt(effect="Deny", resource="arn:aws:s3:::b/public/*"),
            )
        ),
        PRIV,
    ),
    BucketCase(
        "deny-sub-prefix-leaves-rest-public",
        S3BucketFacts(
            policy_json=policy(stmt(), stmt(effect="Deny", resource="arn:aws:s3:::b/secret/*"))
        ),
        PUB,
        reason="Deny statement #2 removes only some keys",
    ),
    BucketCase(
        "deny-http-only-leaves-https-public",
        S3BucketFacts(
            policy_json=policy(
                stmt(),
                stmt(effect="Deny", condition=cond("Bool", "aws:SecureTransport", "false")),
            )
        ),
        PUB,
    ),
    BucketCase(
        "deny-unless-vpce-is-honoured",
        S3BucketFacts(
            policy_json=policy(
                stmt(),
                stmt(
                    effect="Deny",
                    action="s3:*",
                    condition=cond("StringNotEquals", "aws:SourceVpce", "vpce-1"),
                ),
            )
        ),
        PRIV,
    ),
    BucketCase(
        "public-cidr-source-ip-still-restricts",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("IpAddress", "aws:SourceIp", "203.0.113.0/24")))
        ),
        PRIV,
        reason="restricted to source addresses",
    ),
    BucketCase(
        "not-ip-address-admits-the-internet",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8")))
        ),
        PUB,
        reason="still admits every other address",
    ),
    BucketCase(
        "source-ip-everything",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("IpAddress", "aws:SourceIp", "0.0.0.0/0")))
        ),
        PUB,
    ),
    BucketCase(
        "source-vpce-restricts",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("StringEquals", "aws:SourceVpce", "vpce-1")))
        ),
        PRIV,
    ),
    BucketCase(
        "principal-org-restricts",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("StringEquals", "aws:PrincipalOrgID", "o-1")))
        ),
        PRIV,
        reason="aws:PrincipalOrgID",
    ),
    BucketCase(
        "principal-arn-like-restricts",
        S3BucketFacts(
            policy_json=policy(
                stmt(condition=cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::1:role/*"))
            )
        ),
        PRIV,
    ),
    BucketCase(
        "secure-transport-does-not-restrict",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("Bool", "aws:SecureTransport", "true")))
        ),
        PUB,
        reason="does not restrict who can call",
    ),
    BucketCase(
        "unknown-condition-is-conservative",
        S3BucketFacts(policy_json=policy(stmt(condition=cond("StringEquals", "aws:FooBar", "x")))),
        PUB,
        reason="condition aws:FooBar not understood",
    ),
    BucketCase(
        "signed-requests-only-is-authenticated",
        S3BucketFacts(
            policy_json=policy(
                stmt(condition=cond("StringEquals", "s3:signatureversion", "AWS4-HMAC-SHA256"))
            )
        ),
        AUTH,
    ),
    BucketCase(
        "principal-arn-must-exist-is-authenticated",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("Null", "aws:PrincipalArn", "false")))
        ),
        AUTH,
    ),
    BucketCase(
        "deny-anonymous-leaves-authenticated",
        S3BucketFacts(
            policy_json=policy(
                stmt(), stmt(effect="Deny", condition=cond("Null", "aws:PrincipalArn", "true"))
            )
        ),
        AUTH,
    ),
    BucketCase(
        "negated-principal-account-is-public",
        S3BucketFacts(
            policy_json=policy(stmt(condition=cond("StringNotEquals", "aws:PrincipalAccount", "1")))
        ),
        PUB,
    ),
    BucketCase(
        "prefix-limited-policy-reads-some",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws:s3:::b/public/*"))),
        PUB,
        reason="on public/*",
    ),
    BucketCase(
        "policy-on-another-bucket",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws:s3:::other/*"))),
        PRIV,
    ),
    BucketCase(
        "list-bucket-via-policy",
        S3BucketFacts(policy_json=policy(stmt(action="s3:ListBucket", resource=BUCKET))),
        PRIV,
        list=PUB,
    ),
    BucketCase(
        "list-bucket-on-object-arn-does-nothing",
        S3BucketFacts(policy_json=policy(stmt(action="s3:ListBucket"))),
        PRIV,
        list=PRIV,
    ),
    BucketCase("acl-all-users-read-lists", S3BucketFacts(acl=ALL_USERS_READ), PRIV, list=PUB),
    BucketCase(
        "acl-authenticated-users-read",
        S3BucketFacts(acl=acl((S3Grantee.AUTHENTICATED_USERS, "READ"))),
        PRIV,
        list=AUTH,
        reason="AuthenticatedUsers",
    ),
    BucketCase(
        "acl-write", S3BucketFacts(acl=acl((S3Grantee.ALL_USERS, "WRITE"))), PRIV, write=PUB
    ),
    BucketCase(
        "acl-write-acp",
        S3BucketFacts(acl=acl((S3Grantee.ALL_USERS, "WRITE_ACP"))),
        PRIV,
        write=PUB,
        reason="WRITE_ACP",
    ),
    BucketCase(
        "acl-full-control",
        S3BucketFacts(acl=acl((S3Grantee.ALL_USERS, "FULL_CONTROL"))),
        PRIV,
        list=PUB,
        write=PUB,
        reason="FULL_CONTROL",
    ),
    BucketCase(
        "acl-log-delivery-is-not-public",
        S3BucketFacts(acl=acl((S3Grantee.LOG_DELIVERY, "WRITE"))),
        PRIV,
    ),
    BucketCase(
        "bucket-ignore-public-acls",
        S3BucketFacts(acl=ALL_USERS_READ, bucket_block=bpa(ignore_public_acls=True)),
        PRIV,
        list=PRIV,
        reason="IgnorePublicAcls (bucket level)",
    ),
    BucketCase(
        "account-ignore-public-acls-alone",
        S3BucketFacts(acl=ALL_USERS_READ, account_block=bpa(ignore_public_acls=True)),
        PRIV,
        list=PRIV,
        reason="IgnorePublicAcls (account level)",
    ),
    BucketCase(
        "block-public-acls-does-not-void-existing",
        S3BucketFacts(acl=ALL_USERS_READ, bucket_block=bpa(block_public_acls=True)),
        PRIV,
        list=PUB,
        reason="BlockPublicAcls is on (bucket level)",
    ),
    BucketCase(
        "account-restrict-public-buckets",
        S3BucketFacts(policy_json=PUBLIC_READ, account_block=bpa(restrict_public_buckets=True)),
        PRIV,
        reason="RestrictPublicBuckets (account level)",
    ),
    BucketCase(
        "block-public-policy-does-not-void-existing",
        S3BucketFacts(policy_json=PUBLIC_READ, bucket_block=bpa(block_public_policy=True)),
        PUB,
        reason="BlockPublicPolicy is on (bucket level)",
    ),
    BucketCase(
        "account-ipa-and-bucket-rpb-together",
        S3BucketFacts(
            acl=ALL_USERS_READ,
            policy_json=PUBLIC_READ,
            account_block=bpa(ignore_public_acls=True),
            bucket_block=bpa(restrict_public_buckets=True),
        ),
        PRIV,
        list=PRIV,
    ),
    BucketCase(
        "account-rpb-does-not-touch-acls",
        S3BucketFacts(acl=ALL_USERS_READ, account_block=bpa(restrict_public_buckets=True)),
        PRIV,
        list=PUB,
    ),
    BucketCase(
        "account-bpa-all-on",
        S3BucketFacts(
            acl=ALL_USERS_READ,
            policy_json=PUBLIC_READ,
            account_block=bpa(
                block_public_acls=True,
                ignore_public_acls=True,
                block_public_policy=True,
                restrict_public_buckets=True,
            ),
        ),
        PRIV,
        list=PRIV,
    ),
    BucketCase(
        "bucket-owner-enforced-voids-acls",
        S3BucketFacts(acl=ALL_USERS_READ, object_ownership="BucketOwnerEnforced"),
        PRIV,
        list=PRIV,
        reason="BucketOwnerEnforced",
    ),
    BucketCase(
        "deny-list-beats-acl",
        S3BucketFacts(
            acl=ALL_USERS_READ,
            policy_json=policy(stmt(effect="Deny", action="s3:ListBucket", resource=BUCKET)),
        ),
        PRIV,
        list=PRIV,
        reason="overrides it",
    ),
    BucketCase(
        "policy-unreadable-is-unknown",
        S3BucketFacts(acl=acl(), unreadable=unread(S3Fact.BUCKET_POLICY)),
        UNK,
        list=UNK,
        write=UNK,
        reason="bucket policy could not be read (AccessDenied",
    ),
    BucketCase(
        "policy-unreadable-but-rpb-on",
        S3BucketFacts(
            unreadable=unread(S3Fact.BUCKET_POLICY),
            bucket_block=bpa(restrict_public_buckets=True),
        ),
        PRIV,
    ),
    BucketCase(
        "malformed-policy-is-unknown",
        S3BucketFacts(policy_json="{not json"),
        UNK,
        list=UNK,
        write=UNK,
        reason="could not be parsed",
    ),
    BucketCase(
        "policy-missing-effect-is-unknown",
        S3BucketFacts(policy_json=json.dumps({"Statement": [{"Principal": "*"}]})),
        UNK,
        list=UNK,
        write=UNK,
    ),
    BucketCase(
        "acl-unreadable-is-unknown",
        S3BucketFacts(unreadable=unread(S3Fact.BUCKET_ACL)),
        PRIV,
        list=UNK,
        write=UNK,
        reason="bucket ACL could not be read",
    ),
    BucketCase(
        "account-bpa-unreadable-public-stays-public",
        S3BucketFacts(policy_json=PUBLIC_READ, unreadable=unread(S3Fact.ACCOUNT_BLOCK)),
        PUB,
        reason="account Block Public Access could not be read",
    ),
    BucketCase(
        "bucket-bpa-unreadable-makes-unknown",
        S3BucketFacts(
            acl=ALL_USERS_READ, policy_json=PUBLIC_READ, unreadable=unread(S3Fact.BUCKET_BLOCK)
        ),
        UNK,
        list=UNK,
        reason="bucket Block Public Access could not be read",
    ),
    BucketCase(
        "bucket-bpa-unreadable-but-account-voids",
        S3BucketFacts(
            policy_json=PUBLIC_READ,
            account_block=bpa(restrict_public_buckets=True),
            unreadable=unread(S3Fact.BUCKET_BLOCK),
        ),
        PRIV,
    ),
    BucketCase(
        "ownership-unreadable-blurs-acl",
        S3BucketFacts(acl=ALL_USERS_READ, unreadable=unread(S3Fact.OWNERSHIP)),
        PRIV,
        list=UNK,
        reason="object ownership could not be read",
    ),
    BucketCase(
        "website-mentioned",
        S3BucketFacts(policy_json=PUBLIC_READ, website=True),
        PUB,
        reason="static website hosting",
    ),
    BucketCase(
        "other-partition-arn",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws-cn:s3:::b/*"))),
        PUB,
    ),
]


@pytest.mark.parametrize("case", BUCKET_CASES, ids=[case.id for case in BUCKET_CASES])
def test_bucket_verdicts(case: BucketCase) -> None:
    access = evaluate_bucket(bucket_of(case.facts))
    assert (access.read, access.list, access.write) == (case.read, case.list, case.write)
    assert access.reasons
    if case.reason:
        assert any(case.reason in reason for reason in access.reasons), access.reasons


@dataclass(frozen=True)
class ObjectCase:
    id: str
    facts: S3BucketFacts
    key: str
    read: Exposure
    object_facts: S3ObjectFacts | None = field(default_factory=lambda: S3ObjectFacts(acl=acl()))
    reason: str = ""


PREFIX_POLICY = policy(stmt(sid="Assets", resource="arn:aws:s3:::b/public/*"))
SUB_DENY = policy(stmt(), stmt(effect="Deny", sid="Secret", resource="arn:aws:s3:::b/secret/*"))
PUBLIC_OBJECT = S3ObjectFacts(acl=acl((S3Grantee.ALL_USERS, "READ")))

OBJECT_CASES = [
    ObjectCase(
        "prefix-inside",
        S3BucketFacts(policy_json=PREFIX_POLICY),
        "public/a.jpg",
        PUB,
        reason="on public/*",
    ),
    ObjectCase("prefix-outside", S3BucketFacts(policy_json=PREFIX_POLICY), "private/a.jpg", PRIV),
    ObjectCase(
        "sub-prefix-denied",
        S3BucketFacts(policy_json=SUB_DENY),
        "secret/x.pdf",
        PRIV,
        reason="'Secret'",
    ),
    ObjectCase("sub-prefix-elsewhere", S3BucketFacts(policy_json=SUB_DENY), "open/x.pdf", PUB),
    ObjectCase(
        "one-public-object-in-private-bucket",
        S3BucketFacts(acl=acl()),
        "cv.pdf",
        PUB,
        PUBLIC_OBJECT,
        "object ACL grants READ to AllUsers",
    ),
    ObjectCase(
        "object-acl-authenticated",
        S3BucketFacts(acl=acl()),
        "cv.pdf",
        AUTH,
        S3ObjectFacts(acl=acl((S3Grantee.AUTHENTICATED_USERS, "READ"))),
    ),
    ObjectCase(
        "object-acl-full-control",
        S3BucketFacts(),
        "cv.pdf",
        PUB,
        S3ObjectFacts(acl=acl((S3Grantee.ALL_USERS, "FULL_CONTROL"))),
    ),
    ObjectCase(
        "object-acl-read-acp-only",
        S3BucketFacts(),
        "cv.pdf",
        PRIV,
        S3ObjectFacts(acl=acl((S3Grantee.ALL_USERS, "READ_ACP"))),
    ),
    ObjectCase(
        "object-acl-ignored",
        S3BucketFacts(bucket_block=bpa(ignore_public_acls=True)),
        "cv.pdf",
        PRIV,
        PUBLIC_OBJECT,
    ),
    ObjectCase(
        "object-acl-owner-enforced",
        S3BucketFacts(object_ownership="BucketOwnerEnforced"),
        "cv.pdf",
        PRIV,
        PUBLIC_OBJECT,
    ),
    ObjectCase(
        "object-acl-unreadable",
        S3BucketFacts(),
        "cv.pdf",
        UNK,
        S3ObjectFacts(unreadable=unread(S3Fact.OBJECT_ACL)),
        "object ACL could not be read",
    ),
    ObjectCase(
        "object-acl-acl-field-missing",
        S3BucketFacts(),
        "cv.pdf",
        UNK,
        S3ObjectFacts(),
        "not fetched",
    ),
    ObjectCase("no-object-facts-policy-only", S3BucketFacts(), "cv.pdf", PRIV, None),
    ObjectCase(
        "object-acl-denied-by-policy",
        S3BucketFacts(policy_json=policy(stmt(effect="Deny", sid="NoGet"))),
        "cv.pdf",
        PRIV,
        PUBLIC_OBJECT,
        "Deny statement 'NoGet' overrides it",
    ),
    ObjectCase(
        "object-acl-unreadable-but-denied-to-everyone",
        S3BucketFacts(policy_json=policy(stmt(effect="Deny", sid="NoGet"))),
        "cv.pdf",
        PRIV,
        S3ObjectFacts(unreadable=unread(S3Fact.OBJECT_ACL)),
        "bucket policy Deny 'NoGet' covers it",
    ),
    ObjectCase(
        "question-mark-matches-one",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws:s3:::b/doc?.pdf"))),
        "doc1.pdf",
        PUB,
    ),
    ObjectCase(
        "question-mark-not-two",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws:s3:::b/doc?.pdf"))),
        "doc10.pdf",
        PRIV,
    ),
    ObjectCase(
        "not-resource-excludes-key",
        S3BucketFacts(
            policy_json=policy(stmt(resource="arn:aws:s3:::b/hr/*", negate=("Resource",)))
        ),
        "hr/passport.jpg",
        PRIV,
    ),
    ObjectCase(
        "object-acl-account-bpa-unreadable",
        S3BucketFacts(unreadable=unread(S3Fact.ACCOUNT_BLOCK)),
        "cv.pdf",
        PUB,
        PUBLIC_OBJECT,
        "account Block Public Access could not be read",
    ),
    ObjectCase(
        "policy-public-but-object-acl-unreadable",
        S3BucketFacts(policy_json=PUBLIC_READ),
        "cv.pdf",
        PUB,
        S3ObjectFacts(unreadable=unread(S3Fact.OBJECT_ACL)),
    ),
    ObjectCase(
        "literal-star-escape",
        S3BucketFacts(policy_json=policy(stmt(resource="arn:aws:s3:::b/${*}.txt"))),
        "a.txt",
        PRIV,
    ),
]


@pytest.mark.parametrize("case", OBJECT_CASES, ids=[case.id for case in OBJECT_CASES])
def test_object_verdicts(case: ObjectCase) -> None:
    obj = StoredObject(key=case.key, size=10, facts=case.object_facts)
    access = evaluate_object(bucket_of(case.facts), obj)
    assert access.read == case.read, access.reasons
    assert access.reasons
    if case.reason:
        assert any(case.reason in reason for reason in access.reasons), access.reasons


@pytest.mark.parametrize(
    ("facts", "needed"),
    [
        (S3BucketFacts(), True),
        (S3BucketFacts(object_ownership="BucketOwnerEnforced"), False),
        (S3BucketFacts(object_ownership="BucketOwnerPreferred"), True),
        (S3BucketFacts(bucket_block=bpa(ignore_public_acls=True)), False),
        (S3BucketFacts(account_block=bpa(ignore_public_acls=True)), False),
        (S3BucketFacts(bucket_block=bpa(block_public_acls=True)), True),
        (S3BucketFacts(unreadable=unread(S3Fact.ACCOUNT_BLOCK)), True),
        (S3BucketFacts(unreadable=unread(S3Fact.OWNERSHIP)), True),
    ],
)
def test_object_acls_needed_only_when_they_can_matter(facts: S3BucketFacts, needed: bool) -> None:
    assert needs_object_acl(bucket_of(facts)) is needed
    assert EVALUATOR.needs_object_facts(bucket_of(facts)) is needed


def test_evaluator_wires_the_three_functions() -> None:
    bucket = bucket_of(S3BucketFacts(policy_json=PREFIX_POLICY))
    assert EVALUATOR.bucket(bucket).read is PUB
    assert EVALUATOR.obj(bucket, StoredObject("public/x", 1)).read is PUB
