"""The `bucketscan` command line."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape

from bucketscan import __version__
from bucketscan.metering import Meter
from bucketscan.policies.fail_on import NEEDS_CONTENT, FailOn
from bucketscan.policies.severity import Severity
from bucketscan.providers.base import Provider, ProviderError
from bucketscan.records.content import OcrEngine
from bucketscan.scanner.baseline import Baseline, BaselineError
from bucketscan.scanner.config_options import CONFIG_OPTION, config_source
from bucketscan.scanner.console.progress import live_progress
from bucketscan.scanner.console.terminal import disagreement_warning, print_scan
from bucketscan.scanner.console.verbose import VerboseLog
from bucketscan.scanner.distributed import ExecutorKind
from bucketscan.scanner.distributed.source import check_choice, event_source, executor_choice
from bucketscan.scanner.exit_codes import (
    EXIT_CLEAN,
    EXIT_CODES_HELP,
    EXIT_ERROR,
    EXIT_FINDINGS,
    scan_verdict,
)
from bucketscan.scanner.failures import (
    ScanError,
    check_endpoint_url,
    check_output,
    check_output_dir,
    failure_message,
    one_line,
)
from bucketscan.scanner.interrupt import Stop, stop_on_signals
from bucketscan.scanner.muting import expiry_warnings, load_mutelist
from bucketscan.scanner.options import DEFAULT_MAX_OBJECT_BYTES, ScanOptions
from bucketscan.scanner.publish import check_metrics_file, check_notify_url, publish
from bucketscan.scanner.report.destinations import REPORT_STEM, destinations, open_writers
from bucketscan.scanner.report.registry import WRITERS
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.state import ScanState, StateError, content_fingerprint, run_settings
from bucketscan.scanner.stats import ScanStats

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


__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "exit_status", "main"]
EXIT_INTERRUPTED = 130


def scan_options(command: F) -> F:
    """Options every `scan` subcommand shares."""
    decorators = [
        click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), multiple=True,
                     default=("json",), show_default=True,
                     help="Report format; repeat it with --output-dir for several at once."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report here (default: standard output)."),
        click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
                     help=f"Write one report per --format here, as {REPORT_STEM}.json, .jsonl, "
                          ".md, .sarif, .ocsf.json, .csv, .html."),
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
        click.option("--executor", type=click.Choice([kind.value for kind in ExecutorKind]),
                     default=ExecutorKind.LOCAL.value, show_default=True,
                     help="Where buckets are scanned: local (this process), or dask (tasks on "
                          "a Dask cluster; needs bucketscan[distributed])."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --executor dask: the scheduler (tcp://host:8786); without it, "
                          "a LocalCluster on this machine."),
        click.option("--dask-workers", type=click.IntRange(1), default=2, show_default=True,
                     help="Worker processes (one thread each) of the LocalCluster."),
        click.option("--account-concurrency", type=click.IntRange(1), default=4,
                     show_default=True,
                     help="With --executor dask: buckets (or key ranges) of one account "
                          "scanned at once, over the whole cluster."),
        click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="An earlier JSON report: record new and resolved findings."),
        click.option("--state", "state_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="A state file (SQLite; made if absent): objects unchanged since an "
                          "earlier run with it (same ETag, last-modified, size and content "
                          "analysis) are not read again, their finding is reported marked "
                          "carried_from; finished units are recorded for --resume. It holds "
                          "bucket names, hashed keys, ETags and redacted outcomes, no content."),
        click.option("--resume", is_flag=True,
                     help="With --state: continue the interrupted run it records (same options): "
                          "its finished units are reported as they were, the rest is scanned."),
        click.option("--mutelist", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A YAML file of accepted findings and intended-public buckets: they "
                          "stay in the report, marked muted, and do not count for --fail-on."),
        CONFIG_OPTION,
        click.option("--fail-on", type=click.Choice([value.value for value in FailOn]),
                     help="Exit 1 on: finding, an exposed (or possibly exposed) ID document or "
                          "résumé; unreadable, that or an exposed object that could not be "
                          "read; new, a finding not in --baseline; exposure, any bucket "
                          "readable or listable from outside, or unknown; never. "
                          "[default: finding; exposure with --no-content]"),
        click.option("--fail-severity", type=click.Choice([value.value for value in Severity]),
                     default=Severity.LOW.value, show_default=True,
                     help="Findings less severe than this do not count for --fail-on "
                          "(finding, unreadable, new): critical pages only for public ID "
                          "documents."),
        click.option("--redact-keys", is_flag=True,
                     help="Mask names and numbers in object keys, as evidence is masked, in "
                          "the report and on the terminal (for reports that leave the team)."),
        click.option("--verify-anonymous", is_flag=True,
                     help="After the verdicts, check them from outside with unsigned requests: "
                          "the listing and one public and one private object of every bucket "
                          "judged public, and of up to 3 buckets judged private (the same ones "
                          "every run). A HEAD or metadata request only, no content. A public "
                          "verdict refused, or a private one answered, is reported as a "
                          "disagreement."),
        click.option("--missing-ok", is_flag=True,
                     help="A named bucket or container that does not exist is not an error."),
        click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr."),
        click.option("--verbose", "-v", is_flag=True,
                     help="Also print, on stderr as they happen, each bucket's verdicts with "
                          "their reasons, retries, skipped and unreadable objects (even with -q)."),
        click.option("--notify", "notify", multiple=True, metavar="URL",
                     help="After the scan, POST a summary to this webhook (Slack-compatible "
                          "JSON; repeatable). A failure is a warning, never a failed scan."),
        click.option("--metrics-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write Prometheus metrics here (node_exporter textfile collector, "
                          "e.g. bucketscan.prom); needs the metrics extra."),
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
        redact_keys=kwargs["redact_keys"],
        verify_anonymous=kwargs["verify_anonymous"],
    )


def check_state(kwargs: dict[str, Any]) -> None:
    """--resume needs --state, and replays no anonymous checks."""
    if kwargs["resume"] and kwargs["state_file"] is None:
        raise ScanError("--resume needs --state FILE: the state file records what to resume")
    if kwargs["resume"] and kwargs["verify_anonymous"]:
        raise ScanError("--resume cannot replay --verify-anonymous checks: drop one of them")


def open_state(
    kwargs: dict[str, Any], provider: str, options: ScanOptions, console: Console
) -> ScanState | None:
    """The --state file opened for this run (None without it); says when nothing was resumed."""
    path = kwargs["state_file"]
    if path is None:
        return None
    state, resumed = ScanState.open(
        path,
        settings=run_settings(provider, options),
        fingerprint=content_fingerprint(options),
        resume=kwargs["resume"],
    )
    if kwargs["resume"] and not resumed:
        line = f"--resume: no interrupted run in {path}: scanning from the start"
        console.print(f"[bold yellow]warning:[/] {escape(line)}", soft_wrap=True)
    return state


def fail_on_of(kwargs: dict[str, Any]) -> FailOn:
    """What makes the scan exit 1; a request that needs content it was told not to read fails."""
    chosen = kwargs["fail_on"]
    if chosen is None:
        return FailOn.EXPOSURE if kwargs["no_content"] else FailOn.FINDING
    fail_on = FailOn(chosen)
    if kwargs["no_content"] and fail_on in NEEDS_CONTENT:
        raise ScanError(
            f"--fail-on {fail_on} needs content analysis: drop --no-content, "
            "or use --fail-on exposure"
        )
    return fail_on


def exit_status(outcome: ScanOutcome, fail_on: str, *, missing_ok: bool = False) -> int:
    """0 when clean, 1 when the scan found what `--fail-on` names, 2 when it could not tell."""
    return scan_verdict(outcome, FailOn(fail_on), missing_ok=missing_ok).code


def fail(message: str) -> None:
    """End the command: one line on stderr naming what to fix, exit 2."""
    Console(stderr=True).print(f"[bold red]error:[/] {escape(one_line(message))}", soft_wrap=True)
    sys.exit(EXIT_ERROR)


def execute(
    open_provider: Callable[[Meter], Provider],
    kwargs: dict[str, Any],
    endpoint: str | None = None,
) -> None:
    """Check the inputs, open a provider, scan it, write the report, exit with the status."""
    console = Console(stderr=True)
    verbose = VerboseLog(console) if kwargs["verbose"] else None
    meter = Meter(on_retry=verbose.retry if verbose else None)
    try:
        fail_on = fail_on_of(kwargs)
        check_output(kwargs["output"])
        check_output_dir(kwargs["output_dir"])
        mutelist = load_mutelist(kwargs["mutelist"])
        planned = destinations(kwargs["fmt"], kwargs["output"], kwargs["output_dir"])
        check_metrics_file(kwargs["metrics_file"])
        for url in kwargs["notify"]:
            check_notify_url(url)
        check_state(kwargs)
        executor = executor_choice(kwargs)
        check_choice(executor, options_from(kwargs), state=kwargs["state_file"] is not None)
    except ScanError as error:
        fail(str(error))
    today = datetime.now(UTC).date()
    for line in expiry_warnings(mutelist, today):  # even with --quiet: it no longer mutes
        console.print(f"[bold yellow]warning:[/] {escape(line)}", soft_wrap=True)
    options = options_from(kwargs)
    stats = ScanStats(on_note=verbose.note if verbose else None)
    stop = Stop()  # SIGINT/SIGTERM end the scan early with an incomplete report, exit 128+N
    try:
        baseline = (
            Baseline.load(kwargs["baseline"], redact_keys=kwargs["redact_keys"])
            if kwargs["baseline"]
            else None
        )
        provider = open_provider(meter)
        state = open_state(kwargs, provider.name, options, console)
        with (
            stop_on_signals(stop),
            state or nullcontext(),
            event_source(
                executor, provider, options, meter=meter, stats=stats, stop=stop
            ) as source,
            open_writers(planned) as writers,
        ):
            outcome = run_scan(
                provider,
                options,
                (*writers, *([verbose] if verbose else [])),
                meter=meter,
                stats=stats,
                progress=live_progress(stats, quiet=kwargs["quiet"], stop=stop, console=console),
                baseline=baseline,
                stop=stop,
                mutelist=mutelist,
                today=today,
                state=state,
                source=source,
            )
    except (ProviderError, BaselineError, ScanError, StateError) as error:
        fail(str(error))
    except Exception as error:  # whatever escaped still ends in one line, exit 2
        if os.environ.get("BUCKETSCAN_DEBUG"):
            raise
        fail(failure_message(error, endpoint))
    if not kwargs["quiet"] and (planned[0].path is not None or not sys.stdout.isatty()):
        print_scan(console, outcome)
    warning = disagreement_warning(outcome)
    if warning is not None:  # even with --quiet: a verdict the outside contradicts
        console.print(warning, soft_wrap=True)
    publish(
        outcome,
        notify=kwargs["notify"],
        metrics_file=kwargs["metrics_file"],
        warn=lambda line: console.print(f"[bold yellow]warning:[/] {escape(line)}", soft_wrap=True),
    )
    if stop.signal is not None and not outcome.meta.complete:
        message = f"interrupted ({stop.signal.name}): the report is marked incomplete"
        console.print(f"[bold yellow]{message}[/]", soft_wrap=True)
        sys.exit(128 + stop.signal)
    floor = Severity(kwargs["fail_severity"])
    verdict = scan_verdict(outcome, fail_on, missing_ok=kwargs["missing_ok"], floor=floor)
    if verdict.message is not None:
        fail(verdict.message)
    sys.exit(verdict.code)


class OneLineErrors(click.Group):
    """A command group whose usage errors are one line on stderr, and exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command; a usage mistake or an interrupt ends in one line, no traceback."""
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as error:
            hint = f" (see {error.ctx.command_path} --help)" if error.ctx else ""
            fail(f"{error.format_message()}{config_source(error)}{hint}")
        except click.ClickException as error:
            fail(error.format_message())
        except click.exceptions.Abort:
            Console(stderr=True).print("[bold red]error:[/] interrupted", soft_wrap=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=OneLineErrors)
@click.version_option(__version__, prog_name="bucketscan")
def main() -> None:
    """Find world-readable cloud storage and the ID scans and résumés inside it."""


@main.group(epilog=EXIT_CODES_HELP)
def scan() -> None:
    """Scan a cloud account's buckets; exit 0 clean, 1 what --fail-on names, 2 could not scan."""


