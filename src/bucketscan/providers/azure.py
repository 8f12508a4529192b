"""Azure Blob adapter: the only module (with azure_mgmt) that talks to the Azure SDKs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient, ExponentialRetry

from bucketscan.metering import Meter, RetryReason
from bucketscan.providers.azure_anonymous import (
    WEBSITE_HEAD,
    blob_properties,
    list_one,
    website_head,
)
from bucketscan.providers.azure_metering import request_hook, request_kind
from bucketscan.providers.azure_mgmt import StorageAccount, list_storage_accounts, management_client
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.providers.breaker import Breaker
from bucketscan.providers.limits import ConcurrencyCap
from bucketscan.providers.spec import Refused
from bucketscan.records.azure import (
    ACCOUNT_FACT,
    LEVEL_FACT,
    WEB_CONTAINER,
    WEBSITE_FACT,
    AzureContainerFacts,
    NetworkRules,
)
from bucketscan.records.common import Bucket, BucketRef, StoredObject, tag_pairs
from bucketscan.records.probe import ProbeAnswer
from bucketscan.records.unreadable import Unreadable

# OSError covers transport failures; ValueError/KeyError/TypeError a malformed answer.
FAILURES = (AzureError, OSError, ValueError, KeyError, TypeError)
_T = TypeVar("_T")
# Per attempt: seconds to connect and to wait for an answer.
CONNECTION_TIMEOUT, READ_TIMEOUT = 10, 60


# Retries of a call: an unreachable endpoint gets three (the SDK default of 15 s base held a dead
# endpoint 80 s), a throttled or erroring one, which answered, up to eight; no wait over 20 s.
CONNECT_RETRIES, RETRIES, MAX_BACKOFF = 3, 8, 20.0


class CountedRetry(ExponentialRetry):
    """The storage SDK's exponential retry, each wait capped, each retry counted with its reason."""

    def __init__(self, meter: Meter | None, *, max_backoff: float = MAX_BACKOFF, **kwargs: Any):
        super().__init__(**kwargs)
        self._meter = meter
        self._max_backoff = max_backoff

    def increment(
        self, settings: dict[str, Any], request: Any, response: Any = None, error: Any = None
    ) -> bool:
        """Count down the retries left; count the retry (or the call given up) and why."""
        again = bool(super().increment(settings, request, response, error))
        if self._meter is not None:
            reason = retry_reason(response, error)
            if again:
                self._meter.retried(request_kind(request.method, request.url), reason)
            else:
                self._meter.exhausted(reason)
        return again

    def get_backoff_time(self, settings: dict[str, Any]) -> float:
        """The SDK's exponential wait, capped."""
        return min(float(super().get_backoff_time(settings)), self._max_backoff)


def retry_reason(response: Any, error: BaseException | None) -> RetryReason:
    """Why an Azure request is retried: ServerBusy and 503 are throttling."""
    if error is not None:
        timeout = "timeout" in type(error).__name__.lower() or "timed out" in str(error).lower()
        return RetryReason.TIMEOUT if timeout else RetryReason.CONNECTION
    status = int(getattr(response, "status_code", 0) or 0)
    code = getattr(response, "headers", {}).get("x-ms-error-code")
    if status in (429, 503) or code == "ServerBusy":
        return RetryReason.THROTTLED
    return RetryReason.SERVER_ERROR if status >= 500 else RetryReason.OTHER


def retry_policy(
    meter: Meter | None = None, *, initial_backoff: float = 1, max_backoff: float = MAX_BACKOFF
) -> CountedRetry:
    """Retries after about 1, 3, 5, 9, 17 s and then every 20 s (±1 s), counted into `meter`."""
    return CountedRetry(
        meter,
        max_backoff=max_backoff,
        initial_backoff=initial_backoff,
        increment_base=2,
        retry_total=RETRIES,
        retry_connect=CONNECT_RETRIES,
        retry_read=RETRIES,
        retry_status=RETRIES,
        random_jitter_range=1,
    )


