"""The demo's S3 buckets: WelcomeHR's story told with ACLs and bucket policies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bucketscan.scanner.demo.story import DemoObject, Placement

REGION = "ap-northeast-1"


@dataclass(frozen=True)
class S3Bucket:
    """One seeded bucket: its canned ACL and the key prefix a public-read policy covers."""

    name: str
    story: str
    placement: Placement
    acl: str = "private"
    policy_prefix: str | None = None


BUCKETS = (
    S3Bucket(
        "welcomehr-uploads",
        "employee uploads; public policy and public-read ACL (the WelcomeHR mistake)",
        Placement(sensitive=4, benign=1, folders=("uploads/",)),
        acl="public-read",
        policy_prefix="",
    ),
    S3Bucket("welcomehr-internal", "private HR archive", Placement(1, folders=("archive/",))),
    S3Bucket(
        "welcomehr-exports",
        "listing-only: public-read bucket ACL, so file names leak but contents do not",
        Placement(1, folders=("exports/",)),
        acl="public-read",
    ),
    S3Bucket(
        "welcomehr-assets",
        "website assets; policy public only under public/",
        Placement(benign=1, folders=("public/", "private/")),
        policy_prefix="public/",
    ),
)


def public_read_policy(bucket: str, prefix: str) -> str:
    """A bucket policy letting anyone download objects under a prefix."""
    statement = {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed(client: Any, objects: Mapping[str, tuple[DemoObject, ...]]) -> None:
    """Create the buckets with their ACLs and policies through an S3 client, then upload."""
    for bucket in BUCKETS:
        client.create_bucket(
            Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        client.put_bucket_acl(Bucket=bucket.name, ACL=bucket.acl)
        if bucket.policy_prefix is not None:
            policy = public_read_policy(bucket.name, bucket.policy_prefix)
            client.put_bucket_policy(Bucket=bucket.name, Policy=policy)
        for obj in objects[bucket.name]:
            # ACL given explicitly: moto (unlike S3) would copy the bucket ACL onto the object.
            client.put_object(Bucket=bucket.name, Key=obj.key, Body=obj.data, ACL="private")
