"""The mutelist: strict parsing, matching by each field, expiry, intended-public buckets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bucketscan.policies.fail_on import FailOn, ScanTally, names_something, untold
from bucketscan.policies.mutelist import (
    EntryKind,
    MutelistError,
    Subject,
    expired_entries,
    expiry_warning,
    finding_mute,
    glob_pattern,
    intended_public,
    parse_mutelist,
)
from bucketscan.records.common import Exposure

TODAY = date(2025, 6, 1)
PASSPORT = Subject("aws", "111122223333", "hr-uploads", "2024/applicants/tanaka.jpg", "passport")


def mutes(*fields: str) -> str:
    """A mutelist of one `mutes` entry with these YAML fields (and a reason)."""
    body = "".join(f"    {field}\n" for field in fields)
    return f"mutes:\n  - reason: synthetic test data\n{body}"


@pytest.mark.parametrize(
    ("fields", "muted"),
    [
        (["provider: aws"], True),
        (["provider: gcs"], False),
        (["account: '111122223333'"], True),
        (["account: '9999*'"], False),
        (["bucket: hr-uploads"], True),
        (["bucket: hr-*"], True),
        (["bucket: 'hr-upload?'"], True),
        (["bucket: 'hr-[s-v]ploads'"], True),
        (["bucket: 'hr-[!u]ploads'"], False),
        (["bucket: web-*"], False),
        (["key: '2024/*/tanaka.jpg'"], True),
        (["key: '2024/*.jpg'"], False),  # `*` stays within one path segment
        (["key: '2024/**'"], True),  # `**` crosses segments
        (["key: '**/*.jpg'"], True),
        (["key: 'applicants/*'"], False),  # globs match the whole key
        (["document_type: passport"], True),
        (["document_type: cv_en"], False),
        (["bucket: hr-*", "document_type: passport"], True),
        (["bucket: hr-*", "document_type: rirekisho"], False),  # every field must match
    ],
)
def test_a_mute_matches_by_each_field(fields: list[str], muted: bool) -> None:
    mutelist = parse_mutelist(mutes(*fields), "m.yaml")
    entry = finding_mute(mutelist, PASSPORT, TODAY)
    assert (entry is not None) is muted
    if entry is not None:
        assert entry.reason == "synthetic test data"


@pytest.mark.parametrize(
    ("expires", "muted"),
    [("2025-06-02", True), ("2025-06-01", True), ("2025-05-31", False)],  # through the day
)
def test_an_expired_entry_no_longer_mutes(expires: str, muted: bool) -> None:
    mutelist = parse_mutelist(mutes("bucket: hr-*", f"expires: {expires}"), "m.yaml")
    assert (finding_mute(mutelist, PASSPORT, TODAY) is not None) is muted
    assert bool(expired_entries(mutelist, TODAY)) is not muted


def test_an_expired_entry_warns_in_one_line_naming_the_file_and_entry() -> None:
    text = (
        f"{mutes('bucket: a')}  - reason: old exception\n    bucket: b\n    expires: 2024-01-31\n"
    )
    mutelist = parse_mutelist(text, "m.yaml")
    (entry,) = expired_entries(mutelist, TODAY)
    warning = expiry_warning(mutelist, entry)
    assert warning == (
        "mutelist m.yaml: mutes[2] expired on 2024-01-31 and no longer mutes (old exception): "
        "renew or remove it"
    )


def test_the_first_matching_entry_gives_the_reason() -> None:
    text = (
        "mutes:\n"
        "  - {reason: expired one, bucket: hr-*, expires: 2020-01-01}\n"
        "  - {reason: the live one, key: '2024/**'}\n"
        "  - {reason: never reached, provider: aws}\n"
    )
    entry = finding_mute(parse_mutelist(text, "m.yaml"), PASSPORT, TODAY)
    assert entry is not None and (entry.reason, entry.label) == ("the live one", "mutes[2]")


WEBSITE = Subject("aws", "111122223333", "www-example", website=True)
PLAIN = Subject("aws", "111122223333", "www-example", website=False)


@pytest.mark.parametrize(
    ("fields", "subject", "intended"),
    [
        ("{reason: site, bucket: www-*}", WEBSITE, True),
        ("{reason: site, bucket: www-*}", PLAIN, True),
        ("{reason: site, website: true}", WEBSITE, True),
        ("{reason: site, website: true}", PLAIN, False),  # not a website: still counts
        ("{reason: site, bucket: www-*, website: true}", PLAIN, False),
        ("{reason: site, provider: gcs, website: true}", WEBSITE, False),
        ("{reason: site, account: '1111*', website: true}", WEBSITE, True),
    ],
)
def test_intended_public_matches_buckets(fields: str, subject: Subject, intended: bool) -> None:
    mutelist = parse_mutelist(f"intended_public:\n  - {fields}\n", "m.yaml")
    assert (intended_public(mutelist, subject, TODAY) is not None) is intended
    assert finding_mute(mutelist, PASSPORT, TODAY) is None  # never mutes findings


TAGGED = Subject(
    "aws",
    "111122223333",
    "hr-uploads",
    "2024/applicants/tanaka.jpg",
    "passport",
    tags=(("env", "test"), ("owner", "data-team"), ("path", "a/b")),
)
UNTAGGED = replace(TAGGED, tags=())
TAGS_UNREAD = replace(TAGGED, tags=None)


@pytest.mark.parametrize(
    ("tags", "subject", "matched"),
    [
        ("{env: test}", TAGGED, True),
        ("{env: prod}", TAGGED, False),
        ("{env: test, owner: data-team}", TAGGED, True),  # every tag must match
        ("{env: test, owner: web}", TAGGED, False),
        ("{owner: 'data-*'}", TAGGED, True),  # the value is a glob
        ("{owner: '*'}", TAGGED, True),  # any value, as long as the key is there
        ("{owner: 'DATA-*'}", TAGGED, False),  # case matters
        ("{path: 'a*'}", TAGGED, False),  # `*` stays within a `/` segment
        ("{path: 'a**'}", TAGGED, True),
        ("{team: '*'}", TAGGED, False),  # a missing tag never matches
        ("{env: test}", UNTAGGED, False),
        ("{env: '*'}", TAGS_UNREAD, False),  # tags not read: no tag entry matches
    ],
)
def test_tags_match_buckets_for_mutes_and_intended_public(
    tags: str, subject: Subject, matched: bool
) -> None:
    muting = parse_mutelist(f"mutes:\n  - {{reason: x, tags: {tags}}}\n", "m.yaml")
    assert (finding_mute(muting, subject, TODAY) is not None) is matched
    marking = parse_mutelist(f"intended_public:\n  - {{reason: x, tags: {tags}}}\n", "m.yaml")
    assert (intended_public(marking, replace(subject, key=None), TODAY) is not None) is matched


def test_unread_tags_still_match_entries_without_tags() -> None:
    mutelist = parse_mutelist(mutes("bucket: hr-*"), "m.yaml")
    assert finding_mute(mutelist, TAGS_UNREAD, TODAY) is not None


def test_kinds_are_kept_apart() -> None:
    text = "mutes:\n  - {reason: a, bucket: x}\nintended_public:\n  - {reason: b, bucket: y}\n"
    mutelist = parse_mutelist(text, "m.yaml")
    assert [entry.kind for entry in mutelist.entries] == [EntryKind.MUTE, EntryKind.INTENDED_PUBLIC]
    assert [entry.label for entry in mutelist.entries] == ["mutes[1]", "intended_public[1]"]


def test_an_empty_file_mutes_nothing() -> None:
    mutelist = parse_mutelist("", "m.yaml")
    assert mutelist.entries == ()
    assert finding_mute(mutelist, PASSPORT, TODAY) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mutes: [", "mutelist m.yaml: line 1: not valid YAML (expected"),
        ("- reason: x\n", "mutelist m.yaml: must be a mapping with `mutes` and `intended_public`"),
        ("mute:\n  - {reason: x, bucket: y}\n", "mutelist m.yaml: unknown key 'mute'"),
        ("mutes: {reason: x}\n", "mutelist m.yaml: `mutes` must be a list of entries"),
        ("mutes:\n  - bucket-x\n", "mutelist m.yaml: mutes[1]: must be a mapping of fields"),
        (mutes("bucket: x", "buckets: y"), "mutes[1]: unknown field 'buckets' (allowed:"),
        ("mutes:\n  - {bucket: x}\n", "mutes[1]: `reason` is required"),
        ("mutes:\n  - {bucket: x, reason: '  '}\n", "mutes[1]: `reason` is required"),
        ("mutes:\n  - {bucket: x, reason: 7}\n", "mutes[1]: `reason` is required"),
        ("mutes:\n  - {reason: x}\n", "mutes[1]: matches everything: give at least one of"),
        (mutes("expires: 2030-01-01"), "mutes[1]: matches everything"),
        (mutes("provider: s3"), "mutes[1]: `provider` 's3' is not one of aws, gcs, azure"),
        (mutes("bucket: 12"), "mutes[1]: `bucket` must be a non-empty string, not 12"),
        (mutes("bucket: ''"), "mutes[1]: `bucket` must be a non-empty string"),
        (mutes("bucket: [a, b]"), "mutes[1]: `bucket` must be a non-empty string"),
        (mutes("bucket: 'hr-[a'"), "mutes[1]: `bucket` 'hr-[a' is not a valid glob (unclosed ["),
        (mutes("key: 'a]b'"), "mutes[1]: `key` 'a]b' is not a valid glob (] without ["),
        (mutes("key: 'a[]b'"), "mutes[1]: `key` 'a[]b' is not a valid glob (empty []"),
        (mutes("key: '[z-a]'"), "mutes[1]: `key` '[z-a]' is not a valid glob"),
        (mutes("document_type: pasport"), "mutes[1]: `document_type` 'pasport' is not a"),
        (mutes("website: true"), "mutes[1]: unknown field 'website'"),  # buckets only
        (mutes("bucket: x", "expires: 2025-13-01"), "mutes[1]: `expires` '2025-13-01' is not a"),
        (mutes("bucket: x", "expires: tomorrow"), "mutes[1]: `expires` 'tomorrow' is not a date"),
        (mutes("bucket: x", "expires: 20250101"), "mutes[1]: `expires` 20250101 is not a date"),
        (mutes("bucket: x", "bucket: y"), "mutelist m.yaml: line 4: key 'bucket' appears twice"),
        (mutes("tag: env=prod"), "mutes[1]: unknown field 'tag': write `tags: {key: value}`"),
        (mutes("labels: {env: prod}"), "mutes[1]: unknown field 'labels': write `tags"),
        (mutes("tags: env=prod"), "mutes[1]: `tags` must be a non-empty mapping of key: value"),
        (mutes("tags: {}"), "mutes[1]: `tags` must be a non-empty mapping"),
        (mutes("tags: {env: 1}"), "mutes[1]: `tags` value of 'env' must be a string (quote it)"),
        (mutes("tags: {env: [a]}"), "mutes[1]: `tags` value of 'env' must be a string"),
        (mutes("tags: {'': x}"), "mutes[1]: `tags` key '' must be a non-empty string"),
        (mutes("tags: {env: 'p[a'}"), "mutes[1]: `tags` value of 'env': 'p[a' is not a valid glob"),
        ("intended_public:\n  - {reason: x, key: 'a/*'}\n", "intended_public[1]: unknown field"),
        ("intended_public:\n  - {reason: x, website: 'yes'}\n", "`website` must be true or false"),
        ("intended_public:\n  - {reason: x, document_type: passport}\n", "unknown field"),
    ],
)
def test_a_malformed_mutelist_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(MutelistError) as raised:
        parse_mutelist(text, "m.yaml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("mutelist m.yaml: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("glob", "text", "matched"),
    [
        ("a*", "abc", True),
        ("a*", "a/b", False),
        ("a**", "a/b", True),
        ("a?c", "abc", True),
        ("a.c", "abc", False),  # regex characters are literal
        ("[0-9][0-9]", "42", True),
        ("(x)+", "(x)+", True),
    ],
)
def test_globs(glob: str, text: str, matched: bool) -> None:
    assert bool(glob_pattern(glob).fullmatch(text)) is matched


PUB, UNK = Exposure.PUBLIC, Exposure.UNKNOWN


@pytest.mark.parametrize(
    ("tally", "fail_on", "named"),
    [
        # Every finding muted: nothing left for `finding`; the bucket still counts for `exposure`.
        (ScanTally(1, (), (), None, 0, muted_findings=2), FailOn.FINDING, False),
        (ScanTally(1, (), (), None, 0, muted_findings=2), FailOn.EXPOSURE, True),
        (ScanTally(1, (), (), 0, 0, muted_findings=1), FailOn.NEW, False),
        # An intended-public bucket's own exposure is muted...
        (ScanTally(1, (), (), None, 0, buckets_intended_public=1), FailOn.EXPOSURE, False),
        (ScanTally(2, (), (), None, 0, buckets_intended_public=1), FailOn.EXPOSURE, True),
        # ...but never the ID documents found in it.
        (ScanTally(1, (PUB,), (), None, 0, buckets_intended_public=1), FailOn.EXPOSURE, True),
        (ScanTally(1, (PUB,), (), None, 0, buckets_intended_public=1), FailOn.FINDING, True),
        # Its unreadable objects: not an exposure, still could-not-tell.
        (
            ScanTally(
                1, (), (), None, 0, buckets_intended_public=1, unreadable_intended=((UNK, False),)
            ),
            FailOn.EXPOSURE,
            False,
        ),
        (
            ScanTally(
                1, (), (), None, 0, buckets_intended_public=1, unreadable_intended=((PUB, False),)
            ),
            FailOn.UNREADABLE,
            True,
        ),
    ],
)
def test_what_fail_on_counts_with_a_mutelist(
    tally: ScanTally, fail_on: FailOn, named: bool
) -> None:
    assert names_something(tally, fail_on) is named


def test_failed_objects_of_intended_public_buckets_are_still_untold() -> None:
    tally = ScanTally(
        1, (), (), None, 0, buckets_intended_public=1, unreadable_intended=((PUB, True),)
    )
    assert untold(tally, FailOn.FINDING).objects_failed == 1
