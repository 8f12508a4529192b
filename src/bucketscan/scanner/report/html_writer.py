"""One self-contained HTML file for auditors: summary, verdicts with reasons, redacted findings."""

# Everything is inline (CSS, a little JS to filter and sort); a Content-Security-Policy allows only
# that CSS and that script by hash, so nothing is fetched and no injected handler could run. Keys
# and reasons are untrusted text: Jinja2 autoescapes them and every printed string has its control
# characters shown as escapes first (`visible`), as the Markdown report does.

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, TextIO

from bucketscan.policies.keys import visible
from bucketscan.policies.severity import Severity
from bucketscan.policies.verification import Agreement
from bucketscan.records.common import Exposure
from bucketscan.scanner.cost import retry_note
from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.collecting import CollectingWriter
from bucketscan.scanner.report.serialize import reason_lines

if TYPE_CHECKING:
    from jinja2 import Template
    from markupsafe import Markup

TEMPLATE = "report.html.j2"
_PACKAGE = "bucketscan.scanner.report"
_SEVERITY_RANK = {severity.value: rank for rank, severity in enumerate(Severity)}
# Widest first, so an ascending sort puts what the whole internet can read on top.
_EXPOSURE_RANK = {
    Exposure.PUBLIC: 0,
    Exposure.AUTHENTICATED: 1,
    Exposure.UNKNOWN: 2,
    Exposure.PRIVATE: 3,
}


@dataclass(frozen=True)
class Stat:
    """One labelled figure of the summary, with an optional breakdown and a colour."""

    label: str
    value: str
    detail: str = ""
    tone: str = ""


@dataclass(frozen=True)
class BucketRow:
    """One bucket: its three verdicts, what the scan did in it and why it is (not) exposed."""

    account: str
    name: str
    region: str
    read: str
    list: str
    write: str
    listed: int
    inspected: int
    findings: int
    unreadable: int
    exposed: bool
    rank: int
    reasons: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceLine:
    """One redacted signal of a finding."""

    detector: str
    kind: str
    strength: str
    reason: str
    snippet: str


