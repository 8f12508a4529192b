"""A Markdown report an auditor can hand over: verdicts with reasons, redacted findings, cost."""

from __future__ import annotations

import html
import re

from bucketscan.policies.keys import visible
from bucketscan.policies.severity import Severity
from bucketscan.policies.verification import Agreement
from bucketscan.scanner.cost import retry_note
from bucketscan.scanner.findings import (
    Finding,
    ScanSummary,
    UnreadableObject,
)
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.collecting import CollectingWriter
from bucketscan.scanner.report.serialize import evidence_text, reason_lines

_SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(Severity)}  # as declared


_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def cell(text: object) -> str:
    """Untrusted text as inert Markdown: one line, no markup, no HTML, fit for a table cell.

    Control characters become visible escapes (a CR or LF would end the row), HTML is escaped
    (`<img onerror=…>` stays text) and every character Markdown reads as markup is backslashed,
    so a backtick or a pipe in an object key cannot close a span or a cell.
    """
    return _MARKUP.sub(r"\\\1", html.escape(visible(str(text)), quote=False))


class MarkdownWriter(CollectingWriter):
    """Keeps bucket results and findings (never listings) and writes the document at the end."""

    def write(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole document."""
        lines = [
            f"# bucketscan report: {meta.provider}",
            "",
            f"Scanned {meta.started_at} to {meta.finished_at} with {meta.tool} {meta.version}. "
            "Evidence is redacted; no object content is reproduced.",
            "",
            *_incomplete(meta),
            "## Summary",
            "",
            f"- {summary.buckets} buckets; readable from outside: "
            f"{_counts(summary.buckets_by_read)}; listable: {_counts(summary.buckets_by_list)}",
            f"- {summary.buckets_possibly_exposed} buckets exposed or possibly exposed "
            "(read or list public, authenticated or unknown)"
            f"{_missing(summary.buckets_missing)}",
            f"- {summary.objects_listed:,} objects listed, {summary.objects_inspected:,} inspected"
            f"{_partly(summary.objects_partly_read)}",
            f"- findings by severity: {_counts(summary.findings_by_severity) or 'none'}"
            f"{_muted(summary.findings_muted)}",
            f"- could not tell (unreadable): {_reasons(summary.objects_unreadable) or 'none'}",
            f"- exposed objects not judged: {_reasons(summary.objects_not_judged) or 'none'}"
            f"{_not_listed(summary.buckets_not_listed)}",
            *_verification(meta, summary),
            f"- {sum(summary.cost.requests.values()):,} API requests"
            f"{retry_note(summary.cost.requests_sent, summary.cost.retries)}, "
            f"{summary.cost.bytes_read:,} bytes read, about ${summary.cost.estimated_usd:.4f}",
            "",
            "## Buckets",
            "",
            "| account | bucket | read | list | write | objects | findings | unreadable |",
            "|---|---|---|---|---|---:|---:|---:|",
        ]
        ordered = sorted(self._buckets, key=lambda r: (r.ref.account, r.ref.name))
        for result in ordered:
            access = result.access
            lines.append(
                f"| {cell(result.ref.account)} | {cell(result.ref.name)} | {access.read.value} "
                f"| {access.list.value} | {access.write.value} | {result.objects_listed:,} "
                f"| {result.findings:,} | {result.unreadable:,} |"
            )
        lines += ["", "### Why", ""]
        for result in ordered:
            lines.append(f"- **{cell(result.ref.name)}**")
            lines += [f"  - {cell(line)}" for line in reason_lines(result)]
            if result.intended_public is not None:
                lines.append(f"  - intended public (--mutelist): {cell(result.intended_public)}")
        lines += ["", "## Exposed sensitive files", ""]
        active = [finding for finding in self._findings if not finding.muted]
        if not active:
            lines.append("None found.")
        else:
            lines += [
                "| severity | exposure | document | confidence | object | evidence | notes | id |",
                "|---|---|---|---:|---|---|---|---|",
            ]
        for finding in _by_severity(active):
            lines.append(
                f"| {finding.severity.value} | {finding.exposure.value} "
                f"| {cell(finding.document_type)} | {finding.confidence:.2f} "
                f"| {_where(finding)} | {cell(evidence_text(finding))} "
                f"| {cell('; '.join(finding.notes))} | {finding.id} |"
            )
        lines += self._muted_lines()
        lines += self._unreadable_lines()
        self._stream.write("\n".join(lines) + "\n")

    def _muted_lines(self) -> list[str]:
        """Findings a --mutelist entry accepts: still listed, with the entry's reason."""
        muted = [finding for finding in self._findings if finding.muted]
        if not muted:
            return []
        lines = [
            "",
            "## Muted findings (--mutelist: not counted for --fail-on)",
            "",
            "| severity | exposure | document | object | reason muted |",
            "|---|---|---|---|---|",
        ]
        for finding in _by_severity(muted):
            lines.append(
                f"| {finding.severity.value} | {finding.exposure.value} "
                f"| {cell(finding.document_type)} | {_where(finding)} "
                f"| {cell(finding.mute_reason)} |"
            )
        return lines

    def _unreadable_lines(self) -> list[str]:
        """The objects nobody could tell about: listed, never counted as clean."""
        lines = ["", "## Could not tell (unreadable files)", ""]
        if not self._unreadable:
            return [*lines, "None."]
        lines += ["| exposure | object | reason | notes |", "|---|---|---|---|"]
        for item in self.sorted_unreadable():
            lines.append(
                f"| {item.exposure.value} | {_where(item)} | {cell(item.reason)} "
                f"| {cell('; '.join(item.notes))} |"
            )
        return lines


def _muted(count: int) -> str:
    return f" ({count} muted, not counted)" if count else ""


def _by_severity(findings: list[Finding]) -> list[Finding]:
    """The most severe first, then by place."""
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.bucket, f.key))


