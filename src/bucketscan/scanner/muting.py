"""The mutelist applied to a scan's records: muted findings and intended-public buckets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from bucketscan.policies.mutelist import (
    Mutelist,
    MutelistError,
    Subject,
    expired_entries,
    expiry_warning,
    finding_mute,
    intended_public,
    parse_mutelist,
)
from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.findings import BucketResult, Finding


def muted_finding(finding: Finding, mutelist: Mutelist, today: date) -> Finding:
    """The finding, marked muted with its entry's reason when an entry matches it."""
    subject = Subject(
        provider=finding.provider,
        account=finding.account,
        bucket=finding.bucket,
        key=finding.key,
        document_type=finding.document_type,
        tags=finding.bucket_tags,
    )
    entry = finding_mute(mutelist, subject, today)
    return finding if entry is None else replace(finding, mute_reason=entry.reason)


def marked_bucket(result: BucketResult, mutelist: Mutelist, today: date) -> BucketResult:
    """The bucket, marked intended-public with its entry's reason when an entry matches it."""
    ref = result.ref
    subject = Subject(ref.provider, ref.account, ref.name, website=result.website, tags=result.tags)
    entry = intended_public(mutelist, subject, today)
    return result if entry is None else replace(result, intended_public=entry.reason)


def load_mutelist(path: Path | None) -> Mutelist | None:
    """The --mutelist file parsed, or ScanError naming the file, the entry and the problem."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScanError(f"cannot read mutelist {path}: {error}") from error
    try:
        return parse_mutelist(text, str(path))
    except MutelistError as error:
        raise ScanError(str(error)) from error


def expiry_warnings(mutelist: Mutelist | None, today: date) -> tuple[str, ...]:
    """One line per entry past its `expires` date."""
    if mutelist is None:
        return ()
    return tuple(expiry_warning(mutelist, entry) for entry in expired_entries(mutelist, today))
