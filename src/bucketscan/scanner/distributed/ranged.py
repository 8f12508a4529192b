"""A provider seen through one key range: its listing starts after the range and ends with it."""

from __future__ import annotations

from collections.abc import Iterator

from bucketscan.providers.base import Provider
from bucketscan.records.common import Bucket, BucketRef, KeyRange, StoredObject
from bucketscan.records.probe import ProbeAnswer


class KeyRangeProvider:
    """Lists only the keys of `keys`; every other call goes to the provider unchanged."""

    def __init__(self, provider: Provider, keys: KeyRange) -> None:
        self.name = provider.name
        self._provider = provider
        self._keys = keys

    def bucket_refs(self) -> Iterator[BucketRef]:
        """The provider's buckets."""
        return self._provider.bucket_refs()

    def describe(self, ref: BucketRef) -> Bucket:
        """The bucket's facts."""
        return self._provider.describe(ref)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """The bucket's objects inside the range, in key order."""
        start = max(start_after, self._keys.start_after)
        for obj in self._provider.objects(bucket, prefix, start):
            if self._keys.passed(obj.key):
                return
            yield obj

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """The object's own access facts."""
        return self._provider.object_facts(bucket, obj)

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """At most `limit` bytes of the object."""
        return self._provider.read(bucket, obj, limit)

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The object's public URL."""
        return self._provider.url(bucket, obj)

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The object asked for with no credentials."""
        return self._provider.probe_object(bucket, obj)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """The listing asked for with no credentials."""
        return self._provider.probe_listing(bucket)
