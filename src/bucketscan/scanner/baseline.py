"""Differences against a previous JSON report: which findings are new, gone, or not reached."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from bucketscan.policies.fingerprint import finding_id
from bucketscan.scanner.coverage import Coverage, reached
from bucketscan.scanner.findings import Finding

_MAX_DETAIL = 160


class BaselineError(Exception):
    """The baseline report could not be read; the message is one line."""


@dataclass(frozen=True)
class BaselineFinding:
    """A finding of the earlier report: its stable id and where it was."""

    id: str
    provider: str
    account: str
    bucket: str
    key: str
    document_type: str
    exposure: str

    def json(self) -> dict[str, str]:
        """The JSON-ready form written under summary.changes."""
        return {
            "id": self.id,
            "provider": self.provider,
            "account": self.account,
            "bucket": self.bucket,
            "key": self.key,
            "document_type": self.document_type,
        }


def _entry(item: dict[str, Any]) -> BaselineFinding:
    """One finding of the report; one written before ids existed gets its id computed."""
    place = (item["provider"], item["account"], item["bucket"], item["key"])
    computed = finding_id(*place, item["document_type"])
    return BaselineFinding(
        item.get("id", computed), *place, item["document_type"], item["exposure"]
    )


def _of_finding(finding: Finding) -> BaselineFinding:
    return BaselineFinding(
        finding.id,
        finding.provider,
        finding.account,
        finding.bucket,
        finding.key,
        finding.document_type,
        finding.exposure.value,
    )


def _order(entry: BaselineFinding) -> tuple[str, ...]:
    return (entry.provider, entry.account, entry.bucket, entry.key, entry.document_type)


def _validator() -> jsonschema.Draft202012Validator:
    text = (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _schema_problem(report: object) -> str | None:
    """What makes the document not a bucketscan JSON report, in a few words, or None."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(report))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the top level"
    detail = error.message if len(error.message) <= _MAX_DETAIL else error.message[:_MAX_DETAIL]
    return f"{detail} (at {where})"


@dataclass(frozen=True)
class Baseline:
    """The findings of an earlier run."""

    path: str
    findings: tuple[BaselineFinding, ...]
    keys_redacted: bool = False  # the earlier run masked its keys (--redact-keys)

    @property
    def ids(self) -> frozenset[str]:
        """The stable ids of the earlier findings."""
        return frozenset(entry.id for entry in self.findings)

    @classmethod
    def load(cls, path: Path, *, redact_keys: bool = False) -> Baseline:
        """Read a schema-1 JSON report written by an earlier scan, checked against the schema;
        `redact_keys` is this run's: ids only match between runs that both masked keys, or neither.
        """
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BaselineError(f"cannot read baseline {path}: {error}") from error
        problem = _schema_problem(report)
        if problem is not None:
            raise BaselineError(f"baseline {path} is not a bucketscan JSON report: {problem}")
        masked = bool(report["scan"].get("options", {}).get("redact_keys", False))
        if masked != redact_keys:
            written = "with" if masked else "without"
            raise BaselineError(
                f"baseline {path} was written {written} --redact-keys: its findings cannot "
                f"match this run's; run {written} --redact-keys too"
            )
        findings = tuple({e.id: e for e in map(_entry, report["findings"])}.values())
        return cls(str(path), findings, keys_redacted=masked)

    def changes(self, findings: Iterable[Finding], coverage: Coverage) -> dict[str, object]:
        """New, resolved and not-reached findings, as JSON-ready lists, matched on stable ids."""
        current = {entry.id: entry for entry in map(_of_finding, findings)}
        gone = [entry for entry in self.findings if entry.id not in current]
        new = [entry for entry in current.values() if entry.id not in self.ids]

        def reach(entry: BaselineFinding) -> bool:
            place = (entry.provider, entry.account, entry.bucket, entry.key)
            return reached(coverage, place, entry.exposure, keys_redacted=self.keys_redacted)

        return {
            "baseline": self.path,
            "new": [entry.json() for entry in sorted(new, key=_order)],
            "resolved": [entry.json() for entry in sorted(filter(reach, gone), key=_order)],
            "not_reached": [entry.json() for entry in sorted(gone, key=_order) if not reach(entry)],
        }
