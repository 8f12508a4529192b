"""docker/compose.yaml and docker/cronjob.yaml parse, have their parts, and use real CLI flags.

No Docker engine runs here: these check structure; docker/seed_demo.py is run against moto.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import click
import pytest
import yaml

from bucketscan.scanner.cli import main
from bucketscan.scanner.demo import aws as demo_aws
from bucketscan.scanner.emulators.s3 import moto_server

DOCKER = Path(__file__).resolve().parents[1] / "docker"
SCANS = {"scan-aws": "aws", "scan-gcs": "gcs", "scan-azure": "azure"}
EMULATORS = {"moto", "gcs", "azurite"}


def load(name: str) -> dict[str, Any]:
    """One YAML file of docker/ (anchors and merge keys resolved)."""
    document: dict[str, Any] = yaml.safe_load((DOCKER / name).read_text(encoding="utf-8"))
    return document


def scan_flags(cloud: str) -> set[str]:
    """Every option `bucketscan scan CLOUD` accepts."""
    scan = main.commands["scan"]
    assert isinstance(scan, click.Group)
    command = scan.commands[cloud]
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


def flags_of(arguments: list[str]) -> set[str]:
    """The --options of an argument list (`--output=x` counts as `--output`)."""
    return {arg.split("=", 1)[0] for arg in arguments if arg.startswith("--")}


def seeder() -> ModuleType:
    """docker/seed_demo.py as a module."""
    spec = importlib.util.spec_from_file_location("seed_demo", DOCKER / "seed_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compose_has_emulators_a_seeding_one_shot_and_a_scan_per_cloud() -> None:
    services = load("compose.yaml")["services"]
    assert set(services) == EMULATORS | {"seed"} | set(SCANS)
    assert all("image" in service for service in services.values())
    assert set(services["seed"]["depends_on"]) == EMULATORS
    for name, cloud in SCANS.items():
        service = services[name]
        command = service["command"]
        assert command[:2] == ["scan", cloud], name
        unknown = flags_of(command) - scan_flags(cloud)
        assert not unknown, f"{name} passes options bucketscan does not have: {unknown}"
        assert "--output=/reports/" + cloud + ".json" in command
        assert service["depends_on"] == {"seed": {"condition": "service_completed_successfully"}}
        assert service["volumes"] == ["reports:/reports"]
        assert service["build"]["target"] == "scanner"
    seeding = services["seed"]["command"]
    accepted = {"--aws", "--gcs", "--azure", "--seed", "--per-type"}
    assert flags_of(seeding) <= accepted and {"--aws", "--gcs", "--azure"} <= flags_of(seeding)


def test_compose_scans_the_seeded_azure_account() -> None:
    services = load("compose.yaml")["services"]
    connection = services["scan-azure"]["command"][
        services["scan-azure"]["command"].index("--connection-string") + 1
    ]
    account, key = services["azurite"]["environment"]["AZURITE_ACCOUNTS"].split(":", 1)
    fields = dict(part.split("=", 1) for part in connection.strip(";").split(";"))
    assert (fields["AccountName"], fields["AccountKey"]) == (account, key)
    assert fields["BlobEndpoint"] == f"http://azurite:10000/{account}"


@dataclass(frozen=True)
class Upload:
    """A stand-in for a synthetic file: what the demo's dealing reads."""

    name: str
    data: bytes
    category: str | None


def test_the_seeding_one_shot_fills_an_s3_endpoint() -> None:
    module = seeder()
    files = [Upload(f"f{index}.txt", b"x", "resume" if index % 2 else None) for index in range(8)]
    with moto_server() as endpoint:
        module.seed_aws(endpoint, files, 7)
        client = boto3.client("s3", endpoint_url=endpoint, region_name=demo_aws.REGION)
        names = {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}
        assert names == {bucket.name for bucket in demo_aws.BUCKETS}
        listed = client.list_objects_v2(Bucket=demo_aws.BUCKETS[0].name)
        assert listed["KeyCount"] > 0
    with pytest.raises(SystemExit):
        module.main([])  # nothing to seed is a usage error


def cron_scan_command(script: str) -> list[str]:
    """The bucketscan command line of the scan container, with the flags `set --` adds."""
    words = shlex.split(script.replace("\\\n", " "), comments=True)
    start = words.index("bucketscan")
    end = words.index("&", start)
    added = [word for word in words if re.fullmatch(r"--[a-z-]+", word)]
    return words[start:end] + added


def test_cronjob_runs_the_image_on_a_schedule_and_fails_only_on_new_findings() -> None:
    job = load("cronjob.yaml")
    assert (job["apiVersion"], job["kind"]) == ("batch/v1", "CronJob")
    spec = job["spec"]
    assert len(spec["schedule"].split()) == 5
    assert spec["concurrencyPolicy"] == "Forbid"
    pod = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    containers = {container["name"]: container for container in pod["containers"]}
    assert set(containers) == {"scan", "upload"}
    command = cron_scan_command(containers["scan"]["args"][0])
    assert command[:3] == ["bucketscan", "scan", "aws"]
    unknown = flags_of(command) - scan_flags("aws")
    assert not unknown, f"the CronJob passes options bucketscan does not have: {unknown}"
    script = containers["scan"]["args"][0]
    assert "--baseline /work/baseline.json --fail-on new" in script
    assert "--output /work/report.json" in script
    upload = containers["upload"]["args"][0]
    assert 'exit "$status"' in upload and "latest.json" in upload
    fetch = pod["initContainers"][0]["args"][0]
    assert 'latest.json" /work/baseline.json' in fetch
