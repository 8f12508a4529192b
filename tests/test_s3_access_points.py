"""S3 access points: table tests of the pure judgement (s3_access_points via the S3 evaluator), and
the provider gathering them from moto in-process."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import EVALUATOR, evaluate_bucket, evaluate_object
from bucketscan.records.common import Bucket, Exposure, StoredObject
from bucketscan.records.s3 import (
    BlockPublicAccess,
    NetworkOrigin,
    S3AccessPoint,
    S3BucketFacts,
    S3Fact,
)
from bucketscan.records.unreadable import Unreadable
from test_access_s3 import bucket_of, policy, stmt
from test_provider_aws import (  # aws and fake_env are fixtures
    ACCOUNT,
    aws,  # noqa: F401
    deny_hook,
    describe,
    facts_of,
    fake_env,  # noqa: F401
    provider,
)

PUB, AUTH, PRIV, UNK = Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.PRIVATE, Exposure.UNKNOWN
OWNER = "111122223333"  # bucket_of's account
AP_ARN = f"arn:aws:s3:us-east-1:{OWNER}:accesspoint/ap"
OFF = BlockPublicAccess()
DENIED = "AccessDenied: Access Denied"


def ap_stmt(key: str = "*", **kwargs: Any) -> dict[str, Any]:
    """An access point policy statement on its objects under `key` (a pattern)."""
    return stmt(resource=f"{AP_ARN}/object/{key}", **kwargs)


def delegate(condition: dict[str, Any] | None = None, resource: Any = None) -> str:
    """AWS's delegation example: everything to every principal, for the owner's access points."""
    return policy(
        stmt(
            principal={"AWS": "*"},
            action="*",
            resource=resource or ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            condition=condition or {"StringEquals": {"s3:DataAccessPointAccount": OWNER}},
            sid="Delegate",
        )
    )


def point(
    *statements: dict[str, Any],
    origin: NetworkOrigin | None = NetworkOrigin.INTERNET,
    block: BlockPublicAccess | None = OFF,
    multi_region: bool = False,
    unread: tuple[S3Fact, ...] = (),
) -> S3AccessPoint:
    return S3AccessPoint(
        name="ap",
        arn=AP_ARN,
        network_origin=origin,
        vpc_id="vpc-1a2b" if origin is NetworkOrigin.VPC else None,
        block=block,
        policy_json=policy(*statements) if statements else None,
        multi_region=multi_region,
        unreadable=tuple(Unreadable(fact, DENIED) for fact in unread),
    )


PUBLIC_AP = point(ap_stmt(sid="Open"))


@dataclass(frozen=True)
class Case:
    id: str
    access_point: S3AccessPoint | None
    read: Exposure  # of the object `key`
    key: str = "public/a"
    bucket_policy: str | None = field(default_factory=delegate)
    bucket_block: BlockPublicAccess | None = None
    account_block: BlockPublicAccess | None = None
    unreadable: tuple[S3Fact, ...] = ()
    says: str = ""  # a fragment of one of the reasons


CASES = [
    Case("internet-public-policy", PUBLIC_AP, PUB, says="via access point ap: access point policy"),
    Case(
        "vpc-origin",
        replace(PUBLIC_AP, network_origin=NetworkOrigin.VPC, vpc_id="vpc-1a2b"),
        PRIV,
        says="network origin is VPC (vpc-1a2b)",
    ),
    Case(
        "ap-restrict-public-buckets",
        replace(PUBLIC_AP, block=BlockPublicAccess(restrict_public_buckets=True)),
        PRIV,
        says="RestrictPublicBuckets (access point level) voids it",
    ),
    Case(
        "ap-block-public-policy",
        replace(PUBLIC_AP, block=BlockPublicAccess(block_public_policy=True)),
        PRIV,
        says="BlockPublicPolicy (access point level)",
    ),
    Case(
        "ap-acl-flags-only",
        replace(
            PUBLIC_AP, block=BlockPublicAccess(block_public_acls=True, ignore_public_acls=True)
        ),
        PUB,
    ),
    Case(
        "account-restrict-public-buckets",
        PUBLIC_AP,
        PRIV,
        account_block=BlockPublicAccess(restrict_public_buckets=True),
        says="RestrictPublicBuckets (account level) voids it",
    ),
    Case(
        "account-block-public-policy-only-rejects-new-policies",
        PUBLIC_AP,
        PUB,
        account_block=BlockPublicAccess(block_public_policy=True),
    ),
    Case(
        "bucket-restrict-public-buckets",
        PUBLIC_AP,
        PRIV,
        bucket_block=BlockPublicAccess(restrict_public_buckets=True),
    ),
    Case(
        "bucket-policy-absent",
        PUBLIC_AP,
        PRIV,
        bucket_policy=None,
        says="the bucket policy does not allow requests through it",
    ),
    Case(
        "bucket-delegates-to-another-account",
        PUBLIC_AP,
        PRIV,
        bucket_policy=delegate({"StringEquals": {"s3:DataAccessPointAccount": "444455556666"}}),
    ),
    Case(
        "bucket-delegates-to-this-access-point",
        PUBLIC_AP,
        PUB,
        bucket_policy=delegate({"ArnEquals": {"s3:DataAccessPointArn": AP_ARN}}),
        says="condition ArnEquals s3:DataAccessPointArn",
    ),
    Case(
        "bucket-delegates-to-another-access-point",
        PUBLIC_AP,
        PRIV,
        bucket_policy=delegate({"ArnEquals": {"s3:DataAccessPointArn": f"{AP_ARN}-other"}}),
    ),
    Case(
        "bucket-delegates-to-every-access-point-of-the-account",
        PUBLIC_AP,
        PUB,
        bucket_policy=delegate(
            {"ArnLike": {"s3:DataAccessPointArn": f"arn:aws:s3:*:{OWNER}:accesspoint/*"}}
        ),
    ),
    Case(
        "bucket-admits-internet-access-points-only",
        PUBLIC_AP,
        PUB,
        bucket_policy=delegate(
            {
                "StringEquals": {
                    "s3:DataAccessPointAccount": OWNER,
                    "s3:AccessPointNetworkOrigin": "Internet",
                }
            }
        ),
    ),
    Case(
        "bucket-admits-vpc-access-points-only",
        PUBLIC_AP,
        PRIV,
        bucket_policy=delegate(
            {
                "StringEquals": {
                    "s3:DataAccessPointAccount": OWNER,
                    "s3:AccessPointNetworkOrigin": "VPC",
                }
            }
        ),
        says="the bucket policy does not allow requests through it",
    ),
    Case(
        "bucket-denies-requests-not-through-access-points-of-the-account",
        PUBLIC_AP,
        PUB,
        bucket_policy=policy(
            json.loads(delegate())["Statement"][0],
            stmt(
                effect="Deny",
                action="s3:*",
                condition={"StringNotEquals": {"s3:DataAccessPointAccount": OWNER}},
            ),
        ),
    ),
    Case(
        "bucket-denies-access-point-requests",
        PUBLIC_AP,
        PRIV,
        bucket_policy=policy(
            json.loads(delegate())["Statement"][0],
            stmt(effect="Deny", condition={"Null": {"s3:DataAccessPointArn": "false"}}),
        ),
        says="Deny statement #2 overrides it",
    ),
    Case("prefix-scoped-public", point(ap_stmt("public/*")), PUB),
    Case("prefix-scoped-private", point(ap_stmt("public/*")), PRIV, key="private/a"),
    Case(
        "bucket-delegates-under-another-prefix",
        PUBLIC_AP,
        PRIV,
        bucket_policy=delegate(resource="arn:aws:s3:::b/private/*"),
    ),
    Case(
        "ap-policy-vpce-condition",
        point(ap_stmt(condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}})),
        PRIV,
    ),
    Case(
        "ap-policy-secure-transport-condition",
        point(ap_stmt(condition={"Bool": {"aws:SecureTransport": "true"}})),
        PUB,
    ),
    Case(
        "ap-policy-any-aws-account",
        point(ap_stmt(principal={"AWS": "*"}, condition={"Null": {"aws:PrincipalArn": "false"}})),
        AUTH,
    ),
    Case(
        "ap-policy-deny-outside-vpce",
        point(
            ap_stmt(),
            ap_stmt(
                effect="Deny",
                action="s3:*",
                condition={"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
            ),
        ),
        PRIV,
        says="Deny statement #2 overrides it",
    ),
    Case("ap-policy-named-principal", point(ap_stmt(principal={"AWS": OWNER})), PRIV),
    Case(
        "ap-policy-unreadable",
        point(unread=(S3Fact.ACCESS_POINT_POLICY,)),
        UNK,
        says="its policy could not be read (AccessDenied",
    ),
    Case(
        "ap-policy-unreadable-on-vpc",
        point(origin=NetworkOrigin.VPC, unread=(S3Fact.ACCESS_POINT_POLICY,)),
        PRIV,
    ),
    Case(
        "ap-policy-unreadable-bucket-not-delegating",
        point(unread=(S3Fact.ACCESS_POINT_POLICY,)),
        PRIV,
        bucket_policy=None,
    ),
    Case(
        "ap-policy-unparseable",
        replace(PUBLIC_AP, policy_json="{not json"),
        UNK,
        says="its policy could not be parsed",
    ),
    Case(
        "ap-details-unreadable",
        point(ap_stmt(), block=None, unread=(S3Fact.ACCESS_POINT,)),
        UNK,
        says="its Block Public Access could not be read",
    ),
    Case(
        "ap-network-origin-unknown",
        point(ap_stmt(), origin=None, unread=(S3Fact.ACCESS_POINT,)),
        UNK,
        says="its network origin could not be read",
    ),
    Case(
        "bucket-policy-unreadable",
        PUBLIC_AP,
        UNK,
        bucket_policy=None,
        unreadable=(S3Fact.BUCKET_POLICY,),
        says="the bucket policy, which must also allow the request, could not be read",
    ),
    Case(
        "multi-region-takes-no-anonymous-requests",
        replace(PUBLIC_AP, multi_region=True),
        AUTH,
        says="Multi-Region Access Points take no anonymous requests",
    ),
    Case(
        "listing-denied-bucket-delegates",
        None,
        UNK,
        unreadable=(S3Fact.ACCESS_POINTS,),
        says="access points could not be listed (AccessDenied: Access Denied): access through "
        "one could not be ruled out",
    ),
    Case(
        "multi-region-listing-denied-bucket-delegates",
        None,
        UNK,
        unreadable=(S3Fact.MULTI_REGION_ACCESS_POINTS,),
        says="Multi-Region Access Points could not be listed",
    ),
    Case(
        "listing-denied-bucket-not-delegating",
        None,
        PRIV,
        bucket_policy=None,
        unreadable=(S3Fact.ACCESS_POINTS,),
    ),
    Case(
        "listing-denied-account-restricts-public-buckets",
        None,
        PRIV,
        account_block=BlockPublicAccess(restrict_public_buckets=True),
        unreadable=(S3Fact.ACCESS_POINTS,),
        says="voids public access point policies",
    ),
    Case("no-access-points-delegation-alone", None, PRIV),
]


def facts_for(case: Case) -> S3BucketFacts:
    return S3BucketFacts(
        policy_json=case.bucket_policy,
        bucket_block=case.bucket_block or OFF,
        account_block=case.account_block or OFF,
        unreadable=tuple(Unreadable(fact, DENIED) for fact in case.unreadable),
        access_points=(case.access_point,) if case.access_point else (),
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_object_read_through_an_access_point(case: Case) -> None:
    verdict = evaluate_object(bucket_of(facts_for(case)), StoredObject(case.key, 1))
    assert verdict.read is case.read, verdict.reasons
    if case.says:
        assert any(case.says in reason for reason in verdict.reasons), verdict.reasons


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bucket_read_agrees_with_its_object(case: Case) -> None:
    # The bucket's read verdict is "some object": never narrower than one object's.
    facts = facts_for(case)
    access = evaluate_bucket(bucket_of(facts))
    obj = evaluate_object(bucket_of(facts), StoredObject(case.key, 1))
    rank = {PRIV: 0, UNK: 1, AUTH: 2, PUB: 3}
    assert rank[access.read] >= rank[obj.read], access.reasons


def test_bucket_verdict_names_the_access_point_and_keeps_direct_access_private() -> None:
    facts = facts_for(Case("", point(ap_stmt("public/*")), PUB))
    access = evaluate_bucket(bucket_of(facts))
    assert (access.read, access.list, access.write) == (PUB, PRIV, PRIV)
    assert any(r.startswith("read: via access point ap: ") for r in access.reasons)
    direct = evaluate_bucket(bucket_of(replace(facts, access_points=())))
    assert direct.read is PRIV  # the delegation alone admits no outsider [PUBLIC]


def test_bucket_read_is_private_when_the_two_policies_reach_different_keys() -> None:
    facts = facts_for(
        Case(
            "",
            point(ap_stmt("public/*")),
            PRIV,
            bucket_policy=delegate(resource="arn:aws:s3:::b/private/*"),
        )
    )
    access = evaluate_bucket(bucket_of(facts))
    assert access.read is PRIV
    assert any("for other keys only" in reason for reason in access.reasons)


def test_listing_and_writing_through_an_access_point() -> None:
    listing = stmt(action="s3:ListBucket", resource=AP_ARN, sid="List")
    writing = ap_stmt(action="s3:PutObject", sid="Upload")
    facts = facts_for(Case("", point(listing, writing), PRIV))
    access = evaluate_bucket(bucket_of(facts))
    assert (access.read, access.list, access.write) == (PRIV, PUB, PUB)
    assert any("list: via access point ap: " in r and "'List'" in r for r in access.reasons)
    assert any("write: via access point ap: " in r and "'Upload'" in r for r in access.reasons)


def test_write_conditions_are_judged_as_writes() -> None:
    # Reads never carry x-amz-acl; a write through the access point does.
    upload = ap_stmt(
        action="s3:PutObject", condition={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full"}}
    )
    access = evaluate_bucket(bucket_of(facts_for(Case("", point(upload), PRIV))))
    assert access.write is PUB


def test_a_vpc_access_point_is_noted_in_the_bucket_verdict() -> None:
    facts = facts_for(Case("", point(ap_stmt(), origin=NetworkOrigin.VPC), PRIV))
    access = evaluate_bucket(bucket_of(facts))
    assert access.read is PRIV
    assert any("read: via access point ap: " in r and "VPC (vpc-1a2b)" in r for r in access.reasons)


# End to end on moto in-process: the provider gathers access points, the evaluator judges them.

OFF_FLAGS = {
    "BlockPublicAcls": False,
    "IgnorePublicAcls": False,
    "BlockPublicPolicy": False,
    "RestrictPublicBuckets": False,
}


def seed_access_point(
    s3: Any, bucket: str, name: str, *, vpc: str | None = None, key: str = "*"
) -> str:
    """A bucket delegating to the account's access points, an object, and one open access point."""
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="public/id.jpg", Body=b"scan")
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            stmt(
                principal={"AWS": "*"},
                action="*",
                resource=[f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                condition={"StringEquals": {"s3:DataAccessPointAccount": ACCOUNT}},
            )
        ),
    )
    control = boto3.client("s3control", region_name="us-east-1")
    extra = {"VpcConfiguration": {"VpcId": vpc}} if vpc else {}
    arn = str(
        control.create_access_point(
            AccountId=ACCOUNT,
            Name=name,
            Bucket=bucket,
            PublicAccessBlockConfiguration=OFF_FLAGS,
            **extra,
        )["AccessPointArn"]
    )
    control.put_access_point_policy(
        AccountId=ACCOUNT,
        Name=name,
        Policy=policy(stmt(resource=f"{arn}/object/{key}", sid="Open")),
    )
    return arn


