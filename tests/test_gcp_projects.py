"""GCP projects under organisations and folders: the sweep on a Resource Manager fake, the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from google.api_core.exceptions import Forbidden
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage

from bucketscan.metering import Meter
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.providers.gcp_projects import (
    ParentKind,
    ProjectSweep,
    parent_name,
    resource_manager,
    sweep_projects,
)
from bucketscan.providers.gcs import RESOURCE_MANAGER_ENV, open_gcs
from bucketscan.providers.spec import Refused
from bucketscan.scanner.cli import main
from gcs_emulators import storage_emulator
from resource_manager_fake import Hierarchy, resource_manager_fake

ORG, HR, DENIED, GONE, NESTED = (
    "organizations/100",
    "folders/200",
    "folders/300",
    "folders/400",
    "folders/210",
)


def org_hierarchy() -> Hierarchy:
    """An organisation with nested folders, a deleted project, a deleted folder, a denied folder."""
    return Hierarchy(
        projects={
            ORG: [("hr-prod", "ACTIVE"), ("hr-old", "DELETE_REQUESTED")],
            HR: [("hr-dev", "ACTIVE")],
            NESTED: [("hr-archive", "ACTIVE"), ("hr-tmp", "ACTIVE")],
            GONE: [("ghost", "ACTIVE")],
        },
        folders={
            ORG: [(HR, "ACTIVE"), (DENIED, "ACTIVE"), (GONE, "DELETE_REQUESTED")],
            HR: [(NESTED, "ACTIVE")],
            NESTED: [],
            GONE: [],
        },
        denied={DENIED},
    )


@pytest.fixture
def hierarchy() -> Iterator[tuple[Hierarchy, str]]:
    """The organisation's hierarchy served by the fake; the fake and its URL."""
    served = org_hierarchy()
    with resource_manager_fake(served) as url:
        yield served, url


def test_the_sweep_walks_nested_folders_and_records_the_denied_one(
    hierarchy: tuple[Hierarchy, str],
) -> None:
    served, url = hierarchy
    meter = Meter()
    anonymous = AnonymousCredentials()  # type: ignore[no-untyped-call]
    sweep = sweep_projects((ORG,), *resource_manager(anonymous, meter, url))
    assert sweep.projects == ("hr-prod", "hr-dev", "hr-archive", "hr-tmp")
    (refused,) = sweep.refused
    assert (refused.provider, refused.account) == ("gcs", DENIED)
    assert f"cannot list projects of {DENIED}: Forbidden: 403" in refused.reason
    assert f"cannot list folders of {DENIED}: Forbidden: 403" in refused.reason
    assert GONE not in served.asked("/v3/projects")  # a deleted folder is not entered
    assert served.asked("/v3/projects").count(NESTED) == 2  # two pages followed
    assert meter.requests() == {
        "resourcemanager.projects.list": 5,
        "resourcemanager.folders.list": 5,
    }


@dataclass
class Listed:
    """A project or folder as the client library returns it (the fields the sweep reads)."""

    name: str
    state: str = "ACTIVE"

    @property
    def project_id(self) -> str:
        """Projects are named by id here."""
        return self.name


class StaticLister:
    """Children by parent; a parent in `fail_after` raises after that many children."""

    def __init__(self, children: dict[str, list[Listed]], fail_after: dict[str, int]) -> None:
        self.children = children
        self.fail_after = fail_after
        self.asked: list[str] = []

    def _list(self, parent: str) -> Iterator[Listed]:
        self.asked.append(parent)
        for index, child in enumerate(self.children.get(parent, [])):
            if self.fail_after.get(parent) == index:
                raise Forbidden("page 2 denied")
            yield child

    def list_projects(self, *, parent: str, timeout: float) -> Iterable[Any]:
        """The parent's projects."""
        return self._list(parent)

    def list_folders(self, *, parent: str, timeout: float) -> Iterable[Any]:
        """The parent's folders."""
        return self._list(f"folders of {parent}")


def test_deleted_projects_are_skipped_even_when_the_api_returns_them() -> None:
    lister = StaticLister(
        {"folders/1": [Listed("live"), Listed("dying", "DELETE_REQUESTED")]}, fail_after={}
    )
    assert sweep_projects(("folders/1",), lister, lister) == ProjectSweep(("live",), ())


def test_a_listing_that_fails_midway_keeps_what_it_listed_and_says_it_is_incomplete() -> None:
    lister = StaticLister(
        {"folders/1": [Listed("a"), Listed("b")], "folders of folders/1": [Listed("folders/2")]},
        fail_after={"folders/1": 1},
    )
    sweep = sweep_projects(("folders/1", "folders/2", "folders/1"), lister, lister)
    assert sweep.projects == ("a",)
    assert sweep.refused == (
        Refused(
            "gcs", "folders/1", "cannot list projects of folders/1: Forbidden: 403 page 2 denied"
        ),
    )
    assert lister.asked.count("folders/2") == 1  # named and found: listed once


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (ParentKind.ORGANIZATION, "123456789012", "organizations/123456789012"),
        (ParentKind.ORGANIZATION, "organizations/1", "organizations/1"),
        (ParentKind.FOLDER, "456", "folders/456"),
        (ParentKind.FOLDER, "folders/456", "folders/456"),
    ],
)
def test_parent_names(kind: ParentKind, value: str, expected: str) -> None:
    assert parent_name(kind, value) == expected


