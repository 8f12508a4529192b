"""`--metrics-file`: Prometheus text that parses and matches the scan, written whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bucketscan.providers.memory import MemoryBucket
from bucketscan.scanner.meta import Interruption
from bucketscan.scanner.publish import publish
from bucketscan.scanner.runner import ScanOutcome
from test_engine import PRIVATE_FACTS, body, public_facts, scan

parser = pytest.importorskip("prometheus_client.parser")
metrics = pytest.importorskip("bucketscan.scanner.publish.metrics")

FINISHED = 1_700_000_000.0


@pytest.fixture(scope="module")
def outcome() -> ScanOutcome:
    buckets = (
        MemoryBucket("uploads", public_facts("uploads"), 30, body, key=lambda i: f"u/{i}.jpg"),
        MemoryBucket("hr", PRIVATE_FACTS, 4, body),
        MemoryBucket("media", public_facts("media"), 3, body, key=lambda i: f"v/{i}.mp4"),
    )
    return scan(buckets)[0]


def samples(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = path.read_text(encoding="utf-8")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in parser.text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_file_parses_and_matches_the_scan(outcome: ScanOutcome, tmp_path: Path) -> None:
    path = tmp_path / "bucketscan.prom"
    metrics.write_metrics(path, outcome, FINISHED)
    got = samples(path)
    summary = outcome.summary
    critical = (("document_type", "my_number_card"), ("severity", "critical"))
    assert got["bucketscan_findings", critical] == len(outcome.findings) == 3
    assert got["bucketscan_findings", (("document_type", ""), ("severity", "low"))] == 0
    assert got["bucketscan_buckets", (("verdict", "public"),)] == 2
    assert got["bucketscan_buckets", (("verdict", "private"),)] == 1
    assert got["bucketscan_buckets", (("verdict", "unknown"),)] == 0
    objects = {
        state: got["bucketscan_objects", (("state", state),)] for state in metrics.OBJECT_STATES
    }
    assert objects == {
        "listed": 37,
        "inspected": summary.objects_inspected,
        "skipped": sum(summary.objects_skipped.values()),
        "unreadable": 0,
    }
    assert objects["inspected"] == 30 and objects["skipped"] == 7  # 4 private, 3 videos
    assert got["bucketscan_scan_duration_seconds", ()] == outcome.meta.duration_s
    assert got["bucketscan_scan_errors_total", ()] == summary.errors
    assert got["bucketscan_scan_complete", ()] == 1
    assert got["bucketscan_last_run_timestamp_seconds", ()] == FINISHED


def test_help_and_type_lines(outcome: ScanOutcome, tmp_path: Path) -> None:
    path = tmp_path / "bucketscan.prom"
    metrics.write_metrics(path, outcome, FINISHED)
    text = path.read_text(encoding="utf-8")
    assert "# TYPE bucketscan_scan_errors_total counter" in text
    assert "# TYPE bucketscan_findings gauge" in text
    assert "# HELP bucketscan_scan_complete " in text
    assert "uploads" not in text and "u/0.jpg" not in text  # counts only, no names


def test_interrupted_scan_is_incomplete(outcome: ScanOutcome, tmp_path: Path) -> None:
    stopped = replace(outcome.meta, interruption=Interruption("SIGINT", (), (), True, 2))
    path = tmp_path / "m.prom"
    metrics.write_metrics(path, replace(outcome, meta=stopped), FINISHED)
    assert samples(path)["bucketscan_scan_complete", ()] == 0


def test_rewrite_replaces_the_file_whole(outcome: ScanOutcome, tmp_path: Path) -> None:
    path = tmp_path / "m.prom"
    path.write_text("old\n", encoding="utf-8")
    metrics.write_metrics(path, outcome, FINISHED)
    assert "old" not in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["m.prom"]  # no temporary file left


def test_unwritable_metrics_file_is_a_warning(outcome: ScanOutcome, tmp_path: Path) -> None:
    warnings: list[str] = []
    target = tmp_path / "gone" / "m.prom"
    publish(outcome, notify=(), metrics_file=target, warn=warnings.append)
    (warning,) = warnings
    assert warning.startswith(f"metrics file {target} not written")
