"""End to end against a moto server process on loopback: seed, open_aws, evaluate every verdict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import EVALUATOR
from bucketscan.providers.aws import open_aws, strip_account_host
from bucketscan.records.common import BucketAccess, Exposure
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.s3 import moto_server

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"
PUB, PRIV = Exposure.PUBLIC, Exposure.PRIVATE


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A moto server on a free 127.0.0.1 port, with no shared AWS config in the way."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto_server() as url:
        yield url


def seed(endpoint: str) -> None:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    for name in ("uploads", "private", "listing", "assets"):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket="uploads", Policy=public_read_policy("uploads", ""))
    s3.put_bucket_acl(Bucket="listing", ACL="public-read")
    s3.put_bucket_policy(Bucket="assets", Policy=public_read_policy("assets", "public/"))
    for key in ("uploads/3f2a.jpg", "uploads/9c1d.pdf"):
        s3.put_object(Bucket="uploads", Key=key, Body=b"scan")
    s3.put_object(Bucket="private", Key="archive/a.pdf", Body=b"cv")
    s3.put_object(Bucket="private", Key="archive/leaked.pdf", Body=b"cv", ACL="public-read")
    # moto copies a bucket's ACL onto new objects (S3 does not): say "private" explicitly.
    s3.put_object(Bucket="listing", Key="exports/list.csv", Body=b"names", ACL="private")
    s3.put_object(Bucket="assets", Key="public/logo.png", Body=b"png")
    s3.put_object(Bucket="assets", Key="private/passport.jpg", Body=b"jpg")


def set_account_block(endpoint: str, **flags: bool) -> None:
    control = boto3.client(
        "s3control",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(inject_host_prefix=False),
    )
    control.meta.events.register("before-sign", strip_account_host(endpoint))
    control.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=flags)


def scan(endpoint: str) -> tuple[dict[str, BucketAccess], dict[str, Exposure], Meter]:
    meter = Meter()
    provider = open_aws(None, "us-east-1", endpoint, (), meter)
    buckets: dict[str, BucketAccess] = {}
    objects: dict[str, Exposure] = {}
    for ref in provider.bucket_refs():
        assert ref.account == ACCOUNT
        bucket = provider.describe(ref)
        assert bucket.facts.unreadable == (), bucket.facts.unreadable
        buckets[ref.name] = EVALUATOR.bucket(bucket)
        needs = EVALUATOR.needs_object_facts(bucket)
        for obj in provider.objects(bucket):
            judged = provider.object_facts(bucket, obj) if needs else obj
            objects[f"{ref.name}/{obj.key}"] = EVALUATOR.obj(bucket, judged).read
    return buckets, objects, meter


def mentions(access: BucketAccess, text: str) -> bool:
    return any(text in reason for reason in access.reasons)


def test_scan_of_a_seeded_moto_server(endpoint: str) -> None:
    seed(endpoint)
    buckets, objects, meter = scan(endpoint)
    expected = {
        "uploads": (PUB, PRIV, "statement 'PublicRead' allows s3:GetObject to * on *"),
        "private": (PRIV, PRIV, "no bucket policy statement lets outsiders read"),
        "listing": (PRIV, PUB, "bucket ACL grants READ to AllUsers"),
        "assets": (PUB, PRIV, "statement 'PublicRead' allows s3:GetObject to * on public/*"),
    }
    for name, (read, listing, reason) in expected.items():
        access = buckets[name]
        assert (access.read, access.list, access.write) == (read, listing, PRIV), name
        assert mentions(access, reason), access.reasons
    assert objects == {
        "uploads/uploads/3f2a.jpg": PUB,
        "uploads/uploads/9c1d.pdf": PUB,
        "private/archive/a.pdf": PRIV,
        "private/archive/leaked.pdf": PUB,
        "listing/exports/list.csv": PRIV,
        "assets/public/logo.png": PUB,
        "assets/private/passport.jpg": PRIV,
    }
    requests = meter.requests()
    assert requests["s3control.GetPublicAccessBlock"] == 1
    assert requests["s3.GetObjectAcl"] == len(objects)


def test_account_block_public_access_voids_every_grant(endpoint: str) -> None:
    seed(endpoint)
    set_account_block(endpoint, IgnorePublicAcls=True, RestrictPublicBuckets=True)
    buckets, objects, meter = scan(endpoint)
    for name, access in buckets.items():
        assert (access.read, access.list, access.write) == (PRIV, PRIV, PRIV), name
    assert mentions(buckets["uploads"], "RestrictPublicBuckets (account level)")
    assert mentions(buckets["listing"], "IgnorePublicAcls (account level)")
    assert set(objects.values()) == {PRIV}
    assert "s3.GetObjectAcl" not in meter.requests()  # ACLs are moot: no per-object calls
