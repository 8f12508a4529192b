"""Many accounts as one provider: each account's provider opened once, lazily, from its target.

An organisation sweep hands the engine one `SweepProvider`; its buckets come account after
account, and every call about a bucket goes to the provider of the bucket's account. An account
that cannot be entered (a `Refused` target, a role that cannot be assumed, a listing refused)
stands as one `UNLISTED` bucket whose description fails with the reason: the report shows it as
unknown, and the sweep goes on.

Example: ``SweepProvider((AwsSpec("111111111111"), Refused("aws", "222222222222", "...")), meter)``
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice

from bucketscan.metering import Meter
from bucketscan.providers.base import UNLISTED, Provider, ProviderError
from bucketscan.providers.spec import Refused, Target
from bucketscan.records.common import Bucket, BucketRef, StoredObject
from bucketscan.records.probe import ProbeAnswer

# Accounts opened and listed ahead of the one whose buckets are being handed out: entering an
# account (AssumeRole, identity check, ListBuckets) costs a few round trips, so they overlap.
OPEN_AHEAD = 4
MIXED = "multi"  # the name of a sweep over more than one cloud (see policies/access/registry.py)

_Key = tuple[str, str]  # (provider, account)


def sweep_name(targets: Iterable[Target]) -> str:
    """The provider name every target shares, else MIXED."""
    names = {target.provider for target in targets}
    return names.pop() if len(names) == 1 else MIXED


class SweepProvider:
    """Serves the buckets of every target; calls go to the provider of the bucket's account."""

    def __init__(self, targets: Iterable[Target], meter: Meter, *, ahead: int = OPEN_AHEAD):
        self.targets = tuple(targets)
        self.name = sweep_name(self.targets)
        self._meter = meter
        self._ahead = max(1, ahead)
        self._by_key: dict[_Key, Target] = {(t.provider, t.account): t for t in self.targets}
        self._lock = threading.Lock()
        self._opened: dict[_Key, Future[Provider]] = {}
        self._refused: dict[_Key, str] = {}

    def refusal(self, provider: str, account: str) -> str | None:
        """Why an account could not be entered or listed, once its buckets were asked for."""
        with self._lock:
            return self._refused.get((provider, account))

    def bucket_refs(self) -> Iterator[BucketRef]:
        """Every target's buckets, target after target; the next few are opened ahead."""
        targets = iter(self.targets)
        pool = ThreadPoolExecutor(self._ahead, thread_name_prefix="bucketscan-sweep")
        try:
            pending = deque(
                pool.submit(self._listed, target) for target in islice(targets, self._ahead)
            )
            while pending:
                refs = pending.popleft().result()
                following = next(targets, None)
                if following is not None:
                    pending.append(pool.submit(self._listed, following))
                yield from refs
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _listed(self, target: Target) -> list[BucketRef]:
        """One target's buckets; an account that cannot be entered or listed ends in UNLISTED."""
        refs: list[BucketRef] = []
        if isinstance(target, Refused):
            reason = target.reason
        else:
            try:
                refs.extend(self._open(target).bucket_refs())
                return refs
            except Exception as error:  # noqa: BLE001 - one account's failure must not end a sweep
                reason = str(error) if isinstance(error, ProviderError) else repr(error)
        with self._lock:
            self._refused[(target.provider, target.account)] = reason
        refs.append(BucketRef(target.provider, target.account, UNLISTED))
        return refs

    def _open(self, target: Target) -> Provider:
        """The target's provider, opened once however many threads ask; its error re-raised."""
        key = (target.provider, target.account)
        with self._lock:
            future = self._opened.get(key)
            owner = future is None
            if future is None:
                future = self._opened[key] = Future()
        if owner:
            try:
                if isinstance(target, Refused):
                    raise ProviderError(target.reason)
                future.set_result(target.open(self._meter))
            except Exception as error:  # noqa: BLE001 - handed to every caller of this account
                future.set_exception(error)
        return future.result()

    def _provider(self, ref: BucketRef) -> Provider:
        target = self._by_key.get((ref.provider, ref.account))
        if target is None:
            raise ProviderError(f"no target for {ref.provider} account {ref.account}")
        return self._open(target)

    def describe(self, ref: BucketRef) -> Bucket:
        """The bucket described by its account's provider; an account not entered raises why."""
        if ref.name == UNLISTED:
            reason = self.refusal(ref.provider, ref.account)
            if reason is not None:
                raise ProviderError(reason)
        return self._provider(ref).describe(ref)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """The bucket's objects, lazily, from its account's provider."""
        return self._provider(bucket.ref).objects(bucket, prefix, start_after)

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """The object's own access facts, from its account's provider."""
        return self._provider(bucket.ref).object_facts(bucket, obj)

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """At most `limit` bytes of the object, in memory."""
        return self._provider(bucket.ref).read(bucket, obj, limit)

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The object's public URL."""
        return self._provider(bucket.ref).url(bucket, obj)

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The object asked for with no credentials, by its account's provider."""
        return self._provider(bucket.ref).probe_object(bucket, obj)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """The bucket's listing asked for with no credentials."""
        return self._provider(bucket.ref).probe_listing(bucket)
