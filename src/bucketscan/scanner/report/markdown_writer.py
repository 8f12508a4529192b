"""A Markdown report an auditor can hand over: verdicts with reasons, redacted findings, cost."""

from __future__ import annotations

from typing import TextIO

from bucketscan.scanner.findings import (
    BucketResult,
    Finding,
    ScanSummary,
    Severity,
    UnreadableObject,
)
from bucketscan.scanner.meta import ScanMeta

_SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(Severity)}  # as declared


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


class MarkdownWriter:
    """Keeps bucket results and findings (never listings) and writes the document at the end."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buckets: list[BucketResult] = []
        self._findings: list[Finding] = []
        self._unreadable: list[UnreadableObject] = []

    def start(self, meta: ScanMeta) -> None:
        """Nothing to write yet."""

    def bucket(self, result: BucketResult) -> None:
        """Keep the bucket's result."""
        self._buckets.append(result)

    def finding(self, finding: Finding) -> None:
        """Keep the finding."""
        self._findings.append(finding)

    def unreadable(self, item: UnreadableObject) -> None:
        """Keep the object that could not be read."""
        self._unreadable.append(item)

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """Write the whole document."""
        lines = [
            f"# bucketscan report: {meta.provider}",
            "",
            f"Scanned {meta.started_at} to {meta.finished_at} with {meta.tool} {meta.version}. "
            "Evidence is redacted; no object content is reproduced.",
            "",
            "## Summary",
            "",
            f"- {summary.buckets} buckets; readable from outside: "
            f"{_counts(summary.buckets_by_read)}; listable: {_counts(summary.buckets_by_list)}",
            f"- {summary.objects_listed:,} objects listed, {summary.objects_inspected:,} inspected",
            f"- findings by severity: {_counts(summary.findings_by_severity) or 'none'}",
            f"- could not tell (unreadable): {_reasons(summary.objects_unreadable) or 'none'}",
            f"- {sum(summary.cost.requests.values()):,} API requests, "
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
            lines += [f"  - {cell(reason)}" for reason in result.access.reasons]
            lines += [f"  - error: {cell(error)}" for error in result.errors]
        lines += ["", "## Exposed sensitive files", ""]
        if not self._findings:
            lines.append("None found.")
        else:
            lines += [
                "| severity | exposure | document | confidence | object | evidence |",
                "|---|---|---|---:|---|---|",
            ]
        for finding in sorted(
            self._findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.bucket, f.key)
        ):
            evidence = "; ".join(s.snippet or s.reason for s in finding.evidence[:3])
            lines.append(
                f"| {finding.severity.value} | {finding.exposure.value} "
                f"| {cell(finding.document_type)} | {finding.confidence:.2f} "
                f"| `{cell(finding.bucket)}/{cell(finding.key)}` | {cell(evidence)} |"
            )
        lines += self._unreadable_lines()
        self._stream.write("\n".join(lines) + "\n")
        self._stream.flush()

    def _unreadable_lines(self) -> list[str]:
        """The objects nobody could tell about: listed, never counted as clean."""
        lines = ["", "## Could not tell (unreadable files)", ""]
        if not self._unreadable:
            return [*lines, "None."]
        lines += ["| exposure | object | reason |", "|---|---|---|"]
        for item in sorted(self._unreadable, key=lambda u: (u.bucket, u.key)):
            lines.append(
                f"| {item.exposure.value} | `{cell(item.bucket)}/{cell(item.key)}` "
                f"| {cell(item.reason)} |"
            )
        return lines


def _reasons(counts: dict[str, int]) -> str:
    """The total, then each reason, the most frequent first."""
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return f"{sum(counts.values()):,} ({'; '.join(f'{reason}: {n}' for reason, n in ranked)})"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counts.items()) if count)
