"""Count every HTTP response an Azure SDK client receives, by REST operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bucketscan.metering import Meter

# (restype, comp, method) -> operation; "" means the query parameter is absent.
_OPERATIONS: dict[tuple[str, str, str], str] = {
    ("", "list", "GET"): "ListContainers",
    ("service", "properties", "GET"): "GetBlobServiceProperties",
    ("service", "properties", "PUT"): "SetBlobServiceProperties",
    ("account", "properties", "GET"): "GetAccountInformation",
    ("account", "properties", "HEAD"): "GetAccountInformation",
    ("container", "", "GET"): "GetContainerProperties",
    ("container", "", "HEAD"): "GetContainerProperties",
    ("container", "", "PUT"): "CreateContainer",
    ("container", "", "DELETE"): "DeleteContainer",
    ("container", "list", "GET"): "ListBlobs",
    ("container", "acl", "GET"): "GetContainerACL",
    ("container", "acl", "PUT"): "SetContainerACL",
    ("", "", "GET"): "GetBlob",
    ("", "", "HEAD"): "GetBlobProperties",
    ("", "", "PUT"): "PutBlob",
    ("", "", "DELETE"): "DeleteBlob",
    ("", "block", "PUT"): "PutBlock",
    ("", "blocklist", "PUT"): "PutBlockList",
}
_MANAGEMENT_MARK = "/providers/microsoft.storage/storageaccounts"


def request_kind(method: str, url: str) -> str:
    """The operation a request calls ("azure.ListBlobs", "azure.mgmt.ListStorageAccounts", ...)."""
    parts = urlsplit(url)
    if parts.path.lower().rstrip("/") == "/subscriptions" and method.upper() == "GET":
        return "azure.mgmt.ListSubscriptions"
    if _MANAGEMENT_MARK in parts.path.lower():
        tail = parts.path.lower().rsplit(_MANAGEMENT_MARK, 1)[1].strip("/")
        return "azure.mgmt.ListStorageAccounts" if not tail else f"azure.mgmt.{method.upper()}"
    query = parse_qs(parts.query)
    key = (query.get("restype", [""])[0], query.get("comp", [""])[0], method.upper())
    operation = _OPERATIONS.get(key)
    return f"azure.{operation}" if operation else f"azure.other.{method.upper()}"


def request_hook(meter: Meter) -> Callable[[Any], None]:
    """A client-level `raw_request_hook` counting each request sent (retries included)."""

    def count(request: Any) -> None:
        sent = request.http_request
        meter.request(request_kind(sent.method, sent.url))

    return count


def response_hook(meter: Meter) -> Callable[[Any], None]:
    """A client-level `raw_response_hook` counting each response (retries included) into `meter`."""

    def count(response: Any) -> None:
        request = response.http_request
        meter.request(request_kind(request.method, request.url))

    return count
