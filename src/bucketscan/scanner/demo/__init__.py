"""`bucketscan demo`: S3, GCS and Azure emulators seeded with synthetic WelcomeHR-like uploads."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bucketscan.metering import Meter
from bucketscan.providers.base import Provider, ProviderError
from bucketscan.records.common import OUTSIDE
from bucketscan.scanner.analyzer import Analyzer, ProcessAnalyzer
from bucketscan.scanner.console.progress import live_progress
from bucketscan.scanner.console.terminal import print_scan
from bucketscan.scanner.demo import aws as demo_aws
from bucketscan.scanner.demo import azure as demo_azure
from bucketscan.scanner.demo import gcs as demo_gcs
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.demo.story import DemoBucket, DemoObject, deal
from bucketscan.scanner.emulators import EmulatorError, require
from bucketscan.scanner.emulators.azurite import azurite, find_azurite
from bucketscan.scanner.emulators.gcs import storage_emulator
from bucketscan.scanner.emulators.s3 import moto_server
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.atomic import atomic_text
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.stats import ScanStats

if TYPE_CHECKING:
    from bucketscan.synthetic.corpus import SyntheticFile

# moto_server and public_read_policy stay importable from here for bench/ and older tests.
__all__ = ["DEMOS", "moto_server", "public_read_policy", "report_path", "run_demo"]

Objects = Mapping[str, tuple[DemoObject, ...]]
# Yields where the emulator listens and a provider opened on it, once the story is seeded.
Session = Callable[[Objects, Meter], AbstractContextManager[tuple[str, Provider]]]


@contextmanager
def aws_session(objects: Objects, meter: Meter) -> Iterator[tuple[str, Provider]]:
    """moto seeded with the S3 story, and the AWS provider on it."""
    import boto3

    from bucketscan.providers.aws import open_aws

    with moto_server() as endpoint:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=demo_aws.REGION)
        demo_aws.seed(client, objects)
        yield f"moto on {endpoint}", open_aws(None, demo_aws.REGION, endpoint, (), meter)


@contextmanager
def gcs_session(objects: Objects, meter: Meter) -> Iterator[tuple[str, Provider]]:
    """gcp-storage-emulator seeded with the GCS story, and the GCS provider on it."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    from bucketscan.providers.gcs import open_gcs

    with storage_emulator() as endpoint:
        client = storage.Client(
            project=demo_gcs.PROJECT,
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": endpoint},
        )
        demo_gcs.seed(client, objects)
        provider = open_gcs((demo_gcs.PROJECT,), endpoint, (), meter)
        yield f"gcp-storage-emulator on {endpoint}", provider


@contextmanager
def azure_session(objects: Objects, meter: Meter) -> Iterator[tuple[str, Provider]]:
    """Azurite seeded with the Azure story, and the Azure provider on its connection string."""
    from azure.storage.blob import BlobServiceClient

    from bucketscan.providers.azure import open_azure

    with azurite(demo_azure.ACCOUNTS) as server:
        connection = server.connection_string(demo_azure.ACCOUNT)
        demo_azure.seed(BlobServiceClient.from_connection_string(connection), objects)
        provider = open_azure(None, connection, (), meter)
        yield f"Azurite on {server.blob_endpoint(demo_azure.ACCOUNT)}", provider


@dataclass(frozen=True)
class CloudDemo:
    """One cloud's part of the demo: its story, what it needs installed, how to run it."""

    name: str
    title: str
    buckets: Sequence[DemoBucket]
    require: Callable[[], object]
    session: Session


DEMOS = {
    "aws": CloudDemo("aws", "S3", demo_aws.BUCKETS, lambda: require("moto", "moto"), aws_session),
    "gcs": CloudDemo(
        "gcs",
        "Google Cloud Storage",
        demo_gcs.BUCKETS,
        lambda: require("gcp_storage_emulator", "gcp-storage-emulator"),
        gcs_session,
    ),
    "azure": CloudDemo("azure", "Azure Blob", demo_azure.CONTAINERS, find_azurite, azure_session),
}


@dataclass(frozen=True)
class CloudResult:
    """A finished cloud demo: its scan and where its report went."""

    demo: CloudDemo
    outcome: ScanOutcome
    report: Path


def report_path(output_dir: Path, cloud: str) -> Path:
    """Where one cloud's JSON report is written."""
    return output_dir / f"bucketscan-demo-{cloud}.json"


def run_cloud(
    console: Console,
    demo: CloudDemo,
    objects: Objects,
    report: Path,
    options: ScanOptions,
    analyzer: Analyzer,
) -> CloudResult:
    """Start one emulator, seed it, scan it through the real provider, print and report it."""
    meter = Meter()
    with demo.session(objects, meter) as (where, provider):
        console.rule(f"[bold]{demo.title}[/] ({where})")
        for bucket in demo.buckets:
            console.print(f"  {bucket.name}: {len(objects[bucket.name])} files, {bucket.story}")
        stats = ScanStats()
        with atomic_text(report) as stream:
            outcome = run_scan(
                provider,
                options,
                (JsonWriter(stream),),
                meter=meter,
                stats=stats,
                analyzer=analyzer,
                progress=live_progress(stats, quiet=False),
            )
    print_scan(console, outcome)
    console.print(f"JSON report written to [bold]{report}[/]")
    return CloudResult(demo, outcome, report)


def print_recap(console: Console, results: Sequence[CloudResult]) -> None:
    """One line per cloud: what is exposed and where its report is."""
    table = Table(title="Demo summary", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("cloud", no_wrap=True)
    for column in ("buckets", "readable", "listable", "findings"):
        table.add_column(column, justify="right", no_wrap=True)
    for result in results:
        buckets = result.outcome.buckets
        findings = [f for f in result.outcome.findings if f.exposure in OUTSIDE]
        table.add_row(
            result.demo.title,
            str(len(buckets)),
            str(sum(b.access.read in OUTSIDE for b in buckets)),
            str(sum(b.access.list in OUTSIDE for b in buckets)),
            str(len(findings)),
        )
    console.print(table)
    for result in results:
        console.print(f"  {result.demo.title} report: {escape(str(result.report))}", soft_wrap=True)


def run_demo(
    console: Console,
    output_dir: Path,
    clouds: Sequence[str],
    *,
    seed: int,
    per_type: int,
    workers: int = 0,
    files: Sequence[SyntheticFile] | None = None,
) -> int:
    """Seed and scan each cloud's emulator in turn, print what was found; the exit status.

    `files` replaces the generated corpus (a handful of quick files, say).
    """
    from bucketscan.synthetic.corpus import generate_corpus

    demos = [DEMOS[cloud] for cloud in clouds]
    options = ScanOptions(workers=workers)
    try:
        for demo in demos:
            demo.require()
        if files is None:
            console.print(f"Generating synthetic WelcomeHR uploads (seed {seed})…")
            files = tuple(generate_corpus(seed, per_type))
        output_dir.mkdir(parents=True, exist_ok=True)
        results = []
        # One worker pool for every cloud: its processes load the OCR stack once.
        analyzer = ProcessAnalyzer(options.worker_count, ocr_engine=options.ocr_engine)
        try:
            for demo in demos:
                objects = deal(files, demo.buckets, random.Random(f"{seed}:{demo.name}"))
                report = report_path(output_dir, demo.name)
                results.append(run_cloud(console, demo, objects, report, options, analyzer))
        finally:
            analyzer.close()
    except (EmulatorError, ProviderError) as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        return 2
    print_recap(console, results)
    return 0
