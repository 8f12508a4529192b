"""Read the permissions of a custom IAM role (projects/p/roles/r, organizations/o/roles/r)."""

from __future__ import annotations

from collections.abc import Mapping

from bucketscan.providers.gcs_orgpolicy import HttpSession

IAM_API = "https://iam.googleapis.com"


class CustomRoleReader:
    """Callable for GcsProvider: custom role name -> the permissions it includes."""

    def __init__(self, session: HttpSession, base_url: str = IAM_API) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")

    def __call__(self, role: str) -> tuple[str, ...]:
        """Ask the IAM v1 API (roles.get); HTTP errors propagate for the caller to record."""
        response = self._session.get(f"{self._base_url}/v1/{role}", timeout=30.0)
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, Mapping):
            raise ValueError("role is not a JSON object")
        return tuple(sorted(str(name) for name in body.get("includedPermissions") or ()))