class AzureProvider:
    """Enumerates the containers and blobs of one storage account and gathers their access facts."""

    name = "azure"

    def __init__(
        self,
        service: BlobServiceClient,
        *,
        account: str,
        container_names: tuple[str, ...] = (),
        allow_blob_public_access: bool | None = None,
        account_read_error: str | None = None,
        static_website: bool | None = None,
        meter: Meter | None = None,
        page_size: int = 5000,
        web_endpoint: str | None = None,
        breaker: Breaker | None = None,
        cap: ConcurrencyCap | None = None,
        network: NetworkRules | None = None,
    ) -> None:
        self._service = service
        self._network = network
        self._breaker = breaker or Breaker()
        self._cap = cap or ConcurrencyCap()
        self.account = account
        self._container_names = container_names
        self._allow = allow_blob_public_access
        self._account_error = account_read_error or "not read from the management plane"
        self._meter = meter or Meter()
        self._page_size = page_size
        self._web_endpoint = web_endpoint
        self._website: bool | Unreadable | None = static_website
        self._website_lock = threading.Lock()
        parts = urlsplit(service.url)  # drop any SAS query: URLs end up in reports
        self.account_url = f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")

    def bucket_refs(self) -> Iterator[BucketRef]:
        """The named containers, else every container of the account (including $web), lazily."""
        if self._container_names:
            for name in self._container_names:
                yield BucketRef(self.name, self.account, name)
            return
        try:
            pages = self._service.list_containers(results_per_page=self._page_size).by_page()
            for page in pages:
                for container in page:
                    yield BucketRef(self.name, self.account, str(container.name))
        except FAILURES as error:
            raise ProviderError(
                f"cannot list containers of {self.account}: {brief(error)}"
            ) from error

    def describe(self, ref: BucketRef) -> Bucket:
        """Gather the container level, the account gate and (for $web) the static website."""
        with self._cap.slot(self.account, ref.name):
            return self._describe(ref)

    def _describe(self, ref: BucketRef) -> Bucket:
        unreadable: list[Unreadable] = []
        client = self._service.get_container_client(ref.name)
        properties = attempt(
            unreadable,
            LEVEL_FACT,
            lambda: self._breaker.guard(client.get_container_properties, unreachable),
        )
        # The service reports no level header for a private container; the SDK gives None.
        level = None if properties is None else str(properties.public_access or "off")
        metadata = None
        if properties is None:
            unreadable.append(Unreadable("metadata", "container properties not read"))
        else:
            metadata = tag_pairs(properties.metadata)
        if self._allow is None:
            unreadable.append(Unreadable(ACCOUNT_FACT, self._account_error))
        website: bool | None = False
        if ref.name == WEB_CONTAINER:
            website = self._static_website(unreadable)
        facts = AzureContainerFacts(
            public_access=level,
            allow_blob_public_access=self._allow,
            static_website=website,
            unreadable=tuple(unreadable),
            web_endpoint=self._web_endpoint,
            network=self._network,
            metadata=metadata,
        )
        errors = tuple(f"{item.fact}: {item.reason}" for item in unreadable)
        return Bucket(ref, facts, errors)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """Page through the container's blobs lazily, `page_size` per request.

        Blob listing cannot start at a key, so a key range skips what comes before it here.
        """
        client = self._service.get_container_client(bucket.name)
        blobs = client.list_blobs(name_starts_with=prefix or None, results_per_page=self._page_size)
        pages = self._breaker.guard_each(blobs.by_page(), unreachable)
        for page in self._cap.each(pages, self.account, bucket.name):
            for blob in page:
                if start_after and str(blob.name) <= start_after:
                    continue
                settings = blob.content_settings
                yield StoredObject(
                    key=str(blob.name),
                    size=int(blob.size or 0),
                    content_type=None if settings is None else settings.content_type,
                    last_modified=blob.last_modified,
                    etag=blob.etag,
                )

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """Blobs have no access settings of their own: `obj` unchanged."""
        return obj

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """Download at most `limit` bytes with a range request."""
        if limit <= 0:
            return b""
        client = self._service.get_container_client(bucket.name)
        try:
            with self._cap.slot(self.account, bucket.name):
                data: bytes = self._breaker.guard(
                    lambda: client.download_blob(obj.key, offset=0, length=limit).readall(),
                    unreachable,
                )
        except HttpResponseError as error:
            if getattr(error, "error_code", None) == "InvalidRange":  # an empty blob has no range
                return b""
            raise
        self._meter.read_bytes(len(data))
        return data[:limit]

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The blob's anonymous URL: for $web with the website on, the website's."""
        facts = bucket.facts
        key = quote(obj.key, safe="/")
        if (
            bucket.name == WEB_CONTAINER
            and isinstance(facts, AzureContainerFacts)
            and facts.static_website
            and facts.web_endpoint
        ):
            return f"{facts.web_endpoint.rstrip('/')}/{key}"
        return f"{self.account_url}/{quote(bucket.name, safe='$')}/{key}"

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The blob's properties asked for with no credential; a `$web` blob the static website
        serves is asked for at the website, where its public verdict comes from."""
        facts = bucket.facts
        if bucket.name == WEB_CONTAINER and isinstance(facts, AzureContainerFacts):
            if facts.static_website and not facts.web_endpoint:
                why = "served by the static website, whose endpoint is unknown (see --subscription)"
                return ProbeAnswer(WEBSITE_HEAD, failure=why)
            if facts.static_website:
                self._meter.request("azure.anonymous.website.HEAD")
                return website_head(self.url(bucket, obj))
        self._meter.request("azure.anonymous.GetBlobProperties")
        with self._cap.slot(self.account, bucket.name):
            return blob_properties(self.account_url, bucket.name, obj.key)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """One page of at most one blob, asked for with no credential."""
        self._meter.request("azure.anonymous.ListBlobs")
        with self._cap.slot(self.account, bucket.name):
            return list_one(self.account_url, bucket.name)

    def _static_website(self, unreadable: list[Unreadable]) -> bool | None:
        """Whether static website hosting is on, read once per account."""
        with self._website_lock:
            if self._website is None:
                scratch: list[Unreadable] = []
                properties = attempt(
                    scratch,
                    WEBSITE_FACT,
                    lambda: self._breaker.guard(self._service.get_service_properties, unreachable),
                )
                if properties is None:
                    self._website = scratch[0]
                else:
                    website = properties.get("static_website")
                    self._website = bool(website is not None and website.enabled)
            cached = self._website
        if isinstance(cached, Unreadable):
            unreadable.append(cached)
            return None
        return cached


