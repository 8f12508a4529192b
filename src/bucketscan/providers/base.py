"""The contract every storage provider adapter fulfils."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from bucketscan.records.common import Bucket, BucketRef, KeyRange, StoredObject
from bucketscan.records.probe import ProbeAnswer

# The bucket name standing for "every bucket of this account/project": its listing failed, so
# the report shows the whole account as unknown, with the reason, and the scan goes on.
UNLISTED = "*"


def error_kind(error: BaseException) -> str:
    """A short name for what failed: the service's error code when it gave one, else the class.

    Example: S3's throttling answer gives "SlowDown", Azure's "ServerBusy", GCS's "HTTP 429", a
    dropped connection "ConnectionClosedError".
    """
    response = getattr(error, "response", None)
    if isinstance(response, dict):  # botocore's ClientError
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    code = getattr(error, "error_code", None)  # azure.core's HttpResponseError
    if code:
        return str(code)
    status = getattr(error, "code", None)  # google.api_core's GoogleAPICallError
    if isinstance(status, int):
        return f"HTTP {status}"
    return type(error).__name__


class ProviderError(Exception):
    """A provider could not start (no credentials, endpoint unreachable); one-line message."""


class Provider(Protocol):
    """Enumerates buckets and objects, gathers access facts, reads bounded content."""

    name: str

    def bucket_refs(self) -> Iterator[BucketRef]:
        """Buckets/containers to scan, cheaply; raises ProviderError if it cannot start."""
        ...

    def describe(self, ref: BucketRef) -> Bucket:
        """Gather every access fact of one bucket; failures become `unreadable` entries."""
        ...

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """Lazily page through the bucket's objects in key order, from after `start_after`."""
        ...

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """Return `obj` with its per-object access facts (e.g. ACL) filled in."""
        ...

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """Read at most `limit` bytes of the object (a range read), into memory only."""
        ...

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The object's public URL (what an anonymous reader would fetch)."""
        ...

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """Ask for the object with no credentials (a HEAD, or at most its first byte, dropped);
        short timeouts, never retried; a failure is the answer's `failure`, never raised."""
        ...

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """Ask for a listing of at most one key with no credentials, as `probe_object` asks."""
        ...


@runtime_checkable
class KeyPlanner(Protocol):
    """A provider that knows a bucket's keys before listing it (an S3 Inventory report)."""

    def key_boundaries(self, ref: BucketRef) -> tuple[str, ...]:
        """Keys to cut the bucket at so its ranges are scanned in parallel; () for none."""
        ...

    def objects_in(self, bucket: Bucket, prefix: str, keys: KeyRange) -> Iterator[StoredObject]:
        """The objects of one key range, in key order, reading nothing past its end."""
        ...
