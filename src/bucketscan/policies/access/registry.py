"""The explicit table of access evaluators, one per provider, and one for a sweep over several."""

from __future__ import annotations

from bucketscan.policies.access import azure, gcs, s3
from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.records.common import Bucket, BucketAccess, ObjectAccess, StoredObject

_BY_CLOUD: dict[str, Evaluator] = {
    "aws": s3.EVALUATOR,
    "gcs": gcs.EVALUATOR,
    "azure": azure.EVALUATOR,
}


def _bucket(bucket: Bucket) -> BucketAccess:
    return _BY_CLOUD[bucket.ref.provider].bucket(bucket)


def _needs_object_facts(bucket: Bucket) -> bool:
    return _BY_CLOUD[bucket.ref.provider].needs_object_facts(bucket)


def _obj(bucket: Bucket, obj: StoredObject) -> ObjectAccess:
    return _BY_CLOUD[bucket.ref.provider].obj(bucket, obj)


# A sweep over several clouds (providers/sweep.py MIXED): each bucket judged by its own cloud's.
BY_BUCKET_PROVIDER = Evaluator(bucket=_bucket, needs_object_facts=_needs_object_facts, obj=_obj)

EVALUATORS: dict[str, Evaluator] = {**_BY_CLOUD, "multi": BY_BUCKET_PROVIDER}
