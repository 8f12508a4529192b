"""A fact that could not be gathered, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unreadable:
    """A fact the provider asked for and did not get (AccessDenied, throttling, ...)."""

    fact: str
    reason: str
