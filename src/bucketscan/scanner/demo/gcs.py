"""The demo's GCS buckets: WelcomeHR's story told with IAM bindings and public access prevention."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bucketscan.records.gcs import IamBinding
from bucketscan.scanner.demo.story import DemoObject, Placement

PROJECT = "welcomehr-prod"
VIEWER, LIST_ONLY = "roles/storage.objectViewer", "roles/storage.legacyBucketReader"
PUBLIC_ONLY = 'resource.name.startsWith("projects/_/buckets/welcomehr-assets/objects/public/")'


@dataclass(frozen=True)
class GcsBucket:
    """One seeded bucket (uniform bucket-level access on): its IAM bindings and prevention."""

    name: str
    story: str
    placement: Placement
    bindings: tuple[IamBinding, ...]
    prevention: str = "inherited"


BUCKETS = (
    GcsBucket(
        "welcomehr-uploads",
        "employee uploads; allUsers has objectViewer (the WelcomeHR mistake)",
        Placement(sensitive=4, benign=1, folders=("uploads/",)),
        (IamBinding(VIEWER, ("allUsers",)),),
    ),
    GcsBucket(
        "welcomehr-internal",
        "private HR archive; only the HR group is bound",
        Placement(1, folders=("archive/",)),
        (IamBinding(VIEWER, ("group:hr@welcomehr.example",)),),
    ),
    GcsBucket(
        "welcomehr-exports",
        "listing-only: allUsers has legacyBucketReader, so file names leak but contents do not",
        Placement(1, folders=("exports/",)),
        (IamBinding(LIST_ONLY, ("allUsers",)),),
    ),
    GcsBucket(
        "welcomehr-agency",
        "recruiting-agency share; allAuthenticatedUsers (any Google account) has objectViewer",
        Placement(1, folders=("agency/",)),
        (IamBinding(VIEWER, ("allAuthenticatedUsers",)),),
    ),
    GcsBucket(
        "welcomehr-backup",
        "allUsers has objectViewer, but public access prevention is enforced",
        Placement(1, folders=("backup/",)),
        (IamBinding(VIEWER, ("allUsers",)),),
        prevention="enforced",
    ),
    GcsBucket(
        "welcomehr-assets",
        "website assets; allUsers has objectViewer under an IAM condition meant for public/",
        Placement(benign=1, folders=("public/", "private/")),
        (IamBinding(VIEWER, ("allUsers",), "public-prefix", PUBLIC_ONLY),),
    ),
)


def create_bucket(client: Any, bucket: GcsBucket) -> Any:
    """Create one bucket with uniform access, its prevention setting and IAM policy (version 3)."""
    created = client.create_bucket(bucket.name)
    created.iam_configuration.uniform_bucket_level_access_enabled = True
    created.iam_configuration.public_access_prevention = bucket.prevention
    created.patch()
    policy = created.get_iam_policy(requested_policy_version=3)
    policy.version = 3
    for binding in bucket.bindings:
        entry: dict[str, Any] = {"role": binding.role, "members": set(binding.members)}
        if binding.condition_expression is not None:
            entry["condition"] = {
                "title": binding.condition_title,
                "expression": binding.condition_expression,
            }
        policy.bindings.append(entry)
    created.set_iam_policy(policy)
    return created


def seed(client: Any, objects: Mapping[str, tuple[DemoObject, ...]]) -> None:
    """Create the buckets through a google.cloud.storage client, then upload."""
    for bucket in BUCKETS:
        created = create_bucket(client, bucket)
        for obj in objects[bucket.name]:
            created.blob(obj.key).upload_from_string(obj.data)