def object_verdicts(aws_provider: Any, bucket: Bucket) -> dict[str, Exposure]:
    return {obj.key: EVALUATOR.obj(bucket, obj).read for obj in aws_provider.objects(bucket)}


@pytest.mark.usefixtures("aws")
def test_an_access_point_with_a_public_policy_exposes_the_object() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    arn = seed_access_point(s3, "shared", "open-ap")
    aws_provider = provider(Meter())
    bucket = describe(aws_provider, "shared")
    (gathered,) = facts_of(bucket).access_points
    assert (gathered.name, gathered.arn) == ("open-ap", arn)
    assert gathered.network_origin is NetworkOrigin.INTERNET
    assert gathered.block == BlockPublicAccess()
    assert gathered.policy_json is not None and not gathered.multi_region
    assert not gathered.unreadable and not bucket.errors
    assert object_verdicts(aws_provider, bucket) == {"public/id.jpg": PUB}
    obj = next(aws_provider.objects(bucket))
    reasons = EVALUATOR.obj(bucket, obj).reasons
    assert any(reason.startswith("via access point open-ap: ") for reason in reasons)
    assert EVALUATOR.bucket(bucket).read is PUB


@pytest.mark.usefixtures("aws")
def test_a_vpc_access_point_is_not_public() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    seed_access_point(s3, "inside", "vpc-ap", vpc="vpc-1a2b")
    aws_provider = provider(Meter())
    bucket = describe(aws_provider, "inside")
    (gathered,) = facts_of(bucket).access_points
    assert (gathered.network_origin, gathered.vpc_id) == (NetworkOrigin.VPC, "vpc-1a2b")
    assert object_verdicts(aws_provider, bucket) == {"public/id.jpg": PRIV}
    access = EVALUATOR.bucket(bucket)
    assert access.read is PRIV
    assert any("network origin is VPC (vpc-1a2b)" in reason for reason in access.reasons)


