"""Bucket policy statements parsed defensively into typed records, and their matching rules.

Example: ``{"Effect": "Allow", "Principal": "*", "Action": "s3:Get*", "Resource":
"arn:aws:s3:::b/public/*"}`` parses to a Statement whose ``allows_anyone`` is true and which matches
the action ``s3:GetObject`` on ``arn:aws:s3:::b/public/a.jpg`` but not on ``arn:aws:s3:::b/a.jpg``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bucketscan.policies.access.s3_patterns import Pattern, pattern

# Other partitions (aws-cn, aws-us-gov) name the same buckets; compare ARNs in one spelling.
_PARTITION = re.compile(r"^arn:aws[a-z-]*:s3:::")
OBJECT_ARN = "arn:aws:s3:::{bucket}/{key}"
BUCKET_ARN = "arn:aws:s3:::{bucket}"


class PolicyError(ValueError):
    """A bucket policy that is not valid JSON or not a valid policy document."""


@dataclass(frozen=True)
class Condition:
    """One condition test: operator (as written), key and the values it compares with."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One policy statement; `negated_*` flags mark NotPrincipal, NotAction and NotResource."""

    index: int
    sid: str | None
    effect: str
    principals: tuple[tuple[str, str], ...]
    negated_principal: bool
    actions: tuple[str, ...]
    negated_action: bool
    resources: tuple[str, ...]
    negated_resource: bool
    conditions: tuple[Condition, ...]

    @property
    def label(self) -> str:
        """How reasons name the statement: its Sid, or its position."""
        return f"'{self.sid}'" if self.sid else f"#{self.index + 1}"

    @property
    def is_deny(self) -> bool:
        """Whether this is a Deny statement."""
        return self.effect == "Deny"

    @property
    def allows_anyone(self) -> bool:
        """Whether the principal element covers anonymous callers and every AWS account, or
        anyone who signs in with a web identity provider (a Federated principal)."""
        star = any(value == "*" and kind in ("*", "AWS") for kind, value in self.principals)
        anyone = star or bool(self.federated)
        return not anyone if self.negated_principal else anyone

    @property
    def federated(self) -> tuple[str, ...]:
        """Identity providers named as Federated principals: anyone signed in there."""
        return tuple(value for kind, value in self.principals if kind == "Federated")

    @property
    def principal_notes(self) -> tuple[str, ...]:
        """What reasons say of the principal beyond its text."""
        if self.federated and not self.negated_principal:
            names = ", ".join(self.federated)
            return (f"a Federated principal ({names}) admits anyone who signs in there",)
        return ()

    @property
    def principal_text(self) -> str:
        """The principal as reasons show it."""
        shown = ", ".join(
            "*" if kind == "*" else f"{kind}:{value}" for kind, value in self.principals
        )
        return f"everyone except {shown}" if self.negated_principal else shown

    def matches_action(self, action: str) -> bool:
        """Whether the statement applies to an action (``s3:GetObject``), case-insensitively."""
        return _action_hit(self.actions, action) != self.negated_action

    def resource_patterns(self) -> tuple[Pattern, ...]:
        """The Resource or NotResource patterns, parsed."""
        return tuple(pattern(resource) for resource in self.resources)

    def matches_resource(self, arn: str) -> bool:
        """Whether the statement applies to one exact ARN."""
        hit = any(parsed.matches(arn) for parsed in self.resource_patterns())
        return hit != self.negated_resource

    def may_match_under(self, prefix: str) -> bool:
        """Whether the statement applies to some ARN under a prefix (``arn:aws:s3:::b/``)."""
        patterns = self.resource_patterns()
        if self.negated_resource:
            return not any(parsed.covers_under(prefix) for parsed in patterns)
        return any(parsed.may_match_under(prefix) for parsed in patterns)

    def covers_under(self, prefix: str) -> bool:
        """Whether the statement applies to every ARN under a prefix."""
        patterns = self.resource_patterns()
        if self.negated_resource:
            return not any(parsed.may_match_under(prefix) for parsed in patterns)
        return any(parsed.covers_under(prefix) for parsed in patterns)


@lru_cache(maxsize=4096)
def _action_hit(actions: tuple[str, ...], action: str) -> bool:
    """Whether one of the action patterns matches; cached, as every object asks the same."""
    return any(pattern(text, fold_case=True).matches(action.casefold()) for text in actions)


@lru_cache(maxsize=256)
def parse_policy(text: str) -> tuple[Statement, ...]:
    """Parse a policy document; raises PolicyError with a one-line reason when it is malformed."""
    try:
        document = json.loads(text)
    except (ValueError, TypeError) as error:
        raise PolicyError(f"not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise PolicyError("the document is not a JSON object")
    raw = document.get("Statement")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise PolicyError("Statement is missing or not a list")
    return tuple(_statement(index, item) for index, item in enumerate(raw))


def _statement(index: int, item: Any) -> Statement:
    where = f"statement #{index + 1}"
    if not isinstance(item, dict):
        raise PolicyError(f"{where} is not an object")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f"{where}: Effect must be Allow or Deny, not {effect!r}")
    sid = item.get("Sid")
    principal_key = _one_of(item, "Principal", "NotPrincipal", where)
    action_key = _one_of(item, "Action", "NotAction", where)
    resource_key = _one_of(item, "Resource", "NotResource", where)
    resources = _strings(item[resource_key], f"{where} {resource_key}")
    return Statement(
        index=index,
        sid=sid if isinstance(sid, str) and sid else None,
        effect=effect,
        principals=_principals(item[principal_key], f"{where} {principal_key}"),
        negated_principal=principal_key.startswith("Not"),
        actions=_strings(item[action_key], f"{where} {action_key}"),
        negated_action=action_key.startswith("Not"),
        resources=tuple(_PARTITION.sub("arn:aws:s3:::", resource) for resource in resources),
        negated_resource=resource_key.startswith("Not"),
        conditions=_conditions(item.get("Condition"), where),
    )


def _one_of(item: dict[str, Any], name: str, negated: str, where: str) -> str:
    if (name in item) == (negated in item):
        raise PolicyError(f"{where}: needs exactly one of {name} and {negated}")
    return name if name in item else negated


def _strings(value: Any, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not values:
        raise PolicyError(f"{where} must be a string or a non-empty list of strings")
    return tuple(values)


def _principals(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if value == "*":
        return (("*", "*"),)
    if not isinstance(value, dict) or not value:
        raise PolicyError(f'{where} must be "*" or an object')
    pairs: list[tuple[str, str]] = []
    for kind, members in value.items():
        pairs.extend((str(kind), member) for member in _strings(members, f"{where} {kind}"))
    return tuple(pairs)


def _conditions(value: Any, where: str) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise PolicyError(f"{where} Condition must be an object")
    tests: list[Condition] = []
    for operator, block in value.items():
        if not isinstance(block, dict):
            raise PolicyError(f"{where} Condition {operator} must be an object")
        for key, raw in block.items():
            values = raw if isinstance(raw, list) else [raw]
            tests.append(Condition(str(operator), str(key), tuple(_scalar(v) for v in values)))
    return tuple(tests)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
