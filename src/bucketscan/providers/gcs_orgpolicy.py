"""Read the effective organisation policy storage.publicAccessPrevention of a project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

ORG_POLICY_API = "https://orgpolicy.googleapis.com"
CONSTRAINT = "storage.publicAccessPrevention"


class _Response(Protocol):
    """The part of a requests.Response the reader uses."""

    def raise_for_status(self) -> None:
        """Raise on an HTTP error status."""
        ...

    def json(self) -> Any:
        """The decoded body."""
        ...


class HttpSession(Protocol):
    """The part of a requests.Session (e.g. google.auth AuthorizedSession) the reader uses."""

    def get(self, url: str, *, timeout: float) -> _Response:
        """Send a GET request."""
        ...


def enforced(policy: Mapping[str, Any]) -> bool | None:
    """True/False from an effective boolean policy; None when tag conditions make it vary."""
    rules = (policy.get("spec") or {}).get("rules") or []
    if any(rule.get("enforce") is True and "condition" not in rule for rule in rules):
        return True
    if any(rule.get("enforce") is True for rule in rules):
        return None
    return False


class EffectivePolicyReader:
    """Callable for GcsProvider: project number or id -> is prevention enforced by policy."""

    def __init__(self, session: HttpSession, base_url: str = ORG_POLICY_API) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")

    def __call__(self, project: str) -> bool | None:
        """Ask the Org Policy v2 API; HTTP errors propagate for the caller to record."""
        url = f"{self._base_url}/v2/projects/{project}/policies/{CONSTRAINT}:getEffectivePolicy"
        response = self._session.get(url, timeout=30.0)
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, Mapping):
            raise ValueError("effective policy is not a JSON object")
        return enforced(body)
