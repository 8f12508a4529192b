"""Raw access facts of an Azure Blob container; no verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from bucketscan.records.common import Tags
from bucketscan.records.unreadable import Unreadable


@dataclass(frozen=True)
class NetworkRules:
    """An account's network gate: publicNetworkAccess and its firewall (networkAcls)."""

    public_network_access: str | None = None  # "Enabled", "Disabled", "SecuredByPerimeter"
    default_action: str | None = None  # "Allow" or "Deny" (only listed networks)
    ip_rules: tuple[str, ...] = ()  # addresses and CIDR ranges the firewall admits
    virtual_networks: int = 0  # virtual network subnets it admits


@dataclass(frozen=True)
class AzureContainerFacts:
    """A container's level ("off", "blob", "container") and its account's gate; None = not read."""

    public_access: str | None = None
    allow_blob_public_access: bool | None = None
    # Whether the account's static website (which serves the $web container) is on; None = not read.
    static_website: bool | None = False
    unreadable: tuple[Unreadable, ...] = ()
    web_endpoint: str | None = None
    network: NetworkRules | None = None  # None: the management plane was not read
    metadata: Tags | None = None  # the container's metadata, sorted; None: properties not read


# Names of the facts in `AzureContainerFacts.unreadable`, shared by the provider and the evaluator.
ACCOUNT_FACT = "allow_blob_public_access"
LEVEL_FACT = "container_public_access"
WEBSITE_FACT = "static_website"
# The container a storage account's static website serves.
WEB_CONTAINER = "$web"
