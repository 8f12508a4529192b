"""Readable terminal summaries of scans and classifications (rich)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bucketscan.policies.detectors.scoring import WEIGHTS
from bucketscan.policies.keys import visible
from bucketscan.policies.verification import DISAGREES_LINE, Agreement
from bucketscan.records.common import OUTSIDE, Exposure
from bucketscan.records.content import Signal
from bucketscan.scanner.cost import retry_note
from bucketscan.scanner.report.serialize import reason_lines
from bucketscan.scanner.runner import ScanOutcome

_STYLE = {
    Exposure.PUBLIC: "bold red",
    Exposure.AUTHENTICATED: "yellow",
    Exposure.UNKNOWN: "magenta",
    Exposure.PRIVATE: "green",
}


EVIDENCE_CELLS = 44
UNREADABLE_SHOWN = 20  # the report lists every one; the terminal, those readable outside first
DISAGREEMENTS_SHOWN = 3


def _exposure(value: Exposure) -> str:
    return f"[{_STYLE[value]}]{value.value}[/]"


def text(value: object) -> str:
    """Untrusted text (keys, names, SDK messages) as inert terminal text: no markup, no controls."""
    return escape(visible(str(value)))


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
            text(result.ref.name),
            _exposure(result.access.read),
            _exposure(result.access.list),
            _exposure(result.access.write),
            f"{result.findings:,}",
        )
    console.print(buckets)
    for result in ordered:
        console.print(
            f"  [bold]{text(result.ref.name)}[/] [dim]{result.objects_listed:,} objects listed, "
            f"{result.objects_inspected:,} inspected{_carried(result.objects_carried_forward)}"
            f"{', listing cut short' * result.truncated}[/]"
            f"{_unreadable_count(result.unreadable)}"
        )
        for line in reason_lines(result):
            style = "magenta" if line.startswith("error: ") or result.missing else "default"
            style = "bold red" if line.startswith(DISAGREES_LINE) else style
            console.print(f"    [{style}]{text(line)}[/]")
    # Two lines per finding, not a table: object keys are long (UUID names) and must stay whole.
    console.print(f"\n[bold]Exposed sensitive files[/] ({len(outcome.findings)})")
    ranked = sorted(outcome.findings, key=lambda f: (-f.confidence, f.bucket, f.key))
    for finding in ranked:
        evidence = text(_shorten(_strongest(finding.evidence), EVIDENCE_CELLS))
        console.print(
            f"  [bold]{finding.severity.value:<8}[/] {_exposure(finding.exposure)} "
            f"[cyan]{finding.document_type}[/] {finding.confidence:.2f}  {evidence}"
        )
        console.print(f"    {text(finding.bucket)}/{text(finding.key)}", soft_wrap=True)
        if finding.mute_reason is not None:
            console.print(f"      [dim]muted: {text(finding.mute_reason)}[/]", soft_wrap=True)
        for note in finding.notes:
            console.print(f"      [dim]{text(note)}[/]", soft_wrap=True)
    _print_unreadable(console, outcome)
    summary = outcome.summary
    by_type = ", ".join(
        f"{name} {count}" for name, count in sorted(summary.findings_by_type.items())
    )
    console.print(
        f"[bold]{summary.buckets}[/] buckets · "
        f"[bold]{summary.objects_listed:,}[/] objects listed · "
        f"[bold]{summary.objects_inspected:,}[/] inspected · "
        f"{_carried_total(summary.objects_carried_forward)}"
        f"[bold red]{sum(summary.findings_by_severity.values())}[/] findings"
        f"{f' ({by_type})' if by_type else ''} · "
        f"{f'{summary.findings_muted} muted · ' if summary.findings_muted else ''}"
        f"{_unreadable_total(summary.objects_unreadable)}"
        f"{_not_judged_total(summary.objects_not_judged, summary.buckets_not_listed)}"
        f"{sum(summary.cost.requests.values()):,} API requests"
        f"{retry_note(summary.cost.requests_sent, summary.cost.retries)} · "
        f"{summary.cost.bytes_read / 1e6:.1f} MB read · ~${summary.cost.estimated_usd:.4f} · "
        f"{outcome.meta.duration_s or 0:.1f} s"
    )


def disagreement_warning(outcome: ScanOutcome) -> str | None:
    """One line when anonymous probes contradicted verdicts: how many, and where (markup)."""
    count = outcome.summary.disagreements
    if not count:
        return None
    where = [
        f"{text(result.ref.name)} ({item.probe.target.value} judged {item.verdict.value}, "
        f"unsigned {text(item.probe.request)} answered {text(item.probe.detail)})"
        for result in sorted(outcome.buckets, key=lambda r: (r.ref.account, r.ref.name))
        for item in result.verification
        if item.agreement is Agreement.DISAGREES
    ]
    shown = "; ".join(where[:DISAGREEMENTS_SHOWN])
    hidden = len(where) - DISAGREEMENTS_SHOWN
    more = f"; {hidden} more in the report" if hidden > 0 else ""
    checks = "check disagrees" if count == 1 else "checks disagree"
    return f"[bold yellow]warning:[/] {count} anonymous {checks} with the verdicts: {shown}{more}"


def _carried(count: int) -> str:
    """`, N carried forward` when --state spared objects a second reading."""
    return f", {count:,} carried forward" if count else ""


def _carried_total(count: int) -> str:
    """`N carried forward (not read again) · ` when --state spared objects a second reading."""
    return f"[bold]{count:,}[/] carried forward (not read again) · " if count else ""


def _unreadable_count(count: int) -> str:
    return f"[magenta], {count:,} could not be read[/]" if count else ""


def _print_unreadable(console: Console, outcome: ScanOutcome) -> None:
    """Objects whose content could not be read: could not tell, so never left out as clean."""
    total = sum(outcome.summary.objects_unreadable.values())
    if not total:
        return
    console.print(f"\n[bold magenta]Could not tell: files that could not be read[/] ({total:,})")
    ranked = sorted(outcome.unreadable, key=lambda u: (u.exposure not in OUTSIDE, u.bucket, u.key))
    shown = ranked[:UNREADABLE_SHOWN]
    for item in shown:
        console.print(f"  {_exposure(item.exposure)} [magenta]{text(item.reason)}[/]")
        console.print(f"    {text(item.bucket)}/{text(item.key)}", soft_wrap=True)
    if total > len(shown):
        console.print(f"  [dim]… {total - len(shown):,} more in the report[/]")


def _unreadable_total(reasons: dict[str, int]) -> str:
    """The could-not-tell count with its reasons, for the totals line."""
    if not reasons:
        return ""
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    detail = ", ".join(f"{text(reason)} {count}" for reason, count in ranked)
    return f"[bold magenta]{sum(reasons.values()):,}[/] could not be read ({detail}) · "


def _not_judged_total(reasons: dict[str, int], not_listed: int) -> str:
    """Exposed objects whose content was never analysed, and buckets never listed: not clean."""
    parts = []
    if reasons:
        ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        detail = ", ".join(
            f"{text(reason).replace('_', ' ')} {count:,}" for reason, count in ranked
        )
        parts.append(f"[bold magenta]{sum(reasons.values()):,}[/] exposed not judged ({detail}) · ")
    if not_listed:
        parts.append(f"[bold magenta]{not_listed}[/] possibly readable buckets not listed · ")
    return "".join(parts)


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
    """One line per file: what it is and why; then how many of each."""
    table = Table()
    for column in ("path", "category", "type", "conf.", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        evidence = row.get("evidence") or []
        assert isinstance(evidence, list)
        table.add_row(
            text(row["path"]),
            _category_cell(row),
            str(row["document_type"] or "-"),
            f"{row['confidence']:.2f}" if isinstance(row["confidence"], float) else "-",
            text("; ".join(str(e.get("snippet") or e.get("reason")) for e in evidence[:2])),
        )
    console.print(table)
    console.print(_classification_totals(rows))


def _category_cell(row: dict[str, object]) -> str:
    if _outcome(row) == "unreadable":
        return f"unreadable ({text(row['unreadable'])})"
    return str(row["category"] or "-")


def _classification_totals(rows: Sequence[dict[str, object]]) -> str:
    """One line: files, then how many per category, could not be read, or were not analysed."""
    counts = Counter(_outcome(row) for row in rows)
    parts = [f"{count:,} {name}" for name, count in sorted(counts.items()) if name != "-"]
    return " · ".join([f"{len(rows):,} files", *parts])


def _outcome(row: dict[str, object]) -> str:
    if row["category"]:
        return str(row["category"])
    if row.get("unreadable"):
        return "unreadable"
    return "not analysed" if row["confidence"] is None else "-"