@pytest.mark.usefixtures("aws")
def test_access_points_are_listed_once_per_region_and_paginated() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    seed_access_point(s3, "first", "ap-a")
    seed_access_point(s3, "second", "ap-b")
    control = boto3.client("s3control", region_name="us-east-1")
    control.create_access_point(AccountId=ACCOUNT, Name="ap-c", Bucket="second")
    meter = Meter()
    aws_provider = provider(meter, page_size=1)
    first, second = describe(aws_provider, "first"), describe(aws_provider, "second")
    assert [ap.name for ap in facts_of(first).access_points] == ["ap-a"]
    assert sorted(ap.name for ap in facts_of(second).access_points) == ["ap-b", "ap-c"]
    default = next(ap for ap in facts_of(second).access_points if ap.name == "ap-c")
    assert default.policy_json is None  # NoSuchAccessPointPolicy: none, not unreadable
    assert default.block == BlockPublicAccess(True, True, True, True)  # AWS's default
    requests = meter.requests()
    assert requests["s3control.ListAccessPoints"] == 3  # one page each, for both buckets
    assert requests["s3control.ListMultiRegionAccessPoints"] == 1
    assert requests["s3control.GetAccessPoint"] == 3  # each access point once, by its bucket


@pytest.mark.usefixtures("aws")
def test_a_denied_listing_leaves_a_delegating_bucket_unknown() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    seed_access_point(s3, "shared", "open-ap")
    s3.create_bucket(Bucket="plain")
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call", deny_hook({"ListAccessPoints"}))
    aws_provider = provider(Meter(), session)
    shared, plain = describe(aws_provider, "shared"), describe(aws_provider, "plain")
    for bucket in (shared, plain):
        unread = {entry.fact: entry.reason for entry in facts_of(bucket).unreadable}
        assert unread == {S3Fact.ACCESS_POINTS: DENIED}
        assert facts_of(bucket).access_points == ()
        assert f"access_points unreadable: {DENIED}" in bucket.errors
    access = evaluate_bucket(shared)
    assert access.read is UNK
    assert any("access through one could not be ruled out" in r for r in access.reasons)
    assert object_verdicts(aws_provider, shared) == {"public/id.jpg": UNK}
    assert evaluate_bucket(plain).read is PRIV  # no delegation: an access point could not open it