def _incomplete(meta: ScanMeta) -> list[str]:
    """A warning, first thing, that the scan was interrupted and what it did not reach."""
    stopped = meta.interruption
    if stopped is None:
        return []
    unreached = stopped.unreached()
    lines = [
        f"**Incomplete: the scan was interrupted ({stopped.signal}).** What follows covers only "
        "what was reached; nothing here says the rest is safe.",
        "",
        *(f"- {what}: {cell(which)}" if which else f"- {what}" for what, which in unreached),
    ]
    return [*lines, ""]


def _verification(meta: ScanMeta, summary: ScanSummary) -> list[str]:
    """With --verify-anonymous, one line: how the unsigned probes stood to the verdicts."""
    if not meta.options.get("verify_anonymous"):
        return []
    counts = summary.verification
    if not counts:
        return ["- anonymous checks (--verify-anonymous): none sent (no bucket to check)"]
    disagree = summary.disagreements
    parts = [
        f"{counts.get(Agreement.AGREES.value, 0)} agree",
        f"**{disagree} DISAGREE with their verdict**" if disagree else "0 disagree",
        f"{counts.get(Agreement.UNVERIFIED.value, 0)} could not verify",
    ]
    if counts.get(Agreement.NO_VERDICT.value):
        parts.append(f"{counts[Agreement.NO_VERDICT.value]} checked an unknown verdict")
    total = sum(counts.values())
    return [f"- anonymous checks (--verify-anonymous): {total} unsigned probes, {', '.join(parts)}"]


def _where(item: Finding | UnreadableObject) -> str:
    """`bucket/key` as inert text (no code span: a backtick in the key would close it)."""
    return f"{cell(item.bucket)}/{cell(item.key)}"


def _partly(count: int) -> str:
    return f", {count:,} of them only in part" if count else ""


def _missing(names: tuple[str, ...]) -> str:
    return f"; missing (named, do not exist): {cell(', '.join(names))}" if names else ""


def _not_listed(count: int) -> str:
    return f"; {count} possibly readable buckets could not be listed" if count else ""


def _reasons(counts: dict[str, int]) -> str:
    """The total, then each reason, the most frequent first."""
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return f"{sum(counts.values()):,} ({'; '.join(f'{reason}: {n}' for reason, n in ranked)})"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counts.items()) if count)
