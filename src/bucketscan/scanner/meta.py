"""What ran: tool version, target, options and times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScanMeta:
    """Scan metadata recorded at the top of every report."""

    tool: str
    version: str
    provider: str
    started_at: str
    finished_at: str | None
    duration_s: float | None
    options: dict[str, Any]