class AzureAccounts:
    """Several storage accounts (of one subscription or many) served as one provider."""

    name = "azure"

    def __init__(self, providers: Iterable[AzureProvider], refused: Iterable[Refused] = ()) -> None:
        self.providers = tuple(providers)
        self.refused = tuple(refused)
        self._by_account = {provider.account: provider for provider in self.providers}
        self._unlisted: dict[str, str] = {}

    def bucket_refs(self) -> Iterator[BucketRef]:
        """Every account's containers, account after account; an unlistable one stands as `*`.

        A subscription whose storage accounts could not be listed stands as one `*` entry, first.
        """
        for target in self.refused:
            self._unlisted[target.account] = target.reason
            yield BucketRef(self.name, target.account, UNLISTED)
        for provider in self.providers:
            try:
                yield from provider.bucket_refs()
            except ProviderError as error:
                self._unlisted[provider.account] = str(error)
                yield BucketRef(self.name, provider.account, UNLISTED)

    def describe(self, ref: BucketRef) -> Bucket:
        """Describe a container with its own account's provider."""
        if ref.name == UNLISTED:
            raise ProviderError(self._unlisted[ref.account])
        return self._by_account[ref.account].describe(ref)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """The container's blobs, lazily."""
        return self._by_account[bucket.ref.account].objects(bucket, prefix, start_after)

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """Blobs have no access settings of their own: `obj` unchanged."""
        return obj

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """At most `limit` bytes of the blob."""
        return self._by_account[bucket.ref.account].read(bucket, obj, limit)

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The blob's anonymous URL."""
        return self._by_account[bucket.ref.account].url(bucket, obj)

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The blob asked for with no credential, by its own account's provider."""
        return self._by_account[bucket.ref.account].probe_object(bucket, obj)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """The container's listing asked for with no credential."""
        return self._by_account[bucket.ref.account].probe_listing(bucket)


def unreachable(error: BaseException) -> bool:
    """Whether an error means the service could not be reached (after the SDK's retries)."""
    return isinstance(error, ServiceRequestError)


def attempt(unreadable: list[Unreadable], fact: str, call: Callable[[], _T]) -> _T | None:
    """Run one API call; a failure becomes an Unreadable entry instead of an exception."""
    try:
        return call()
    except FAILURES as error:
        unreadable.append(Unreadable(fact, brief(error)))
        return None


