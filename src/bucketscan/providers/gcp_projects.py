"""GCP projects under organisations and folders, found through Resource Manager's hierarchy."""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from google.api_core.exceptions import GoogleAPIError
from google.auth.exceptions import GoogleAuthError

from bucketscan.metering import Meter
from bucketscan.providers.base import ProviderError
from bucketscan.providers.gcs_metering import install_meter
from bucketscan.providers.spec import Refused

# Seconds one list call may take, its pages and the library's retries included.
CALL_TIMEOUT = 60.0
# OSError covers requests' connection errors; ValueError/KeyError/TypeError a malformed response.
_FAILURES = (GoogleAPIError, GoogleAuthError, OSError, ValueError, KeyError, TypeError)


class ParentKind(StrEnum):
    """A node of the resource hierarchy that holds projects and folders."""

    ORGANIZATION = "organizations"
    FOLDER = "folders"


@dataclass(frozen=True)
class ProjectSweep:
    """Active project ids found under the parents, and the parents that could not be listed."""

    projects: tuple[str, ...]
    refused: tuple[Refused, ...]


class ProjectLister(Protocol):
    """The part of resourcemanager_v3.ProjectsClient the sweep uses."""

    def list_projects(self, *, parent: str, timeout: float) -> Iterable[Any]:
        """The parent's direct child projects, every page."""
        ...


class FolderLister(Protocol):
    """The part of resourcemanager_v3.FoldersClient the sweep uses."""

    def list_folders(self, *, parent: str, timeout: float) -> Iterable[Any]:
        """The parent's direct child folders, every page."""
        ...


def parent_name(kind: ParentKind, value: str) -> str:
    """The resource name of an organisation or folder id ("123" -> "organizations/123").

    Example: parent_name(ParentKind.FOLDER, "folders/456") == "folders/456"
    """
    number = value.removeprefix(f"{kind.value}/")
    if not number.isdigit():
        raise ProviderError(f"{kind.value} id must be a number, e.g. 123456789012: got {value!r}")
    return f"{kind.value}/{number}"


def sweep_projects(
    parents: Iterable[str], projects: ProjectLister, folders: FolderLister
) -> ProjectSweep:
    """Every active project under `parents`, through their active sub-folders, breadth first.

    A parent whose projects or folders cannot be listed is refused with the reason (what was
    listed before the failure is kept) and the sweep goes on; deleted projects and folders are
    left out.
    """
    queue = deque(dict.fromkeys(parents))
    seen = set(queue)
    found: dict[str, None] = {}
    refused: list[Refused] = []
    while queue:
        parent = queue.popleft()
        failures: list[str] = []
        try:
            for project in projects.list_projects(parent=parent, timeout=CALL_TIMEOUT):
                if _active(project):
                    found.setdefault(str(project.project_id))
        except _FAILURES as error:
            failures.append(f"cannot list projects of {parent}: {_brief(error)}")
        try:
            for folder in folders.list_folders(parent=parent, timeout=CALL_TIMEOUT):
                name = str(folder.name)
                if _active(folder) and name not in seen:
                    seen.add(name)
                    queue.append(name)
        except _FAILURES as error:
            failures.append(f"cannot list folders of {parent}: {_brief(error)}")
        if failures:
            refused.append(Refused("gcs", parent, "; ".join(failures)))
    return ProjectSweep(tuple(found), tuple(refused))


def resource_manager(
    credentials: Any, meter: Meter, endpoint: str | None = None
) -> tuple[ProjectLister, FolderLister]:
    """Projects and folders clients of Resource Manager v3, each request counted into `meter`."""
    try:
        # By name: a typed google.cloud package seen by mypy hides the untyped google.cloud.storage.
        resourcemanager_v3 = importlib.import_module("google.cloud.resourcemanager_v3")
    except ImportError as error:
        raise ProviderError(
            "--organization and --folder need the org extra: pip install 'bucketscan[org]'"
        ) from error
    # REST, not gRPC: its requests session is metered like the storage client's, and a loopback
    # fake can stand in for the API.
    options = {"api_endpoint": endpoint} if endpoint else None
    projects = resourcemanager_v3.ProjectsClient(
        credentials=credentials, transport="rest", client_options=options
    )
    folders = resourcemanager_v3.FoldersClient(
        credentials=credentials, transport="rest", client_options=options
    )
    for client in (projects, folders):
        install_meter(client._transport._session, meter)
    return projects, folders


def _active(item: Any) -> bool:
    """Whether a project or folder is ACTIVE (not DELETE_REQUESTED)."""
    return str(getattr(item.state, "name", item.state)) == "ACTIVE"


def _brief(error: BaseException) -> str:
    """A one-line description of an error."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200] if text else ''}".rstrip(": ")
