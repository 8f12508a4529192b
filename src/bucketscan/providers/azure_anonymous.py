"""Anonymous Azure Blob requests (no credential): what a stranger gets back, never content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from azure.core.exceptions import AzureError, HttpResponseError
from azure.storage.blob import BlobClient, ContainerClient

from bucketscan.records.probe import ProbeAnswer

# Seconds to connect and to answer, and no retry: a probe that does not answer at once is
# "could not verify".
PROBE_OPTIONS: dict[str, Any] = {"retry_total": 0, "connection_timeout": 3, "read_timeout": 5}
GET_PROPERTIES = "GetBlobProperties"
LIST_ONE = "ListBlobs maxresults=1"
WEBSITE_HEAD = "HEAD (static website)"


def blob_properties(account_url: str, container: str, key: str) -> ProbeAnswer:
    """The blob's properties (a HEAD) through a client with no credential."""

    def call() -> None:
        with BlobClient(account_url, container, key, credential=None, **PROBE_OPTIONS) as blob:
            blob.get_blob_properties()

    return _answer(GET_PROPERTIES, call)


def list_one(account_url: str, container: str) -> ProbeAnswer:
    """One page of at most one blob through a client with no credential; the page is dropped."""

    def call() -> None:
        with ContainerClient(account_url, container, credential=None, **PROBE_OPTIONS) as client:
            next(iter(client.list_blobs(results_per_page=1).by_page()), None)

    return _answer(LIST_ONE, call)


def website_head(url: str) -> ProbeAnswer:
    """A HEAD of the static website's URL of a `$web` blob (the website is not the blob API)."""
    timeout = (PROBE_OPTIONS["connection_timeout"], PROBE_OPTIONS["read_timeout"])
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=False)
    except (requests.RequestException, OSError) as error:
        return ProbeAnswer(WEBSITE_HEAD, failure=f"{type(error).__name__}: {error}")
    return ProbeAnswer(WEBSITE_HEAD, response.status_code)


def _answer(request: str, call: Callable[[], None]) -> ProbeAnswer:
    try:
        call()
    except HttpResponseError as error:
        status = error.status_code
        raw = getattr(error, "error_code", None)
        code = str(getattr(raw, "value", raw)) if raw else None
        failure = None if status else f"{type(error).__name__}: {error}"
        return ProbeAnswer(request, status, code, failure)
    except (AzureError, OSError, ValueError) as error:
        return ProbeAnswer(request, failure=f"{type(error).__name__}: {error}")
    return ProbeAnswer(request, 200)
