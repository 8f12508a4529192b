"""IAM condition expressions (CEL) on Cloud Storage, judged for one bucket or object at a moment.

The attributes are those of Google's IAM Conditions reference
(https://cloud.google.com/iam/docs/conditions-attribute-reference, with resource names and types at
https://cloud.google.com/iam/docs/conditions-resource-attributes): ``resource.name`` is
``projects/_/buckets/BUCKET/objects/KEY`` for an object and ``projects/_/buckets/BUCKET`` for a
check on the bucket itself (storage.objects.list is one), ``resource.type`` is
``storage.googleapis.com/Object`` or ``storage.googleapis.com/Bucket``, ``resource.service`` is
``storage.googleapis.com`` and ``request.time`` is the moment of the scan. Any other attribute
(request.auth, api.getAttribute, resource.matchTag, ...) is unknown: an expression whose value
needs one cannot be judged. Example: ``resource.name.startsWith("projects/_/buckets/b/objects/p/")``
holds for ``p/a.pdf`` in bucket ``b``, not for ``q/a.pdf`` nor for the bucket itself.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NoReturn

import celpy
from celpy import celtypes
from celpy.evaluation import base_functions

OBJECT = "storage.googleapis.com/Object"
BUCKET = "storage.googleapis.com/Bucket"
SERVICE = "storage.googleapis.com"

_ZONED = re.compile(r"(?:[zZ]|[+-]\d\d:\d\d)$")
# Hour, weekday and date accessors make a verdict depend on when the scan ran: a business-hours
# window must not read as private at night, so they cannot be judged.
_CLOCK_ACCESSORS = (
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getFullYear",
    "getHours",
    "getMilliseconds",
    "getMinutes",
    "getMonth",
    "getSeconds",
)
# `has(resource.name)` would turn a name the scan does not know (some object) into false.
_REFUSED = frozenset({"has"})
_KNOWN = frozenset(
    {"resource", "request", "name", "type", "service", "time"}
    | set(base_functions) - set(_CLOCK_ACCESSORS)
)
_COMPILING = threading.Lock()  # celpy's parser keeps the text being parsed on itself


def bucket_resource(bucket: str) -> str:
    """The resource name IAM checks bucket-level permissions on, storage.objects.list among them."""
    return f"projects/_/buckets/{bucket}"


def object_resource(bucket: str, key: str) -> str:
    """The resource name IAM checks an object's permissions on."""
    return f"{bucket_resource(bucket)}/objects/{key}"


def judge(
    expression: str, resource_name: str | None, resource_type: str, now: datetime
) -> bool | None:
    """Whether a condition holds for a resource (name None: some object) at `now`; None: unknown."""
    compiled = _compiled(expression)
    if compiled is None:
        return None
    resource = {"type": resource_type, "service": SERVICE}
    if resource_name is not None:
        resource["name"] = resource_name
    try:
        result = compiled.runner.evaluate(
            {
                "resource": _cel_map({k: celtypes.StringType(v) for k, v in resource.items()}),
                "request": _cel_map({"time": celtypes.TimestampType(now)}),
            }
        )
    except Exception:  # noqa: BLE001 - unknown attribute, type error, library fault: cannot tell
        return None
    return bool(result) if isinstance(result, celtypes.BoolType) else None


def modelled(expression: str) -> bool:
    """Whether the expression parses and names only the attributes and functions judged here."""
    compiled = _compiled(expression)
    return compiled is not None and compiled.names <= _KNOWN


@dataclass(frozen=True)
class _Compiled:
    """A compiled condition and the identifiers it names."""

    runner: celpy.Runner
    names: frozenset[str]


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> _Compiled | None:
    """The expression compiled once; None when it does not parse or uses a refused macro."""
    try:
        with _COMPILING:
            environment = _environment()
            tree = environment.compile(expression)
            runner = environment.program(tree, functions=_FUNCTIONS)
        names = frozenset(
            str(token) for token in tree.scan_values(lambda v: getattr(v, "type", None) == "IDENT")
        )
    except Exception:  # noqa: BLE001 - a parse failure, or nesting too deep: cannot be judged
        return None
    return None if names & _REFUSED else _Compiled(runner, names)


def _cel_map(entries: dict[str, Any]) -> celtypes.MapType:
    """A CEL map with string keys."""
    return celtypes.MapType({celtypes.StringType(key): value for key, value in entries.items()})


@lru_cache(maxsize=1)
def _environment() -> celpy.Environment:
    """The CEL environment, built on first use: building it sets sys.setrecursionlimit(2500)."""
    return celpy.Environment()


def _strict_timestamp(value: Any) -> celtypes.TimestampType:
    """CEL's timestamp(), refusing the zoneless text the library would read as UTC."""
    if isinstance(value, str) and not _ZONED.search(value):
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return celtypes.TimestampType(value)


def _refuse_clock(*_: Any) -> NoReturn:
    """Stand-in for the clock accessors, failing as an unknown would."""
    raise TypeError("the hour or date of the scan is not judged")


_FUNCTIONS: dict[str, Any] = {
    "timestamp": _strict_timestamp,
    **dict.fromkeys(_CLOCK_ACCESSORS, _refuse_clock),
}
