"""A scan's totals as Prometheus text for node_exporter's textfile collector (`--metrics-file`).

Needs the `metrics` extra (prometheus-client). Counts only: no bucket names, keys or evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from bucketscan.policies.severity import Severity
from bucketscan.records.common import Exposure
from bucketscan.scanner.runner import ScanOutcome

OBJECT_STATES = ("listed", "inspected", "skipped", "unreadable")


@dataclass(frozen=True, eq=False)  # registries key collectors by identity
class _Fixed:
    """A collector that hands out metric families computed beforehand."""

    families: tuple[Metric, ...]

    def collect(self) -> Iterable[Metric]:
        """The families, as built."""
        return self.families


def metric_families(outcome: ScanOutcome, finished_at: float) -> tuple[Metric, ...]:
    """The scan's metrics; `finished_at` is the Unix time the scan ended."""
    summary = outcome.summary
    findings = GaugeMetricFamily(
        "bucketscan_findings",
        "Exposed ID documents and résumés found by the last scan, by severity and document type.",
        labels=["severity", "document_type"],
    )
    by_kind = Counter((f.severity.value, f.document_type) for f in outcome.findings if not f.muted)
    for severity in Severity:  # every severity present, so alerts on 0 -> N see a series
        if not any(kind[0] == severity.value for kind in by_kind):
            findings.add_metric([severity.value, ""], 0)
    for (severity_value, document_type), count in sorted(by_kind.items()):
        findings.add_metric([severity_value, document_type], count)
    buckets = GaugeMetricFamily(
        "bucketscan_buckets", "Buckets by read verdict in the last scan.", labels=["verdict"]
    )
    for exposure in Exposure:
        buckets.add_metric([exposure.value], summary.buckets_by_read.get(exposure.value, 0))
    objects = GaugeMetricFamily(
        "bucketscan_objects", "Objects of the last scan by state.", labels=["state"]
    )
    counts = (
        summary.objects_listed,
        summary.objects_inspected,
        sum(summary.objects_skipped.values()),
        sum(summary.objects_unreadable.values()),
    )
    for state, count in zip(OBJECT_STATES, counts, strict=True):
        objects.add_metric([state], count)
    return (
        findings,
        buckets,
        objects,
        GaugeMetricFamily(
            "bucketscan_scan_duration_seconds",
            "Wall time of the last scan.",
            value=outcome.meta.duration_s or 0.0,
        ),
        CounterMetricFamily(
            "bucketscan_scan_errors",
            "Errors recorded by the last scan (listing, download, analysis, facts).",
            value=summary.errors,
        ),
        GaugeMetricFamily(
            "bucketscan_scan_complete",
            "1 when the last scan ran to its end, 0 when a signal stopped it.",
            value=int(outcome.meta.complete),
        ),
        GaugeMetricFamily(
            "bucketscan_last_run_timestamp_seconds",
            "Unix time the last scan finished.",
            value=finished_at,
        ),
    )


def registry_of(families: tuple[Metric, ...]) -> CollectorRegistry:
    """A registry holding just these families."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Fixed(families))
    return registry


def write_metrics(path: Path, outcome: ScanOutcome, finished_at: float) -> None:
    """Write the metrics file whole (a temporary file beside it, renamed over it)."""
    write_to_textfile(str(path), registry_of(metric_families(outcome, finished_at)))
