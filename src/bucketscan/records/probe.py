"""What one unsigned (anonymous) request got back: raw facts for policies/verification.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProbeAnswer:
    """The answer to one request sent without credentials: its status and error code, or why
    none came (a timeout, a dropped connection, a request that could not be sent).

    Example: ``ProbeAnswer("HeadObject", 403, "403")``, ``ProbeAnswer("ListBlobs", failure=...)``.
    """

    request: str  # what was sent: "HeadObject", "ListObjectsV2 MaxKeys=1", ...
    status: int | None = None
    code: str | None = None  # the service's error code, when it gave one
    failure: str | None = None  # no HTTP answer, and why