@scan.command("aws", epilog=EXIT_CODES_HELP)
@click.option("--profile", help="AWS profile (default: the standard credential chain).")
@click.option("--region", help="Region for API calls.")
@click.option("--endpoint-url", help="S3-compatible endpoint (AWS_ENDPOINT_URL also works).")
@click.option("--bucket", "buckets", multiple=True, help="Only this bucket (repeatable).")
@click.option(
    "--organization",
    is_flag=True,
    help="Scan every active account of the organisation (signed in to its management "
    "account or a delegated administrator) into one report.",
)
@click.option("--role-name", help="With --organization: the role assumed in each account.")
@click.option("--external-id", help="With --organization: the ExternalId the role requires.")
@click.option(
    "--max-accounts",
    type=click.IntRange(1),
    help="With --organization: scan at most this many accounts.",
)
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    metavar="[BUCKET=]S3URL",
    help="Take a bucket's keys (and object ACLs) from its S3 Inventory instead of "
    "listing it: s3://DEST/…/manifest.json, or a configuration's prefix "
    "s3://DEST/PREFIX/SOURCE-BUCKET/CONFIG-ID/ for its latest report "
    "(repeatable; needs the inventory extra).",
)
@click.option(
    "--inventory-range-keys",
    type=click.IntRange(1),
    metavar="N",
    help="Cut an inventoried bucket into key ranges of about N keys scanned in "
    "parallel [default: from its object count and --io-threads].",
)
@click.option(
    "--no-access-analyzer",
    "access_analyzer",
    flag_value=False,
    default=True,
    help="Do not ask IAM Access Analyzer (CheckNoPublicAccess, billed per call) for a second "
    "opinion on bucket policies.",
)
@scan_options
def scan_aws(
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    buckets: tuple[str, ...],
    organization: bool,
    role_name: str | None,
    external_id: str | None,
    max_accounts: int | None,
    access_analyzer: bool,
    **kwargs: Any,
) -> None:
    """Scan S3 buckets of an AWS account, or of every account of an organisation.

    Example: bucketscan scan aws --organization --role-name audit --output report.json
    """
    from bucketscan.providers.aws import open_aws

    if organization != (role_name is not None):
        raise click.UsageError("--organization and --role-name go together")
    if not organization and (external_id is not None or max_accounts is not None):
        raise click.UsageError("--external-id and --max-accounts need --organization")
    endpoint = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    try:
        check_endpoint_url(endpoint, "--endpoint-url" if endpoint_url else "AWS_ENDPOINT_URL")
    except ScanError as error:
        fail(str(error))
    inventories, range_keys = kwargs.pop("inventories"), kwargs.pop("inventory_range_keys")
    if inventories and (organization or kwargs["executor"] == ExecutorKind.DASK):
        raise click.UsageError("--inventory is for one account's local scan, not a sweep yet")
    if organization or kwargs["executor"] == ExecutorKind.DASK:
        from bucketscan.providers.aws_org import OrgSweep, open_sweep
        from bucketscan.providers.aws_spec import AwsSpec

        sweep = OrgSweep(role_name, external_id, max_accounts) if role_name else None
        base = AwsSpec("", profile=profile, region=region, endpoint_url=endpoint,
                       bucket_names=buckets, io_threads=kwargs["io_threads"],
                       access_analyzer=access_analyzer)  # fmt: skip
        execute(lambda meter: open_sweep(sweep, base, meter), kwargs, endpoint)
        return
    execute(
        lambda meter: open_aws(
            profile,
            region,
            endpoint_url,
            buckets,
            meter,
            io_threads=kwargs["io_threads"],
            inventories=tuple(inventories),
            inventory_range_keys=range_keys,
            access_analyzer=access_analyzer,
        ),
        kwargs,
        endpoint,
    )


