"""The `bucketscan` command line."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape

from bucketscan import __version__
from bucketscan.metering import Meter
from bucketscan.providers.base import Provider, ProviderError
from bucketscan.records.common import OUTSIDE, Exposure
from bucketscan.records.content import OcrEngine
from bucketscan.scanner.baseline import Baseline, BaselineError
from bucketscan.scanner.options import DEFAULT_MAX_OBJECT_BYTES, ScanOptions
from bucketscan.scanner.progress import live_progress
from bucketscan.scanner.report.registry import WRITERS
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.stats import ScanStats
from bucketscan.scanner.terminal import print_scan

F = TypeVar("F", bound=Callable[..., Any])

OCR_OPTIONS = [
    click.option("--ocr-engine", type=click.Choice([engine.value for engine in OcrEngine]),
                 default=OcrEngine.AUTO.value, show_default=True,
                 help="OCR for images and scanned pages: ppocr (PP-OCRv5, reads real cards), "
                      "tesseract, auto (PP-OCRv5 on cards, Tesseract on pages it reads well), "
                      "none."),
    click.option("--no-ocr", is_flag=True, help="Skip OCR (same as --ocr-engine none)."),
]  # fmt: skip


def with_ocr_options(command: F) -> F:
    """Add --ocr-engine and --no-ocr."""
    for decorator in reversed(OCR_OPTIONS):
        command = decorator(command)
    return command


def ocr_engine(kwargs: dict[str, Any]) -> str:
    """The OCR engine the options ask for."""
    return OcrEngine.NONE.value if kwargs["no_ocr"] else str(kwargs["ocr_engine"])


EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def scan_options(command: F) -> F:
    """Options every `scan` subcommand shares."""
    decorators = [
        click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="json",
                     show_default=True, help="Report format."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report here (default: standard output)."),
        click.option("--no-content", is_flag=True, help="Judge access only; read no objects."),
        click.option("--include-private", is_flag=True,
                     help="Also analyse objects nobody outside can read."),
        click.option("--max-object-bytes", type=click.IntRange(1), show_default=True,
                     default=DEFAULT_MAX_OBJECT_BYTES, help="Largest object to download."),
        click.option("--max-objects-per-bucket", type=click.IntRange(1),
                     help="Stop listing a bucket after this many objects."),
        click.option("--sample", type=click.FloatRange(0, 1), default=1.0, show_default=True,
                     help="Inspect this reproducible fraction of objects."),
        click.option("--prefix", "include_prefixes", multiple=True,
                     help="Only keys under this prefix (repeatable)."),
        click.option("--exclude-prefix", "exclude_prefixes", multiple=True,
                     help="Skip keys under this prefix (repeatable)."),
        click.option("--workers", type=click.IntRange(0), default=0, show_default=True,
                     help="Content-analysis processes (0 = one per core)."),
        click.option("--io-threads", type=click.IntRange(1), default=8, show_default=True,
                     help="Threads for API calls and downloads."),
        *OCR_OPTIONS,
        click.option("--key-split", "key_splits", multiple=True, metavar="KEY",
                     help="Cut each bucket at this key into ranges listed in parallel "
                          "(repeatable; limits then apply per range)."),
        click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="An earlier JSON report: record new and resolved findings."),
        click.option("--fail-on",
                     type=click.Choice(["finding", "unreadable", "new", "exposure", "never"]),
                     default="finding", show_default=True,
                     help="Exit 1 on: finding, an exposed ID document or résumé; unreadable, "
                          "that or an exposed object that could not be read; new, a finding "
                          "not in --baseline; exposure, any bucket readable or listable from "
                          "outside; never."),
        click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr."),
    ]  # fmt: skip
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def options_from(kwargs: dict[str, Any]) -> ScanOptions:
    """ScanOptions from the shared click options."""
    return ScanOptions(
        content=not kwargs["no_content"],
        include_private=kwargs["include_private"],
        max_object_bytes=kwargs["max_object_bytes"],
        max_objects_per_bucket=kwargs["max_objects_per_bucket"],
        sample=kwargs["sample"],
        include_prefixes=tuple(kwargs["include_prefixes"]),
        exclude_prefixes=tuple(kwargs["exclude_prefixes"]),
        workers=kwargs["workers"],
        io_threads=kwargs["io_threads"],
        ocr_engine=ocr_engine(kwargs),
        key_splits=tuple(kwargs["key_splits"]),
    )


@contextmanager
def report_stream(path: Path | None) -> Iterator[TextIO]:
    """The report's destination: a file, or standard output."""
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8") as stream:
        yield stream


