"""A loopback fake of Resource Manager v3's projects.list and folders.list, as the REST API pages.

Example: ``with resource_manager_fake(hierarchy) as url:`` then pass ``url`` as the api_endpoint
of a ProjectsClient or FoldersClient with ``transport="rest"``. One item per page, so every
listing follows ``nextPageToken``; DELETE_REQUESTED items are hidden unless ``showDeleted=true``,
as the real API does; a parent in ``denied`` (or unknown to the fake) answers 403.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bucketscan.scanner.emulators.loopback import JsonHandler, serve_http

# The client library asks for enums as numbers ($alt=json;enum-encoding=int).
STATES = {"ACTIVE": 1, "DELETE_REQUESTED": 2}
DENIED = {
    "code": 403,
    "message": "The caller does not have permission",
    "status": "PERMISSION_DENIED",
}


@dataclass
class Hierarchy:
    """Children by parent name ("organizations/1"): (project id or folder name, state) pairs."""

    projects: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    folders: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    denied: set[str] = field(default_factory=set)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, parent) of each request
    lock: threading.Lock = field(default_factory=threading.Lock)

    def asked(self, path: str) -> list[str]:
        """The parents asked for at one path, in order (a parent once per page)."""
        with self.lock:
            return [parent for seen, parent in self.seen if seen == path]


def _item(kind: str, parent: str, child: str, state: str, numeric: bool) -> dict[str, Any]:
    """A project or folder as the REST API encodes it."""
    encoded: int | str = STATES[state] if numeric else state
    if kind == "projects":
        number = sum(ord(char) for char in child)
        return {
            "name": f"projects/{number}",
            "projectId": child,
            "parent": parent,
            "state": encoded,
        }
    return {"name": child, "parent": parent, "displayName": child, "state": encoded}


def _handler(hierarchy: Hierarchy) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            parent = query.get("parent", [""])[0]
            with hierarchy.lock:
                hierarchy.seen.append((parts.path, parent))
            tables = {"/v3/projects": hierarchy.projects, "/v3/folders": hierarchy.folders}
            table = tables.get(parts.path)
            if table is None:
                return self.send_json(404, {"error": {"code": 404, "message": "Not Found"}})
            if parent in hierarchy.denied or parent not in table:
                return self.send_json(403, {"error": DENIED})
            shown = [
                (child, state)
                for child, state in table[parent]
                if state == "ACTIVE" or query.get("showDeleted") == ["true"]
            ]
            numeric = "enum-encoding=int" in query.get("$alt", [""])[0]
            index = int(query.get("pageToken", ["0"])[0])
            kind = parts.path.rsplit("/", 1)[1]
            body: dict[str, Any] = {
                kind: [
                    _item(kind, parent, child, state, numeric)
                    for child, state in shown[index : index + 1]
                ]
            }
            if index + 1 < len(shown):
                body["nextPageToken"] = str(index + 1)
            return self.send_json(200, body)

    return Handler


def resource_manager_fake(hierarchy: Hierarchy) -> AbstractContextManager[str]:
    """The fake serving `hierarchy` on a free loopback port; its base URL."""
    return serve_http(_handler(hierarchy))