@pytest.mark.usefixtures("aws")
def test_a_denied_access_point_policy_is_unknown_not_absent() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    seed_access_point(s3, "shared", "open-ap")
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call", deny_hook({"GetAccessPointPolicy"}))
    aws_provider = provider(Meter(), session)
    bucket = describe(aws_provider, "shared")
    (gathered,) = facts_of(bucket).access_points
    assert gathered.policy_json is None
    assert gathered.unreadable == (Unreadable(S3Fact.ACCESS_POINT_POLICY, DENIED),)
    assert f"access_point_policy unreadable (open-ap): {DENIED}" in bucket.errors
    assert object_verdicts(aws_provider, bucket) == {"public/id.jpg": UNK}


@pytest.mark.usefixtures("aws")
def test_multi_region_access_points_are_gathered() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    seed_access_point(s3, "global", "regional-ap", key="none/*")
    control = boto3.client("s3control", region_name="us-west-2")
    control.create_multi_region_access_point(
        AccountId=ACCOUNT,
        ClientToken="token",
        Details={
            "Name": "everywhere",
            "PublicAccessBlock": OFF_FLAGS,
            "Regions": [{"Bucket": "global"}],
        },
    )
    alias = control.list_multi_region_access_points(AccountId=ACCOUNT)["AccessPoints"][0]["Alias"]
    arn = f"arn:aws:s3::{ACCOUNT}:accesspoint/{alias}"
    control.put_multi_region_access_point_policy(
        AccountId=ACCOUNT,
        ClientToken="token2",
        Details={"Name": "everywhere", "Policy": policy(stmt(resource=f"{arn}/object/*"))},
    )
    aws_provider = provider(Meter())
    bucket = describe(aws_provider, "global")
    multi = next(ap for ap in facts_of(bucket).access_points if ap.multi_region)
    assert (multi.name, multi.arn, multi.block) == ("everywhere", arn, BlockPublicAccess())
    assert multi.policy_json is not None
    # Its policy admits "*", but it takes signed requests only: any AWS account, not anonymous.
    assert object_verdicts(aws_provider, bucket) == {"public/id.jpg": AUTH}


