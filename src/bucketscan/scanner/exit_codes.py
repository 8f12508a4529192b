"""The exit status of a finished scan: what `--fail-on` names, or why the scan could not tell."""

from __future__ import annotations

from dataclasses import dataclass

from bucketscan.policies.fail_on import FailOn, ScanTally, names_something, untold
from bucketscan.policies.severity import Severity, at_least
from bucketscan.scanner.runner import ScanOutcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EXIT_CODES_HELP = (
    "Exit status: 0 nothing that --fail-on names, and every exposed object was judged; "
    "1 what --fail-on names was found; 2 the scan could not run (a mistake in the command, "
    "no credentials, an unreachable endpoint, a --bucket that does not exist) or could not "
    "tell (exposed objects that could not be downloaded or analysed, a possibly readable "
    "bucket that could not be listed): one line on stderr names what to fix."
)


@dataclass(frozen=True)
class ScanVerdict:
    """An exit status and, unless clean or failing as asked, the one line that explains it."""

    code: int
    message: str | None = None


def scan_verdict(
    outcome: ScanOutcome,
    fail_on: FailOn,
    *,
    missing_ok: bool = False,
    floor: Severity = Severity.LOW,
) -> ScanVerdict:
    """0 when clean, 1 when the scan found what `--fail-on` names (findings as severe as `floor`
    or more), 2 when it could not tell."""
    missing = outcome.summary.buckets_missing
    if missing and not missing_ok:
        names = ", ".join(missing)
        return ScanVerdict(
            EXIT_ERROR, f"bucket {names} does not exist: check the name, or pass --missing-ok"
        )
    tally = tally_of(outcome, floor)
    if names_something(tally, fail_on):
        return ScanVerdict(EXIT_FINDINGS)
    gap = untold(tally, fail_on)
    if not gap:
        return ScanVerdict(EXIT_CLEAN)
    parts = []
    if gap.objects_failed:
        parts.append(f"{gap.objects_failed} exposed objects could not be downloaded or analysed")
    if gap.buckets_not_listed:
        parts.append(f"{gap.buckets_not_listed} possibly readable buckets could not be listed")
    return ScanVerdict(
        EXIT_ERROR,
        f"could not tell: {' and '.join(parts)} (the report names them and why): give the "
        "scanning identity read and list access, or pass --fail-on never",
    )


def tally_of(outcome: ScanOutcome, floor: Severity = Severity.LOW) -> ScanTally:
    """What `--fail-on` looks at in a finished scan: muted findings set apart, and findings
    less severe than `floor` left out."""
    changes = outcome.summary.changes or {}
    new = changes.get("new")
    muted = {finding.id for finding in outcome.findings if finding.muted}
    severities = {finding.id: finding.severity for finding in outcome.findings}
    exposed = [bucket for bucket in outcome.buckets if bucket.possibly_exposed]
    intended = {
        (bucket.ref.provider, bucket.ref.account, bucket.ref.name)
        for bucket in outcome.buckets
        if bucket.intended_public is not None
    }
    unread = [
        ((item.exposure, item.failed), (item.provider, item.account, item.bucket) in intended)
        for item in outcome.unreadable
    ]
    return ScanTally(
        buckets_exposed=len(exposed),
        findings=tuple(
            finding.exposure
            for finding in outcome.findings
            if not finding.muted and at_least(finding.severity, floor)
        ),
        unreadable=tuple(item for item, meant in unread if not meant),
        new_findings=(
            sum(1 for entry in new if _counts(entry, severities, muted, floor))
            if isinstance(new, list)
            else None
        ),
        buckets_not_listed=outcome.summary.buckets_not_listed,
        buckets_intended_public=sum(1 for bucket in exposed if bucket.intended_public is not None),
        unreadable_intended=tuple(item for item, meant in unread if meant),
        muted_findings=len(muted),
    )


def _counts(
    entry: object, severities: dict[str, Severity], muted: set[str], floor: Severity
) -> bool:
    """Whether a new finding of the baseline comparison counts: not muted, severe enough (one
    whose severity is not known counts)."""
    found = entry.get("id") if isinstance(entry, dict) else None
    severity = severities.get(found) if isinstance(found, str) else None
    return found not in muted and (severity is None or at_least(severity, floor))