def brief(error: BaseException) -> str:
    """A one-line description of an error (an Azure error code when there is one)."""
    code = getattr(error, "error_code", None)
    text = str(error).strip().splitlines()
    first = text[0][:200] if text else ""
    label = f"{type(error).__name__} {code}" if code else type(error).__name__
    return f"{label}: {first}".rstrip(": ")


def blob_service(
    meter: Meter,
    *,
    account_url: str | None = None,
    connection_string: str | None = None,
    credential: Any = None,
    retry: CountedRetry | None = None,
) -> BlobServiceClient:
    """A BlobServiceClient whose requests are counted into `meter`; ProviderError if malformed."""
    options: dict[str, Any] = {
        "raw_request_hook": request_hook(meter),
        "retry_policy": retry or retry_policy(meter),
        "connection_timeout": CONNECTION_TIMEOUT,
        "read_timeout": READ_TIMEOUT,
    }
    try:
        if connection_string is not None:
            return BlobServiceClient.from_connection_string(
                connection_string, credential=credential, **options
            )
        if account_url is None:
            raise ProviderError("pass --account-url, --connection-string or --subscription")
        parts = urlsplit(account_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in parts.netloc:
            raise ValueError("not an http(s) URL")
        if parts.scheme == "http" and hasattr(credential, "get_token"):
            raise ProviderError(
                "Entra ID sign-in needs an https account URL; for an emulator pass "
                "--connection-string or a SAS URL"
            )
        return BlobServiceClient(account_url, credential=credential, **options)
    except (ValueError, TypeError) as error:
        # The message never echoes the input: a connection string carries the account key.
        what = "connection string" if connection_string is not None else "account URL"
        raise ProviderError(f"malformed Azure {what} ({type(error).__name__})") from error


def open_azure(
    account_url: str | None,
    connection_string: str | None,
    container_names: tuple[str, ...],
    meter: Meter,
    subscription: str | None = None,
    *,
    page_size: int = 5000,
    credential: Any = None,
    management_url: str | None = None,
    all_subscriptions: bool = False,
) -> AzureProvider | AzureAccounts:
    """One account (URL or connection string), or every account of `subscription`.

    With `subscription`, allowBlobPublicAccess is read from the management plane (for the given
    account, or for each account of the subscription); without it the setting stays unknown.
    With `all_subscriptions`, every account of every enabled subscription the credential sees.
    `credential` defaults to DefaultAzureCredential; `management_url` to Azure Resource Manager.
    """
    if all_subscriptions and (account_url or connection_string or subscription):
        raise ProviderError(
            "--all-subscriptions takes no account URL, connection string or "
            "subscription: it scans every account it finds"
        )
    if credential is None and (
        subscription is not None or all_subscriptions or not _keyed(account_url, connection_string)
    ):
        credential = DefaultAzureCredential()
    if all_subscriptions:
        return every_subscription(
            credential, container_names, meter, page_size=page_size, management_url=management_url
        )
    accounts: tuple[StorageAccount, ...] | None = None
    account_error = "not read: pass --subscription to read allowBlobPublicAccess"
    if subscription is not None:
        try:
            management = management_client(subscription, credential, meter, base_url=management_url)
            plain_http = (management_url or "").startswith("http:")
            accounts = list_storage_accounts(management, plain_http=plain_http)
        except FAILURES as error:
            if account_url is None and connection_string is None:
                raise ProviderError(
                    f"cannot list storage accounts of subscription {subscription}: {brief(error)}"
                ) from error
            account_error = f"management plane not read: {brief(error)}"
    if account_url is None and connection_string is None:
        if accounts is None:
            raise ProviderError("pass --account-url, --connection-string or --subscription")
        return subscription_accounts(
            accounts,
            lambda account: blob_service(
                meter, account_url=account.blob_endpoint, credential=credential
            ),
            container_names,
            meter,
            page_size=page_size,
        )
    data_credential = None if _keyed(account_url, connection_string) else credential
    service = blob_service(
        meter,
        account_url=account_url,
        connection_string=connection_string,
        credential=data_credential,
    )
    name = str(service.account_name)
    match = next((item for item in accounts or () if item.name == name), None)
    if accounts is not None and match is None:
        account_error = f"account {name} not found in subscription {subscription}"
    provider = AzureProvider(
        service,
        account=name,
        container_names=container_names,
        allow_blob_public_access=None if match is None else match.allow_blob_public_access,
        account_read_error=_unset_reason(match) or account_error,
        meter=meter,
        page_size=page_size,
        web_endpoint=None if match is None else match.web_endpoint,
        network=None if match is None else match.network,
    )
    _probe(service, provider.account_url, container_names)
    return provider


def every_subscription(
    credential: Any,
    container_names: tuple[str, ...],
    meter: Meter,
    *,
    page_size: int = 5000,
    management_url: str | None = None,
) -> AzureAccounts:
    """Every storage account of every enabled subscription the credential sees, one provider."""
    from bucketscan.providers.azure_subscriptions import (
        list_subscriptions,
        scannable,
        subscription_client,
        sweep_subscriptions,
    )

    plain_http = (management_url or "").startswith("http:")
    try:
        client = subscription_client(credential, meter, base_url=management_url)
        subscriptions = list_subscriptions(client, plain_http=plain_http)
    except FAILURES as error:
        raise ProviderError(f"cannot list subscriptions: {brief(error)}") from error
    if not any(scannable(item) for item in subscriptions):
        raise ProviderError("the credential sees no enabled Azure subscription")
    sweep = sweep_subscriptions(
        subscriptions,
        lambda subscription: list_storage_accounts(
            management_client(subscription, credential, meter, base_url=management_url),
            plain_http=plain_http,
        ),
    )
    return subscription_accounts(
        sweep.accounts,
        lambda account: blob_service(
            meter, account_url=account.blob_endpoint, credential=credential
        ),
        container_names,
        meter,
        page_size=page_size,
        refused=sweep.refused,
    )


def subscription_accounts(
    accounts: Iterable[StorageAccount],
    make_service: Callable[[StorageAccount], BlobServiceClient],
    container_names: tuple[str, ...],
    meter: Meter,
    *,
    page_size: int = 5000,
    refused: Iterable[Refused] = (),
) -> AzureAccounts:
    """One provider per storage account that has a blob endpoint, with its account gate."""
    providers = [
        AzureProvider(
            make_service(account),
            account=account.name,
            container_names=container_names,
            allow_blob_public_access=account.allow_blob_public_access,
            account_read_error=_unset_reason(account),
            meter=meter,
            page_size=page_size,
            web_endpoint=account.web_endpoint,
            network=account.network,
        )
        for account in accounts
        if account.blob_endpoint
    ]
    return AzureAccounts(providers, refused)


def _unset_reason(account: StorageAccount | None) -> str | None:
    """Why a management-plane answer without allowBlobPublicAccess still means 'allowed'."""
    if account is None or account.allow_blob_public_access is not None:
        return None
    return "allowBlobPublicAccess is unset on the account, which Azure treats as allowed"


def _keyed(account_url: str | None, connection_string: str | None) -> bool:
    """Whether the data plane carries its own secret (a connection string or a SAS URL)."""
    return connection_string is not None or "sig=" in urlsplit(account_url or "").query


def _probe(service: BlobServiceClient, url: str, container_names: tuple[str, ...]) -> None:
    """Fail fast, in one line, when the endpoint does not answer or credentials are missing."""
    # An unreachable endpoint is not retried (the SDK's backoff would hold a dead one for over a
    # minute); a throttled or erroring one answered, so one ServerBusy does not abort the scan.
    try:
        if container_names:
            service.get_container_client(container_names[0]).exists(retry_connect=0)
        else:
            pages = service.list_containers(results_per_page=1, retry_connect=0).by_page()
            next(iter(pages), None)
    except ClientAuthenticationError as error:
        if error.response is None:  # no request was sent: no credential could be found
            raise ProviderError(
                f"no Azure credentials for {url} ({brief(error)}); pass a connection string or a "
                "SAS URL, or sign in with `az login`"
            ) from error
        raise ProviderError(f"Azure endpoint {url} unusable: {brief(error)}") from error
    except ServiceRequestError as error:
        raise ProviderError(f"Azure endpoint {url} unusable: {brief(error)}") from error
    except FAILURES as error:
        if container_names:
            return  # a denied container is recorded when it is described
        raise ProviderError(f"cannot list containers of {url}: {brief(error)}") from error
