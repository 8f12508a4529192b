"""Google Cloud Storage adapter: the only GCS module that talks to google.cloud.storage."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote

import google.auth
import requests
from google.api_core import exceptions as api_errors
from google.api_core.exceptions import GoogleAPIError, RetryError
from google.api_core.retry import Retry
from google.auth.credentials import AnonymousCredentials
from google.auth.exceptions import GoogleAuthError, TransportError
from google.auth.transport.requests import AuthorizedSession
from google.cloud import storage
from google.cloud.storage.retry import DEFAULT_RETRY

from bucketscan.metering import Meter
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.providers.breaker import Breaker
from bucketscan.providers.gcp_projects import ProjectSweep, resource_manager, sweep_projects
from bucketscan.providers.gcs_anonymous import get_metadata, json_api, list_one
from bucketscan.providers.gcs_custom_roles import CustomRoleReader
from bucketscan.providers.gcs_metering import install_meter, retry_counter, retry_reason
from bucketscan.providers.gcs_orgpolicy import EffectivePolicyReader
from bucketscan.providers.limits import ConcurrencyCap
from bucketscan.providers.spec import Refused
from bucketscan.records.common import Bucket, BucketRef, StoredObject, tag_pairs
from bucketscan.records.gcs import GcsAclEntry, GcsBucketFacts, GcsObjectFacts, IamBinding
from bucketscan.records.probe import ProbeAnswer
from bucketscan.records.unreadable import Unreadable

PUBLIC_HOST = "https://storage.googleapis.com"
# gcloud's override of the Resource Manager endpoint, honoured for --organization and --folder.
RESOURCE_MANAGER_ENV = "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER"
# OSError covers requests' connection errors; ValueError/KeyError/TypeError a malformed response.
_FAILURES = (GoogleAPIError, GoogleAuthError, OSError, ValueError, KeyError, TypeError)
_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
# Seconds to connect and to wait for an answer, per HTTP attempt.
CALL_TIMEOUT = (10.0, 60.0)
# Seconds one call may spend retrying throttling and transient failures in all: the SDK's default
# of 120 s per call held a scan for many minutes when an endpoint died mid-scan.
RETRY_DEADLINE = 30.0
# Start-up probe: a dead endpoint is an error within seconds; a throttled or erroring one (it
# answered) is retried for up to PROBE_DEADLINE seconds, so one 429 does not abort the scan.
PROBE_TIMEOUT = (5.0, 15.0)
PROBE_DEADLINE = 30.0
_ANSWERED_TRANSIENT = (
    api_errors.TooManyRequests,
    api_errors.InternalServerError,
    api_errors.BadGateway,
    api_errors.ServiceUnavailable,
    api_errors.GatewayTimeout,
)
_T = TypeVar("_T")

OrgPolicyReader = Callable[[str], bool | None]
RoleReader = Callable[[str], tuple[str, ...]]
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
CUSTOM_ROLE_PREFIXES = ("projects/", "organizations/")


class GcsProvider:
    """Enumerates buckets and objects of GCS (or an emulator) and gathers their access facts."""

    name = "gcs"

    def __init__(
        self,
        client: storage.Client,
        *,
        projects: tuple[str, ...] = (),
        bucket_names: tuple[str, ...] = (),
        meter: Meter | None = None,
        page_size: int = 1000,
        org_policy_reader: OrgPolicyReader | None = None,
        retry_deadline: float = RETRY_DEADLINE,
        breaker: Breaker | None = None,
        role_reader: RoleReader | None = None,
        retry: Retry | None = None,
        cap: ConcurrencyCap | None = None,
        refused: tuple[Refused, ...] = (),
    ) -> None:
        self._client = client
        self._refused = refused
        self._breaker = breaker or Breaker()
        self._cap = cap or ConcurrencyCap()
        self._meter = meter or Meter()
        # The storage client's default retry (429, 5xx, connection errors), every retry counted.
        base = retry or DEFAULT_RETRY.with_timeout(retry_deadline)
        self._limits: dict[str, Any] = {
            "timeout": CALL_TIMEOUT,
            "retry": Retry(
                predicate=base._predicate,
                initial=base._initial,
                maximum=base._maximum,
                multiplier=base._multiplier,
                timeout=base._timeout,
                on_error=retry_counter(self._meter),
            ),
        }
        self._projects = projects
        self._bucket_names = bucket_names
        self._page_size = page_size
        self._org_policy_reader = org_policy_reader
        self._org_cache: dict[str, bool | Unreadable | None] = {}
        self._role_reader = role_reader
        self._unlisted: dict[str, str] = {}
        self._role_cache: dict[str, tuple[str, ...] | Unreadable] = {}
        self._role_lock = threading.Lock()
        self._anonymous: requests.Session | None = None  # --verify-anonymous, made when used
        self._anonymous_lock = threading.Lock()
        install_meter(client._http, self._meter)

    def bucket_refs(self) -> Iterator[BucketRef]:
        """The named buckets, else every bucket of each project, listed lazily.

        An organisation or folder the sweep could not list stands as one unknown entry, first.
        """
        if self._bucket_names:
            account = self._projects[0] if self._projects else (self._client.project or "")
            for name in self._bucket_names:
                yield BucketRef(self.name, account, name)
            return
        for target in self._refused:
            self._unlisted[target.account] = target.reason
            yield BucketRef(self.name, target.account, UNLISTED)
        default = (self._client.project,) if self._client.project and not self._refused else ()
        projects = self._projects or default
        if not projects and self._refused:
            return
        if not projects:
            raise ProviderError("no GCS project: pass --project or --bucket")
        for project in projects:
            try:
                buckets = self._client.list_buckets(
                    project=project, page_size=self._page_size, **self._limits
                )
                for bucket in buckets:
                    yield BucketRef(self.name, project, bucket.name, bucket.location)
            except _FAILURES as error:
                reason = f"cannot list buckets of {project}: {_brief(error)}"
                if len(projects) == 1 and not self._refused:
                    raise ProviderError(reason) from error
                self._unlisted[project] = reason
                yield BucketRef(self.name, project, UNLISTED)

    def describe(self, ref: BucketRef) -> Bucket:
        """Gather IAM policy, uniform access, prevention, ACLs and org policy; failures recorded."""
        if ref.name == UNLISTED:
            raise ProviderError(self._unlisted[ref.account])
        with self._cap.slot(ref.account, ref.name):
            return self._describe(ref)

    def _describe(self, ref: BucketRef) -> Bucket:
        unreadable: list[Unreadable] = []
        handle = self._client.bucket(ref.name)
        limits = self._limits
        metadata = self._try(
            unreadable, "bucket_metadata", lambda: self._client.get_bucket(ref.name, **limits)
        )
        uniform, prevention, website, labels = None, None, False, None
        if metadata is None:
            unreadable.append(Unreadable("uniform_access", "bucket metadata not read"))
            unreadable.append(Unreadable("public_access_prevention", "bucket metadata not read"))
            unreadable.append(Unreadable("labels", "bucket metadata not read"))
        else:
            labels = tag_pairs(metadata.labels)
            handle = metadata
            uniform = bool(metadata.iam_configuration.uniform_bucket_level_access_enabled)
            prevention = metadata.iam_configuration.public_access_prevention
            # The client has no getter for the website configuration.
            website = bool(metadata._properties.get("website"))
        policy = self._try(
            unreadable,
            "iam_policy",
            lambda: handle.get_iam_policy(requested_policy_version=3, **limits),
        )
        bucket_acl = default_acl = None
        if uniform is not True:
            bucket_acl = self._try(unreadable, "bucket_acl", lambda: _acl(handle.acl, limits))
            default_acl = self._try(
                unreadable, "default_object_acl", lambda: _acl(handle.default_object_acl, limits)
            )
        org = None
        if prevention != "enforced":
            org = self._org_prevention(metadata, unreadable)
        bindings = None if policy is None else _bindings(policy.bindings)
        facts = GcsBucketFacts(
            iam_bindings=bindings,
            custom_role_permissions=self._custom_roles(bindings or (), unreadable),
            uniform_access=uniform,
            public_access_prevention=prevention,
            org_enforces_prevention=org,
            bucket_acl=bucket_acl,
            default_object_acl=default_acl,
            website=website,
            labels=labels,
            unreadable=tuple(unreadable),
        )
        errors = tuple(f"{item.fact}: {item.reason}" for item in unreadable)
        return Bucket(ref, facts, errors)

    def objects(
        self, bucket: Bucket, prefix: str = "", start_after: str = ""
    ) -> Iterator[StoredObject]:
        """Page through the bucket's objects lazily, `page_size` per request."""
        blobs = self._client.list_blobs(
            bucket.name,
            prefix=prefix or None,
            start_offset=start_after or None,  # inclusive: the key itself is skipped below
            page_size=self._page_size,
            **self._limits,
        )
        pages = self._breaker.guard_each(iter(blobs.pages), unreachable)
        for page in self._cap.each(pages, bucket.ref.account, bucket.name):
            for blob in page:
                if start_after and blob.name <= start_after:
                    continue
                yield StoredObject(
                    key=blob.name,
                    size=int(blob.size or 0),
                    content_type=blob.content_type,
                    last_modified=blob.updated,
                    etag=blob.etag,
                )

    def object_facts(self, bucket: Bucket, obj: StoredObject) -> StoredObject:
        """Return `obj` with its ACL read (or the reason it could not be)."""
        unreadable: list[Unreadable] = []
        blob = self._client.bucket(bucket.name).blob(obj.key)
        with self._cap.slot(bucket.ref.account, bucket.name):
            acl = self._try(unreadable, "object_acl", lambda: _acl(blob.acl, self._limits))
        return dataclasses.replace(obj, facts=GcsObjectFacts(acl, tuple(unreadable)))

    def read(self, bucket: Bucket, obj: StoredObject, limit: int) -> bytes:
        """Download at most `limit` bytes with a range request."""
        if limit <= 0:
            return b""
        blob = self._client.bucket(bucket.name).blob(obj.key)
        with self._cap.slot(bucket.ref.account, bucket.name):
            data: bytes = self._guard(
                lambda: blob.download_as_bytes(
                    start=0, end=limit - 1, checksum=None, **self._limits
                )
            )
        self._meter.read_bytes(len(data))
        return data[:limit]

    def _try(self, unreadable: list[Unreadable], fact: str, call: Callable[[], _T]) -> _T | None:
        """One call through the breaker; a failure becomes an Unreadable entry."""
        return _attempt(unreadable, fact, lambda: self._guard(call))

    def _guard(self, call: Callable[[], _T]) -> _T:
        """One call through the breaker; a call whose retries ran out is counted."""
        try:
            return self._breaker.guard(call, unreachable)
        except RetryError as error:
            self._meter.exhausted(retry_reason(error.cause or error))
            raise

    def url(self, bucket: Bucket, obj: StoredObject) -> str:
        """The object's public URL."""
        return f"{PUBLIC_HOST}/{quote(bucket.name)}/{quote(obj.key, safe='/')}"

    def probe_object(self, bucket: Bucket, obj: StoredObject) -> ProbeAnswer:
        """The object's metadata asked for without credentials (what a download needs)."""
        self._meter.request("gcs.anonymous.objects.get")
        api = json_api(self._client.api_endpoint)
        with self._cap.slot(bucket.ref.account, bucket.name):
            return get_metadata(self._anonymous_session(), api, bucket.name, obj.key)

    def probe_listing(self, bucket: Bucket) -> ProbeAnswer:
        """A listing of at most one object, asked for without credentials."""
        self._meter.request("gcs.anonymous.objects.list")
        api = json_api(self._client.api_endpoint)
        with self._cap.slot(bucket.ref.account, bucket.name):
            return list_one(self._anonymous_session(), api, bucket.name)

    def _anonymous_session(self) -> requests.Session:
        """An HTTP session that carries no credentials, for the scan client's endpoint."""
        with self._anonymous_lock:
            if self._anonymous is None:
                self._anonymous = requests.Session()
            return self._anonymous

    def _custom_roles(
        self, bindings: Iterable[IamBinding], unreadable: list[Unreadable]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Permissions of the custom roles bound to public members, read once per role."""
        roles = sorted(
            {
                binding.role
                for binding in bindings
                if binding.role.startswith(CUSTOM_ROLE_PREFIXES)
                and any(member in PUBLIC_MEMBERS for member in binding.members)
            }
        )
        known = []
        for role in roles:
            with self._role_lock:
                cached = self._role_cache.get(role)
            if cached is None:
                cached = self._read_role(role)
                with self._role_lock:
                    self._role_cache[role] = cached
            if isinstance(cached, Unreadable):
                unreadable.append(cached)
            else:
                known.append((role, cached))
        return tuple(known)

    def _read_role(self, role: str) -> tuple[str, ...] | Unreadable:
        fact = f"custom_role {role}"
        if self._role_reader is None:
            return Unreadable(fact, "no IAM API at this endpoint")
        reader = self._role_reader
        scratch: list[Unreadable] = []
        permissions = self._try(scratch, fact, lambda: reader(role))
        return scratch[0] if scratch or permissions is None else permissions

    def _org_prevention(self, metadata: Any, unreadable: list[Unreadable]) -> bool | None:
        """The organisation's prevention constraint for the bucket's project, cached per project."""
        fact = "org_public_access_prevention"
        if self._org_policy_reader is None:
            unreadable.append(Unreadable(fact, "no Org Policy API at this endpoint"))
            return None
        project = None if metadata is None else metadata.project_number
        if project is None:
            unreadable.append(Unreadable(fact, "bucket's project number unknown"))
            return None
        key = str(project)
        if key not in self._org_cache:
            reader = self._org_policy_reader
            scratch: list[Unreadable] = []
            value = self._try(scratch, fact, lambda: reader(key))
            self._org_cache[key] = scratch[0] if scratch else value
        cached = self._org_cache[key]
        if isinstance(cached, Unreadable):
            unreadable.append(cached)
            return None
        if cached is None:
            unreadable.append(Unreadable(fact, "enforcement depends on conditions (tags)"))
        return cached


def unreachable(error: BaseException) -> bool:
    """Whether an error means the endpoint could not be reached (after the SDK's retries)."""
    if isinstance(error, RetryError) and error.cause is not None:
        error = error.cause
    return isinstance(error, (requests.ConnectionError, requests.Timeout))


def _attempt(unreadable: list[Unreadable], fact: str, call: Callable[[], _T]) -> _T | None:
    """Run one API call; a failure becomes an Unreadable entry instead of an exception."""
    try:
        return call()
    except _FAILURES as error:
        unreadable.append(Unreadable(fact, _brief(error)))
        return None


def _brief(error: BaseException) -> str:
    """A one-line description of an error."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200] if text else ''}".rstrip(": ")


def _acl(acl: Any, limits: dict[str, Any]) -> tuple[GcsAclEntry, ...]:
    """Reload an ACL from the server and return its entries."""
    acl.reload(**limits)
    return tuple(GcsAclEntry(str(entry["entity"]), str(entry["role"])) for entry in acl)


def _bindings(bindings: Iterable[dict[str, Any]]) -> tuple[IamBinding, ...]:
    """IAM bindings of a version-3 policy as records, keeping conditions."""
    records = []
    for binding in bindings:
        condition = binding.get("condition") or {}
        records.append(
            IamBinding(
                role=str(binding["role"]),
                members=tuple(sorted(binding.get("members") or ())),
                condition_title=condition.get("title"),
                condition_expression=condition.get("expression"),
            )
        )
    return tuple(records)


def open_gcs(
    projects: tuple[str, ...],
    endpoint_url: str | None,
    bucket_names: tuple[str, ...],
    meter: Meter,
    *,
    page_size: int = 1000,
    parents: tuple[str, ...] = (),
    resource_manager_url: str | None = None,
) -> GcsProvider:
    """A GcsProvider with Application Default Credentials, or anonymous against an emulator.

    With `parents` ("organizations/123", "folders/456") it also scans every active project under
    them, found through Resource Manager (at `resource_manager_url`, else RESOURCE_MANAGER_ENV,
    else Google's).
    """
    endpoint = endpoint_url or os.environ.get("STORAGE_EMULATOR_HOST")
    if endpoint:
        endpoint = endpoint if "://" in endpoint else f"http://{endpoint}"
        anonymous = AnonymousCredentials()  # type: ignore[no-untyped-call]
        sweep = _sweep(parents, anonymous, meter, resource_manager_url)
        projects = _merged(projects, sweep)
        client = storage.Client(
            project=projects[0] if projects else "bucketscan-emulator",
            credentials=anonymous,
            client_options={"api_endpoint": endpoint},
        )
        provider = GcsProvider(
            client,
            projects=projects,
            bucket_names=bucket_names,
            meter=meter,
            page_size=page_size,
            refused=sweep.refused,
        )
        _probe(client, endpoint, bucket_names, tolerate_denied=_several(projects, sweep))
        return provider
    try:
        credentials, default_project = google.auth.default(scopes=[_SCOPE])
        sweep = _sweep(parents, credentials, meter, resource_manager_url)
        projects = _merged(projects, sweep)
        client = storage.Client(
            project=projects[0] if projects else default_project, credentials=credentials
        )
    except GoogleAuthError as error:
        raise ProviderError(
            f"no GCS credentials ({_brief(error)}); run `gcloud auth application-default login`"
        ) from error
    session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
    install_meter(session, meter)
    provider = GcsProvider(
        client,
        projects=projects,
        bucket_names=bucket_names,
        meter=meter,
        page_size=page_size,
        org_policy_reader=EffectivePolicyReader(session),
        role_reader=CustomRoleReader(session),
        refused=sweep.refused,
    )
    _probe(client, PUBLIC_HOST, bucket_names, tolerate_denied=_several(projects, sweep))
    return provider


def _sweep(
    parents: tuple[str, ...], credentials: Any, meter: Meter, endpoint: str | None
) -> ProjectSweep:
    """The projects under `parents` (none asked: an empty sweep); ProviderError if it found none."""
    if not parents:
        return ProjectSweep((), ())
    endpoint = (endpoint or os.environ.get(RESOURCE_MANAGER_ENV) or "").rstrip("/") or None
    sweep = sweep_projects(parents, *resource_manager(credentials, meter, endpoint))
    if not sweep.projects and not sweep.refused:
        raise ProviderError(f"no active project under {', '.join(parents)}")
    return sweep


def _merged(projects: tuple[str, ...], sweep: ProjectSweep) -> tuple[str, ...]:
    """The projects named, then those the sweep found, each once."""
    return tuple(dict.fromkeys((*projects, *sweep.projects)))


def _several(projects: tuple[str, ...], sweep: ProjectSweep) -> bool:
    """Whether a project that refuses its listing is one entry of many (recorded, not fatal)."""
    return len(projects) > 1 or bool(sweep.refused)


def _probe(
    client: storage.Client,
    endpoint: str,
    bucket_names: tuple[str, ...],
    *,
    tolerate_denied: bool = False,
) -> None:
    """Fail fast, in one line, when the endpoint does not answer or the credentials do not work.

    A denied listing ends the scan only when it is the scan's one project (`tolerate_denied` off).
    """
    if not bucket_names and not client.project:
        return  # bucket_refs says a project is needed
    retry = Retry(
        predicate=lambda error: isinstance(error, _ANSWERED_TRANSIENT),
        initial=0.5,
        maximum=5.0,
        timeout=PROBE_DEADLINE,
    )
    try:
        if bucket_names:
            client.bucket(bucket_names[0]).exists(retry=retry, timeout=PROBE_TIMEOUT)
        else:
            listing = client.list_buckets(max_results=1, retry=retry, timeout=PROBE_TIMEOUT)
            next(iter(listing), None)
    except TransportError as error:
        raise ProviderError(f"cannot reach Google's token service: {_brief(error)}") from error
    except GoogleAuthError as error:
        raise ProviderError(f"GCS credentials not usable: {_brief(error)}") from error
    except OSError as error:  # requests' connection errors and timeouts are OSErrors
        raise ProviderError(f"GCS endpoint {endpoint} unreachable: {_brief(error)}") from error
    except _FAILURES as error:
        if bucket_names or tolerate_denied:
            return  # a denied bucket or project is recorded when it is described or listed
        raise ProviderError(f"cannot list buckets of {client.project}: {_brief(error)}") from error
