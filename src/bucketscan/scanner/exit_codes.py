"""The exit status of a finished scan: what `--fail-on` names, or why the scan could not tell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bucketscan.policies.exposure import possibly_exposed
from bucketscan.scanner.runner import ScanOutcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EXIT_CODES_HELP = (
    "Exit status: 0 nothing that --fail-on names, and every exposed object was judged; "
    "1 what --fail-on names was found; 2 the scan could not run (a mistake in the command, "
    "no credentials, an unreachable endpoint, a --bucket that does not exist) or could not "
    "tell (exposed objects that could not be downloaded or analysed, a possibly readable "
    "bucket that could not be listed): one line on stderr names what to fix."
)


class FailOn(StrEnum):
    """What makes a scan exit 1."""

    FINDING = "finding"  # an exposed or possibly exposed ID document or résumé
    UNREADABLE = "unreadable"  # that, or an exposed object whose content could not be read
    NEW = "new"  # a finding not in --baseline
    EXPOSURE = "exposure"  # any bucket readable or listable from outside, or possibly so
    NEVER = "never"


# What needs the content read: meaningless with --no-content.
NEEDS_CONTENT = frozenset({FailOn.FINDING, FailOn.UNREADABLE, FailOn.NEW})


@dataclass(frozen=True)
class ScanVerdict:
    """An exit status and, unless clean or failing as asked, the one line that explains it."""

    code: int
    message: str | None = None


def scan_verdict(outcome: ScanOutcome, fail_on: FailOn, *, missing_ok: bool = False) -> ScanVerdict:
    """0 when clean, 1 when the scan found what `--fail-on` names, 2 when it could not tell."""
    missing = outcome.summary.buckets_missing
    if missing and not missing_ok:
        names = ", ".join(missing)
        return ScanVerdict(
            EXIT_ERROR, f"bucket {names} does not exist: check the name, or pass --missing-ok"
        )
    if fail_on is FailOn.NEVER:
        return ScanVerdict(EXIT_CLEAN)
    if _names_something(outcome, fail_on):
        return ScanVerdict(EXIT_FINDINGS)
    if fail_on in NEEDS_CONTENT:
        untold = _could_not_tell(outcome)
        if untold:
            return ScanVerdict(EXIT_ERROR, f"could not tell: {untold}")
    return ScanVerdict(EXIT_CLEAN)


def _names_something(outcome: ScanOutcome, fail_on: FailOn) -> bool:
    """Whether the scan found what `--fail-on` names."""
    if fail_on is FailOn.EXPOSURE:
        return any(bucket.possibly_exposed for bucket in outcome.buckets) or any(
            possibly_exposed(item.exposure) for item in (*outcome.findings, *outcome.unreadable)
        )
    if fail_on is FailOn.NEW:
        changes = outcome.summary.changes
        return bool(changes is not None and changes["new"])
    if any(possibly_exposed(finding.exposure) for finding in outcome.findings):
        return True
    return fail_on is FailOn.UNREADABLE and any(
        possibly_exposed(item.exposure) for item in outcome.unreadable
    )


def _could_not_tell(outcome: ScanOutcome) -> str | None:
    """What kept the scan from judging exposed objects, with the fix; None when nothing did."""
    failed = sum(
        1 for item in outcome.unreadable if item.failed and possibly_exposed(item.exposure)
    )
    unlisted = outcome.summary.buckets_not_listed
    parts = []
    if failed:
        parts.append(f"{failed} exposed objects could not be downloaded or analysed")
    if unlisted:
        parts.append(f"{unlisted} possibly readable buckets could not be listed")
    if not parts:
        return None
    return (
        f"{' and '.join(parts)} (the report names them and why): give the scanning identity "
        "read and list access, or pass --fail-on never"
    )
