"""Raw access facts of an S3 bucket and object; no verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    POLICY_STATUS = "policy_status"
    OBJECT_ACL = "object_acl"