@dataclass(frozen=True)
class FindingRow:
    """One exposed sensitive file, evidence redacted."""

    id: str
    muted: str  # the mutelist's reason, "" when not muted
    severity: str
    severity_rank: int
    exposure: str
    exposure_rank: int
    exposure_reasons: tuple[str, ...]
    document_type: str
    category: str
    confidence: float
    bucket: str
    key: str
    size: int
    size_text: str
    evidence: tuple[EvidenceLine, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class UnreadableRow:
    """One exposed file nobody could tell about."""

    exposure: str
    exposure_rank: int
    bucket: str
    key: str
    size: int
    size_text: str
    reason: str
    failed: bool
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """Everything the template shows, already ordered and formatted."""

    provider: str
    tool: str
    version: str
    started: str
    finished: str
    duration: str
    complete: bool
    interruption: tuple[str, ...]
    keys_redacted: bool
    severities: tuple[Stat, ...]
    document_types: tuple[Stat, ...]
    verdicts: tuple[Stat, ...]
    coverage: tuple[Stat, ...]
    cost: tuple[Stat, ...]
    checks: tuple[Stat, ...]
    buckets: tuple[BucketRow, ...]
    findings: tuple[FindingRow, ...]
    unreadable: tuple[UnreadableRow, ...]


class HtmlWriter(CollectingWriter):
    """Keeps bucket results and findings (never listings) and writes the page at the end."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._template = load_template()  # before the scan: a missing Jinja2 fails at once

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole page."""
        page = build_page(meta, summary, self._buckets, self._findings, self._unreadable)
        self._stream.write(render(self._template, page))


def load_template() -> Template:
    """The report template, autoescaping, every printed string made visible first."""
    try:
        import jinja2
    except ImportError as error:
        raise ScanError("--format html needs Jinja2: pip install 'bucketscan[html]'") from error
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["thousands"] = _thousands
    return environment.get_template(TEMPLATE)


def render(template: Template, page: Page) -> str:
    """The page as one HTML document; the inline CSS and script are allowed by their hashes."""
    css, css_hash = _asset("report.css")
    script, script_hash = _asset("report.js")
    return template.render(
        page=page, css=css, script=script, css_hash=css_hash, script_hash=script_hash
    )


def _asset(name: str) -> tuple[Markup, str]:
    """Trusted package text as Markup (printed as is) and its CSP hash source."""
    from markupsafe import Markup

    text = resources.files(_PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return Markup(text), f"'sha256-{digest}'"


def _thousands(count: int) -> str:
    return f"{count:,}"


def _shown(value: object) -> object:
    """What `{{ … }}` prints: text with controls as escapes; trusted Markup is left alone."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return visible(value)
    return value


def build_page(
    meta: ScanMeta,
    summary: ScanSummary,
    buckets: list[BucketResult],
    findings: list[Finding],
    unreadable: list[UnreadableObject],
) -> Page:
    """The records of one scan, ordered and formatted for the template."""
    return Page(
        provider=meta.provider,
        tool=meta.tool,
        version=meta.version,
        started=meta.started_at,
        finished=meta.finished_at or "not finished",
        duration=_duration(meta.duration_s),
        complete=meta.complete,
        interruption=_interruption(meta),
        keys_redacted=bool(meta.options.get("redact_keys")),
        severities=tuple(
            Stat(s.value, f"{summary.findings_by_severity.get(s.value, 0):,}", tone=s.value)
            for s in Severity
        ),
        document_types=tuple(
            Stat(name, f"{count:,}") for name, count in _ranked(summary.findings_by_type)
        ),
        verdicts=_verdicts(summary),
        coverage=_coverage(summary),
        cost=_cost(summary),
        checks=_checks(meta, summary),
        buckets=tuple(
            sorted(
                (_bucket_row(result) for result in buckets),
                key=lambda row: (not row.exposed, row.rank, -row.findings, row.account, row.name),
            )
        ),
        findings=tuple(
            sorted(
                (_finding_row(finding) for finding in findings),
                key=lambda row: (row.severity_rank, row.bucket, row.key),
            )
        ),
        unreadable=tuple(
            sorted(
                (_unreadable_row(item) for item in unreadable),
                key=lambda row: (row.exposure_rank, row.bucket, row.key),
            )
        ),
    )


def _interruption(meta: ScanMeta) -> tuple[str, ...]:
    """What an interrupted scan did not reach, one line each; empty when it ran to its end."""
    stopped = meta.interruption
    if stopped is None:
        return ()
    lines = [f"{what}: {which}" if which else what for what, which in stopped.unreached()]
    return (f"interrupted by {stopped.signal}", *lines)


def _verdicts(summary: ScanSummary) -> tuple[Stat, ...]:
    """Buckets by who can read and list them, and how many may be exposed."""
    stats = [
        Stat("buckets", f"{summary.buckets:,}"),
        Stat(
            "exposed or possibly exposed",
            f"{summary.buckets_possibly_exposed:,}",
            "read or list public, authenticated or unknown",
            "critical" if summary.buckets_possibly_exposed else "ok",
        ),
        Stat("readable by", _breakdown(summary.buckets_by_read) or "none"),
        Stat("listable by", _breakdown(summary.buckets_by_list) or "none"),
    ]
    if summary.buckets_missing:
        stats.append(
            Stat(
                "missing (named, do not exist)",
                f"{len(summary.buckets_missing):,}",
                ", ".join(summary.buckets_missing),
            )
        )
    if summary.buckets_not_listed:
        stats.append(
            Stat(
                "possibly readable, could not be listed",
                f"{summary.buckets_not_listed:,}",
                tone="high",
            )
        )
    return tuple(stats)


def _coverage(summary: ScanSummary) -> tuple[Stat, ...]:
    """How much of what was listed the scan looked at, and what it could not tell about."""
    unreadable = sum(summary.objects_unreadable.values())
    not_judged = sum(summary.objects_not_judged.values())
    return (
        Stat("listed", f"{summary.objects_listed:,}"),
        Stat(
            "inspected",
            f"{summary.objects_inspected:,}",
            f"{summary.objects_partly_read:,} only in part" if summary.objects_partly_read else "",
        ),
        Stat(
            "skipped",
            f"{sum(summary.objects_skipped.values()):,}",
            _breakdown(summary.objects_skipped),
        ),
        Stat(
            "could not tell (unreadable)",
            f"{unreadable:,}",
            _breakdown(summary.objects_unreadable),
            "high" if unreadable else "",
        ),
        Stat(
            "exposed, not judged",
            f"{not_judged:,}",
            _breakdown(summary.objects_not_judged),
            "high" if not_judged else "",
        ),
    )


def _cost(summary: ScanSummary) -> tuple[Stat, ...]:
    """API requests, bytes read, an approximate price, where the time went."""
    cost = summary.cost
    timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.timings.items())
    return (
        Stat(
            "API requests",
            f"{sum(cost.requests.values()):,}",
            retry_note(cost.requests_sent, cost.retries).strip(" ()"),
        ),
        Stat("bytes read", _size(cost.bytes_read), f"{cost.bytes_read:,} bytes"),
        Stat(
            "estimated price", f"${cost.estimated_usd:.4f}", "list prices, from outside the cloud"
        ),
        Stat("errors", f"{summary.errors:,}", tone="high" if summary.errors else ""),
        Stat("time by stage", timings or "not recorded", tone="plain"),
    )


def _checks(meta: ScanMeta, summary: ScanSummary) -> tuple[Stat, ...]:
    """The anonymous checks (--verify-anonymous) and the comparison with a baseline, if any."""
    stats: list[Stat] = []
    if meta.options.get("verify_anonymous"):
        counts = summary.verification
        disagree = summary.disagreements
        detail = (
            f"{counts.get(Agreement.AGREES.value, 0):,} agree, "
            f"{disagree:,} disagree with their verdict, "
            f"{counts.get(Agreement.UNVERIFIED.value, 0):,} could not verify, "
            f"{counts.get(Agreement.NO_VERDICT.value, 0):,} checked an unknown verdict"
        )
        stats.append(
            Stat(
                "anonymous checks",
                f"{sum(counts.values()):,}",
                detail,
                "critical" if disagree else "ok",
            )
        )
    if summary.changes is not None:
        new, resolved = summary.changes.get("new"), summary.changes.get("resolved")
        new_count = len(new) if isinstance(new, list) else 0
        resolved_count = len(resolved) if isinstance(resolved, list) else 0
        stats.append(
            Stat(
                "new findings since the baseline",
                f"{new_count:,}",
                f"{resolved_count:,} resolved; baseline {summary.changes.get('baseline')}",
                "critical" if new_count else "ok",
            )
        )
    return tuple(stats)


def _bucket_row(result: BucketResult) -> BucketRow:
    """One bucket for the table."""
    access = result.access
    flags = [
        flag
        for flag, on in (
            ("missing", result.missing),
            ("listing failed", result.listing_failed),
            ("truncated", result.truncated),
        )
        if on
    ]
    return BucketRow(
        account=result.ref.account,
        name=result.ref.name,
        region=result.ref.region or "",
        read=access.read.value,
        list=access.list.value,
        write=access.write.value,
        listed=result.objects_listed,
        inspected=result.objects_inspected,
        findings=result.findings,
        unreadable=result.unreadable,
        exposed=result.possibly_exposed,
        rank=min(_EXPOSURE_RANK[access.read], _EXPOSURE_RANK[access.list]),
        reasons=tuple(reason_lines(result)),
        flags=tuple(flags),
    )


def _finding_row(finding: Finding) -> FindingRow:
    """One finding for the table: snippets are redacted by the detectors, numbers never raw."""
    return FindingRow(
        id=finding.id,
        muted=finding.mute_reason or "",
        severity=finding.severity.value,
        severity_rank=_SEVERITY_RANK[finding.severity.value],
        exposure=finding.exposure.value,
        exposure_rank=_EXPOSURE_RANK[finding.exposure],
        exposure_reasons=finding.exposure_reasons,
        document_type=finding.document_type,
        category=finding.category.value,
        confidence=round(finding.confidence, 3),
        bucket=finding.bucket,
        key=finding.key,
        size=finding.size,
        size_text=_size(finding.size),
        evidence=tuple(
            EvidenceLine(s.detector, s.kind, s.strength.value, s.reason, s.snippet or "")
            for s in finding.evidence
        ),
        notes=finding.notes,
    )


def _unreadable_row(item: UnreadableObject) -> UnreadableRow:
    """One object nobody could tell about."""
    return UnreadableRow(
        exposure=item.exposure.value,
        exposure_rank=_EXPOSURE_RANK[item.exposure],
        bucket=item.bucket,
        key=item.key,
        size=item.size,
        size_text=_size(item.size),
        reason=item.reason,
        failed=item.failed,
        notes=item.notes,
    )


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts, the largest first, ties by name."""
    return sorted(((name, n) for name, n in counts.items() if n), key=lambda i: (-i[1], i[0]))


def _breakdown(counts: dict[str, int]) -> str:
    return ", ".join(f"{name}: {count:,}" for name, count in _ranked(counts))


def _size(count: int) -> str:
    """Bytes for people: 1.5 MiB."""
    if count < 1024:
        return f"{count:,} B"
    value = count / 1024
    units = ["KiB", "MiB", "GiB", "TiB"]
    while value >= 1024 and len(units) > 1:
        value /= 1024
        units.pop(0)
    return f"{value:.1f} {units[0]}"


def _duration(seconds: float | None) -> str:
    """A scan's wall time: 4.2 s, 12 min 5 s."""
    if seconds is None:
        return "not recorded"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"
