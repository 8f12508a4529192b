"""Scan summaries for webhooks (`--notify URL`): a Slack-compatible payload, sent with retries.

The payload is Slack's (`text` plus `blocks`) so a Slack incoming webhook renders it, and carries
the same counts machine-readable under `bucketscan` for any other receiver. It names buckets,
keys (masked with `--redact-keys`, as in the report), document types and redacted evidence only.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bucketscan import __version__
from bucketscan.policies.detectors.scoring import WEIGHTS
from bucketscan.policies.keys import visible
from bucketscan.policies.severity import Severity
from bucketscan.records.common import Exposure
from bucketscan.scanner.findings import Finding
from bucketscan.scanner.runner import ScanOutcome

TOP_FINDINGS = 10
TIMEOUT_S = 5.0
RETRIES = 2  # on a 5xx or a refused connection; a receiver that never answers is not asked again
_RANK = {severity: rank for rank, severity in enumerate(Severity)}
_CELL = 200  # characters of one finding line: keys can be long, Slack caps a section at 3,000


class NotifyError(Exception):
    """A webhook that could not be told: its host and why (never the URL, which holds a token)."""


@dataclass(frozen=True)
class Delivery:
    """How a notification went: HTTP status of the last attempt and attempts made."""

    status: int
    attempts: int


def top_findings(findings: Sequence[Finding], limit: int = TOP_FINDINGS) -> list[Finding]:
    """The most severe findings first, then the most confident, at most `limit`; not muted."""
    shown = (f for f in findings if not f.muted)
    ranked = sorted(shown, key=lambda f: (_RANK[f.severity], -f.confidence, f.bucket, f.key))
    return ranked[:limit]


def evidence_of(finding: Finding) -> str:
    """The strongest signal's redacted snippet, else its reason: never the raw value."""
    if not finding.evidence:
        return ""
    top = max(finding.evidence, key=lambda signal: WEIGHTS[signal.strength])
    return top.snippet or top.reason


def _mrkdwn(value: str) -> str:
    """Untrusted text inert in Slack mrkdwn: no controls, no links or mentions (`<...>`)."""
    return visible(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(value: str, limit: int = _CELL) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "bucket": finding.bucket,
        "key": finding.key,
        "document_type": finding.document_type,
        "severity": finding.severity.value,
        "exposure": finding.exposure.value,
        "evidence": evidence_of(finding),
    }


def summary_data(outcome: ScanOutcome) -> dict[str, Any]:
    """The machine-readable counts: findings by severity, buckets by verdict, time, completeness."""
    summary = outcome.summary
    return {
        "version": __version__,
        "provider": outcome.meta.provider,
        "started_at": outcome.meta.started_at,
        "finished_at": outcome.meta.finished_at,
        "duration_s": outcome.meta.duration_s,
        "complete": outcome.meta.complete,
        "buckets": summary.buckets,
        "buckets_by_read": {e.value: summary.buckets_by_read.get(e.value, 0) for e in Exposure},
        "buckets_by_list": {e.value: summary.buckets_by_list.get(e.value, 0) for e in Exposure},
        "buckets_possibly_exposed": summary.buckets_possibly_exposed,
        "objects_listed": summary.objects_listed,
        "objects_inspected": summary.objects_inspected,
        "objects_unreadable": sum(summary.objects_unreadable.values()),
        "findings": sum(summary.findings_by_severity.values()),
        "findings_by_severity": {
            s.value: summary.findings_by_severity.get(s.value, 0) for s in Severity
        },
        "findings_by_type": dict(sorted(summary.findings_by_type.items())),
        "errors": summary.errors,
        "top_findings": [_finding_json(f) for f in top_findings(outcome.findings)],
    }


def _headline(data: dict[str, Any]) -> str:
    incomplete = "" if data["complete"] else " (incomplete)"
    count = data["findings"]
    found = f"{count} exposed sensitive file{'s' * (count != 1)}" if count else "no findings"
    return f"bucketscan {data['provider']}: {found}{incomplete}"


def _fields(data: dict[str, Any]) -> list[dict[str, str]]:
    severities = ", ".join(f"{name} {n}" for name, n in data["findings_by_severity"].items())
    verdicts = ", ".join(f"{name} {n}" for name, n in data["buckets_by_read"].items() if n)
    return [
        {"type": "mrkdwn", "text": f"*Findings*\n{data['findings']} ({severities})"},
        {"type": "mrkdwn", "text": f"*Buckets by read*\n{data['buckets']} ({verdicts or 'none'})"},
        {
            "type": "mrkdwn",
            "text": f"*Objects*\n{data['objects_listed']:,} listed, "
            f"{data['objects_inspected']:,} inspected, "
            f"{data['objects_unreadable']:,} could not be read",
        },
        {
            "type": "mrkdwn",
            "text": f"*Scan*\n{'complete' if data['complete'] else 'incomplete'}, "
            f"{data['duration_s'] or 0:.1f} s, {data['errors']} errors",
        },
    ]


def _finding_line(item: dict[str, Any]) -> str:
    where = _mrkdwn(_short(f"{item['bucket']}/{item['key']}"))
    evidence = _mrkdwn(_short(item["evidence"], 60))
    return f"• *{item['severity']}* {item['exposure']} `{item['document_type']}` {where} {evidence}"


def payload(outcome: ScanOutcome) -> dict[str, Any]:
    """The webhook body: Slack `text` and `blocks`, with the counts again under `bucketscan`."""
    data = summary_data(outcome)
    headline = _headline(data)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _short(headline, 150)}},
        {"type": "section", "fields": _fields(data)},
    ]
    if data["top_findings"]:
        shown = len(data["top_findings"])
        lines = "\n".join(_finding_line(item) for item in data["top_findings"])
        title = f"*Most severe {shown} of {data['findings']}*"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"{title}\n{lines}"}})
    context = (
        f"bucketscan {__version__} · {data['provider']} · started {data['started_at']} · "
        "evidence redacted; the report has the rest"
    )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return {"text": headline, "blocks": blocks, "bucketscan": data}


def host_of(url: str) -> str:
    """The part of a webhook URL safe to print: its host (paths of webhooks carry tokens)."""
    return urlsplit(url).hostname or "webhook"


def send(
    url: str,
    body: dict[str, Any],
    *,
    timeout: float = TIMEOUT_S,
    retries: int = RETRIES,
    backoff: float = 0.5,
) -> Delivery:
    """POST `body` as JSON; retry a 5xx or a refused connection; NotifyError when it failed."""
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": f"bucketscan/{__version__}"}
    attempt = 0
    while True:
        attempt += 1
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Delivery(response.status, attempt)
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt > retries:
                raise NotifyError(f"{host_of(url)} answered {error.code}") from None
        except TimeoutError:
            raise NotifyError(f"{host_of(url)} did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise NotifyError(f"{host_of(url)} did not answer within {timeout:g} s") from None
            if attempt > retries:
                raise NotifyError(f"{host_of(url)} could not be reached ({reason})") from None
        time.sleep(backoff * attempt)
