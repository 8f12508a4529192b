"""Raw access facts of an S3 bucket and object; no verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bucketscan.records.common import Tags
from bucketscan.records.unreadable import Unreadable


class S3Grantee(StrEnum):
    """Kinds of ACL grantee that matter for exposure."""

    ALL_USERS = "AllUsers"
    AUTHENTICATED_USERS = "AuthenticatedUsers"
    LOG_DELIVERY = "LogDelivery"
    CANONICAL_USER = "CanonicalUser"
    EMAIL = "AmazonCustomerByEmail"
    OTHER_GROUP = "OtherGroup"


@dataclass(frozen=True)
class S3Grant:
    """One ACL grant: READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL."""

    grantee: S3Grantee
    identifier: str
    permission: str


@dataclass(frozen=True)
class BlockPublicAccess:
    """The four Block Public Access flags, each with its own meaning."""

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False


class NetworkOrigin(StrEnum):
    """Where an access point takes requests from: anywhere, or one VPC only."""

    INTERNET = "Internet"
    VPC = "VPC"


@dataclass(frozen=True)
class S3AccessPoint:
    """One access point (or Multi-Region Access Point) of a bucket; None means not read.

    `arn` names the resources its policy grants (``<arn>/object/<key>``) and its account.
    """

    name: str
    arn: str
    network_origin: NetworkOrigin | None = None
    vpc_id: str | None = None
    block: BlockPublicAccess | None = None
    policy_json: str | None = None
    multi_region: bool = False
    unreadable: tuple[Unreadable, ...] = ()


@dataclass(frozen=True)
class S3BucketFacts:
    """Everything gathered about one bucket; None means absent or not read (see `unreadable`)."""

    acl: tuple[S3Grant, ...] | None = None
    policy_json: str | None = None
    bucket_block: BlockPublicAccess | None = None
    account_block: BlockPublicAccess | None = None
    object_ownership: str | None = None
    website: bool = False
    unreadable: tuple[Unreadable, ...] = ()
    # AWS's own second opinion (GetBucketPolicyStatus IsPublic); None when it could not be read.
    policy_is_public: bool | None = None
    policy_status_problem: str | None = None  # why not: off the critical path, never a gap
    # IAM Access Analyzer's CheckNoPublicAccess on the bucket policy (PASS: True), its reasons for
    # a FAIL, and why it was not read; all empty when there is no policy or nothing to ask.
    analyzer_no_public: bool | None = None
    analyzer_problem: str | None = None
    analyzer_reasons: tuple[str, ...] = ()
    # The account's access points whose bucket is this one; a failed listing is in `unreadable`.
    access_points: tuple[S3AccessPoint, ...] = ()
    tags: Tags | None = None  # GetBucketTagging's tags, sorted; None: not read (see `unreadable`)


@dataclass(frozen=True)
class S3ObjectFacts:
    """An object's ACL, when ACLs can still matter."""

    acl: tuple[S3Grant, ...] | None = None
    unreadable: tuple[Unreadable, ...] = ()


class S3Fact(StrEnum):
    """Names of the facts the AWS provider gathers, as used in `Unreadable.fact`."""

    BUCKET_ACL = "bucket_acl"
    BUCKET_POLICY = "bucket_policy"
    BUCKET_BLOCK = "bucket_public_access_block"
    ACCOUNT_BLOCK = "account_public_access_block"
    OWNERSHIP = "ownership_controls"
    WEBSITE = "website"
    TAGS = "bucket_tags"
    POLICY_STATUS = "policy_status"
    OBJECT_ACL = "object_acl"
    ACCESS_POINTS = "access_points"
    MULTI_REGION_ACCESS_POINTS = "multi_region_access_points"
    ACCESS_POINT = "access_point"
    ACCESS_POINT_POLICY = "access_point_policy"