def unsupported_hook(operations: set[str], answered: list[str]) -> Any:
    """A before-call hook answering chosen operations as an endpoint without the API does."""

    def before_call(model: Any, **_: Any) -> Any:
        if model.name not in operations:
            return None
        answered.append(model.name)
        error = {"Code": "NotImplemented", "Message": "A header you provided implies functionality"}
        return SimpleNamespace(status_code=501), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 501},
        }

    return before_call


@pytest.mark.usefixtures("aws")
def test_access_points_not_supported_here_are_none_quietly() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="plain")
    s3.create_bucket(Bucket="other")
    session = boto3.Session(region_name="us-east-1")
    answered: list[str] = []
    operations = {"ListAccessPoints", "ListMultiRegionAccessPoints"}
    session.events.register("before-call", unsupported_hook(operations, answered))
    aws_provider = provider(Meter(), session)
    buckets = [describe(aws_provider, "plain"), describe(aws_provider, "other")]
    for bucket in buckets:
        assert facts_of(bucket).unreadable == () and not bucket.errors
        assert facts_of(bucket).access_points == ()
    assert sorted(answered) == sorted(operations)  # asked once each, the answer kept


@pytest.mark.usefixtures("aws")
def test_multi_region_access_points_denied_are_unreadable() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="plain")
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call", deny_hook({"ListMultiRegionAccessPoints"}))
    bucket = describe(provider(Meter(), session), "plain")
    unread = {entry.fact: entry.reason for entry in facts_of(bucket).unreadable}
    assert unread == {S3Fact.MULTI_REGION_ACCESS_POINTS: DENIED}
