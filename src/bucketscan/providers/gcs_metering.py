"""Count every HTTP request a GCS client sends, by API method, from its transport layer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bucketscan.metering import Meter, RetryReason

# (method, path pattern, kind); first match wins, so more specific paths come first.
_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(pattern), kind)
    for method, pattern, kind in (
        ("GET", r"/download/storage/v1/b/[^/]+/o/.+$", "gcs.objects.download"),
        ("POST", r"/upload/storage/v1/b/[^/]+/o$", "gcs.objects.insert"),
        ("GET", r"/storage/v1/b/[^/]+/o/.+/acl$", "gcs.objectAccessControls.list"),
        ("GET", r"/storage/v1/b/[^/]+/o/.+$", "gcs.objects.get"),
        ("GET", r"/storage/v1/b/[^/]+/o$", "gcs.objects.list"),
        ("GET", r"/storage/v1/b/[^/]+/iam$", "gcs.buckets.getIamPolicy"),
        ("PUT", r"/storage/v1/b/[^/]+/iam$", "gcs.buckets.setIamPolicy"),
        ("GET", r"/storage/v1/b/[^/]+/acl$", "gcs.bucketAccessControls.list"),
        ("GET", r"/storage/v1/b/[^/]+/defaultObjectAcl$", "gcs.defaultObjectAccessControls.list"),
        ("GET", r"/storage/v1/b/[^/]+$", "gcs.buckets.get"),
        ("PATCH", r"/storage/v1/b/[^/]+$", "gcs.buckets.patch"),
        ("GET", r"/storage/v1/b$", "gcs.buckets.list"),
        ("POST", r"/storage/v1/b$", "gcs.buckets.insert"),
        ("GET", r"/policies/[^/]+:getEffectivePolicy$", "orgpolicy.getEffectivePolicy"),
        ("GET", r"/v1/(projects|organizations)/[^/]+/roles/[^/]+$", "iam.roles.get"),
        ("GET", r"^/v3/projects$", "resourcemanager.projects.list"),
        ("GET", r"^/v3/folders$", "resourcemanager.folders.list"),
    )
)


def request_kind(method: str, url: str) -> str:
    """The API method an HTTP request calls ("gcs.objects.list", ...)."""
    parts = urlsplit(url)
    path = parts.path
    media = parse_qs(parts.query).get("alt") == ["media"]
    for route_method, pattern, kind in _ROUTES:
        if method.upper() == route_method and pattern.search(path):
            return "gcs.objects.download" if media and kind == "gcs.objects.get" else kind
    return f"gcs.other.{method.upper()}"


def install_meter(session: Any, meter: Meter) -> None:
    """Count each response of a requests.Session (the client's transport) into `meter`."""

    def count(response: Any, *args: Any, **kwargs: Any) -> None:
        meter.request(request_kind(response.request.method, response.request.url))

    session.hooks["response"].append(count)


def retry_reason(error: BaseException) -> RetryReason:
    """Why a GCS call is retried: 429 is throttling, 5xx a server error, no answer a connection."""
    response = getattr(error, "response", None)
    status = int(getattr(response, "status_code", 0) or getattr(error, "code", 0) or 0)
    if status == 429:
        return RetryReason.THROTTLED
    if status >= 500:
        return RetryReason.SERVER_ERROR
    if "timeout" in type(error).__name__.lower():
        return RetryReason.TIMEOUT
    return RetryReason.CONNECTION if response is None else RetryReason.OTHER


def retry_counter(meter: Meter) -> Callable[[Exception], None]:
    """A Retry `on_error` callback counting each retry by kind and reason into `meter`.

    An attempt that got no answer never reached the response hook, so it is counted as sent here.
    """

    def count(error: Exception) -> None:
        response = getattr(error, "response", None)
        request = getattr(response, "request", None) or getattr(error, "request", None)
        method, url = getattr(request, "method", None), getattr(request, "url", None)
        kind = request_kind(method, url) if method and url else "gcs.other"
        if response is None:
            meter.request(kind)
        meter.retried(kind, retry_reason(error))

    return count
