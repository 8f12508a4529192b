"""Picklable recipes for providers: a sweep names its accounts by them, a worker opens its own.

A `ProviderSpec` is plain data (a frozen dataclass: credentials by reference, never secrets in
it): what an organisation sweep yields for each account, project or subscription it may enter,
and what a distributed worker receives to open the provider it scans with. An account the sweep
could not enter is a `Refused` target: it is reported as unknown, with the reason, and the sweep
goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bucketscan.metering import Meter
from bucketscan.providers.base import Provider


class ProviderSpec(Protocol):
    """How to open one account's provider, anywhere (plain, picklable data)."""

    @property
    def provider(self) -> str:
        """The provider's name: "aws", "gcs" or "azure"."""
        ...

    @property
    def account(self) -> str:
        """The account id, project id or subscription id it opens."""
        ...

    def open(self, meter: Meter) -> Provider:
        """The provider, checked; raises ProviderError (one line) when it cannot start."""
        ...


@dataclass(frozen=True)
class Refused:
    """An account, project or subscription a sweep could not enter, and why."""

    provider: str
    account: str
    reason: str


Target = ProviderSpec | Refused
