"""An in-memory provider with S3-shaped facts and generated objects, for tests and benchmarks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from bucketscan.metering import Meter
from bucketscan.records.common import Bucket, BucketRef, StoredObject
from bucketscan.records.probe import ProbeAnswer
from bucketscan.records.s3 import S3BucketFacts, S3ObjectFacts


@dataclass(frozen=True)
class MemoryBucket:
    """A bucket whose objects are made on demand: `count` keys, content from `body(index)`."""

    name: str
    facts: S3BucketFacts
    count: int
    body: Callable[[int], bytes] = field(default=lambda index: b"")
    key: Callable[[int], str] = field(default=lambda index: f"objects/{index:09d}.txt")
    object_facts: Callable[[int], S3ObjectFacts | None] = field(default=lambda index: None)
    errors: tuple[str, ...] = ()
    # The status an anonymous request gets for a key (None: the listing); None: no answer.
    anonymous: Callable[[str | None], int | None] = field(default=lambda key: None)


class MemoryProvider:
    """Serves MemoryBuckets; objects are generated while listing, never stored."""

    name = "aws"

    def __init__(
        self,
        buckets: tuple[MemoryBucket, ...],
        *,
        meter: Meter | None = None,
        page_size: int = 1000,
        account: str = "000000000000",
    ) -> None:
        self._buckets = {bucket.name: bucket for bucket in buckets}
        self._account = account
        self._meter = meter or Meter()
        self._page_size = page_size
        self._lock = threading.Lock()

    def bucket_refs(self) -> Iterator[BucketRef]:
        """Every bucket, in order."""
        self._meter.request("memory.ListBuckets")
        for name in self._buckets:
            yield BucketRef("aws", self._account, name, "us-east-1")

    def describe(self, ref: BucketRef) -> Bucket:
        """The bucket's configured facts."""
        bucket = self._buckets[ref.name]
        self._meter.request("memory.GetBucketFacts")
        return Bucket(ref, bucket.facts, bucket.errors)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """Generate the bucket's objects page by page (keys must be generated in sorted order)."""
        spec = self._buckets[bucket.name]
        for start in range(0, spec.count, self._page_size):
            self._meter.request("memory.ListObjects")
            for index in range(start, min(start + self._page_size, spec.count)):
                key = spec.key(index)
                if key.startswith(prefix) and key > start_after:
                    yield StoredObject(key=key, size=max(1, len(spec.body(index))), etag=str(index))

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """The configured object ACL."""
        self._meter.request("memory.GetObjectAcl")
        spec = self._buckets[bucket.name]
        return replace(obj, facts=spec.object_facts(_index(obj)))

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """The generated content, cut at `limit`."""
        self._meter.request("memory.GetObject")
        data = self._buckets[bucket.name].body(_index(obj))[:limit]
        self._meter.read_bytes(len(data))
        return data

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """A memory:// URL."""
        return f"memory://{bucket.name}/{obj.key}"

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The configured anonymous status of the object."""
        self._meter.request("memory.anonymous.HeadObject")
        return _answer("HeadObject", self._buckets[bucket.name].anonymous(obj.key))

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """The configured anonymous status of the listing."""
        self._meter.request("memory.anonymous.ListObjects")
        return _answer("ListObjects", self._buckets[bucket.name].anonymous(None))


def _answer(request: str, status: int | None) -> ProbeAnswer:
    if status is None:
        return ProbeAnswer(request, failure="no anonymous endpoint in memory")
    return ProbeAnswer(request, status)


def _index(obj: StoredObject) -> int:
    """The generator index, carried in the etag."""
    return int(obj.etag or 0)
