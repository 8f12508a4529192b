"""Readable terminal summaries of scans and classifications (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from bucketscan.records.common import Exposure
from bucketscan.scanner.runner import ScanOutcome

_STYLE = {
    Exposure.PUBLIC: "bold red",
    Exposure.AUTHENTICATED: "yellow",
    Exposure.UNKNOWN: "magenta",
    Exposure.PRIVATE: "green",
}


def _exposure(value: Exposure) -> str:
    return f"[{_STYLE[value]}]{value.value}[/]"


def print_scan(console: Console, outcome: ScanOutcome) -> None:
    """Buckets with their verdicts, then the findings, then the totals."""
    buckets = Table(title="Buckets", title_justify="left")
    for column in ("bucket", "read", "list", "write", "objects", "inspected", "findings"):
        buckets.add_column(column)
    for result in sorted(outcome.buckets, key=lambda r: r.ref.name):
        buckets.add_row(
            f"{result.ref.provider}:{result.ref.name}",
            _exposure(result.access.read),
            _exposure(result.access.list),
            _exposure(result.access.write),
            str(result.objects_listed),
            str(result.objects_inspected),
            str(result.findings),
        )
    console.print(buckets)
    for result in sorted(outcome.buckets, key=lambda r: r.ref.name):
        for reason in result.access.reasons:
            console.print(f"  [dim]{result.ref.name}:[/] {reason}")
        for error in result.errors:
            console.print(f"  [magenta]{result.ref.name}: {error}[/]")
    findings = Table(title="Exposed sensitive files", title_justify="left")
    for column in ("severity", "exposure", "type", "conf.", "object", "evidence"):
        findings.add_column(column, overflow="fold")
    ranked = sorted(outcome.findings, key=lambda f: (-f.confidence, f.bucket, f.key))
    for finding in ranked:
        evidence = "; ".join(signal.snippet or signal.reason for signal in finding.evidence[:2])
        findings.add_row(
            finding.severity.value,
            _exposure(finding.exposure),
            finding.document_type,
            f"{finding.confidence:.2f}",
            f"{finding.bucket}/{finding.key}",
            evidence,
        )
    console.print(findings)
    summary = outcome.summary
    console.print(
        f"[bold]{summary.buckets}[/] buckets, [bold]{summary.objects_listed}[/] objects listed, "
        f"[bold]{summary.objects_inspected}[/] inspected, "
        f"[bold red]{sum(summary.findings_by_severity.values())}[/] findings "
        f"{dict(sorted(summary.findings_by_type.items()))}; "
        f"{sum(summary.cost.requests.values())} API requests, "
        f"{summary.cost.bytes_read:,} bytes read, ~${summary.cost.estimated_usd:.4f}; "
        f"{outcome.meta.duration_s}s"
    )


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
