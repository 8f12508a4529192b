"""The shape of one provider's access evaluator: three pure functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bucketscan.records.common import Bucket, BucketAccess, ObjectAccess, StoredObject


@dataclass(frozen=True)
class Evaluator:
    """Pure functions that judge one provider's facts."""

    bucket: Callable[[Bucket], BucketAccess]
    needs_object_facts: Callable[[Bucket], bool]
    obj: Callable[[Bucket, StoredObject], ObjectAccess]
