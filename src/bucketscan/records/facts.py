"""The union of provider fact records that a Bucket or StoredObject can carry."""

from __future__ import annotations

from bucketscan.records.azure import WEB_CONTAINER, AzureContainerFacts
from bucketscan.records.common import Tags
from bucketscan.records.gcs import GcsBucketFacts, GcsObjectFacts
from bucketscan.records.s3 import S3BucketFacts, S3ObjectFacts

BucketFacts = S3BucketFacts | GcsBucketFacts | AzureContainerFacts
ObjectFacts = S3ObjectFacts | GcsObjectFacts


def serves_website(facts: BucketFacts, name: str) -> bool:
    """Whether the bucket serves a static website (S3 or GCS website config, Azure's $web)."""
    if isinstance(facts, AzureContainerFacts):
        return bool(facts.static_website) and name == WEB_CONTAINER
    return facts.website


def bucket_tags(facts: BucketFacts) -> Tags | None:
    """The bucket's tags (S3), labels (GCS) or metadata (Azure); None when they were not read."""
    if isinstance(facts, AzureContainerFacts):
        return facts.metadata
    if isinstance(facts, GcsBucketFacts):
        return facts.labels
    return facts.tags
