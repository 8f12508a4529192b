"""Which permission each metered operation needs ("s3.GetBucketAcl" -> "s3:GetBucketAcl").

The keys are the kinds `Meter.requests()` counts; an empty tuple means no permission is needed
(unsigned `--verify-anonymous` probes, and STS GetCallerIdentity, which IAM cannot deny). Only the
tests read this table: the scanner never needs to know a permission's name at run time.
Sources: the AWS Service Authorization Reference, Cloud Storage's "IAM permissions for JSON
methods", Resource Manager's projects.list and folders.list references, and the Authorization
section of each Azure Storage REST operation.
"""

from __future__ import annotations

from collections.abc import Mapping

AWS: Mapping[str, tuple[str, ...]] = {
    "sts.GetCallerIdentity": (),
    "s3.ListBuckets": ("s3:ListAllMyBuckets",),
    "s3.GetBucketLocation": ("s3:GetBucketLocation",),
    "s3.GetBucketAcl": ("s3:GetBucketAcl",),
    "s3.GetBucketPolicy": ("s3:GetBucketPolicy",),
    "s3.GetBucketPolicyStatus": ("s3:GetBucketPolicyStatus",),
    "s3.GetPublicAccessBlock": ("s3:GetBucketPublicAccessBlock",),
    "s3.GetBucketOwnershipControls": ("s3:GetBucketOwnershipControls",),
    "s3.GetBucketWebsite": ("s3:GetBucketWebsite",),
    "s3.GetBucketTagging": ("s3:GetBucketTagging",),
    "s3.ListObjectsV2": ("s3:ListBucket",),
    "s3.GetObjectAcl": ("s3:GetObjectAcl",),
    "s3.GetObject": ("s3:GetObject",),
    "s3control.GetPublicAccessBlock": ("s3:GetAccountPublicAccessBlock",),
    "s3control.ListAccessPoints": ("s3:ListAccessPoints",),
    "s3control.GetAccessPoint": ("s3:GetAccessPoint",),
    "s3control.GetAccessPointPolicy": ("s3:GetAccessPointPolicy",),
    "s3control.ListMultiRegionAccessPoints": ("s3:ListMultiRegionAccessPoints",),
    "s3control.GetMultiRegionAccessPointPolicy": ("s3:GetMultiRegionAccessPointPolicy",),
    "accessanalyzer.CheckNoPublicAccess": ("access-analyzer:CheckNoPublicAccess",),
    "organizations.ListAccounts": ("organizations:ListAccounts",),  # --organization
    "sts.AssumeRole": ("sts:AssumeRole",),  # --organization: each member's --role-name
    "s3.anonymous.HeadObject": (),
    "s3.anonymous.ListObjectsV2": (),
}

GCS: Mapping[str, tuple[str, ...]] = {
    "gcs.buckets.list": ("storage.buckets.list",),
    "gcs.buckets.get": ("storage.buckets.get",),
    "gcs.buckets.getIamPolicy": ("storage.buckets.getIamPolicy",),
    "gcs.bucketAccessControls.list": ("storage.buckets.get", "storage.buckets.getIamPolicy"),
    "gcs.defaultObjectAccessControls.list": (
        "storage.buckets.get",
        "storage.buckets.getIamPolicy",
    ),
    "gcs.objects.list": ("storage.objects.list",),
    "gcs.objects.get": ("storage.objects.get",),
    "gcs.objects.download": ("storage.objects.get",),
    "gcs.objectAccessControls.list": ("storage.objects.get", "storage.objects.getIamPolicy"),
    "orgpolicy.getEffectivePolicy": ("orgpolicy.policy.get",),
    "iam.roles.get": ("iam.roles.get",),
    "resourcemanager.projects.list": ("resourcemanager.projects.list",),
    "resourcemanager.folders.list": ("resourcemanager.folders.list",),
    "gcs.anonymous.objects.get": (),
    "gcs.anonymous.objects.list": (),
}

_CONTAINERS = "Microsoft.Storage/storageAccounts/blobServices/containers"
AZURE: Mapping[str, tuple[str, ...]] = {
    "azure.mgmt.ListStorageAccounts": ("Microsoft.Storage/storageAccounts/read",),
    "azure.mgmt.ListSubscriptions": ("Microsoft.Resources/subscriptions/read",),
    "azure.ListContainers": (f"{_CONTAINERS}/read",),
    "azure.GetContainerProperties": (f"{_CONTAINERS}/read",),
    "azure.GetBlobServiceProperties": ("Microsoft.Storage/storageAccounts/blobServices/read",),
    "azure.ListBlobs": (f"{_CONTAINERS}/blobs/read",),
    "azure.GetBlob": (f"{_CONTAINERS}/blobs/read",),
    "azure.anonymous.GetBlobProperties": (),
    "azure.anonymous.ListBlobs": (),
    "azure.anonymous.website.HEAD": (),
}
# Azure splits a role into control-plane Actions and data-plane DataActions.
AZURE_DATA_ACTIONS = frozenset({f"{_CONTAINERS}/blobs/read"})

TABLES: Mapping[str, Mapping[str, tuple[str, ...]]] = {"aws": AWS, "gcs": GCS, "azure": AZURE}
