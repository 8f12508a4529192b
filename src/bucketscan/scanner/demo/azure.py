"""The demo's Azure containers: WelcomeHR's story told with container levels and a static site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bucketscan.records.azure import WEB_CONTAINER
from bucketscan.scanner.demo.story import DemoObject, Placement

ACCOUNT = "welcomehr"
# Azurite's account key for the demo: a made-up base64 value, not a secret.
ACCOUNTS = {ACCOUNT: "ZGVtby1rZXktZm9yLXdlbGNvbWVoci1henVyaXRlLWFjY291bnQ="}


@dataclass(frozen=True)
class AzureContainer:
    """One seeded container and its public access level (None = private)."""

    name: str
    story: str
    placement: Placement
    level: str | None = None


CONTAINERS = (
    AzureContainer(
        "uploads",
        "employee uploads; level 'blob': anyone with a link downloads (the WelcomeHR mistake)",
        Placement(sensitive=4, benign=1, folders=("uploads/",)),
        level="blob",
    ),
    AzureContainer(
        "exports",
        "level 'container': anyone lists every file name and downloads",
        Placement(1, folders=("exports/",)),
        level="container",
    ),
    AzureContainer("internal", "private HR archive", Placement(1, folders=("archive/",))),
    AzureContainer(
        WEB_CONTAINER,
        "static website on: the web endpoint serves every file, whatever the level",
        Placement(benign=1, folders=("assets/",)),
    ),
)


def seed(service: Any, objects: Mapping[str, tuple[DemoObject, ...]]) -> None:
    """Create the containers through a BlobServiceClient, switch the website on, then upload."""
    from azure.storage.blob import StaticWebsite

    for container in CONTAINERS:
        created = service.create_container(container.name, public_access=container.level)
        for obj in objects[container.name]:
            created.upload_blob(obj.key, obj.data)
    service.set_service_properties(static_website=StaticWebsite(enabled=True))
