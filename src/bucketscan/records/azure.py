"""Raw access facts of an Azure Blob container; no verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from bucketscan.records.unreadable import Unreadable


@dataclass(frozen=True)
class AzureContainerFacts:
    """A container's level ("off", "blob", "container") and its account's gate; None = not read."""

    public_access: str | None = None
    allow_blob_public_access: bool | None = None
    static_website: bool = False
    unreadable: tuple[Unreadable, ...] = ()
