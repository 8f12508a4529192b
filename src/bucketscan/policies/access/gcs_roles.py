"""The explicit table of GCS IAM roles and the storage permissions they grant."""

from __future__ import annotations

from collections.abc import Mapping

OBJECTS_GET = "storage.objects.get"
OBJECTS_LIST = "storage.objects.list"
OBJECTS_CREATE = "storage.objects.create"
OBJECTS_DELETE = "storage.objects.delete"
WRITE_PERMISSIONS = frozenset({OBJECTS_CREATE, OBJECTS_DELETE})

_OBJECTS_ALL = frozenset(
    {
        OBJECTS_GET,
        OBJECTS_LIST,
        OBJECTS_CREATE,
        OBJECTS_DELETE,
        "storage.objects.update",
        "storage.objects.restore",
        "storage.objects.getIamPolicy",
        "storage.objects.setIamPolicy",
    }
)
_BUCKETS_ALL = frozenset(
    {
        "storage.buckets.create",
        "storage.buckets.delete",
        "storage.buckets.get",
        "storage.buckets.list",
        "storage.buckets.update",
        "storage.buckets.getIamPolicy",
        "storage.buckets.setIamPolicy",
    }
)

# Storage permissions only (project/KMS/monitoring permissions of these roles do not expose data).
# Source: the Cloud Storage "IAM roles" reference; legacy roles can be granted on buckets only.
ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    "roles/storage.objectViewer": frozenset({OBJECTS_GET, OBJECTS_LIST}),
    "roles/storage.objectCreator": frozenset({OBJECTS_CREATE}),
    "roles/storage.objectUser": frozenset(
        {
            OBJECTS_GET,
            OBJECTS_LIST,
            OBJECTS_CREATE,
            OBJECTS_DELETE,
            "storage.objects.update",
            "storage.objects.restore",
        }
    ),
    "roles/storage.objectAdmin": _OBJECTS_ALL,
    "roles/storage.admin": _OBJECTS_ALL | _BUCKETS_ALL,
    "roles/storage.folderAdmin": _OBJECTS_ALL,
    "roles/storage.bucketViewer": frozenset({"storage.buckets.get", "storage.buckets.list"}),
    "roles/storage.hmacKeyAdmin": frozenset({"storage.hmacKeys.list", "storage.hmacKeys.get"}),
    "roles/storage.insightsCollectorService": frozenset(
        {
            "storage.buckets.get",
            "storage.buckets.getObjectInsights",
            "storage.buckets.list",
            OBJECTS_LIST,
        }
    ),
    "roles/storage.legacyBucketReader": frozenset({"storage.buckets.get", OBJECTS_LIST}),
    "roles/storage.legacyBucketWriter": frozenset(
        {"storage.buckets.get", OBJECTS_LIST, OBJECTS_CREATE, OBJECTS_DELETE}
    ),
    "roles/storage.legacyBucketOwner": frozenset(
        {
            "storage.buckets.get",
            "storage.buckets.update",
            "storage.buckets.getIamPolicy",
            "storage.buckets.setIamPolicy",
            OBJECTS_LIST,
            OBJECTS_CREATE,
            OBJECTS_DELETE,
        }
    ),
    "roles/storage.legacyObjectReader": frozenset({OBJECTS_GET}),
    "roles/storage.legacyObjectOwner": frozenset(
        {
            OBJECTS_GET,
            "storage.objects.update",
            "storage.objects.getIamPolicy",
            "storage.objects.setIamPolicy",
        }
    ),
    # Basic roles: object access comes only through the project convenience members
    # (projectViewer:, projectEditor:, ...) bound to legacy roles, not from the basic role itself.
    "roles/viewer": frozenset({"storage.buckets.list"}),
    "roles/editor": frozenset(
        {
            "storage.buckets.create",
            "storage.buckets.delete",
            "storage.buckets.list",
            "storage.buckets.update",
        }
    ),
    "roles/owner": frozenset(
        {
            "storage.buckets.create",
            "storage.buckets.delete",
            "storage.buckets.list",
            "storage.buckets.update",
            "storage.buckets.getIamPolicy",
            "storage.buckets.setIamPolicy",
        }
    ),
}

BASIC_ROLES = frozenset({"roles/viewer", "roles/editor", "roles/owner"})


def is_custom_role(role: str) -> bool:
    """True for a project or organisation custom role ("projects/p/roles/r")."""
    return role.startswith(("projects/", "organizations/"))


def role_permissions(
    role: str, custom: Mapping[str, tuple[str, ...]] | None = None
) -> frozenset[str] | None:
    """The storage permissions of a role; None when the role's permissions are not known."""
    if role in ROLE_PERMISSIONS:
        return ROLE_PERMISSIONS[role]
    if custom is not None and role in custom:
        return frozenset(custom[role])
    return None
