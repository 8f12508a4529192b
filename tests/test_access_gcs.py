"""Tables of GCS verdicts: role x member x uniform access x prevention x ACLs x conditions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bucketscan.policies.access.gcs import (
    EVALUATOR,
    evaluate_bucket,
    evaluate_object,
    needs_object_acl,
)
from bucketscan.policies.access.gcs_roles import ROLE_PERMISSIONS, role_permissions
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.records.gcs import GcsAclEntry, GcsBucketFacts, GcsObjectFacts, IamBinding
from bucketscan.records.s3 import S3BucketFacts
from bucketscan.records.unreadable import Unreadable

PUB, AUTH, PRIV, UNK = Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.PRIVATE, Exposure.UNKNOWN
NOW = datetime(2025, 6, 1, tzinfo=UTC)
CUSTOM = "projects/acme/roles/downloader"
VIEWER = "roles/storage.objectViewer"
PAST = 'request.time < timestamp("2024-01-01T00:00:00Z")'
FUTURE = 'request.time < timestamp("2030-01-01T00:00:00Z")'
PREFIX = "resource.name.startsWith('projects/_/buckets/b/objects/public/')"
IS_BUCKET = 'resource.type == "storage.googleapis.com/Bucket"'
TAGGED = "resource.matchTag('123456/env', 'prod')"  # tags are not read: cannot be evaluated


def bind(role: str, member: str = "allUsers", expression: str | None = None) -> IamBinding:
    """One binding; a condition when `expression` is given."""
    title = "cond" if expression else None
    return IamBinding(role, (member,), condition_title=title, condition_expression=expression)


def facts(**changes: Any) -> GcsBucketFacts:
    """Uniform access on, prevention inherited from an organisation that does not enforce it."""
    base = GcsBucketFacts(
        iam_bindings=(),
        uniform_access=True,
        public_access_prevention="inherited",
        org_enforces_prevention=False,
        bucket_acl=(),
        default_object_acl=(),
    )
    return replace(base, **changes)


def bucket(gcs_facts: GcsBucketFacts) -> Bucket:
    """A bucket record around some facts."""
    return Bucket(BucketRef("gcs", "acme", "b"), gcs_facts)


def acl(entity: str, role: str) -> tuple[GcsAclEntry, ...]:
    """A one-entry ACL."""
    return (GcsAclEntry(entity, role),)


BUCKET_CASES = [
    # (id, facts, (read, list, write), a reason fragment)
    ("viewer-allUsers", facts(iam_bindings=(bind("roles/storage.objectViewer"),)),
     (PUB, PUB, PRIV), "allUsers has roles/storage.objectViewer (read, list)"),
    ("viewer-allAuthenticated",
     facts(iam_bindings=(bind("roles/storage.objectViewer", "allAuthenticatedUsers"),)),
     (AUTH, AUTH, PRIV), "allAuthenticatedUsers"),
    ("legacyBucketReader-lists-only",
     facts(iam_bindings=(bind("roles/storage.legacyBucketReader"),)),
     (PRIV, PUB, PRIV), "legacyBucketReader (list)"),
    ("legacyObjectReader-reads-only",
     facts(iam_bindings=(bind("roles/storage.legacyObjectReader"),)),
     (PUB, PRIV, PRIV), "(read)"),
    ("objectCreator-writes", facts(iam_bindings=(bind("roles/storage.objectCreator"),)),
     (PRIV, PRIV, PUB), "(write)"),
    ("objectUser", facts(iam_bindings=(bind("roles/storage.objectUser"),)),
     (PUB, PUB, PUB), "(read, list, write)"),
    ("objectAdmin", facts(iam_bindings=(bind("roles/storage.objectAdmin"),)),
     (PUB, PUB, PUB), "objectAdmin"),
    ("admin-authenticated",
     facts(iam_bindings=(bind("roles/storage.admin", "allAuthenticatedUsers"),)),
     (AUTH, AUTH, AUTH), "roles/storage.admin"),
    ("legacyBucketWriter", facts(iam_bindings=(bind("roles/storage.legacyBucketWriter"),)),
     (PRIV, PUB, PUB), "(list, write)"),
    ("legacyBucketOwner", facts(iam_bindings=(bind("roles/storage.legacyBucketOwner"),)),
     (PRIV, PUB, PUB), "legacyBucketOwner"),
    ("legacyObjectOwner", facts(iam_bindings=(bind("roles/storage.legacyObjectOwner"),)),
     (PUB, PRIV, PRIV), "legacyObjectOwner (read)"),
    ("insightsCollector-lists",
     facts(iam_bindings=(bind("roles/storage.insightsCollectorService"),)),
     (PRIV, PUB, PRIV), "insightsCollectorService (list)"),
    ("bucketViewer-no-object-access",
     facts(iam_bindings=(bind("roles/storage.bucketViewer"),)),
     (PRIV, PRIV, PRIV), "grants no object access"),
    ("basic-viewer-no-object-access", facts(iam_bindings=(bind("roles/viewer"),)),
     (PRIV, PRIV, PRIV), "roles/viewer, which grants no object access"),
    ("named-user-is-private",
     facts(iam_bindings=(bind("roles/storage.objectAdmin", "user:a@x.jp"),)),
     (PRIV, PRIV, PRIV), "no IAM binding or ACL entry grants"),
    ("member-matched-exactly-not-by-substring",
     facts(iam_bindings=(bind("roles/storage.objectViewer", "group:allUsers@x.jp"),)),
     (PRIV, PRIV, PRIV), "no IAM binding"),
    ("prevention-enforced",
     facts(iam_bindings=(bind("roles/storage.objectAdmin"),), public_access_prevention="enforced"),
     (PRIV, PRIV, PRIV), "enforced on the bucket"),
    ("prevention-enforced-blocks-authenticated",
     facts(iam_bindings=(bind("roles/storage.objectViewer", "allAuthenticatedUsers"),),
           public_access_prevention="enforced"),
     (PRIV, PRIV, PRIV), "blocked: IAM: allAuthenticatedUsers"),
    ("org-enforces-prevention",
     facts(iam_bindings=(bind("roles/storage.objectViewer"),), org_enforces_prevention=True),
     (PRIV, PRIV, PRIV), "organisation policy storage.publicAccessPrevention is enforced"),
    ("org-policy-unreadable-still-public",
     facts(iam_bindings=(bind("roles/storage.objectViewer"),), org_enforces_prevention=None,
           unreadable=(Unreadable("org_public_access_prevention", "PermissionDenied"),)),
     (PUB, PUB, PRIV), "PermissionDenied): prevention could not be ruled out"),
    ("prevention-setting-unreadable-still-public",
     facts(iam_bindings=(bind("roles/storage.objectViewer"),), public_access_prevention=None,
           org_enforces_prevention=None),
     (PUB, PUB, PRIV), "setting not read"),
    ("prevention-unspecified-org-off",
     facts(iam_bindings=(bind(VIEWER),), public_access_prevention="unspecified"),
     (PUB, PUB, PRIV), "'unspecified'; the organisation policy does not enforce it"),
    ("enforced-with-unreadable-iam-is-private",
     facts(iam_bindings=None, public_access_prevention="enforced"),
     (PRIV, PRIV, PRIV), "enforced"),
    ("iam-unreadable-is-unknown",
     facts(iam_bindings=None, unreadable=(Unreadable("iam_policy", "Forbidden: 403"),)),
     (UNK, UNK, UNK), "IAM policy not read (Forbidden: 403)"),
    ("custom-role-unread-is-unknown", facts(iam_bindings=(bind(CUSTOM),)),
     (UNK, UNK, UNK), "a custom role whose permissions were not read"),
    ("custom-role-with-permissions",
     facts(iam_bindings=(bind(CUSTOM),),
           custom_role_permissions=((CUSTOM, ("storage.objects.get",)),)),
     (PUB, PRIV, PRIV), f"{CUSTOM} (read)"),
    ("org-custom-role-unknown",
     facts(iam_bindings=(bind("organizations/1/roles/x", "allAuthenticatedUsers"),)),
     (UNK, UNK, UNK), "custom role"),
    ("unrecognised-predefined-role", facts(iam_bindings=(bind("roles/storage.futureRole"),)),
     (UNK, UNK, UNK), "an unrecognised role"),
    ("public-wins-over-unknown",
     facts(iam_bindings=(bind(VIEWER), bind(CUSTOM, "allAuthenticatedUsers"))),
     (PUB, PUB, UNK), "custom role"),
    ("prefix-condition-reads-some-objects-lists-none",
     facts(iam_bindings=(bind(VIEWER, expression=PREFIX),)),
     (PUB, PRIV, PRIV), f"conditional (cond: {PREFIX}), which holds for some objects only"),
    ("prefix-condition-does-not-hold-for-the-bucket",
     facts(iam_bindings=(bind(VIEWER, expression=PREFIX),)),
     (PUB, PRIV, PRIV), "(list): condition (cond: resource.name.startsWith("),
    ("prefix-condition-authenticated",
     facts(iam_bindings=(bind(VIEWER, "allAuthenticatedUsers", PREFIX),)),
     (AUTH, PRIV, PRIV), "allAuthenticatedUsers"),
    ("prefix-condition-writes-some-objects",
     facts(iam_bindings=(bind("roles/storage.objectCreator", expression=PREFIX),)),
     (PRIV, PRIV, PUB), "(write); conditional (cond: resource.name.startsWith"),
    ("bucket-type-condition-lists-only",
     facts(iam_bindings=(bind(VIEWER, expression=IS_BUCKET),)),
     (PRIV, PUB, PRIV), "(list); conditional (cond: resource.type == "),
    ("bucket-type-condition-reads-no-object",
     facts(iam_bindings=(bind(VIEWER, expression=IS_BUCKET),)),
     (PRIV, PUB, PRIV), "(read): condition (cond: resource.type"),
    ("unevaluable-condition-stays-public",
     facts(iam_bindings=(bind(VIEWER, expression=TAGGED),)),
     (PUB, PUB, PRIV), f"conditional (cond: {TAGGED}) could not be evaluated"),
    ("unparsable-condition-stays-public",
     facts(iam_bindings=(bind(VIEWER, expression="resource.name.startsWith("),)),
     (PUB, PUB, PRIV), "could not be evaluated for every object: counted as possibly public"),
    ("expired-condition-grants-nothing",
     facts(iam_bindings=(bind(VIEWER, expression=PAST),)),
     (PRIV, PRIV, PRIV), "is false for every object, so it grants nothing there"),
    ("expired-condition-voids-unread-custom-role",
     facts(iam_bindings=(bind(CUSTOM, expression=PAST),)),
     (PRIV, PRIV, PRIV), "whose permissions were not read: exposure unknown: condition"),
    ("future-expiry-still-public",
     facts(iam_bindings=(bind(VIEWER, expression=FUTURE),)),
     (PUB, PUB, PRIV), "which holds for every object"),
    ("conditional-blocked-by-prevention",
     facts(iam_bindings=(bind(VIEWER, expression=PREFIX),), public_access_prevention="enforced"),
     (PRIV, PRIV, PRIV), "blocked: IAM: allUsers has roles/storage.objectViewer (read)"),
    ("uniform-on-voids-acls",
     facts(bucket_acl=acl("allUsers", "OWNER"), default_object_acl=acl("allUsers", "READER")),
     (PRIV, PRIV, PRIV), "ACLs are void"),
    ("fine-grained-bucket-acl-reader-lists",
     facts(uniform_access=False, bucket_acl=acl("allUsers", "READER")),
     (PRIV, PUB, PRIV), "bucket ACL: allUsers is READER (list)"),
    ("fine-grained-bucket-acl-writer",
     facts(uniform_access=False, bucket_acl=acl("allAuthenticatedUsers", "WRITER")),
     (PRIV, AUTH, AUTH), "(list, write)"),
    ("fine-grained-default-object-acl",
     facts(uniform_access=False, default_object_acl=acl("allUsers", "READER")),
     (PUB, PRIV, PRIV), "default object ACL (new objects): allUsers is READER"),
    ("fine-grained-acl-blocked-by-prevention",
     facts(uniform_access=False, bucket_acl=acl("allUsers", "READER"),
           public_access_prevention="enforced"),
     (PRIV, PRIV, PRIV), "blocked: bucket ACL"),
    ("fine-grained-bucket-acl-unreadable",
     facts(uniform_access=False, bucket_acl=None,
           unreadable=(Unreadable("bucket_acl", "Forbidden"),)),
     (PRIV, UNK, UNK), "bucket ACL not read (Forbidden)"),
    ("uniform-unknown-acls-count",
     facts(uniform_access=None, bucket_acl=acl("allUsers", "READER")),
     (PRIV, PUB, PRIV), "uniform bucket-level access not read"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("gcs_facts", "expected", "fragment"),
    [pytest.param(f, e, r, id=i) for i, f, e, r in BUCKET_CASES],
)
def test_bucket_verdicts(
    gcs_facts: GcsBucketFacts, expected: tuple[Exposure, Exposure, Exposure], fragment: str
) -> None:
    access = evaluate_bucket(bucket(gcs_facts), now=NOW)
    assert (access.read, access.list, access.write) == expected, access.reasons
    assert any(fragment in reason for reason in access.reasons), access.reasons


def obj(acl_entries: tuple[GcsAclEntry, ...] | None, *unreadable: Unreadable) -> StoredObject:
    """An object with (or without) an ACL."""
    return StoredObject("cv/tanaka.pdf", 10, facts=GcsObjectFacts(acl_entries, unreadable))


def named(key: str) -> StoredObject:
    """An object known by its key only (uniform access: no ACL to fetch)."""
    return StoredObject(key, 1)


def conditional(expression: str, role: str = VIEWER) -> GcsBucketFacts:
    """Uniform access with one conditional binding to allUsers."""
    return facts(iam_bindings=(bind(role, expression=expression),))


FINE = facts(uniform_access=False)
OBJECT_CASES = [
    ("acl-allUsers-reader", FINE, obj(acl("allUsers", "READER")), PUB, "object ACL: allUsers"),
    ("acl-allUsers-owner", FINE, obj(acl("allUsers", "OWNER")), PUB, "OWNER"),
    ("acl-authenticated", FINE, obj(acl("allAuthenticatedUsers", "READER")), AUTH, "allAuth"),
    ("acl-named-user", FINE, obj(acl("user-a@x.jp", "READER")), PRIV, "no binding or ACL"),
    ("acl-unread", FINE, obj(None, Unreadable("object_acl", "Forbidden")), UNK, "(Forbidden)"),
    ("acl-never-fetched", FINE, StoredObject("a", 1), UNK, "object ACL not read (not read)"),
    ("uniform-on-ignores-acl", facts(), obj(acl("allUsers", "READER")), PRIV, "no binding"),
    ("uniform-on-iam-public", facts(iam_bindings=(bind("roles/storage.objectViewer"),)),
     StoredObject("a", 1), PUB, "objectViewer"),
    ("list-only-role-cannot-download",
     facts(iam_bindings=(bind("roles/storage.legacyBucketReader"),)), StoredObject("a", 1), PRIV,
     "no binding"),
    ("prevention-blocks-object-acl", replace(FINE, public_access_prevention="enforced"),
     obj(acl("allUsers", "READER")), PRIV, "enforced"),
    ("uniform-unknown-acl-unread", facts(uniform_access=None), StoredObject("a", 1), UNK,
     "uniform bucket-level access unknown"),
    ("iam-public-and-acl-private", replace(FINE, iam_bindings=(bind(VIEWER),)),
     obj(()), PUB, "objectViewer"),
    ("prefix-condition-holds", conditional(PREFIX), named("public/a.pdf"), PUB,
     f"(read); conditional (cond: {PREFIX}), which holds for this object"),
    ("prefix-condition-false", conditional(PREFIX), named("private/a.pdf"), PRIV,
     "condition (cond: resource.name.startsWith('projects/_/buckets/b/objects/public/')) is "
     "false for this object, so it grants nothing there"),
    ("prefix-condition-is-text-not-folder", conditional(PREFIX), named("public-not/a.pdf"), PRIV,
     "is false for this object"),
    ("bucket-type-condition-no-download", conditional(IS_BUCKET), named("public/a.pdf"), PRIV,
     "no binding or ACL lets the public download it"),
    ("unevaluable-condition-counts", conditional(TAGGED), named("private/a.pdf"), PUB,
     f"conditional (cond: {TAGGED}) could not be evaluated for this object"),
    ("unknown-only-where-it-decides", conditional(f"{PREFIX} && {TAGGED}"), named("private/a.pdf"),
     PRIV, "is false for this object"),
    ("expired-condition-no-download", conditional(PAST), named("public/a.pdf"), PRIV,
     "is false for this object"),
    ("prefix-condition-fine-grained-acl-still-counts", replace(FINE, iam_bindings=(
        bind(VIEWER, expression=PREFIX),)), obj(acl("allUsers", "READER")), PUB, "object ACL"),
    ("list-only-conditional-role-cannot-download",
     conditional("true", "roles/storage.legacyBucketReader"), named("public/a.pdf"), PRIV,
     "no binding"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("gcs_facts", "stored", "expected", "fragment"),
    [pytest.param(f, o, e, r, id=i) for i, f, o, e, r in OBJECT_CASES],
)
def test_object_verdicts(
    gcs_facts: GcsBucketFacts, stored: StoredObject, expected: Exposure, fragment: str
) -> None:
    access = evaluate_object(bucket(gcs_facts), stored, now=NOW)
    assert access.read is expected, access.reasons
    assert any(fragment in reason for reason in access.reasons), access.reasons


@pytest.mark.parametrize(
    ("gcs_facts", "expected"),
    [
        (facts(uniform_access=False), True),
        (facts(uniform_access=True), False),
        (facts(uniform_access=None), True),
        (facts(uniform_access=False, public_access_prevention="enforced"), False),
        (facts(uniform_access=False, org_enforces_prevention=True), False),
    ],
)
def test_object_acls_needed_only_when_they_can_matter(
    gcs_facts: GcsBucketFacts, expected: bool
) -> None:
    assert needs_object_acl(bucket(gcs_facts)) is expected


def test_foreign_facts_are_unknown_never_private() -> None:
    foreign = Bucket(BucketRef("gcs", "a", "b"), S3BucketFacts())
    assert evaluate_bucket(foreign).read is UNK
    assert evaluate_object(foreign, StoredObject("k", 1)).read is UNK
    assert needs_object_acl(foreign) is False


def test_registered_for_gcs() -> None:
    registry = pytest.importorskip(
        "bucketscan.policies.access.registry", exc_type=ImportError
    )  # needs the S3 and Azure evaluators too
    assert registry.EVALUATORS["gcs"] is EVALUATOR
    assert EVALUATOR.bucket is evaluate_bucket


@pytest.mark.parametrize(
    ("role", "has_get", "has_list"),
    [
        ("roles/storage.legacyBucketReader", False, True),
        ("roles/storage.legacyObjectReader", True, False),
        ("roles/storage.objectViewer", True, True),
        ("roles/storage.objectCreator", False, False),
        ("roles/storage.bucketViewer", False, False),
    ],
)
def test_role_table(role: str, has_get: bool, has_list: bool) -> None:
    permissions = ROLE_PERMISSIONS[role]
    assert ("storage.objects.get" in permissions) is has_get
    assert ("storage.objects.list" in permissions) is has_list


def test_custom_roles_resolve_only_when_read() -> None:
    assert role_permissions(CUSTOM) is None
    assert role_permissions(CUSTOM, {CUSTOM: ("storage.objects.list",)}) == {"storage.objects.list"}
