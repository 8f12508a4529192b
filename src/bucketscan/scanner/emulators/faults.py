"""A fault-injecting loopback proxy: throttles, server errors, dropped connections and stalls.

Example: ``with fault_proxy(moto_url, FaultPlan(rate=0.2, seed=7)) as proxy:`` scan
``proxy.url`` instead of ``moto_url``; ``proxy.counts()`` says what was sent and injected.

Which request gets which fault is a pure function of the seed, the request (method, path and
query) and how many times that same request was seen before, so a run is reproducible whatever
order threads send in, and a retried request draws afresh.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from bucketscan.scanner.emulators.loopback import HOST, RawHandler

# Headers that belong to one connection, not to the request or response passed on.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "expect",
        "content-length",
    }
)


class Fault(StrEnum):
    """What the proxy does to a request instead of passing it on plainly."""

    THROTTLE = "throttle"  # S3 503 SlowDown, Azure 503 ServerBusy, GCS 429
    SERVER_ERROR = "server_error"  # 500 InternalError
    DROP = "drop"  # the connection is closed without an answer
    STALL = "stall"  # passed on, but answered late


class Dialect(StrEnum):
    """Whose error format the injected answers take."""

    S3 = "s3"
    AZURE = "azure"
    GCS = "gcs"


@dataclass(frozen=True)
class FaultPlan:
    """How often, which faults, and how long stalls last.

    `exempt` path prefixes are never touched; with `targets`, only requests ("METHOD path?query")
    containing one of them are; with `per_request`, one request gets at most that many faults.
    """

    rate: float
    seed: int = 0
    kinds: tuple[Fault, ...] = tuple(Fault)
    stall_seconds: tuple[float, float] = (2.0, 5.0)
    dialect: Dialect = Dialect.S3
    exempt: tuple[str, ...] = ("/moto-api",)
    targets: tuple[str, ...] = ()
    per_request: int | None = None

    def draw(self, request: str, occurrence: int) -> tuple[Fault | None, float]:
        """The fault (or None) for the `occurrence`-th sending of `request`, and a stall length."""
        digest = hashlib.blake2b(
            f"{self.seed}\n{request}\n{occurrence}".encode(), digest_size=16
        ).digest()
        chance = int.from_bytes(digest[:8], "big") / 2**64
        spread = int.from_bytes(digest[8:], "big") / 2**64
        low, high = self.stall_seconds
        if self.targets and not any(target in request for target in self.targets):
            return None, 0.0
        if self.per_request is not None and occurrence >= self.per_request:
            return None, 0.0
        if chance >= self.rate or not self.kinds:
            return None, 0.0
        kind = self.kinds[min(int(chance / self.rate * len(self.kinds)), len(self.kinds) - 1)]
        return kind, low + spread * (high - low)


@dataclass(frozen=True)
class FaultCounts:
    """What went through the proxy: requests received, faults injected, peak concurrency."""

    requests: int
    faults: dict[str, int]
    peak_inflight: int
    peak_inflight_by_segment: dict[str, int]  # by first path segment (S3 bucket, Azure account)


@dataclass
class _Ledger:
    """The proxy's mutable counts, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    inflight: int = 0
    peak: int = 0
    by_segment: Counter[str] = field(default_factory=Counter)
    peak_by_segment: dict[str, int] = field(default_factory=dict)

    def admit(self, plan: FaultPlan, request: str, segment: str) -> tuple[Fault | None, float]:
        with self.lock:
            occurrence = self.seen[request]
            self.seen[request] += 1
            self.requests += 1
            self.inflight += 1
            self.peak = max(self.peak, self.inflight)
            self.by_segment[segment] += 1
            peak = max(self.peak_by_segment.get(segment, 0), self.by_segment[segment])
            self.peak_by_segment[segment] = peak
            if plan.exempt and request.split(" ", 1)[1].startswith(plan.exempt):
                return None, 0.0
            fault, stall = plan.draw(request, occurrence)
            if fault is not None:
                self.faults[fault.value] += 1
            return fault, stall

    def leave(self, segment: str) -> None:
        with self.lock:
            self.inflight -= 1
            self.by_segment[segment] -= 1

    def snapshot(self) -> FaultCounts:
        with self.lock:
            return FaultCounts(
                self.requests, dict(self.faults), self.peak, dict(self.peak_by_segment)
            )


def _error_answer(dialect: Dialect, fault: Fault) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of an injected error, in the service's own format."""
    throttle = fault is Fault.THROTTLE
    if dialect is Dialect.GCS:
        status = 429 if throttle else 500
        reason = "rateLimitExceeded" if throttle else "backendError"
        error = {"code": status, "message": f"injected {reason}", "errors": [{"reason": reason}]}
        return status, {"Content-Type": "application/json"}, json.dumps({"error": error}).encode()
    busy = "ServerBusy" if dialect is Dialect.AZURE else "SlowDown"
    code = busy if throttle else "InternalError"
    status = 503 if throttle else 500
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
        f"<Message>injected {code}</Message><RequestId>fault</RequestId></Error>"
    ).encode()
    headers = {"Content-Type": "application/xml"}
    if dialect is Dialect.AZURE:
        headers["x-ms-error-code"] = code
    return status, headers, body


def _handler(upstream: str, plan: FaultPlan, ledger: _Ledger) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class Handler(RawHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            segment = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
            fault, stall = ledger.admit(plan, f"{self.command} {self.path}", segment)
            try:
                if fault is Fault.DROP:
                    self.close_connection = True
                elif fault in (Fault.THROTTLE, Fault.SERVER_ERROR):
                    assert fault is not None
                    status, headers, answer = _error_answer(plan.dialect, fault)
                    self.send_raw(status, headers.items(), answer)
                else:
                    if fault is Fault.STALL:
                        time.sleep(stall)
                    self._forward(body)
            finally:
                ledger.leave(segment)

        def _forward(self, body: bytes) -> None:
            connection = http.client.HTTPConnection(target.netloc, timeout=120)
            try:
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() not in _HOP_BY_HOP
                }
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                passed = [
                    (name, value)
                    for name, value in response.getheaders()
                    if name.lower() not in _HOP_BY_HOP
                ]
                if self.command == "HEAD":
                    passed.append(("Content-Length", response.getheader("Content-Length") or "0"))
                    payload = b""
                self.send_raw(response.status, passed, payload, response.reason)
            finally:
                connection.close()

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = _serve  # noqa: N815

    return Handler


@dataclass(frozen=True)
class FaultProxy:
    """A running proxy: where to send requests, and what it has done so far."""

    url: str
    _ledger: _Ledger

    def counts(self) -> FaultCounts:
        """A snapshot of requests, injected faults and peak concurrency."""
        return self._ledger.snapshot()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (an idle keep-alive, a timeout) is no error of the proxy's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def fault_proxy(upstream: str, plan: FaultPlan) -> Iterator[FaultProxy]:
    """Proxy `upstream` (an http URL) on a free loopback port, injecting `plan`'s faults."""
    ledger = _Ledger()
    prefix = urlsplit(upstream).path.rstrip("/")
    server = _Server((HOST, 0), _handler(upstream, plan, ledger))
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="fault-proxy")
    thread.start()
    try:
        yield FaultProxy(f"http://{HOST}:{server.server_port}{prefix}", ledger)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
