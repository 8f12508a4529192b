"""Raw access facts of a GCS bucket and object; no verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field

from bucketscan.records.common import Tags
from bucketscan.records.unreadable import Unreadable


@dataclass(frozen=True)
class IamBinding:
    """One IAM binding of a bucket policy (version 3), with its condition if any."""

    role: str
    members: tuple[str, ...]
    condition_title: str | None = None
    condition_expression: str | None = None


@dataclass(frozen=True)
class GcsAclEntry:
    """One ACL entry: entity (allUsers, allAuthenticatedUsers, user-..., project-...) and role."""

    entity: str
    role: str


@dataclass(frozen=True)
class GcsBucketFacts:
    """Everything gathered about one bucket; None means absent or not read (see `unreadable`)."""

    iam_bindings: tuple[IamBinding, ...] | None = None
    uniform_access: bool | None = None
    public_access_prevention: str | None = None
    org_enforces_prevention: bool | None = None
    bucket_acl: tuple[GcsAclEntry, ...] | None = None
    default_object_acl: tuple[GcsAclEntry, ...] | None = None
    custom_role_permissions: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    website: bool = False
    labels: Tags | None = None  # the bucket's labels, sorted; None: bucket metadata not read
    unreadable: tuple[Unreadable, ...] = ()


@dataclass(frozen=True)
class GcsObjectFacts:
    """An object's ACL, read only when access is fine-grained."""

    acl: tuple[GcsAclEntry, ...] | None = None
    unreadable: tuple[Unreadable, ...] = ()