@pytest.mark.parametrize("value", ["", "hr-prod", "folders/456", "organizations/x"])
def test_a_malformed_organisation_id_is_a_one_line_error(value: str) -> None:
    with pytest.raises(ProviderError, match="must be a number"):
        parent_name(ParentKind.ORGANIZATION, value)


def seeded_emulator(url: str) -> None:
    """One public and one private bucket (the emulator ignores the project a bucket is in)."""
    client = storage.Client(
        project="hr-prod",
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options={"api_endpoint": url},
    )
    public = client.create_bucket("hr-public-cvs")
    policy = public.get_iam_policy(requested_policy_version=3)
    policy.bindings.append({"role": "roles/storage.objectViewer", "members": {"allUsers"}})
    public.set_iam_policy(policy)
    public.blob("cv/resume.txt").upload_from_string(b"x")
    client.create_bucket("hr-internal").blob("a.txt").upload_from_string(b"x")


def one_project_folder() -> Hierarchy:
    """A folder holding one active project, a deleted one, and a sub-folder that answers 403."""
    return Hierarchy(
        projects={HR: [("hr-prod", "ACTIVE"), ("hr-old", "DELETE_REQUESTED")]},
        folders={HR: [(DENIED, "ACTIVE")]},
        denied={DENIED},
    )


@pytest.mark.integration
def test_open_gcs_with_an_organisation_scans_its_projects_and_lists_what_it_could_not_enter(
    hierarchy: tuple[Hierarchy, str],
) -> None:
    _, url = hierarchy
    with storage_emulator() as endpoint:
        seeded_emulator(endpoint)
        provider = open_gcs(
            ("hr-extra",), endpoint, (), Meter(), parents=(ORG,), resource_manager_url=url
        )
        refs = [(ref.account, ref.name) for ref in provider.bucket_refs()]
        with pytest.raises(ProviderError, match=f"cannot list projects of {DENIED}"):
            provider.describe(next(r for r in provider.bucket_refs() if r.name == UNLISTED))
    assert refs[0] == (DENIED, UNLISTED)
    projects = [account for account, name in refs if name == "hr-internal"]
    assert projects == ["hr-extra", "hr-prod", "hr-dev", "hr-archive", "hr-tmp"]


def test_an_organisation_without_projects_is_an_error_not_an_empty_report() -> None:
    empty = Hierarchy(projects={ORG: []}, folders={ORG: []})
    with (
        resource_manager_fake(empty) as url,
        pytest.raises(ProviderError, match=f"no active project under {ORG}"),
    ):
        open_gcs((), "http://127.0.0.1:1", (), Meter(), parents=(ORG,), resource_manager_url=url)


@pytest.mark.integration
def test_cli_sweeps_a_folder_into_one_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "r.json"
    with storage_emulator() as endpoint, resource_manager_fake(one_project_folder()) as url:
        seeded_emulator(endpoint)
        monkeypatch.setenv(RESOURCE_MANAGER_ENV, f"{url}/")
        args = ["scan", "gcs", "--folder", "200", "--endpoint-url", endpoint]
        result = CliRunner().invoke(main, [*args, "--no-content", "-q", "-o", str(report)])
    assert result.exit_code == 1, result.output  # --no-content fails on exposure by default
    buckets = {(b["account"], b["name"]): b for b in json.loads(report.read_text())["buckets"]}
    assert set(buckets) == {("hr-prod", "hr-public-cvs"), ("hr-prod", "hr-internal"), (DENIED, "*")}
    assert buckets[("hr-prod", "hr-public-cvs")]["access"]["read"] == "public"
    assert buckets[("hr-prod", "hr-internal")]["access"]["read"] == "private"
    denied = buckets[(DENIED, "*")]
    assert denied["access"]["read"] == "unknown"
    assert any(f"cannot list folders of {DENIED}: Forbidden: 403" in e for e in denied["errors"])


def test_cli_refuses_buckets_with_an_organisation() -> None:
    result = CliRunner().invoke(main, ["scan", "gcs", "--organization", "1", "--bucket", "b"])
    assert result.exit_code == 2
    assert "--organization and --folder find projects" in result.output


def test_cli_rejects_a_folder_that_is_not_an_id() -> None:
    result = CliRunner().invoke(main, ["scan", "gcs", "--folder", "hr", "-q"])
    assert result.exit_code == 2
    assert "folders id must be a number" in result.output
