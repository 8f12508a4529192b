"""gcp-storage-emulator in-process on a free loopback port; it stores IAM and iamConfiguration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bucketscan.scanner.emulators.loopback import HOST, free_port


@contextmanager
def storage_emulator() -> Iterator[str]:
    """gcp-storage-emulator in memory, stopped afterwards; yields its URL."""
    from gcp_storage_emulator.server import create_server  # type: ignore[import-untyped]

    port = free_port()
    server = create_server(HOST, port, in_memory=True)
    server.start()
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.stop()
