"""Azure test servers on free 127.0.0.1 ports: Azurite (blob) and a storage-accounts ARM fake."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.credentials import AccessToken

REPO = Path(__file__).resolve().parents[1]
NODE_PREFIX = REPO / ".tools" / "node"
# The accounts Azurite is started with; the keys are made-up base64 test values.
ACCOUNTS = {
    "welcomehr": "a2V5LWZvci13ZWxjb21laHItdGVzdC1hY2NvdW50LTAxMjM0NTY3ODk=",
    "archive": "a2V5LWZvci1hcmNoaXZlLXRlc3QtYWNjb3VudC0wMTIzNDU2Nzg5YWI=",
}
STORAGE_ACCOUNTS_PATH = "/subscriptions/{}/providers/Microsoft.Storage/storageAccounts"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def azurite_binary() -> str:
    """The azurite-blob binary: AZURITE_BLOB_BIN, else the repo's, installed from npm if absent."""
    override = os.environ.get("AZURITE_BLOB_BIN")
    if override:
        return override
    binary = NODE_PREFIX / "node_modules" / ".bin" / "azurite-blob"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("Azurite is not installed and npm is not available")
        subprocess.run(
            [npm, "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", "azurite@3"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return str(binary)


@dataclass(frozen=True)
class Azurite:
    """A running Azurite blob service and its accounts."""

    port: int

    def blob_endpoint(self, account: str) -> str:
        """The account's blob endpoint (path-style, as Azurite serves it)."""
        return f"http://127.0.0.1:{self.port}/{account}"

    def connection_string(self, account: str, key: str | None = None) -> str:
        """A shared-key connection string for one account (`key` overrides the real key)."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={account};"
            f"AccountKey={key or ACCOUNTS[account]};BlobEndpoint={self.blob_endpoint(account)};"
        )


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Block until something accepts connections on the port, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"azurite exited early with status {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"azurite did not listen on 127.0.0.1:{port} within {seconds}s")


@contextmanager
def azurite(workdir: Path) -> Iterator[Azurite]:
    """Azurite's blob service in memory on a free port, with the ACCOUNTS; stopped afterwards."""
    port = free_port()
    command = [
        azurite_binary(),
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        str(port),
        "--inMemoryPersistence",
        "--skipApiVersionCheck",
        "--disableTelemetry",
        "--loose",
        "--silent",
    ]
    accounts = ";".join(f"{name}:{key}" for name, key in ACCOUNTS.items())
    env = {**os.environ, "AZURITE_ACCOUNTS": accounts}
    process = subprocess.Popen(
        command, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port, process)
        yield Azurite(port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class StaticToken:
    """A token credential that always hands out the same bearer token."""

    token = "fake-arm-token"

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The static token, valid for an hour."""
        return AccessToken(self.token, int(time.time()) + 3600)


@dataclass
class ArmFake:
    """Storage accounts per subscription, served one per page; requests are recorded."""

    accounts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: list[tuple[str, str, str]] = field(default_factory=list)


def storage_account(
    name: str, allow: bool | None, blob_endpoint: str, web: str | None = None
) -> dict[str, Any]:
    """The ARM JSON of one storage account (allowBlobPublicAccess omitted when `allow` is None)."""
    properties: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "primaryEndpoints": {"blob": f"{blob_endpoint}/", "web": web},
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


def _arm_handler(fake: ArmFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.seen.append((parts.path, parts.query, self.headers.get("Authorization", "")))
            subscription = parts.path.split("/")[2] if parts.path.count("/") > 2 else ""
            accounts = fake.accounts.get(subscription)
            if parts.path != STORAGE_ACCOUNTS_PATH.format(subscription) or accounts is None:
                error = {"code": "AuthorizationFailed", "message": "no access to the subscription"}
                return self._json(403, {"error": error})
            if "api-version" not in query:
                return self._json(400, {"error": {"code": "MissingApiVersionParameter"}})
            index = int(query.get("$skipToken", ["0"])[0])
            body: dict[str, Any] = {"value": accounts[index : index + 1]}
            if index + 1 < len(accounts):
                host = f"http://{self.headers['Host']}"
                version = query["api-version"][0]
                body["nextLink"] = (
                    f"{host}{parts.path}?api-version={version}&$skipToken={index + 1}"
                )
            return self._json(200, body)

        def _json(self, status: int, body: Any) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return Handler


@contextmanager
def arm_fake(fake: ArmFake) -> Iterator[str]:
    """A fake of ARM's storageAccounts list endpoint on a free port; its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), _arm_handler(fake))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
