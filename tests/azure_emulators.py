"""Azure test servers on free 127.0.0.1 ports: Azurite (blob) and a storage-accounts ARM fake."""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.credentials import AccessToken

from bucketscan.scanner.emulators import EmulatorMissingError
from bucketscan.scanner.emulators import azurite as launcher
from bucketscan.scanner.emulators.azurite import Azurite, find_azurite
from bucketscan.scanner.emulators.loopback import JsonHandler, free_port, serve_http

__all__ = [
    "ACCOUNTS",
    "ArmFake",
    "Azurite",
    "StaticToken",
    "arm_fake",
    "azurite",
    "free_port",
    "subscription",
]
NODE_PREFIX = launcher.checkout_root() / ".tools" / "node"
# The accounts Azurite is started with; the keys are made-up base64 test values.
ACCOUNTS = {
    "welcomehr": "a2V5LWZvci13ZWxjb21laHItdGVzdC1hY2NvdW50LTAxMjM0NTY3ODk=",
    "archive": "a2V5LWZvci1hcmNoaXZlLXRlc3QtYWNjb3VudC0wMTIzNDU2Nzg5YWI=",
}
STORAGE_ACCOUNTS_PATH = "/subscriptions/{}/providers/Microsoft.Storage/storageAccounts"


def azurite_binary() -> str:
    """The launcher's azurite-blob, installed into the checkout from npm if absent (or skip)."""
    try:
        return find_azurite()
    except EmulatorMissingError:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("Azurite is not installed and npm is not available")
        subprocess.run(
            [npm, "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", "azurite@3"],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return find_azurite()


def azurite(workdir: Path) -> AbstractContextManager[Azurite]:
    """Azurite's blob service in memory on a free port, with the ACCOUNTS; stopped afterwards."""
    return launcher.azurite(ACCOUNTS, binary=azurite_binary(), workdir=workdir)


class StaticToken:
    """A token credential that always hands out the same bearer token."""

    token = "fake-arm-token"

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The static token, valid for an hour."""
        return AccessToken(self.token, int(time.time()) + 3600)


@dataclass
class ArmFake:
    """Subscriptions, and storage accounts per subscription, served one per page; requests are
    recorded."""

    accounts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)


def subscription(subscription_id: str, state: str = "Enabled") -> dict[str, Any]:
    """The ARM JSON of one subscription."""
    return {
        "id": f"/subscriptions/{subscription_id}",
        "subscriptionId": subscription_id,
        "tenantId": "00000000-0000-0000-0000-0000000000aa",
        "displayName": f"{subscription_id} subscription",
        "state": state,
    }


def storage_account(
    name: str,
    allow: bool | None,
    blob_endpoint: str,
    web: str | None = None,
    network: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ARM JSON of one storage account (allowBlobPublicAccess omitted when `allow` is None;
    `network` adds publicNetworkAccess and networkAcls properties)."""
    properties: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "primaryEndpoints": {"blob": f"{blob_endpoint}/", "web": web},
        **(network or {}),
    }
    if allow is not None:
        properties["allowBlobPublicAccess"] = allow
    return {
        "id": f"/subscriptions/sub/resourceGroups/hr-rg/providers/Microsoft.Storage/"
        f"storageAccounts/{name}",
        "name": name,
        "type": "Microsoft.Storage/storageAccounts",
        "location": "japaneast",
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS", "tier": "Standard"},
        "properties": properties,
    }


def _arm_handler(fake: ArmFake) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.seen.append((parts.path, parts.query, self.headers.get("Authorization", "")))
            if parts.path == "/subscriptions":
                return self._page(fake.subscriptions, parts.path, query)
            subscription = parts.path.split("/")[2] if parts.path.count("/") > 2 else ""
            accounts = fake.accounts.get(subscription)
            if parts.path != STORAGE_ACCOUNTS_PATH.format(subscription) or accounts is None:
                error = {"code": "AuthorizationFailed", "message": "no access to the subscription"}
                return self.send_json(403, {"error": error})
            return self._page(accounts, parts.path, query)

        def _page(self, items: list[dict[str, Any]], path: str, query: dict[str, Any]) -> None:
            if "api-version" not in query:
                return self.send_json(400, {"error": {"code": "MissingApiVersionParameter"}})
            index = int(query.get("$skipToken", ["0"])[0])
            body: dict[str, Any] = {"value": items[index : index + 1]}
            if index + 1 < len(items):
                host = f"http://{self.headers['Host']}"
                version = query["api-version"][0]
                body["nextLink"] = f"{host}{path}?api-version={version}&$skipToken={index + 1}"
            return self.send_json(200, body)

    return Handler


def arm_fake(fake: ArmFake) -> AbstractContextManager[str]:
    """A fake of ARM's subscriptions and storageAccounts list endpoints on a free port; its URL."""
    return serve_http(_arm_handler(fake))


def firewall(default: str, *ranges: str, subnets: int = 0) -> dict[str, Any]:
    """networkAcls as ARM describes them: a default action, IP rules and subnet rules."""
    vnet = "/subscriptions/sub/resourceGroups/hr-rg/providers/Microsoft.Network/virtualNetworks/v"
    return {
        "networkAcls": {
            "defaultAction": default,
            "bypass": "AzureServices",
            "ipRules": [{"value": value, "action": "Allow"} for value in ranges],
            "virtualNetworkRules": [
                {"id": f"{vnet}/subnets/s{index}", "action": "Allow"} for index in range(subnets)
            ],
        }
    }
