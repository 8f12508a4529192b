"""A loopback gate in front of an emulator that answers anonymous requests as a rule says.

moto and the GCS emulators serve a request without credentials as if it were signed. The gate
passes every request that carries an Authorization header on to the emulator, and answers the
others itself: 200 where `readable(method, path)` says so, else `refusal`, recording each. It
never serves content: a HEAD gets headers, a GET an empty listing or an object's metadata.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from bucketscan.scanner.emulators.loopback import HOST, RawHandler

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)
Rule = Callable[[str, str], bool]  # (method, unquoted path) -> readable anonymously


@dataclass
class Gate:
    """Where the gate listens, what it answers anonymous requests, and those it has seen."""

    upstream: str
    readable: Rule
    dialect: str = "s3"  # "s3" (XML errors) or "gcs" (JSON API)
    refusal: int = 403
    url: str = ""
    anonymous: list[tuple[str, str]] = field(default_factory=list)  # (method, path) answered
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self) -> list[tuple[str, str]]:
        """The anonymous requests answered so far."""
        with self._lock:
            return list(self.anonymous)

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for an anonymous request."""
        with self._lock:
            self.anonymous.append((method, path))
        status = 200 if self.readable(method, path) else self.refusal
        if self.dialect == "gcs":
            if status != 200:
                error = {
                    "code": status,
                    "message": "Anonymous caller does not have storage.objects.get access",
                    "errors": [{"reason": "required"}],
                }
                return status, {"Content-Type": "application/json"}, _json({"error": error})
            parts = path.split("/")  # /storage/v1/b/<bucket>/o[/<name>]
            if len(parts) <= 6:
                return 200, {"Content-Type": "application/json"}, _json({"kind": "storage#objects"})
            meta = {"kind": "storage#object", "bucket": parts[4], "name": "/".join(parts[6:])}
            return 200, {"Content-Type": "application/json"}, _json(meta)
        if status != 200:
            body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
            return status, {"Content-Type": "application/xml"}, body
        if method == "HEAD":
            return 200, {"Content-Type": "application/octet-stream", "ETag": '"0"'}, b""
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult '
            b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>0</KeyCount>'
            b"<MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"
        )
        return 200, {"Content-Type": "application/xml"}, body


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def _handler(gate: Gate) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(gate.upstream)

    class Handler(RawHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.headers.get("Authorization"):
                self._forward(body)
            else:
                path = unquote(urlsplit(self.path).path)
                status, headers, answer = gate.answer(self.command, path)
                self.send_raw(status, headers.items(), answer)

        def _forward(self, body: bytes) -> None:
            connection = http.client.HTTPConnection(target.netloc, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                passed = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP}
                if self.command == "HEAD":
                    passed["Content-Length"] = response.getheader("Content-Length") or "0"
                self.send_raw(response.status, passed.items(), payload)
            finally:
                connection.close()

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = _serve  # noqa: N815

    return Handler


@contextmanager
def anonymous_gate(
    upstream: str, readable: Rule, *, dialect: str = "s3", refusal: int = 403
) -> Iterator[Gate]:
    """The gate on a free loopback port in front of `upstream`; its `url` is where to scan."""
    gate = Gate(upstream, readable, dialect, refusal)
    server = ThreadingHTTPServer((HOST, 0), _handler(gate))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="anonymous-gate")
    thread.start()
    gate.url = f"http://{HOST}:{server.server_port}"
    try:
        yield gate
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
