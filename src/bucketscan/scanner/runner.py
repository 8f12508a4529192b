"""One scan from start to report: engine events to writers, summary and exit status."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from bucketscan import __version__
from bucketscan.metering import Meter
from bucketscan.policies.access.registry import EVALUATORS
from bucketscan.policies.mutelist import Mutelist
from bucketscan.providers.base import Provider
from bucketscan.scanner.analyzer import Analyzer, ProcessAnalyzer
from bucketscan.scanner.baseline import Baseline
from bucketscan.scanner.coverage import coverage_of
from bucketscan.scanner.engine import Engine, Event
from bucketscan.scanner.findings import BucketResult, Finding, ScanSummary, UnreadableObject
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.meta import Interruption, ScanMeta
from bucketscan.scanner.muting import marked_bucket, muted_finding
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.writer import ReportWriter
from bucketscan.scanner.state import ScanState
from bucketscan.scanner.stats import ScanStats
from bucketscan.scanner.summary import SummaryBuilder


class EventSource(Protocol):
    """What run_scan reads events from: the local Engine, or a distributed sweep."""

    def run(self) -> Iterator[Event]:
        """Every event of the scan, as found."""
        ...

    def interruption(self) -> Interruption | None:
        """What a stop request left unreached, if one came."""
        ...


@dataclass(frozen=True)
class ScanOutcome:
    """What a finished scan hands back to its caller."""

    meta: ScanMeta
    summary: ScanSummary
    findings: tuple[Finding, ...]
    buckets: tuple[BucketResult, ...]
    unreadable: tuple[UnreadableObject, ...]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_scan(
    provider: Provider,
    options: ScanOptions,
    writers: tuple[ReportWriter, ...],
    *,
    meter: Meter,
    stats: ScanStats | None = None,
    analyzer: Analyzer | None = None,
    progress: AbstractContextManager[object] | None = None,
    keep_results: bool = True,
    baseline: Baseline | None = None,
    stop: Stop | None = None,
    mutelist: Mutelist | None = None,
    today: date | None = None,
    state: ScanState | None = None,
    source: EventSource | None = None,
) -> ScanOutcome:
    """Scan every bucket of a provider and feed each writer as events arrive; a `stop` request
    ends the scan early, and the report says what was not reached. A `mutelist` marks findings
    muted and buckets intended-public (its entries expire after `today`, by default UTC's).
    A `state` (--state) carries unchanged objects' outcomes forward and records finished units.
    A `source` (--executor dask) replaces the local engine: it reads and analyses elsewhere."""
    today = today or datetime.now(UTC).date()
    stats = stats or ScanStats()
    started, clock = _now(), time.perf_counter()
    meta = ScanMeta("bucketscan", __version__, provider.name, started, None, None, asdict(options))
    for writer in writers:
        writer.start(meta)
    owned = source is None and analyzer is None and options.content
    if owned:
        analyzer = ProcessAnalyzer(options.worker_count, ocr_engine=options.ocr_engine)
    engine: EventSource = source or Engine(
        provider,
        EVALUATORS[provider.name],
        options,
        analyzer=analyzer,
        meter=meter,
        stats=stats,
        stop=stop,
        state=state,
    )
    totals = SummaryBuilder()
    findings: list[Finding] = []
    buckets: list[BucketResult] = []
    unreadable: list[UnreadableObject] = []
    try:
        with progress or nullcontext():
            for event in engine.run():
                if isinstance(event, Finding):
                    if mutelist is not None:
                        event = muted_finding(event, mutelist, today)
                    totals.finding(event)
                    if keep_results:
                        findings.append(event)
                    for writer in writers:
                        writer.finding(event)
                elif isinstance(event, UnreadableObject):
                    if keep_results:
                        unreadable.append(event)
                    for writer in writers:
                        writer.unreadable(event)
                else:
                    if mutelist is not None:
                        event = marked_bucket(event, mutelist, today)
                    totals.bucket(event)
                    if keep_results:
                        buckets.append(event)
                    for writer in writers:
                        writer.bucket(event)
    except BaseException:
        if analyzer is not None:  # the scan failed: nothing in flight is worth waiting for
            analyzer.cancel(running=True)
        raise
    finally:
        if owned and analyzer is not None:
            analyzer.close()
    elapsed = round(time.perf_counter() - clock, 3)
    meta = ScanMeta(
        meta.tool,
        meta.version,
        meta.provider,
        started,
        _now(),
        elapsed,
        meta.options,
        engine.interruption(),
    )
    changes = None
    if baseline is not None:
        coverage = coverage_of(options, buckets, unreadable, complete=meta.complete)
        changes = baseline.changes(findings, coverage)
    summary = totals.build(provider.name, meter, stats.seconds(), changes)
    for writer in writers:
        writer.finish(meta, summary)
    return ScanOutcome(meta, summary, tuple(findings), tuple(buckets), tuple(unreadable))
