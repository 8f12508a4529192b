"""The mutelist: known, accepted findings and intended-public buckets, parsed strictly.

A YAML file of two lists. `mutes` entries match findings by provider, account, bucket (glob),
key (glob), document type and bucket tags; a matched finding stays in the report, marked muted,
and does not count for `--fail-on`. `intended_public` entries match buckets by provider, account,
bucket, tags and whether the bucket serves a static website; they mute the bucket's own exposure
for `--fail-on exposure`, never the ID documents found in it. `tags` (S3 tags, GCS labels, Azure
container metadata) match when every key is present with a value its glob matches; a bucket whose
tags could not be read matches no `tags` entry. Every entry needs a `reason`; `expires` (a date)
ends it: from the day after, it warns and no longer mutes. A mistake anywhere is an error naming
the file, the entry and the problem, never a silently ignored entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

import yaml

from bucketscan.records.common import Tags
from bucketscan.records.content import DOCUMENT_TYPES

PROVIDERS = ("aws", "gcs", "azure")


class MutelistError(Exception):
    """A mutelist that cannot be used; the message names the file, the entry and the problem."""


class StrictYamlError(ValueError):
    """YAML that does not parse, or repeats a key; the message is one line."""


class EntryKind(StrEnum):
    """What an entry does."""

    MUTE = "mutes"  # mutes matching findings
    INTENDED_PUBLIC = "intended_public"  # marks matching buckets as meant to be public


# Which fields each kind of entry may match on (besides `reason` and `expires`).
MATCHERS: dict[EntryKind, tuple[str, ...]] = {
    EntryKind.MUTE: ("provider", "account", "bucket", "key", "document_type", "tags"),
    EntryKind.INTENDED_PUBLIC: ("provider", "account", "bucket", "website", "tags"),
}
GLOBS = frozenset({"account", "bucket", "key"})
TAG_SPELLINGS = frozenset({"tag", "label", "labels", "metadata"})  # all written `tags`
# (tag key, glob its value must match) pairs, sorted by key.
TagMatcher = tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class MuteEntry:
    """One entry; a field left None matches anything."""

    kind: EntryKind
    index: int  # 1-based place in its list, for messages
    reason: str
    provider: str | None = None
    account: str | None = None  # glob
    bucket: str | None = None  # glob
    key: str | None = None  # glob: `*` stays within a path segment, `**` crosses `/`
    document_type: str | None = None
    website: bool | None = None  # intended_public only: the bucket serves a static website
    tags: TagMatcher | None = None  # every key present, its value matching the glob
    expires: date | None = None  # mutes through this day, not after

    @property
    def label(self) -> str:
        """How messages name the entry: `mutes[2]`."""
        return f"{self.kind.value}[{self.index}]"

    def expired(self, today: date) -> bool:
        """Whether the entry no longer mutes."""
        return self.expires is not None and today > self.expires


@dataclass(frozen=True)
class Mutelist:
    """A parsed mutelist file."""

    path: str
    entries: tuple[MuteEntry, ...] = ()

    def of_kind(self, kind: EntryKind) -> tuple[MuteEntry, ...]:
        """The entries of one kind, in file order."""
        return tuple(entry for entry in self.entries if entry.kind is kind)


@dataclass(frozen=True)
class Subject:
    """What an entry is matched against: a finding (key, document type) or a bucket."""

    provider: str
    account: str
    bucket: str
    key: str | None = None
    document_type: str | None = None
    website: bool = False
    tags: Tags | None = None  # the bucket's tags; None: not read, so no `tags` entry matches


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without implicit dates (so a bad date is reported by its entry)."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _unique_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping whose keys appear once: a repeated key is an error, not a silent overwrite."""
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise StrictYamlError(f"line {line}: key {key!r} appears twice")
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_yaml(text: str) -> Any:
    """YAML as plain data: no dates, no repeated keys; problems raise StrictYamlError."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: plain data only
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise StrictYamlError(f"{where}not valid YAML ({problem})") from error


def parse_mutelist(text: str, path: str) -> Mutelist:
    """The mutelist in `text` (read from `path`), or MutelistError naming what is wrong."""
    try:
        data = load_yaml(text)
    except StrictYamlError as error:
        raise MutelistError(f"mutelist {path}: {error}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MutelistError(
            f"mutelist {path}: must be a mapping with `mutes` and `intended_public`"
        )
    kinds = {kind.value: kind for kind in EntryKind}
    unknown = sorted(str(key) for key in data if key not in kinds)
    if unknown:
        raise MutelistError(
            f"mutelist {path}: unknown key {unknown[0]!r} (expected: mutes, intended_public)"
        )
    entries: list[MuteEntry] = []
    for name, kind in kinds.items():
        items = data.get(name) or []
        if not isinstance(items, list):
            raise MutelistError(f"mutelist {path}: `{name}` must be a list of entries")
        for index, item in enumerate(items, start=1):
            try:
                entries.append(parse_entry(item, kind, index))
            except MutelistError as error:
                raise MutelistError(f"mutelist {path}: {kind.value}[{index}]: {error}") from error
    return Mutelist(path, tuple(entries))


def parse_entry(item: object, kind: EntryKind, index: int) -> MuteEntry:
    """One entry of a list, checked field by field."""
    if not isinstance(item, dict):
        raise MutelistError("must be a mapping of fields")
    allowed = (*MATCHERS[kind], "reason", "expires")
    for field in item:
        if field in TAG_SPELLINGS:
            raise MutelistError(
                f"unknown field {field!r}: write `tags: {{key: value}}` (S3 tags, GCS labels "
                "and Azure container metadata alike)"
            )
        if field not in allowed:
            raise MutelistError(f"unknown field {field!r} (allowed: {', '.join(allowed)})")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise MutelistError("`reason` is required: say why this is accepted")
    given = [field for field in MATCHERS[kind] if field in item]
    if not given:
        raise MutelistError(f"matches everything: give at least one of {', '.join(MATCHERS[kind])}")
    for field in given:
        _check_matcher(field, item[field])
    return MuteEntry(
        kind=kind,
        index=index,
        reason=" ".join(reason.split()),
        provider=item.get("provider"),
        account=item.get("account"),
        bucket=item.get("bucket"),
        key=item.get("key"),
        document_type=item.get("document_type"),
        website=item.get("website"),
        tags=_tag_matcher(item["tags"]) if "tags" in item else None,
        expires=_date(item["expires"]) if "expires" in item else None,
    )


def _tag_matcher(value: object) -> TagMatcher:
    """A `tags` mapping of key to value glob, checked: non-empty, string keys and values."""
    if not isinstance(value, dict) or not value:
        raise MutelistError(f"`tags` must be a non-empty mapping of key: value, not {value!r}")
    pairs = []
    for key, glob in value.items():
        if not isinstance(key, str) or not key:
            raise MutelistError(f"`tags` key {key!r} must be a non-empty string")
        if not isinstance(glob, str):
            raise MutelistError(f"`tags` value of {key!r} must be a string (quote it): {glob!r}")
        try:
            glob_pattern(glob)
        except ValueError as error:
            raise MutelistError(
                f"`tags` value of {key!r}: {glob!r} is not a valid glob ({error})"
            ) from error
        pairs.append((key, glob))
    return tuple(sorted(pairs))


def _check_matcher(field: str, value: object) -> None:
    """A matching field's value must be of its type and, for names, one that exists."""
    if field == "tags":
        _tag_matcher(value)
        return
    if field == "website":
        if not isinstance(value, bool):
            raise MutelistError(f"`website` must be true or false, not {value!r}")
        return
    if not isinstance(value, str) or not value:
        raise MutelistError(f"`{field}` must be a non-empty string, not {value!r}")
    if field == "provider" and value not in PROVIDERS:
        raise MutelistError(f"`provider` {value!r} is not one of {', '.join(PROVIDERS)}")
    if field == "document_type" and value not in DOCUMENT_TYPES:
        raise MutelistError(
            f"`document_type` {value!r} is not a document type ({', '.join(DOCUMENT_TYPES)})"
        )
    if field in GLOBS:
        try:
            glob_pattern(value)
        except ValueError as error:
            raise MutelistError(f"`{field}` {value!r} is not a valid glob ({error})") from error


