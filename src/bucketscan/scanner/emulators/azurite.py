"""Azurite's blob service as a subprocess on a free loopback port (it enforces container levels)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bucketscan.scanner.emulators import EmulatorMissingError
from bucketscan.scanner.emulators.loopback import HOST, free_port, wait_for_port

BINARY_ENV = "AZURITE_BLOB_BIN"
# Where scripts/bootstrap installs Azurite, relative to the checkout holding src/bucketscan.
CHECKOUT_BINARY = Path(".tools") / "node" / "node_modules" / ".bin" / "azurite-blob"


def checkout_root() -> Path:
    """The directory above src/ when the package runs from a source checkout."""
    return Path(__file__).resolve().parents[4]


def find_azurite() -> str:
    """AZURITE_BLOB_BIN, else the checkout's .tools copy, else azurite-blob on PATH."""
    override = os.environ.get(BINARY_ENV)
    if override:
        if shutil.which(override) is None:
            raise EmulatorMissingError(
                f"{BINARY_ENV}={override} is not an executable: run scripts/bootstrap"
            )
        return override
    local = checkout_root() / CHECKOUT_BINARY
    if local.exists():
        return str(local)
    on_path = shutil.which("azurite-blob")
    if on_path is None:
        raise EmulatorMissingError(
            f"Azurite (azurite-blob) not found: run scripts/bootstrap, or set {BINARY_ENV}"
        )
    return on_path


@dataclass(frozen=True)
class Azurite:
    """A running (or, for failure tests, imagined) Azurite blob service and its accounts."""

    port: int
    accounts: Mapping[str, str]

    def blob_endpoint(self, account: str) -> str:
        """The account's blob endpoint (path-style, as Azurite serves it)."""
        return f"http://{HOST}:{self.port}/{account}"

    def connection_string(self, account: str, key: str | None = None) -> str:
        """A shared-key connection string for one account (`key` overrides the real key)."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={account};"
            f"AccountKey={key or self.accounts[account]};"
            f"BlobEndpoint={self.blob_endpoint(account)};"
        )


@contextmanager
def azurite(
    accounts: Mapping[str, str], *, binary: str | None = None, workdir: Path | None = None
) -> Iterator[Azurite]:
    """Azurite in memory with `accounts` (name -> base64 key) on a free port; stopped afterwards."""
    command = binary or find_azurite()
    with tempfile.TemporaryDirectory(prefix="azurite-") as scratch:
        port = free_port()
        args = [
            command,
            "--blobHost",
            HOST,
            "--blobPort",
            str(port),
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--loose",
            "--silent",
        ]
        env = {**os.environ, "AZURITE_ACCOUNTS": ";".join(f"{n}:{k}" for n, k in accounts.items())}
        try:
            process = subprocess.Popen(
                args,
                cwd=workdir or scratch,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise EmulatorMissingError(
                f"cannot run Azurite at {command} ({error.strerror}): run scripts/bootstrap, "
                f"or set {BINARY_ENV}"
            ) from error
        try:
            wait_for_port(port, process, "azurite")
            yield Azurite(port, dict(accounts))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