def exit_status(outcome: ScanOutcome, fail_on: str) -> int:
    """0 when clean, 1 when the scan found what `--fail-on` names."""
    exposed_findings = [f for f in outcome.findings if f.exposure is not Exposure.PRIVATE]
    if fail_on in ("finding", "unreadable") and exposed_findings:
        return EXIT_FINDINGS
    if fail_on == "unreadable" and any(
        u.exposure is not Exposure.PRIVATE for u in outcome.unreadable
    ):
        return EXIT_FINDINGS
    changes = outcome.summary.changes
    if fail_on == "new" and changes is not None and changes["new"]:
        return EXIT_FINDINGS
    if fail_on == "exposure" and any(
        b.access.read in OUTSIDE or b.access.list in OUTSIDE for b in outcome.buckets
    ):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def execute(open_provider: Callable[[Meter], Provider], kwargs: dict[str, Any]) -> None:
    """Open a provider, scan it, write the report, exit with the scan's status."""
    meter = Meter()
    console = Console(stderr=True)
    options = options_from(kwargs)
    stats = ScanStats()
    try:
        baseline = Baseline.load(kwargs["baseline"]) if kwargs["baseline"] else None
        provider = open_provider(meter)
        with report_stream(kwargs["output"]) as stream:
            outcome = run_scan(
                provider,
                options,
                (WRITERS[kwargs["fmt"]](stream),),
                meter=meter,
                stats=stats,
                progress=live_progress(stats, quiet=kwargs["quiet"]),
                baseline=baseline,
            )
    except (ProviderError, BaselineError) as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        sys.exit(EXIT_ERROR)
    if not kwargs["quiet"] and (kwargs["output"] is not None or not sys.stdout.isatty()):
        print_scan(console, outcome)
    sys.exit(exit_status(outcome, kwargs["fail_on"]))


@click.group()
@click.version_option(__version__, prog_name="bucketscan")
def main() -> None:
    """Find world-readable cloud storage and the ID scans and résumés inside it."""


@main.group()
def scan() -> None:
    """Scan a cloud account's buckets; exit 0 clean, 1 exposed findings, 2 could not scan."""


@scan.command("aws")
@click.option("--profile", help="AWS profile (default: the standard credential chain).")
@click.option("--region", help="Region for API calls.")
@click.option("--endpoint-url", help="S3-compatible endpoint (AWS_ENDPOINT_URL also works).")
@click.option("--bucket", "buckets", multiple=True, help="Only this bucket (repeatable).")
@scan_options
def scan_aws(
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    buckets: tuple[str, ...],
    **kwargs: Any,
) -> None:
    """Scan S3 buckets of an AWS account.

    Example: bucketscan scan aws --profile audit --output report.json
    """
    from bucketscan.providers.aws import open_aws

    execute(
        lambda meter: open_aws(
            profile, region, endpoint_url, buckets, meter, io_threads=kwargs["io_threads"]
        ),
        kwargs,
    )


