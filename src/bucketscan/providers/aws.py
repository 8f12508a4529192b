"""The AWS S3 adapter: enumerates buckets and objects, gathers access facts, reads bounded ranges.

Example: ``open_aws(None, "ap-northeast-1", None, (), Meter())`` uses the standard credential
chain (and AWS_ENDPOINT_URL), checks it with STS GetCallerIdentity and returns an AwsProvider.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    ProfileNotFound,
)

from bucketscan.metering import Meter
from bucketscan.providers.aws_anonymous import head_object, list_one, unsigned_config
from bucketscan.providers.aws_facts import (
    AWS_FAILURES,
    UNSUPPORTED,
    access_point_entry,
    analyzer_gone,
    analyzer_result,
    block_settings,
    error_text,
    gather,
    grants,
    multi_region_entries,
    network_origin,
    ownership,
    region_of,
    tag_set,
)
from bucketscan.providers.aws_inventory import (
    InventoryError,
    InventoryLocation,
    S3Inventory,
    parse_location,
)
from bucketscan.providers.aws_retry import MAX_ATTEMPTS, AccountRetry
from bucketscan.providers.base import ProviderError
from bucketscan.providers.breaker import Breaker, EndpointUnreachableError
from bucketscan.providers.limits import ConcurrencyCap
from bucketscan.records.common import Bucket, BucketRef, KeyRange, StoredObject, Tags
from bucketscan.records.probe import ProbeAnswer
from bucketscan.records.s3 import (
    BlockPublicAccess,
    S3AccessPoint,
    S3BucketFacts,
    S3Fact,
    S3ObjectFacts,
)
from bucketscan.records.unreadable import Unreadable

DEFAULT_REGION = "us-east-1"
MULTI_REGION_CONTROL = "us-west-2"  # where AWS serves every Multi-Region Access Point call
_NO_BLOCK = ("NoSuchPublicAccessBlockConfiguration",)
_NO_TAGS: Tags = ()  # what NoSuchTagSet (a bucket without tags) gives
# (bucket name, access point as listed) pairs of one listing, and why the listing failed.
_Pairs = tuple[tuple[str, S3AccessPoint], ...]
_Listed = tuple[_Pairs, Unreadable | None]
# botocore's own variable for Access Analyzer's endpoint; an S3-compatible endpoint has none.
ANALYZER_ENDPOINT_ENV = "AWS_ENDPOINT_URL_ACCESSANALYZER"
_ANALYZER_ATTEMPTS = 3
# (no public access, why not read, its reasons): CheckNoPublicAccess on one policy.
_Check = tuple[bool | None, str | None, tuple[str, ...]]


_CONNECTION_ERRORS = (EndpointConnectionError, ConnectTimeoutError)


def _guard_calls(client: Any, breaker: Breaker) -> None:
    """Route a client's calls through the breaker: refused at once while it is open.

    A refused call raises before anything is sent, so no response handler (GetBucketLocation's
    reads the raw body) ever sees a response that did not come from the endpoint.
    """

    def before_call(**_: Any) -> None:
        if not breaker.allow():
            message = f"endpoint unreachable, call not sent (last error: {breaker.last_error})"
            raise EndpointUnreachableError(message)

    def after_call(**_: Any) -> None:
        breaker.succeeded()

    def after_call_error(exception: Exception, **_: Any) -> None:
        if isinstance(exception, _CONNECTION_ERRORS):
            breaker.failed(f"{type(exception).__name__}: {exception}")

    client.meta.events.register("before-call", before_call)
    client.meta.events.register("after-call", after_call)
    client.meta.events.register("after-call-error", after_call_error)


def strip_account_host(endpoint_url: str) -> Any:
    """A before-sign hook undoing the account-id host prefix the s3control rules add.

    inject_host_prefix=False only drops the model's host prefix; the endpoint ruleset still
    builds ``<account>.<custom host>``, which does not resolve for an emulator.
    """
    host = urlsplit(endpoint_url).netloc

    def before_sign(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        if parts.netloc != host and parts.netloc.endswith(f".{host}"):
            request.url = urlunsplit(parts._replace(netloc=host))

    return before_sign


def base_config(io_threads: int = 8) -> Config:
    """Bounded timeouts and a pool sized for the I/O threads; retries come from AccountRetry."""
    return Config(
        # Standard mode's per-client handler is replaced by the account's shared one (AccountRetry:
        # botocore's standard retries and adaptive rate limiting, one budget for every client).
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        connect_timeout=10,
        read_timeout=60,
        max_pool_connections=max(10, 2 * io_threads),
    )


class AwsProvider:
    """Provider over S3; the only module that talks to boto3."""

    name = "aws"

    def __init__(
        self,
        session: boto3.Session,
        *,
        endpoint_url: str | None = None,
        bucket_names: tuple[str, ...] = (),
        meter: Meter | None = None,
        page_size: int = 1000,
        config: Config | None = None,
        breaker: Breaker | None = None,
        retry: AccountRetry | None = None,
        cap: ConcurrencyCap | None = None,
        inventories: tuple[InventoryLocation, ...] = (),
        inventory_range_keys: int | None = None,
        inventory_threads: int = 4,
        access_analyzer: bool = True,  # ask IAM Access Analyzer for a second opinion (billed)
    ) -> None:
        self._session = session
        self._access_analyzer = access_analyzer
        self._endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self._bucket_names = bucket_names
        self._meter = meter or Meter()
        self._page_size = page_size
        self._config = config or base_config()
        self._region = session.region_name or DEFAULT_REGION
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._account: str | None = None
        self._account_block: tuple[BlockPublicAccess | None, Unreadable | None] | None = None
        self._access_point_lists: dict[str, _Listed] = {}  # per region, and "" for multi-region
        self._anonymous: dict[str, Any] = {}  # unsigned S3 clients by region (--verify-anonymous)
        self._breaker = breaker or Breaker()
        self._retry = retry or AccountRetry(self._meter)
        self._cap = cap or ConcurrencyCap()
        self._analyzer: Any = None
        self._analyzer_stopped: str | None = None  # why Access Analyzer is not asked again
        # --inventory: S3 Inventory reports that replace listing, by source bucket once placed.
        self._inventory_lock = threading.Lock()
        self._unplaced = list(inventories)
        self._inventories: dict[str, S3Inventory] = {}
        self._inventory_range_keys = inventory_range_keys
        self._inventory_threads = inventory_threads

    def _client(self, service: str, region: str | None = None) -> Any:
        """One cached client per service and region (one per service with a custom endpoint)."""
        region = self._region if self._endpoint_url or not region else region
        with self._lock:
            client = self._clients.get((service, region))
            if client is None:
                client = self._new_client(service, region)
                _guard_calls(client, self._breaker)
                # The identity probe gives up on an unreachable endpoint after two attempts; a
                # throttled or erroring one answered, and is retried like every other call.
                connect_attempts = 2 if service == "sts" else None
                self._retry.install(client, service, connect_attempts=connect_attempts)
                if service == "s3control" and self._endpoint_url:
                    hook = strip_account_host(self._endpoint_url)
                    client.meta.events.register("before-sign", hook)
                self._clients[(service, region)] = client
            return client

    def _new_client(self, service: str, region: str) -> Any:
        config = self._config
        if service == "sts":
            # A quick probe: an unreachable endpoint must fail in seconds (see _client).
            config = config.merge(Config(connect_timeout=5, read_timeout=15))
        if self._endpoint_url:
            # The SDK would prepend the account id to a custom endpoint's host for s3control.
            config = config.merge(Config(inject_host_prefix=False, s3={"addressing_style": "path"}))
        return self._session.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            endpoint_url=self._endpoint_url,
            config=config,
        )

    def account_id(self) -> str:
        """The caller's account id (STS GetCallerIdentity, once); SDK errors propagate."""
        if self._account is None:
            identity = self._client("sts").get_caller_identity()
            self._account = str(identity["Account"])
        return self._account

    def bucket_refs(self) -> Iterator[BucketRef]:
        """The named buckets, or every bucket of the account (paginated ListBuckets)."""
        try:
            account = self.account_id()
            named: list[tuple[str, str | None]] = (
                [(name, None) for name in self._bucket_names]
                if self._bucket_names
                else list(self._list_bucket_names())
            )
        except AWS_FAILURES as error:
            raise ProviderError(f"cannot list S3 buckets: {error_text(error)}") from error
        for name, region in named:
            yield BucketRef("aws", account, name, region or self._bucket_region(name))

    def _list_bucket_names(self) -> Iterator[tuple[str, str | None]]:
        for page in self._client("s3").get_paginator("list_buckets").paginate():
            for entry in page.get("Buckets", ()):
                yield str(entry["Name"]), entry.get("BucketRegion")

    def _bucket_region(self, name: str) -> str | None:
        try:
            s3 = self._client("s3")
            location = self._cap.call(
                self._account or "", name, lambda: s3.get_bucket_location(Bucket=name)
            )
            return region_of(location)
        except AWS_FAILURES:
            return None  # describe() records what is unreadable about this bucket

    def _account_settings(self) -> tuple[BlockPublicAccess | None, Unreadable | None]:
        """Account-level Block Public Access, fetched once per provider."""
        with self._lock:
            cached = self._account_block
        if cached is not None:
            return cached
        fact = S3Fact.ACCOUNT_BLOCK
        try:
            account = self.account_id()
        except AWS_FAILURES as error:
            result: tuple[BlockPublicAccess | None, Unreadable | None] = (
                None,
                Unreadable(fact, error_text(error)),
            )
        else:
            control = self._client("s3control")
            settings, unread = gather(
                fact,
                lambda: block_settings(control.get_public_access_block(AccountId=account)),
                _NO_BLOCK,
                BlockPublicAccess(),
            )
            result = (None if unread else settings, unread)
        with self._lock:
            if self._account_block is None:
                self._account_block = result
            return self._account_block

    def _listing(self, key: str, fact: S3Fact, pages: Callable[[str], _Pairs]) -> _Listed:
        """One account-wide listing of access points, made once per provider and region."""
        with self._lock:
            cached = self._access_point_lists.get(key)
        if cached is not None:
            return cached
        try:
            account = self.account_id()
        except AWS_FAILURES as error:
            result: _Listed = ((), Unreadable(fact, error_text(error)))
        else:
            no_pairs: _Pairs = ()
            result = gather(fact, lambda: pages(account), UNSUPPORTED, no_pairs)
        with self._lock:
            return self._access_point_lists.setdefault(key, result)

    def _list_access_points(self, region: str) -> Callable[[str], _Pairs]:
        control = self._client("s3control", region)

        def pages(account: str) -> _Pairs:
            found: list[tuple[str, S3AccessPoint]] = []
            token: dict[str, str] = {}
            while True:
                page = control.list_access_points(
                    AccountId=account, MaxResults=min(self._page_size, 1000), **token
                )
                found.extend(
                    access_point_entry(entry, account, region)
                    for entry in page.get("AccessPointList", ())
                )
                if not page.get("NextToken"):
                    return tuple(found)
                token = {"NextToken": str(page["NextToken"])}

        return pages

    def _list_multi_region(self, account: str) -> _Pairs:
        control = self._client("s3control", MULTI_REGION_CONTROL)
        found: list[tuple[str, S3AccessPoint]] = []
        token: dict[str, str] = {}
        while True:
            page = control.list_multi_region_access_points(
                AccountId=account, MaxResults=min(self._page_size, 100), **token
            )
            for entry in page.get("AccessPoints", ()):
                found.extend(multi_region_entries(entry, account))
            if not page.get("NextToken"):
                return tuple(found)
            token = {"NextToken": str(page["NextToken"])}

    def _access_points(self, ref: BucketRef) -> tuple[tuple[S3AccessPoint, ...], list[Unreadable]]:
        """The access points whose bucket is this one, with their policy and Block Public Access;
        failed listings come back as Unreadable, failed details inside each access point."""
        region = ref.region or self._region
        listed: _Listed
        if ref.region is None and not self._endpoint_url:
            # Access points live in their bucket's region: listing another one would find none.
            why = "the bucket's region is unknown, so the region to list them in is too"
            listed = ((), Unreadable(S3Fact.ACCESS_POINTS, why))
        else:
            listed = self._listing(region, S3Fact.ACCESS_POINTS, self._list_access_points(region))
        multi = self._listing("", S3Fact.MULTI_REGION_ACCESS_POINTS, self._list_multi_region)
        points = tuple(
            self._detailed(point, region)
            for pairs, _ in (listed, multi)
            for bucket, point in pairs
            if bucket == ref.name
        )
        return points, [failed for _, failed in (listed, multi) if failed is not None]

    def _detailed(self, point: S3AccessPoint, region: str) -> S3AccessPoint:
        """The listed access point with its policy (and, for a single-region one, GetAccessPoint's
        Block Public Access and network origin)."""
        account = self._account or ""
        name = point.name
        if point.multi_region:
            control = self._client("s3control", MULTI_REGION_CONTROL)
            policy, policy_err = gather(
                S3Fact.ACCESS_POINT_POLICY,
                lambda: _established(
                    control.get_multi_region_access_point_policy(AccountId=account, Name=name)
                ),
                ("NoSuchMultiRegionAccessPointPolicy",),
                None,
            )
            unread = (policy_err,) if policy_err else ()
            return replace(point, policy_json=policy, unreadable=unread)
        control = self._client("s3control", region)
        details, details_err = gather(
            S3Fact.ACCESS_POINT,
            lambda: control.get_access_point(AccountId=account, Name=name),
            (),
            None,
        )
        policy, policy_err = gather(
            S3Fact.ACCESS_POINT_POLICY,
            lambda: str(control.get_access_point_policy(AccountId=account, Name=name)["Policy"]),
            ("NoSuchAccessPointPolicy",),
            None,
        )
        origin = network_origin(details.get("NetworkOrigin")) if details else None
        return replace(
            point,
            network_origin=origin or point.network_origin,
            block=block_settings(details) if details else None,
            policy_json=policy,
            unreadable=tuple(entry for entry in (details_err, policy_err) if entry),
        )

    def _analyzer_client(self) -> Any:
        """The Access Analyzer client, made once.

        It has its own retry budget and send rate and no breaker: a throttled, failing or
        unreachable second opinion must not slow down or cut off the S3 calls of the scan.
        """
        with self._lock:
            if self._analyzer is None:
                quick = Config(
                    connect_timeout=5,
                    read_timeout=15,
                    retries={"mode": "standard", "total_max_attempts": _ANALYZER_ATTEMPTS},
                )
                # A custom endpoint speaks S3: Access Analyzer is only where its own variable says.
                # Without one, botocore's rules apply (that variable, the config file, AWS's own).
                endpoint = os.environ.get(ANALYZER_ENDPOINT_ENV) if self._endpoint_url else None
                client = self._session.client(
                    "accessanalyzer",
                    region_name=self._region,
                    endpoint_url=endpoint,
                    config=self._config.merge(quick),
                )
                AccountRetry(self._meter, adaptive=False).install(
                    client, "accessanalyzer", connect_attempts=1
                )
                self._analyzer = client
            return self._analyzer

    def _no_public_access(self, policy: str | None) -> _Check:
        """IAM Access Analyzer's CheckNoPublicAccess on a bucket policy, off the critical path.

        A failure is recorded, never a gap; one that is not about this call (AccessDenied, unknown
        credentials, no endpoint) stops the check for the rest of the scan.
        """
        custom = self._endpoint_url and not os.environ.get(ANALYZER_ENDPOINT_ENV)
        if policy is None or custom or not self._access_analyzer:
            return None, None, ()  # no policy, an S3-compatible endpoint, or not wanted
        with self._lock:
            stopped = self._analyzer_stopped
        if stopped is not None:
            return None, stopped, ()
        try:
            client = self._analyzer_client()
            if hasattr(client, "check_no_public_access"):
                return analyzer_result(
                    client.check_no_public_access(
                        policyDocument=policy, resourceType="AWS::S3::Bucket"
                    )
                )
            reason, gone = "the installed botocore has no CheckNoPublicAccess", True
        except AWS_FAILURES as error:
            reason, gone = " ".join(error_text(error).split()), analyzer_gone(error)
        if gone:
            with self._lock:
                self._analyzer_stopped = self._analyzer_stopped or reason
        return None, reason, ()

    def describe(self, ref: BucketRef) -> Bucket:
        """Gather ACL, policy, Block Public Access, ownership, website and tag facts of a bucket."""
        with self._cap.slot(ref.account, ref.name):
            return self._describe(ref)

    def _describe(self, ref: BucketRef) -> Bucket:
        s3 = self._client("s3", ref.region)
        name = ref.name
        acl, acl_err = gather(
            S3Fact.BUCKET_ACL, lambda: grants(s3.get_bucket_acl(Bucket=name)), (), None
        )
        policy, policy_err = gather(
            S3Fact.BUCKET_POLICY,
            lambda: str(s3.get_bucket_policy(Bucket=name)["Policy"]),
            ("NoSuchBucketPolicy",),
            None,
        )
        block, block_err = gather(
            S3Fact.BUCKET_BLOCK,
            lambda: block_settings(s3.get_public_access_block(Bucket=name)),
            _NO_BLOCK,
            BlockPublicAccess(),
        )
        owner, owner_err = gather(
            S3Fact.OWNERSHIP,
            lambda: ownership(s3.get_bucket_ownership_controls(Bucket=name)),
            ("OwnershipControlsNotFoundError",),
            None,
        )
        website, website_err = gather(
            S3Fact.WEBSITE,
            lambda: bool(s3.get_bucket_website(Bucket=name)),
            ("NoSuchWebsiteConfiguration",),
            False,
        )
        tags, tags_err = gather(
            S3Fact.TAGS,
            lambda: tag_set(s3.get_bucket_tagging(Bucket=name)),
            ("NoSuchTagSet",),
            _NO_TAGS,
        )
        status, status_err = gather(
            S3Fact.POLICY_STATUS,
            lambda: bool(s3.get_bucket_policy_status(Bucket=name)["PolicyStatus"]["IsPublic"]),
            ("NoSuchBucketPolicy",),
            False,
        )
        account_block, account_err = self._account_settings()
        access_points, listing_errs = self._access_points(ref)
        no_public, analyzer_problem, analyzer_reasons = self._no_public_access(policy)
        unreadable = tuple(
            entry
            for entry in (
                acl_err,
                policy_err,
                block_err,
                owner_err,
                website_err,
                tags_err,
                account_err,
            )
            if entry is not None
        ) + tuple(listing_errs)
        facts = S3BucketFacts(
            acl=acl,
            policy_json=policy,
            bucket_block=None if block_err else block,
            account_block=account_block,
            object_ownership=owner,
            website=website,
            unreadable=unreadable,
            policy_is_public=None if status_err else status,
            policy_status_problem=status_err.reason if status_err else None,
            analyzer_no_public=no_public,
            analyzer_problem=analyzer_problem,
            analyzer_reasons=analyzer_reasons,
            access_points=access_points,
            tags=None if tags_err else tags,
        )
        errors = tuple(f"{entry.fact} unreadable: {entry.reason}" for entry in unreadable) + tuple(
            f"{entry.fact} unreadable ({point.name}): {entry.reason}"
            for point in access_points
            for entry in point.unreadable
        )
        return Bucket(ref, facts, errors)

    def place_inventories(self) -> None:
        """Match each --inventory to its source bucket (reading the manifest where its path does
        not name it); ProviderError when one cannot be placed or two name the same bucket."""
        with self._inventory_lock:
            while self._unplaced:
                location = self._unplaced.pop(0)
                reader = S3Inventory(
                    self._client("s3"),
                    location,
                    range_keys=self._inventory_range_keys,
                    threads=self._inventory_threads,
                )
                try:
                    source = location.source or reader.manifest().source_bucket
                except InventoryError as error:
                    raise ProviderError(str(error)) from error
                if source in self._inventories:
                    raise ProviderError(f"two inventories for bucket {source}: pass one")
                self._inventories[source] = reader

    def _inventory(self, name: str) -> S3Inventory | None:
        """The inventory that replaces listing this bucket, if one was given."""
        try:
            self.place_inventories()
        except ProviderError as error:
            raise InventoryError(str(error)) from error
        with self._inventory_lock:
            return self._inventories.get(name)

    def key_boundaries(self, ref: BucketRef) -> tuple[str, ...]:
        """Where an inventoried bucket is cut into key ranges (about equal counts); () otherwise.

        An unusable inventory gives (): its listing then fails with the reason, once.
        """
        try:
            inventory = self._inventory(ref.name)
            return inventory.boundaries() if inventory is not None else ()
        except InventoryError:
            return ()

    def objects_in(self, bucket: Bucket, prefix: str, keys: KeyRange) -> Iterator[StoredObject]:
        """One key range's objects: from the inventory up to the range's end, or listed."""
        inventory = self._inventory(bucket.name)
        if inventory is None:
            return self.objects(bucket, prefix, keys.start_after)
        return inventory.objects(prefix, keys.start_after, keys.last)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """Page through the bucket's objects lazily (ListObjectsV2, `page_size` keys a page); an
        inventoried bucket's come from its inventory (InventoryError if it cannot be read)."""
        inventory = self._inventory(bucket.name)
        if inventory is not None:
            yield from inventory.objects(prefix, start_after)
            return
        paginator = self._client("s3", bucket.ref.region).get_paginator("list_objects_v2")
        after = {"StartAfter": start_after} if start_after else {}
        pages = paginator.paginate(
            Bucket=bucket.name,
            Prefix=prefix,
            PaginationConfig={"PageSize": self._page_size},
            **after,
        )
        for page in self._cap.each(iter(pages), bucket.ref.account, bucket.name):
            for entry in page.get("Contents", ()):
                yield StoredObject(
                    key=str(entry["Key"]),
                    size=int(entry.get("Size", 0)),
                    last_modified=entry.get("LastModified"),
                    etag=str(entry.get("ETag", "")).strip('"') or None,
                )

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """The object with its ACL (GetObjectAcl); a failure is recorded, not raised."""
        s3 = self._client("s3", bucket.ref.region)
        with self._cap.slot(bucket.ref.account, bucket.name):
            acl, unread = gather(
                S3Fact.OBJECT_ACL,
                lambda: grants(s3.get_object_acl(Bucket=bucket.name, Key=obj.key)),
                (),
                None,
            )
        facts = S3ObjectFacts(acl=acl, unreadable=(unread,) if unread else ())
        return replace(obj, facts=facts)

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """At most `limit` bytes from the object's start (a Range GET), kept in memory."""
        if limit <= 0 or obj.size == 0:
            return b""
        s3 = self._client("s3", bucket.ref.region)
        with self._cap.slot(bucket.ref.account, bucket.name):
            response = s3.get_object(Bucket=bucket.name, Key=obj.key, Range=f"bytes=0-{limit - 1}")
            body = response["Body"]
            try:
                data: bytes = body.read(limit)
            finally:
                body.close()
        self._meter.read_bytes(len(data))
        return data

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The object's URL as an anonymous reader would fetch it."""
        key = quote(obj.key, safe="/")
        if self._endpoint_url:
            return f"{self._endpoint_url}/{quote(bucket.name)}/{key}"
        region = bucket.ref.region or DEFAULT_REGION
        return f"https://{bucket.name}.s3.{region}.amazonaws.com/{key}"

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """An unsigned HEAD of the object, as an anonymous reader would send it; no content."""
        client = self._unsigned_client(bucket.ref.region)
        self._meter.request("s3.anonymous.HeadObject")
        with self._cap.slot(bucket.ref.account, bucket.name):
            return head_object(client, bucket.name, obj.key)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """An unsigned ListObjectsV2 of at most one key."""
        client = self._unsigned_client(bucket.ref.region)
        self._meter.request("s3.anonymous.ListObjectsV2")
        with self._cap.slot(bucket.ref.account, bucket.name):
            return list_one(client, bucket.name)

    def _unsigned_client(self, region: str | None) -> Any:
        """An S3 client with no credentials, on the scan's endpoint and the bucket's region.

        No shared retry budget and no breaker: a probe is sent once, and its failure is its own.
        """
        region = self._region if self._endpoint_url or not region else region
        with self._lock:
            client = self._anonymous.get(region)
            if client is None:
                config = unsigned_config(self._config)
                if self._endpoint_url:
                    config = config.merge(Config(s3={"addressing_style": "path"}))
                client = self._session.client(
                    "s3", region_name=region, endpoint_url=self._endpoint_url, config=config
                )
                self._anonymous[region] = client
            return client


