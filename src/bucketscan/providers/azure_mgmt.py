"""Azure management plane: a subscription's storage accounts and their anonymous-access gate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from azure.mgmt.storage import StorageManagementClient

from bucketscan.metering import Meter
from bucketscan.providers.azure_metering import response_hook
from bucketscan.records.azure import NetworkRules


@dataclass(frozen=True)
class StorageAccount:
    """One storage account as the management plane describes it; None = absent from the answer."""

    name: str
    allow_blob_public_access: bool | None
    blob_endpoint: str | None = None
    web_endpoint: str | None = None
    resource_group: str | None = None
    network: NetworkRules | None = None


def management_client(
    subscription: str, credential: Any, meter: Meter, *, base_url: str | None = None
) -> StorageManagementClient:
    """A StorageManagementClient whose responses are counted into `meter`."""
    extra: dict[str, Any] = {} if base_url is None else {"base_url": base_url}
    return StorageManagementClient(
        credential, subscription, raw_response_hook=response_hook(meter), **extra
    )


def list_storage_accounts(
    client: StorageManagementClient, *, plain_http: bool = False
) -> tuple[StorageAccount, ...]:
    """Every storage account of the client's subscription (follows nextLink pages)."""
    # azure-core refuses a bearer token over plain http unless told to: only a local fake needs it.
    options: dict[str, Any] = {"enforce_https": False} if plain_http else {}
    return tuple(_account(item) for item in client.storage_accounts.list(**options))


def _account(item: Any) -> StorageAccount:
    """A storage account record from the SDK's model."""
    endpoints = item.primary_endpoints
    return StorageAccount(
        name=str(item.name),
        allow_blob_public_access=item.allow_blob_public_access,
        blob_endpoint=None if endpoints is None else endpoints.blob,
        web_endpoint=None if endpoints is None else endpoints.web,
        resource_group=_resource_group(str(item.id or "")),
        network=_network(item),
    )


def _network(item: Any) -> NetworkRules:
    """The account's publicNetworkAccess and firewall rules from the SDK's model."""
    rules = item.network_rule_set
    return NetworkRules(
        public_network_access=_enum_text(item.public_network_access),
        default_action=None if rules is None else _enum_text(rules.default_action),
        ip_rules=tuple(str(rule.ip_address_or_range) for rule in (rules and rules.ip_rules) or ()),
        virtual_networks=len((rules and rules.virtual_network_rules) or ()),
    )


def _enum_text(value: Any) -> str | None:
    """The wire value of an SDK enum ("Deny"), not its Python name ("DefaultAction.DENY")."""
    if value is None:
        return None
    return str(value.value) if isinstance(value, Enum) else str(value)


def _resource_group(resource_id: str) -> str | None:
    """The resource group named in an ARM resource id."""
    parts = resource_id.split("/")
    lowered = [part.lower() for part in parts]
    if "resourcegroups" in lowered:
        index = lowered.index("resourcegroups") + 1
        return parts[index] if index < len(parts) else None
    return None
