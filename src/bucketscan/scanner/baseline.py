"""Differences against a previous JSON report: which findings are new, which are gone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bucketscan.scanner.findings import Finding

FindingId = tuple[str, str, str, str, str]


class BaselineError(Exception):
    """The baseline report could not be read; the message is one line."""


def finding_id(provider: str, account: str, bucket: str, key: str, document_type: str) -> FindingId:
    """What makes a finding the same one across runs."""
    return (provider, account, bucket, key, document_type)


@dataclass(frozen=True)
class Baseline:
    """The findings of an earlier run."""

    path: str
    ids: frozenset[FindingId]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a schema-1 JSON report written by an earlier scan."""
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            ids = frozenset(
                finding_id(f["provider"], f["account"], f["bucket"], f["key"], f["document_type"])
                for f in report["findings"]
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise BaselineError(f"cannot read baseline {path}: {error}") from error
        return cls(str(path), ids)

    def changes(self, findings: Iterable[Finding]) -> dict[str, object]:
        """New and resolved findings, as JSON-ready lists."""
        current = {
            finding_id(f.provider, f.account, f.bucket, f.key, f.document_type) for f in findings
        }
        fields = ("provider", "account", "bucket", "key", "document_type")
        return {
            "baseline": self.path,
            "new": [dict(zip(fields, i, strict=True)) for i in sorted(current - self.ids)],
            "resolved": [dict(zip(fields, i, strict=True)) for i in sorted(self.ids - current)],
        }
