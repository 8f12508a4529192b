"""Anonymous GCS requests: the JSON API URL asked for without credentials, never content.

A plain `requests` session, not the storage client: `create_anonymous_client()` names no
endpoint, its session tries to refresh anonymous credentials on the 401 GCS answers a refused
caller (and raises instead of returning it), and its listing asks for the bucket first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from bucketscan.records.probe import ProbeAnswer

PROBE_TIMEOUT = (3.0, 5.0)  # seconds to connect, to answer; never retried
GET_METADATA = "objects.get (metadata)"
LIST_ONE = "objects.list maxResults=1"
# Partial responses: an answer carries its kind only, no object's name or metadata.
_ONLY_KIND = {"fields": "kind"}


def json_api(api_endpoint: str) -> str:
    """The JSON API root under a client's endpoint, as the storage client builds it."""
    return f"{api_endpoint.rstrip('/')}/storage/v1"


def get_metadata(session: requests.Session, api: str, bucket: str, key: str) -> ProbeAnswer:
    """The object's metadata (storage.objects.get, the permission a download needs): no bytes."""
    url = f"{api}/b/{quote(bucket, safe='')}/o/{quote(key, safe='')}"
    return _answer(GET_METADATA, session, url, _ONLY_KIND)


def list_one(session: requests.Session, api: str, bucket: str) -> ProbeAnswer:
    """A listing of at most one object, its names left out."""
    url = f"{api}/b/{quote(bucket, safe='')}/o"
    return _answer(LIST_ONE, session, url, {"maxResults": "1", **_ONLY_KIND})


def _answer(
    request: str, session: requests.Session, url: str, params: dict[str, str]
) -> ProbeAnswer:
    try:
        with session.get(url, params=params, timeout=PROBE_TIMEOUT, stream=True) as response:
            status = response.status_code
            code = _reason(response) if status >= 400 else None
    except (requests.RequestException, OSError) as error:
        return ProbeAnswer(request, failure=f"{type(error).__name__}: {error}")
    return ProbeAnswer(request, status, code)


def _reason(response: requests.Response) -> str | None:
    """The `reason` of a JSON API error ("required", "forbidden"), if the body has one."""
    try:
        body: Any = response.json()
        errors = body.get("error", {}).get("errors") or [{}]
        reason = errors[0].get("reason")
    except (ValueError, AttributeError, IndexError, TypeError):
        return None
    return str(reason) if reason else None
