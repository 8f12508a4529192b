"""The terminal: progress bars with rate and ETA, --verbose lines, shell completion."""

from __future__ import annotations

import io
import time
from contextlib import nullcontext

import pytest
from click.testing import CliRunner
from rich.console import Console

from bucketscan.metering import Meter, RetryReason
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.scanner.cli import main
from bucketscan.scanner.console import progress
from bucketscan.scanner.console.progress import ScanProgress, live_progress, progress_state
from bucketscan.scanner.console.verbose import VerboseLog
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan
from bucketscan.scanner.stats import ScanStats
from test_engine import PRIVATE_FACTS, MarkerAnalyzer, body, public_facts


def test_totals_are_unknown_until_every_listing_ended() -> None:
    listing = {"buckets_total": 3, "buckets_done": 1, "units_total": 3, "units_listed": 1}
    state = progress_state({**listing, "objects_listed": 50, "objects_queued": 9})
    assert (state.buckets_total, state.objects_due) == (None, None)
    known = progress_state({**listing, "buckets_known": 1, "objects_queued": 9})
    assert (known.buckets_total, known.objects_due) == (3, None)  # two buckets still listing
    done = progress_state({**listing, "buckets_known": 1, "units_listed": 3, "objects_queued": 9})
    assert (done.buckets_total, done.objects_due) == (3, 9)


def test_no_bars_when_quiet_or_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stats = ScanStats()
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: False)
    assert isinstance(live_progress(stats, quiet=False), nullcontext)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: True)
    assert isinstance(live_progress(stats, quiet=True), nullcontext)
    assert isinstance(live_progress(stats, quiet=False), ScanProgress)


def render(bars: ScanProgress, console: Console) -> str:
    with console.capture() as captured:
        console.print(bars.get_renderable())
    return captured.get()


def test_bars_show_counts_rate_and_eta() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=140, color_system=None)
    stats = ScanStats()
    bars = ScanProgress(stats, None, console)
    stats.add(buckets_total=2, units_total=2, objects_listed=100, objects_queued=40, objects_done=5)
    first = render(bars, console)
    assert "objects listed   ━" in first and " 100 " in first
    assert "/2" not in first and "0:00:" not in first and "/s" not in first  # no total, no rate
    time.sleep(0.3)
    stats.add(objects_listed=100, buckets_known=1, units_listed=2, buckets_done=1, findings=2)
    later = render(bars, console)
    assert "1/2" in later and "5/40" in later and " 200 " in later
    assert "/s" in later  # objects listed per second, from two samples 0.3 s apart
    assert "findings 2" in later
    for _ in range(2):
        time.sleep(0.2)
        stats.add(objects_done=5)
        last = render(bars, console)
    assert "15/40" in last and "0:00:" in last  # an ETA now that the total is known


def test_verbose_prints_verdicts_reasons_skips_and_retries() -> None:
    stream = io.StringIO()
    log = VerboseLog(Console(file=stream, width=200, color_system=None))
    buckets = (
        MemoryBucket("uploads", public_facts("uploads"), 4, body, key=lambda i: f"u/{i}.zip"),
        MemoryBucket("hr", PRIVATE_FACTS, 3, body),
    )
    meter = Meter(on_retry=log.retry)
    run_scan(
        MemoryProvider(buckets, meter=meter),
        ScanOptions(io_threads=2, workers=1),
        (log,),
        meter=meter,
        stats=ScanStats(on_note=log.note),
        analyzer=MarkerAnalyzer(),
    )
    meter.retried("s3.GetObject", RetryReason.THROTTLED)
    lines = stream.getvalue().splitlines()
    assert any(line.startswith("bucket uploads: read public, list") for line in lines)
    assert any(line.startswith("bucket hr: read private") for line in lines)
    assert any(line.startswith("  read: ") for line in lines)  # a verdict's reason
    assert sum(line.startswith("skipped uploads/u/") for line in lines) == 4
    assert "skipped uploads/u/0.zip: file type" in lines
    assert not any(line.startswith("skipped hr/") for line in lines)  # private: not noted
    assert "retry s3.GetObject (throttled)" in lines


def test_verbose_skips_show_redacted_keys() -> None:
    stream = io.StringIO()
    log = VerboseLog(Console(file=stream, width=200, color_system=None))
    bucket = MemoryBucket(
        "uploads", public_facts("uploads"), 1, body, key=lambda i: "tanaka_taro/0312345678.zip"
    )
    run_scan(
        MemoryProvider((bucket,)),
        ScanOptions(io_threads=2, workers=1, redact_keys=True),
        (log,),
        meter=Meter(),
        stats=ScanStats(on_note=log.note),
        analyzer=MarkerAnalyzer(),
    )
    text = stream.getvalue()
    assert "skipped uploads/" in text
    assert "tanaka" not in text and "0312345678" not in text


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "_bucketscan_completion"), ("zsh", "#compdef bucketscan"), ("fish", "complete")],
)
def test_shell_completion_script_is_produced(shell: str, marker: str) -> None:
    result = CliRunner().invoke(
        main, [], prog_name="bucketscan", env={"_BUCKETSCAN_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0
    assert marker in result.output


def test_completion_offers_scan_options() -> None:
    env = {
        "_BUCKETSCAN_COMPLETE": "bash_complete",
        "COMP_WORDS": "bucketscan scan aws --no",
        "COMP_CWORD": "3",
    }
    result = CliRunner().invoke(main, [], prog_name="bucketscan", env=env)
    assert "--notify" in result.output and "--no-content" in result.output
