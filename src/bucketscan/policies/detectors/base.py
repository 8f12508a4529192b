"""The detector contract: a cheap prefilter, then an inspection that returns evidence or nothing."""

from __future__ import annotations

from typing import Protocol

from bucketscan.records.content import Document, Evidence


class Detector(Protocol):
    """One document family: `applies` is a cheap keyword/type check, `inspect` the real work."""

    @property
    def name(self) -> str:
        """The detector's name, as evidence reports it."""
        ...

    def applies(self, doc: Document) -> bool:
        """Whether inspecting this document can possibly find anything (cheap)."""
        ...

    def inspect(self, doc: Document) -> Evidence | None:
        """Evidence that meets the alert rule (one strong or two medium signals), else None."""
        ...
