"""What ran: tool version, target, options and times, and whether the scan ran to its end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Interruption:
    """Why a scan ended early and what it did not reach."""

    signal: str  # "SIGINT" or "SIGTERM"
    buckets_not_reached: tuple[str, ...]  # known but never started: reported with unknown verdicts
    buckets_unfinished: tuple[str, ...]  # started, stopped part way (listing or analysis)
    bucket_listing_stopped: bool  # buckets after these were never listed
    objects_not_analysed: int  # listed and due to be read, never analysed

    def unreached(self) -> tuple[tuple[str, str], ...]:
        """What it did not reach, one (what, which) line each; `which` ("" for none) holds
        bucket names, untrusted text each report escapes its own way."""
        lines = [("listed objects not analysed", f"{self.objects_not_analysed:,}")]
        if self.buckets_unfinished:
            lines.append(("buckets scanned in part", ", ".join(self.buckets_unfinished)))
        if self.buckets_not_reached:
            lines.append(("buckets not reached", ", ".join(self.buckets_not_reached)))
        if self.bucket_listing_stopped:
            stopped = "the listing of buckets was stopped: further buckets, if any, not reached"
            lines.append((stopped, ""))
        return tuple(lines)


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
    interruption: Interruption | None = None

    @property
    def complete(self) -> bool:
        """Whether the scan ran to its end (no signal stopped it)."""
        return self.interruption is None