def _established(response: Any) -> str | None:
    """The policy in force of a GetMultiRegionAccessPointPolicy response (not a proposed one)."""
    policy = response.get("Policy", {}).get("Established", {}).get("Policy")
    return str(policy) if policy else None


def base_session(profile: str | None, region: str | None) -> boto3.Session:
    """A session on the standard credential chain; ProviderError (one line) without credentials."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as error:
        raise ProviderError(f"AWS profile not found: {profile}") from error
    if session.get_credentials() is None:
        raise ProviderError(
            "no AWS credentials found (set a profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or an instance role)"
        )
    return session


def open_aws(
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    bucket_names: tuple[str, ...],
    meter: Meter,
    io_threads: int = 8,
    inventories: tuple[str, ...] = (),
    inventory_range_keys: int | None = None,
    access_analyzer: bool = True,
) -> AwsProvider:
    """A checked AwsProvider; raises ProviderError (one line) without credentials or endpoint,
    or with an --inventory that names no source bucket and whose manifest cannot be read."""
    try:
        locations = tuple(parse_location(text) for text in inventories)
    except InventoryError as error:
        raise ProviderError(str(error)) from error
    if locations and importlib.util.find_spec("pyarrow") is None:
        raise ProviderError("--inventory needs pyarrow: pip install 'bucketscan[inventory]'")
    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    session = base_session(profile, region)
    provider = AwsProvider(
        session,
        endpoint_url=endpoint_url,
        bucket_names=bucket_names,
        meter=meter,
        config=base_config(io_threads),
        inventories=locations,
        inventory_range_keys=inventory_range_keys,
        inventory_threads=max(1, io_threads // 2),
        access_analyzer=access_analyzer,
    )
    try:
        provider.account_id()
    except AWS_FAILURES as error:
        where = f" at {endpoint_url}" if endpoint_url else ""
        message = " ".join(error_text(error).split())
        raise ProviderError(f"cannot reach AWS{where}: {message}") from error
    provider.place_inventories()
    return provider
