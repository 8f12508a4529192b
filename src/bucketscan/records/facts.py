"""The union of provider fact records that a Bucket or StoredObject can carry."""

from __future__ import annotations

from bucketscan.records.azure import AzureContainerFacts
from bucketscan.records.gcs import GcsBucketFacts, GcsObjectFacts
from bucketscan.records.s3 import S3BucketFacts, S3ObjectFacts

BucketFacts = S3BucketFacts | GcsBucketFacts | AzureContainerFacts
ObjectFacts = S3ObjectFacts | GcsObjectFacts
