"""A loopback fake of IAM Access Analyzer's CheckNoPublicAccess (moto has no Access Analyzer).

Example: ``with access_analyzer_fake() as fake:`` then point AWS_ENDPOINT_URL_ACCESSANALYZER at
``fake.url``; a policy with an unconditioned Allow to Principal "*" FAILs, any other PASSes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bucketscan.scanner.emulators.loopback import JsonHandler, serve_http

PATH = "/policy/check-no-public-access"
# mode -> (status, error type) answered instead of a result
ERRORS = {
    "deny": (403, "AccessDeniedException"),
    "invalid": (400, "ValidationException"),
    "throttle": (429, "ThrottlingException"),
}


@dataclass
class AccessAnalyzerFake:
    """What the fake answers (`mode`: "answer", or a key of ERRORS) and what it was asked."""

    url: str = ""
    mode: str = "answer"
    asked: list[tuple[str, str]] = field(default_factory=list)  # (resource type, policy)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        """How many checks were asked."""
        with self.lock:
            return len(self.asked)


def _public_statements(policy: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The unconditioned Allow statements to Principal "*" (or {"AWS": "*"}), with their index."""
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return [
        (index, statement)
        for index, statement in enumerate(statements)
        if statement.get("Effect") == "Allow"
        and statement.get("Principal") in ("*", {"AWS": "*"})
        and not statement.get("Condition")
    ]


def answer(policy_document: str) -> dict[str, Any]:
    """The fake's CheckNoPublicAccess result for one policy."""
    public = _public_statements(json.loads(policy_document))
    if not public:
        return {"result": "PASS", "message": "The resource policy does not grant public access."}
    reasons = [
        {
            "description": "Allows public access: Principal * without conditions.",
            "statementIndex": index,
            **({"statementId": statement["Sid"]} if statement.get("Sid") else {}),
        }
        for index, statement in public
    ]
    return {
        "result": "FAIL",
        "message": "The resource policy grants public access.",
        "reasons": reasons,
    }


def _handler(fake: AccessAnalyzerFake) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path != PATH:
                self.send_json(404, {"__type": "UnknownOperationException", "message": self.path})
                return
            with fake.lock:
                fake.asked.append((str(body.get("resourceType")), str(body.get("policyDocument"))))
            if fake.mode in ERRORS:
                status, kind = ERRORS[fake.mode]
                self.send_json(status, {"__type": kind, "message": f"fake {kind}"})
                return
            self.send_json(200, answer(str(body.get("policyDocument", "{}"))))

    return Handler


@contextmanager
def access_analyzer_fake(mode: str = "answer") -> Iterator[AccessAnalyzerFake]:
    """Serve a fake on a free loopback port; yields it with its URL set."""
    fake = AccessAnalyzerFake(mode=mode)
    with serve_http(_handler(fake)) as url:
        fake.url = url
        yield fake