@scan.command("gcs", epilog=EXIT_CODES_HELP)
@click.option(
    "--project",
    "projects",
    multiple=True,
    help="List the buckets of this project (repeatable; default: the ADC project).",
)
@click.option(
    "--organization",
    "organizations",
    multiple=True,
    metavar="ORG_ID",
    help="Scan every active project of this organisation, sub-folders included (repeatable; "
    "needs bucketscan[org]).",
)
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="FOLDER_ID",
    help="Scan every active project under this folder, sub-folders included (repeatable).",
)
@click.option(
    "--endpoint-url",
    help="GCS JSON API endpoint, e.g. an emulator (STORAGE_EMULATOR_HOST also works).",
)
@click.option("--bucket", "buckets", multiple=True, help="Only this bucket (repeatable).")
@scan_options
def scan_gcs(
    projects: tuple[str, ...],
    organizations: tuple[str, ...],
    folders: tuple[str, ...],
    endpoint_url: str | None,
    buckets: tuple[str, ...],
    **kwargs: Any,
) -> None:
    """Scan Google Cloud Storage buckets with Application Default Credentials.

    Example: bucketscan scan gcs --organization 123456789012 --output report.json
    """
    from bucketscan.providers.gcp_projects import ParentKind, parent_name
    from bucketscan.providers.gcs import open_gcs

    if buckets and (organizations or folders):
        raise click.UsageError("--bucket names buckets; --organization and --folder find projects")
    try:  # a bare host:port is taken as http://, as STORAGE_EMULATOR_HOST is
        check_endpoint_url(endpoint_url, "--endpoint-url", scheme_optional=True)
        parents = (
            *(parent_name(ParentKind.ORGANIZATION, value) for value in organizations),
            *(parent_name(ParentKind.FOLDER, value) for value in folders),
        )
    except (ScanError, ProviderError) as error:
        fail(str(error))
    execute(
        lambda meter: open_gcs(projects, endpoint_url, buckets, meter, parents=parents),
        kwargs,
        endpoint_url,
    )