def _date(value: object) -> date:
    """An `expires` date, written YYYY-MM-DD."""
    problem = f"`expires` {value!r} is not a date (write YYYY-MM-DD)"
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise MutelistError(problem)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise MutelistError(problem) from error


@lru_cache(maxsize=1024)
def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression: `**` any text, `*` and `?` not across `/`, `[...]` sets."""
    parts: list[str] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[":
            end = glob.find("]", index + 2 if glob.startswith("[!", index) else index + 1)
            if end == -1:
                raise ValueError(f"unclosed [ at position {index + 1}")
            body = glob[index + 1 : end]
            negated = body.startswith("!")
            body = body[1:] if negated else body
            if not body:
                raise ValueError(f"empty [] at position {index + 1}")
            members = re.escape(body).replace("\\-", "-")  # keep ranges such as [0-9]
            parts.append(f"[{'^' if negated else ''}{members}]")
            index = end
        elif char == "]":
            raise ValueError(f"] without [ at position {index + 1}")
        else:
            parts.append(re.escape(char))
        index += 1
    try:
        return re.compile("".join(parts), re.DOTALL)
    except re.error as error:  # a reversed range such as [z-a]
        raise ValueError(str(error)) from error


def matches(entry: MuteEntry, subject: Subject) -> bool:
    """Whether every field the entry gives matches the subject (expiry aside)."""
    if entry.provider is not None and entry.provider != subject.provider:
        return False
    if entry.website is not None and entry.website != subject.website:
        return False
    if entry.document_type is not None and entry.document_type != subject.document_type:
        return False
    if entry.tags is not None and not tags_match(entry.tags, subject.tags):
        return False
    globbed = (
        (entry.account, subject.account),
        (entry.bucket, subject.bucket),
        (entry.key, subject.key),
    )
    for pattern, value in globbed:
        if pattern is not None and (value is None or not glob_pattern(pattern).fullmatch(value)):
            return False
    return True


def tags_match(wanted: TagMatcher, tags: Tags | None) -> bool:
    """Whether every wanted key is among the tags with a value its glob matches (unread: never)."""
    if tags is None:
        return False
    values = dict(tags)
    return all(
        key in values and glob_pattern(glob).fullmatch(values[key]) is not None
        for key, glob in wanted
    )


def first_match(entries: Iterable[MuteEntry], subject: Subject, today: date) -> MuteEntry | None:
    """The first unexpired entry that matches the subject, or None."""
    return next(
        (entry for entry in entries if not entry.expired(today) and matches(entry, subject)),
        None,
    )


def finding_mute(mutelist: Mutelist, subject: Subject, today: date) -> MuteEntry | None:
    """The `mutes` entry that mutes a finding, or None."""
    return first_match(mutelist.of_kind(EntryKind.MUTE), subject, today)


def intended_public(mutelist: Mutelist, subject: Subject, today: date) -> MuteEntry | None:
    """The `intended_public` entry that marks a bucket as meant to be public, or None."""
    return first_match(mutelist.of_kind(EntryKind.INTENDED_PUBLIC), subject, today)


def expired_entries(mutelist: Mutelist, today: date) -> tuple[MuteEntry, ...]:
    """The entries past their `expires` date."""
    return tuple(entry for entry in mutelist.entries if entry.expired(today))


def expiry_warning(mutelist: Mutelist, entry: MuteEntry) -> str:
    """One line saying an entry expired and no longer mutes."""
    return (
        f"mutelist {mutelist.path}: {entry.label} expired on {entry.expires} and no longer "
        f"mutes ({entry.reason}): renew or remove it"
    )
