"""Loopback helpers shared by the emulator launchers: free ports, readiness, tiny HTTP servers."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bucketscan.scanner.emulators import EmulatorError

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], name: str, seconds: float = 30
) -> None:
    """Block until something accepts connections on the port; EmulatorError if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"{name} exited early with status {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise EmulatorError(f"{name} did not listen on {HOST}:{port} within {seconds}s")


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler for small API fakes: JSON answers, no access log."""

    def send_json(self, status: int, body: Any) -> None:
        """Answer with `body` as JSON."""
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


class RawHandler(BaseHTTPRequestHandler):
    """A request handler for loopback proxies: answers passed on as they came, no access log."""

    def send_raw(
        self,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        reason: str | None = None,
    ) -> None:
        """Answer with `status`, `headers` (a length added if missing) and `body` (not to HEAD)."""
        items = list(headers)
        self.send_response_only(status, reason)
        for name, value in items:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in items):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free loopback port from a daemon thread; yields the base URL."""
    httpd = ThreadingHTTPServer((HOST, free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