@scan.command("gcs")
@click.option(
    "--project",
    "projects",
    multiple=True,
    help="List the buckets of this project (repeatable; default: the ADC project).",
)
@click.option(
    "--endpoint-url",
    help="GCS JSON API endpoint, e.g. an emulator (STORAGE_EMULATOR_HOST also works).",
)
@click.option("--bucket", "buckets", multiple=True, help="Only this bucket (repeatable).")
@scan_options
def scan_gcs(
    projects: tuple[str, ...], endpoint_url: str | None, buckets: tuple[str, ...], **kwargs: Any
) -> None:
    """Scan Google Cloud Storage buckets with Application Default Credentials.

    Example: bucketscan scan gcs --project hr-prod --output report.json
    """
    from bucketscan.providers.gcs import open_gcs

    execute(lambda meter: open_gcs(projects, endpoint_url, buckets, meter), kwargs)


@scan.command("azure")
@click.option(
    "--account-url",
    help="The account's blob endpoint (https://ACCOUNT.blob.core.windows.net, or a SAS "
    "URL); signs in with DefaultAzureCredential unless it carries a SAS.",
)
@click.option(
    "--connection-string",
    envvar="AZURE_STORAGE_CONNECTION_STRING",
    show_envvar=True,
    help="A storage connection string (prefer the environment variable: command "
    "lines are visible to other users).",
)
@click.option("--container", "containers", multiple=True, help="Only this container (repeatable).")
@click.option(
    "--subscription",
    help="Read allowBlobPublicAccess from the management plane; alone, scan every "
    "storage account of the subscription.",
)
@scan_options
def scan_azure(
    account_url: str | None,
    connection_string: str | None,
    containers: tuple[str, ...],
    subscription: str | None,
    **kwargs: Any,
) -> None:
    """Scan Azure Blob containers of one storage account, or of every account of a subscription.

    Example: bucketscan scan azure --subscription 0000-... --output report.json
    """
    from bucketscan.providers.azure import open_azure

    if account_url is not None and connection_string is not None:
        source = click.get_current_context().get_parameter_source("connection_string")
        if source is not ParameterSource.ENVIRONMENT:
            raise click.UsageError("pass --account-url or --connection-string, not both")
        connection_string = None  # an explicit URL wins over the environment's default
    # DefaultAzureCredential logs every credential it tried, on many lines; the error says enough.
    logging.getLogger("azure.identity").setLevel(logging.CRITICAL)
    execute(
        lambda meter: open_azure(account_url, connection_string, containers, meter, subscription),
        kwargs,
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table",
              show_default=True)  # fmt: skip
@click.option("--workers", type=click.IntRange(0), default=0, help="Processes (0 = per core).")
@with_ocr_options
def classify(paths: tuple[Path, ...], fmt: str, workers: int, **kwargs: Any) -> None:
    """Classify local files and directories (recursive) with the scan's content pipeline.

    Example: bucketscan classify ~/Downloads --format json
    """
    from bucketscan.scanner.local_files import classification_rows, classify_paths

    rows = classification_rows(
        classify_paths(paths, workers=workers, ocr_engine=ocr_engine(kwargs))
    )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        from bucketscan.scanner.terminal import print_classifications

        print_classifications(Console(), rows)


@main.command()
@click.option(
    "--cloud",
    type=click.Choice(["aws", "gcs", "azure", "all"]),
    default="all",
    show_default=True,
    help="Which cloud's emulator to seed and scan.",
)
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Where the reports go: bucketscan-demo-<cloud>.json, one per cloud.",
)
@click.option("--seed", type=int, default=2024, show_default=True, help="Synthetic data seed.")
@click.option("--per-type", type=click.IntRange(1), default=1, show_default=True,
              help="Synthetic files per document type.")  # fmt: skip
def demo(cloud: str, output_dir: Path, seed: int, per_type: int) -> None:
    """Seed local S3, GCS and Azure emulators with synthetic WelcomeHR-like uploads; scan them.

    Example: bucketscan demo --cloud gcs --output-dir reports
    """
    from bucketscan.scanner.demo import DEMOS, run_demo

    clouds = tuple(DEMOS) if cloud == "all" else (cloud,)
    sys.exit(run_demo(Console(), output_dir, clouds, seed=seed, per_type=per_type))
