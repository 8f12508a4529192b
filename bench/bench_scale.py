"""Organisation-sweep benchmark: an in-memory organisation swept on a Dask LocalCluster.

Run: OMP_THREAD_LIMIT=1 .venv/bin/python bench/bench_scale.py [--quick]
200 accounts x 5 buckets x 2,000 objects (2 M objects; --quick: 20 accounts) swept with
--executor dask on 1 and then 2 worker processes: objects/s, their ratio, peak RSS per worker at
500 and 2,000 objects per bucket, and whether the findings equal the local executor's.
Prints figures; it is not a test and asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

from bucketscan.metering import Meter
from bucketscan.providers.memory_org import MemoryAccountSpec, organization
from bucketscan.providers.sweep import SweepProvider
from bucketscan.scanner.distributed.cluster import dask_client
from bucketscan.scanner.distributed.coordinator import DaskSweep
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.stats import ScanStats

BUCKETS = 5
OPTIONS = ScanOptions(io_threads=4, workers=1, ocr_engine="none")


def peak_rss_kib() -> int:
    """This process's peak resident size (runs in each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def findings(outcome: ScanOutcome) -> list[tuple[str, str, str, str]]:
    return sorted((f.account, f.bucket, f.key, f.document_type) for f in outcome.findings)


def sweep(
    targets: tuple[MemoryAccountSpec, ...], workers: int
) -> tuple[ScanOutcome, float, list[int]]:
    """One dask sweep on a fresh LocalCluster: outcome, seconds, each worker's peak RSS (KiB)."""
    with dask_client(None, workers) as client:
        client.run(lambda: None)  # workers up and importing before the clock starts
        meter, stats = Meter(), ScanStats()
        source = DaskSweep(client, targets, OPTIONS, meter=meter, stats=stats)
        started = time.perf_counter()
        outcome = run_scan(
            SweepProvider(targets, meter), OPTIONS, (), meter=meter, stats=stats, source=source
        )
        seconds = time.perf_counter() - started
        peaks: dict[str, Any] = client.run(peak_rss_kib)
    return outcome, seconds, sorted(peaks.values())


def local(targets: tuple[MemoryAccountSpec, ...]) -> tuple[ScanOutcome, float]:
    meter = Meter()
    started = time.perf_counter()
    outcome = run_scan(SweepProvider(targets, meter), OPTIONS, (), meter=meter)
    return outcome, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 accounts instead of 200")
    parser.add_argument("--objects", type=int, default=2000, help="objects per bucket")
    parser.add_argument("--small", type=int, default=500, help="objects per bucket, RSS check")
    args = parser.parse_args()
    accounts = 20 if args.quick else 200
    targets = organization(accounts, BUCKETS, args.objects)
    total = accounts * BUCKETS * args.objects
    public = sum(bool(target.public) for target in targets)
    print(f"organisation: {accounts} accounts x {BUCKETS} buckets x {args.objects} objects "
          f"= {total:,} objects; {public} public buckets")  # fmt: skip
    rates = {}
    outcomes = {}
    for workers in (1, 2):
        outcome, seconds, peaks = sweep(targets, workers)
        listed = sum(bucket.objects_listed for bucket in outcome.buckets)
        rates[workers] = listed / seconds
        outcomes[workers] = outcome
        print(f"dask, {workers} worker(s): {listed:,} objects in {seconds:.1f} s = "
              f"{rates[workers]:,.0f} objects/s; {len(outcome.findings)} findings; "
              f"peak RSS per worker {[f'{kib / 1024:.0f} MiB' for kib in peaks]}")  # fmt: skip
    print(f"ratio 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x (goal >= 1.7x)")
    small = organization(accounts, BUCKETS, args.small)
    _, seconds, peaks = sweep(small, 2)
    print(f"peak RSS per worker at {args.small} objects/bucket: "
          f"{[f'{kib / 1024:.0f} MiB' for kib in peaks]} (2 workers, {seconds:.1f} s)")  # fmt: skip
    expected, seconds = local(targets)
    same = findings(expected) == findings(outcomes[1]) == findings(outcomes[2])
    buckets_same = {b.ref: b.access for b in expected.buckets} == {
        b.ref: b.access for b in outcomes[2].buckets
    }
    print(f"local executor: {len(expected.findings)} findings in {seconds:.1f} s; "
          f"findings equal on dask (1 and 2 workers): {same}; bucket verdicts equal: "
          f"{buckets_same}")  # fmt: skip


if __name__ == "__main__":
    main()
