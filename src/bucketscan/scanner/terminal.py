"""Readable terminal summaries of scans and classifications (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bucketscan.policies.detectors.scoring import WEIGHTS
from bucketscan.records.common import Exposure
from bucketscan.records.content import Signal
from bucketscan.scanner.runner import ScanOutcome

_STYLE = {
    Exposure.PUBLIC: "bold red",
    Exposure.AUTHENTICATED: "yellow",
    Exposure.UNKNOWN: "magenta",
    Exposure.PRIVATE: "green",
}


EVIDENCE_CELLS = 44


def _exposure(value: Exposure) -> str:
    return f"[{_STYLE[value]}]{value.value}[/]"


def print_scan(console: Console, outcome: ScanOutcome) -> None:
    """Buckets with their verdicts and reasons, then the findings, then the totals."""
    ordered = sorted(outcome.buckets, key=lambda r: r.ref.name)
    buckets = Table(title="Buckets", title_justify="left", box=box.SIMPLE_HEAD)
    buckets.add_column("bucket", no_wrap=True)
    for column in ("read", "list", "write"):
        buckets.add_column(column, no_wrap=True)
    buckets.add_column("findings", no_wrap=True, justify="right")
    for result in ordered:
        buckets.add_row(
            escape(result.ref.name),
            _exposure(result.access.read),
            _exposure(result.access.list),
            _exposure(result.access.write),
            f"{result.findings:,}",
        )
    console.print(buckets)
    for result in ordered:
        console.print(
            f"  [bold]{escape(result.ref.name)}[/] [dim]{result.objects_listed:,} objects listed, "
            f"{result.objects_inspected:,} inspected{', listing cut short' * result.truncated}[/]"
        )
        for reason in result.access.reasons:
            console.print(f"    {escape(reason)}")
        for error in result.errors:
            console.print(f"    [magenta]{escape(error)}[/]")
    # Two lines per finding, not a table: object keys are long (UUID names) and must stay whole.
    console.print(f"\n[bold]Exposed sensitive files[/] ({len(outcome.findings)})")
    ranked = sorted(outcome.findings, key=lambda f: (-f.confidence, f.bucket, f.key))
    for finding in ranked:
        evidence = escape(_shorten(_strongest(finding.evidence), EVIDENCE_CELLS))
        console.print(
            f"  [bold]{finding.severity.value:<8}[/] {_exposure(finding.exposure)} "
            f"[cyan]{finding.document_type}[/] {finding.confidence:.2f}  {evidence}"
        )
        console.print(f"    {escape(finding.bucket)}/{escape(finding.key)}", soft_wrap=True)
    summary = outcome.summary
    by_type = ", ".join(
        f"{name} {count}" for name, count in sorted(summary.findings_by_type.items())
    )
    console.print(
        f"[bold]{summary.buckets}[/] buckets · "
        f"[bold]{summary.objects_listed:,}[/] objects listed · "
        f"[bold]{summary.objects_inspected:,}[/] inspected · "
        f"[bold red]{sum(summary.findings_by_severity.values())}[/] findings"
        f"{f' ({by_type})' if by_type else ''} · "
        f"{sum(summary.cost.requests.values()):,} API requests · "
        f"{summary.cost.bytes_read / 1e6:.1f} MB read · ~${summary.cost.estimated_usd:.4f} · "
        f"{outcome.meta.duration_s or 0:.1f} s"
    )


def _strongest(evidence: Sequence[Signal]) -> str:
    """The snippet (or reason) of the strongest signal: what a reader checks first."""
    if not evidence:
        return ""
    top = max(evidence, key=lambda signal: WEIGHTS[signal.strength])
    return top.snippet or top.reason


def _shorten(text: str, cells: int) -> str:
    """Cut text to a number of terminal cells (CJK characters take two)."""
    if cell_len(text) <= cells:
        return text
    while cell_len(text) > cells - 1:
        text = text[:-1]
    return text + "…"


def print_classifications(console: Console, rows: Sequence[dict[str, object]]) -> None:
    """One line per file: what it is and why."""
    table = Table()
    for column in ("path", "category", "type", "conf.", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        evidence = row.get("evidence") or []
        assert isinstance(evidence, list)
        table.add_row(
            str(row["path"]),
            str(row["category"] or "-"),
            str(row["document_type"] or "-"),
            f"{row['confidence']:.2f}" if isinstance(row["confidence"], float) else "-",
            "; ".join(str(e.get("snippet") or e.get("reason")) for e in evidence[:2]),
        )
    console.print(table)
