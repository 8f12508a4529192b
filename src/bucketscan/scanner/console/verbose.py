"""`--verbose`: what the scan does as it happens, on stderr (keys as the report shows them)."""

from __future__ import annotations

from rich.console import Console

from bucketscan.metering import RetryReason
from bucketscan.scanner.console.terminal import text
from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.meta import ScanMeta
from bucketscan.scanner.report.serialize import reason_lines


def bucket_lines(result: BucketResult) -> list[str]:
    """A finished bucket's verdicts, then each reason and error on its own line (plain text)."""
    access = result.access
    head = (
        f"bucket {result.ref.name}: read {access.read.value}, list {access.list.value}, "
        f"write {access.write.value}; {result.objects_listed:,} listed, "
        f"{result.objects_inspected:,} inspected, {result.findings} findings"
    )
    return [head, *(f"  {line}" for line in reason_lines(result))]


class VerboseLog:
    """A report writer that prints events as they arrive, plus notes and retries from threads."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def _print(self, line: str, style: str = "dim") -> None:
        self._console.print(f"[{style}]{text(line)}[/]", soft_wrap=True, highlight=False)

    def note(self, message: str) -> None:
        """A note from the engine (a skipped object)."""
        self._print(message)

    def retry(self, kind: str, reason: RetryReason) -> None:
        """A request sent again."""
        self._print(f"retry {kind} ({reason.value})", "yellow")

    def start(self, meta: ScanMeta) -> None:
        """The scan began."""
        self._print(f"scanning {meta.provider} with bucketscan {meta.version}")

    def bucket(self, result: BucketResult) -> None:
        """A bucket is done: its verdicts and why."""
        first, *rest = bucket_lines(result)
        self._print(first, "bold")
        for line in rest:
            self._print(line, "default")

    def finding(self, finding: Finding) -> None:
        """A finding (where and what; the evidence stays in the report)."""
        self._print(
            f"found {finding.severity.value} {finding.document_type} "
            f"({finding.exposure.value}): {finding.bucket}/{finding.key}",
            "red",
        )

    def unreadable(self, item: UnreadableObject) -> None:
        """An object whose content could not be read."""
        self._print(f"could not read {item.bucket}/{item.key}: {item.reason}", "magenta")

    def finish(self, meta: ScanMeta, summary: ScanSummary) -> None:
        """The scan ended."""
        self._print(f"scan {'complete' if meta.complete else 'incomplete'}, {meta.duration_s} s")
