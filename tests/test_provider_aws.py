"""The AWS provider against moto in-process: pagination, facts, bounded reads, failures."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto import mock_aws

from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import evaluate_bucket
from bucketscan.providers.aws import AwsProvider, open_aws
from bucketscan.providers.base import ProviderError
from bucketscan.records.common import Bucket, BucketRef, StoredObject
from bucketscan.records.s3 import BlockPublicAccess, S3BucketFacts, S3Fact, S3Grantee
from bucketscan.scanner.demo.aws import public_read_policy

ACCOUNT = "123456789012"  # moto's default account


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Throwaway credentials; no real config file or profile can leak in."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def aws(fake_env: None) -> Iterator[Any]:
    """An in-process moto account; yields a seeding S3 client."""
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def provider(meter: Meter, session: boto3.Session | None = None, **kwargs: Any) -> AwsProvider:
    return AwsProvider(session or boto3.Session(region_name="us-east-1"), meter=meter, **kwargs)


def describe(aws_provider: AwsProvider, name: str) -> Bucket:
    refs = {ref.name: ref for ref in aws_provider.bucket_refs()}
    return aws_provider.describe(refs[name])


def facts_of(bucket: Bucket) -> S3BucketFacts:
    assert isinstance(bucket.facts, S3BucketFacts)
    return bucket.facts


def test_listing_is_paginated_and_lazy(aws: Any) -> None:
    aws.create_bucket(Bucket="many")
    for index in range(5):
        aws.put_object(Bucket="many", Key=f"k/{index}.txt", Body=b"x" * index)
    meter = Meter()
    bucket = describe(provider(meter, page_size=2), "many")
    objects = provider(meter, page_size=2).objects(bucket)
    first = next(objects)
    assert first.key == "k/0.txt"
    assert meter.requests()["s3.ListObjectsV2"] == 1  # only the first page so far
    rest = list(objects)
    assert [obj.key for obj in rest] == [f"k/{index}.txt" for index in range(1, 5)]
    assert [obj.size for obj in rest] == [1, 2, 3, 4]
    assert meter.requests()["s3.ListObjectsV2"] == 3


def test_prefix_listing(aws: Any) -> None:
    aws.create_bucket(Bucket="mixed")
    for key in ("public/a", "public/b", "private/c"):
        aws.put_object(Bucket="mixed", Key=key, Body=b"1")
    aws_provider = provider(Meter(), page_size=1)
    bucket = describe(aws_provider, "mixed")
    assert [obj.key for obj in aws_provider.objects(bucket, "public/")] == ["public/a", "public/b"]


def test_listing_starts_after_a_key(aws: Any) -> None:
    aws.create_bucket(Bucket="ranged")
    for index in range(6):
        aws.put_object(Bucket="ranged", Key=f"u/{index}.jpg", Body=b"1")
    meter = Meter()
    aws_provider = provider(meter, page_size=2)
    bucket = describe(aws_provider, "ranged")
    keys = [obj.key for obj in aws_provider.objects(bucket, "u/", start_after="u/3.jpg")]
    assert keys == ["u/4.jpg", "u/5.jpg"]
    assert meter.requests()["s3.ListObjectsV2"] == 1  # the server skipped the earlier keys


def test_bucket_refs_all_and_named(aws: Any) -> None:
    aws.create_bucket(Bucket="east")
    aws.create_bucket(
        Bucket="tokyo", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    meter = Meter()
    refs = sorted(provider(meter).bucket_refs(), key=lambda ref: ref.name)
    assert refs == [
        BucketRef("aws", ACCOUNT, "east", "us-east-1"),
        BucketRef("aws", ACCOUNT, "tokyo", "ap-northeast-1"),
    ]
    named = list(provider(Meter(), bucket_names=("tokyo",)).bucket_refs())
    assert named == [BucketRef("aws", ACCOUNT, "tokyo", "ap-northeast-1")]
    assert meter.requests()["sts.GetCallerIdentity"] == 1


def test_facts_of_each_kind_of_bucket(aws: Any) -> None:
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::open/*",
                }
            ]
        }
    )
    aws.create_bucket(Bucket="open")
    aws.put_bucket_policy(Bucket="open", Policy=policy)
    aws.create_bucket(Bucket="listing")
    aws.put_bucket_acl(Bucket="listing", ACL="public-read")
    aws.create_bucket(Bucket="locked")
    aws.put_public_access_block(
        Bucket="locked",
        PublicAccessBlockConfiguration={"IgnorePublicAcls": True, "RestrictPublicBuckets": True},
    )
    aws.create_bucket(Bucket="owned")
    aws.put_bucket_ownership_controls(
        Bucket="owned", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    aws.create_bucket(Bucket="site")
    aws.put_bucket_website(
        Bucket="site", WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
    )
    boto3.client("s3control", region_name="us-east-1").put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration={"BlockPublicPolicy": True}
    )
    meter = Meter()
    aws_provider = provider(meter)
    names = ("open", "listing", "locked", "owned", "site")
    facts = {name: facts_of(describe(aws_provider, name)) for name in names}
    assert facts["open"].policy_json is not None
    assert json.loads(facts["open"].policy_json) == json.loads(policy)
    assert facts["listing"].policy_json is None
    assert any(
        grant.grantee is S3Grantee.ALL_USERS and grant.permission == "READ"
        for grant in facts["listing"].acl or ()
    )
    assert facts["open"].bucket_block == BlockPublicAccess()
    assert facts["locked"].bucket_block == BlockPublicAccess(
        ignore_public_acls=True, restrict_public_buckets=True
    )
    assert facts["owned"].object_ownership == "BucketOwnerEnforced"
    assert facts["site"].website and not facts["open"].website
    for value in facts.values():
        assert value.account_block == BlockPublicAccess(block_public_policy=True)
        assert value.unreadable == ()
    assert meter.requests()["s3control.GetPublicAccessBlock"] == 1  # cached per provider


def test_object_acl_and_range_read(aws: Any) -> None:
    aws.create_bucket(Bucket="docs")
    aws.put_object(Bucket="docs", Key="dir/résumé 1.pdf", Body=bytes(range(100)), ACL="public-read")
    meter = Meter()
    aws_provider = provider(meter)
    bucket = describe(aws_provider, "docs")
    obj = next(aws_provider.objects(bucket))
    with_facts = aws_provider.object_facts(bucket, obj)
    assert with_facts.key == obj.key and with_facts.facts is not None
    grants = with_facts.facts.acl or ()
    assert any(g.grantee is S3Grantee.ALL_USERS and g.permission == "READ" for g in grants)
    assert aws_provider.read(bucket, obj, 10) == bytes(range(10))
    assert aws_provider.read(bucket, obj, 1000) == bytes(range(100))
    assert aws_provider.read(bucket, obj, 0) == b""
    assert meter.bytes_read == 110
    assert meter.requests()["s3.GetObject"] == 2
    assert aws_provider.url(bucket, obj) == (
        "https://docs.s3.us-east-1.amazonaws.com/dir/r%C3%A9sum%C3%A9%201.pdf"
    )


def test_url_with_custom_endpoint(fake_env: None) -> None:
    aws_provider = AwsProvider(
        boto3.Session(region_name="us-east-1"), endpoint_url="http://127.0.0.1:9000/"
    )
    bucket = Bucket(BucketRef("aws", ACCOUNT, "b", "us-east-1"), S3BucketFacts())
    url = aws_provider.url(bucket, StoredObject("a b/c.jpg", 1))
    assert url == "http://127.0.0.1:9000/b/a%20b/c.jpg"


def deny_hook(operations: set[str]) -> Any:
    """A before-call hook that answers chosen operations with AccessDenied, as IAM would."""

    def before_call(model: Any, **_: Any) -> Any:
        if model.name not in operations:
            return None
        error = {"Code": "AccessDenied", "Message": "Access Denied"}
        return SimpleNamespace(status_code=403), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    return before_call


def test_denied_calls_become_unreadable(aws: Any) -> None:
    aws.create_bucket(Bucket="guarded")
    aws.put_object(Bucket="guarded", Key="a", Body=b"1")
    session = boto3.Session(region_name="us-east-1")
    denied = {"GetBucketPolicy", "GetPublicAccessBlock", "GetObjectAcl"}
    session.events.register("before-call", deny_hook(denied))
    aws_provider = provider(Meter(), session)
    bucket = describe(aws_provider, "guarded")
    facts = facts_of(bucket)
    unread = {entry.fact: entry.reason for entry in facts.unreadable}
    assert set(unread) == {
        S3Fact.BUCKET_POLICY,
        S3Fact.BUCKET_BLOCK,
        S3Fact.ACCOUNT_BLOCK,
    }
    assert unread[S3Fact.BUCKET_POLICY] == "AccessDenied: Access Denied"
    assert facts.bucket_block is None and facts.account_block is None
    assert facts.acl is not None  # GetBucketAcl was allowed
    assert any("bucket_policy unreadable" in error for error in bucket.errors)
    obj = aws_provider.object_facts(bucket, next(aws_provider.objects(bucket)))
    assert obj.facts is not None and obj.facts.acl is None
    assert [entry.fact for entry in obj.facts.unreadable] == [S3Fact.OBJECT_ACL]


def test_missing_credentials_is_a_provider_error(
    fake_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    with pytest.raises(ProviderError, match="no AWS credentials") as caught:
        open_aws(None, "us-east-1", None, (), Meter())
    assert "\n" not in str(caught.value)


def test_unreachable_endpoint_is_a_provider_error(fake_env: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the call: nothing listens there
    with pytest.raises(ProviderError, match=r"cannot reach AWS at http://127\.0\.0\.1") as caught:
        open_aws(None, "us-east-1", f"http://127.0.0.1:{port}", (), Meter())
    assert "\n" not in str(caught.value)


def test_unknown_profile_is_a_provider_error(fake_env: None) -> None:
    with pytest.raises(ProviderError, match="profile not found"):
        open_aws("nope", "us-east-1", None, (), Meter())


def test_aws_own_policy_status_is_read_beside_the_verdict(aws: Any) -> None:
    aws.create_bucket(Bucket="open")
    aws.put_bucket_policy(Bucket="open", Policy=public_read_policy("open", ""))
    aws.create_bucket(Bucket="closed")
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call", deny_hook({"GetBucketPolicyStatus"}))
    opened, closed = describe(provider(Meter()), "open"), describe(provider(Meter()), "closed")
    assert facts_of(opened).policy_is_public is True
    assert facts_of(closed).policy_is_public is False  # no policy: not public by policy
    assert any("agrees the policy is public" in r for r in evaluate_bucket(opened).reasons)
    denied = describe(provider(Meter(), session), "open")
    assert facts_of(denied).policy_is_public is None and not facts_of(denied).unreadable
    assert not denied.errors  # off the critical path: a denied second opinion is no gap
    assert any("GetBucketPolicyStatus not read" in r for r in evaluate_bucket(denied).reasons)


def test_a_disagreement_with_aws_is_reported() -> None:
    only_one_account = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
            }
        ],
    }
    facts = S3BucketFacts(policy_json=json.dumps(only_one_account), policy_is_public=True)
    reasons = evaluate_bucket(Bucket(BucketRef("aws", "1", "b", "us-east-1"), facts)).reasons
    assert any("second opinion DISAGREES" in reason for reason in reasons)


def test_bucket_tags_are_gathered(aws: Any) -> None:
    aws.create_bucket(Bucket="tagged")
    aws.create_bucket(Bucket="plain")
    tag_set = [{"Key": "visibility", "Value": "public"}, {"Key": "env", "Value": "demo"}]
    aws.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": tag_set})
    meter = Meter()
    aws_provider = provider(meter)
    tagged, plain = (
        facts_of(describe(aws_provider, "tagged")),
        facts_of(describe(aws_provider, "plain")),
    )
    assert tagged.tags == (("env", "demo"), ("visibility", "public"))  # sorted by key
    assert plain.tags == ()  # NoSuchTagSet: no tags, not unreadable
    assert not tagged.unreadable and not plain.unreadable
    assert meter.requests()["s3.GetBucketTagging"] == 2


def test_denied_tags_are_unreadable_with_the_reason(aws: Any) -> None:
    aws.create_bucket(Bucket="guarded")
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call", deny_hook({"GetBucketTagging"}))
    bucket = describe(provider(Meter(), session), "guarded")
    facts = facts_of(bucket)
    assert facts.tags is None  # not read: matches no mutelist `tags` entry
    assert [(entry.fact, entry.reason) for entry in facts.unreadable] == [
        (S3Fact.TAGS, "AccessDenied: Access Denied")
    ]
    assert "bucket_tags unreadable: AccessDenied: Access Denied" in bucket.errors
    assert facts.acl is not None  # the verdict's own facts are unaffected