@scan.command("azure", epilog=EXIT_CODES_HELP)
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
@click.option(
    "--all-subscriptions",
    is_flag=True,
    help="Scan every storage account of every enabled subscription the credential sees "
    "(needs bucketscan[org]).",
)
@scan_options
def scan_azure(
    account_url: str | None,
    connection_string: str | None,
    containers: tuple[str, ...],
    subscription: str | None,
    all_subscriptions: bool,
    **kwargs: Any,
) -> None:
    """Scan Azure Blob containers of one storage account, or of every account of a subscription.

    Example: bucketscan scan azure --subscription 0000-... --output report.json
    """
    from bucketscan.providers.azure import open_azure

    from_environment = (
        click.get_current_context().get_parameter_source("connection_string")
        is ParameterSource.ENVIRONMENT
    )
    if all_subscriptions:
        if account_url or subscription or (connection_string and not from_environment):
            raise click.UsageError(
                "--all-subscriptions finds every account: pass no --account-url, "
                "--connection-string or --subscription with it"
            )
        connection_string = None  # the sweep wins over the environment's default account
    if account_url is not None and connection_string is not None:
        if not from_environment:
            raise click.UsageError("pass --account-url or --connection-string, not both")
        connection_string = None  # an explicit URL wins over the environment's default
    # DefaultAzureCredential logs every credential it tried, on many lines; the error says enough.
    logging.getLogger("azure.identity").setLevel(logging.CRITICAL)
    execute(
        lambda meter: open_azure(
            account_url,
            connection_string,
            containers,
            meter,
            subscription,
            all_subscriptions=all_subscriptions,
        ),
        kwargs,
        account_url,
    )


CLASSIFY_EXIT_HELP = (
    "Exit status: 0 every file was classified (whatever it holds; files that could not be read "
    "say why in their row); 2 a path or an option is wrong: one line on stderr names it."
)


@main.command(epilog=CLASSIFY_EXIT_HELP)
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
        from bucketscan.scanner.console.terminal import print_classifications

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
