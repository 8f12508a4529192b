"""Fault benchmark: a scan behind the fault-injecting proxy at 0/5/20/50% faults, against moto.

Run: .venv/bin/python bench/bench_faults.py [--rates 0,0.05,0.2,0.5] [--seed 7]
     [--buckets 10] [--objects 200] [--stall 2,5] [--workers 2]
Seeds moto with 10 buckets x 200 objects (9 findings without faults: public-policy, object-ACL,
prefix-public, listing-only and private buckets), then scans it once per fault rate, each scan in
its own process, and prints wall time, requests sent against logical calls, retries, buckets
present, verdicts and findings against the fault-free run (equal, or unknown with the reason;
never a flip to private) and the peak RSS of every process. It is not a test and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3

from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.s3 import moto_server

REGION = "ap-northeast-1"
SENSITIVE = "個人番号カード\n個人番号 6214 9832 0257\n氏名 山田 太郎\n生年月日 1990年1月1日\n"


def layout(buckets: int) -> list[tuple[str, str]]:
    """(name, kind) of each bucket: the kinds cycle so that any count keeps the same mix."""
    kinds = ("public", "object-acl", "public", "private", "prefix", "object-acl", "public")
    kinds += ("private", "listing", "private")
    chosen = [kinds[index % len(kinds)] for index in range(buckets)]
    return [(f"fault-{index:02d}-{kind}", kind) for index, kind in enumerate(chosen)]


def seed(endpoint: str, buckets: int, objects: int) -> None:
    """Create the buckets; a public bucket holds 2 sensitive files, object-ACL/prefix ones 1."""
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    uploads: list[dict[str, Any]] = []
    for name, kind in layout(buckets):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if kind in ("public", "private"):
            rules = [{"ObjectOwnership": "BucketOwnerEnforced"}]
            s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": rules})
        if kind == "public":
            s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
        if kind == "prefix":
            s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, "public/"))
        if kind == "listing":
            s3.put_bucket_acl(Bucket=name, ACL="public-read")
        sensitive = {"public": (7, 150), "object-acl": (42,), "prefix": (3, 120)}.get(kind, (11,))
        for index in range(objects):
            folder = "public" if kind == "prefix" and index < objects // 2 else "private"
            key = f"{folder}/upload-{index:04d}.txt"
            body = SENSITIVE if index in sensitive else f"meeting notes {index}\n" * 20
            upload: dict[str, Any] = {"Bucket": name, "Key": key, "Body": body.encode()}
            if kind in ("object-acl", "listing", "prefix"):
                # moto copies a bucket's ACL onto new objects (S3 does not): say it explicitly.
                public = kind == "object-acl" and index in sensitive
                upload["ACL"] = "public-read" if public else "private"
            uploads.append(upload)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda upload: s3.put_object(**upload), uploads))


def _descendants(root: int) -> list[int]:
    """Every live process under `root`, found through /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found.extend(children)
        frontier.extend(children)
    return found


def _peak_kib(pid: int) -> tuple[str, int] | None:
    """A process's name and its peak resident set (VmHWM) so far."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    peak = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
    if peak is None:
        return None
    name = "worker"  # the analysis processes; the helpers below are named apart
    if "resource_tracker" in command:
        name = "resource-tracker"
    elif "forkserver" in command:
        name = "forkserver"
    return name, int(peak.split()[1])


class PeakSampler:
    """Samples the peak RSS of this process and every descendant until stopped."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def _sample(self) -> None:
        me = os.getpid()
        for pid in (me, *_descendants(me)):
            reading = _peak_kib(pid)
            if reading is not None:
                name = "main" if pid == me else reading[0]
                previous = self.peaks.get(pid, (name, 0))[1]
                self.peaks[pid] = (name, max(previous, reading[1]))


def scan_once(args: argparse.Namespace) -> None:
    """Child: scan moto through the proxy at one fault rate; print the outcome as JSON."""
    from bucketscan.metering import Meter
    from bucketscan.providers.aws import open_aws
    from bucketscan.scanner.emulators.faults import FaultPlan, fault_proxy
    from bucketscan.scanner.options import ScanOptions
    from bucketscan.scanner.runner import run_scan

    low, high = (float(part) for part in args.stall.split(","))
    plan = FaultPlan(rate=args.rate, seed=args.seed, stall_seconds=(low, high))
    options = ScanOptions(ocr_engine="none", workers=args.workers, io_threads=8)
    with PeakSampler() as sampler, fault_proxy(args.endpoint, plan) as proxy:
        meter = Meter()
        started = time.perf_counter()
        try:
            provider = open_aws(None, REGION, proxy.url, (), meter)
            outcome = run_scan(provider, options, (), meter=meter)
        except Exception as error:  # noqa: BLE001 - the figure to report is that it failed
            print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
            return
        wall = time.perf_counter() - started
        counts = proxy.counts()
    reading = meter.reading()
    print(
        json.dumps(
            {
                "wall": wall,
                "calls": sum(reading.calls.values()),
                "sent": sum(reading.sent.values()),
                "proxy_requests": counts.requests,
                "faults": counts.faults,
                "retries": reading.retries,
                "exhausted": reading.exhausted,
                "buckets": {
                    result.ref.name: {
                        "access": [result.access.read, result.access.list, result.access.write],
                        "reasons": list(result.access.reasons),
                        "errors": list(result.errors),
                        "listing_failed": result.listing_failed,
                    }
                    for result in outcome.buckets
                },
                "findings": sorted(
                    [f.bucket, f.key, f.document_type, f.exposure] for f in outcome.findings
                ),
                "unreadable": sorted(
                    [u.bucket, u.key, u.exposure, u.reason] for u in outcome.unreadable
                ),
                "peaks": sorted(sampler.peaks.values(), key=lambda item: -item[1]),
            }
        )
    )


def compare(base: dict[str, Any], run: dict[str, Any]) -> dict[str, int]:
    """Verdicts and findings of a faulty run against the fault-free one."""
    verdicts_equal = unknown = flips = 0
    for name, expected in base["buckets"].items():
        got = run["buckets"].get(name)
        if got is None:
            continue
        if got["access"] == expected["access"]:
            verdicts_equal += 1
            continue
        for was, now in zip(expected["access"], got["access"], strict=True):
            flips += was != "private" and now == "private"
        pairs = list(zip(expected["access"], got["access"], strict=True))
        reasoned = bool(got["reasons"] or got["errors"])
        unknown += all(now in (was, "unknown") for was, now in pairs) and reasoned
    found = {tuple(item[:3]) for item in run["findings"]}
    explained = {(item[0], item[1]) for item in run["unreadable"]}
    unlisted = {name for name, got in run["buckets"].items() if got["listing_failed"]}
    missing = [item for item in base["findings"] if tuple(item[:3]) not in found]
    accounted = [item for item in missing if (item[0], item[1]) in explained or item[0] in unlisted]
    return {
        "buckets": len(run["buckets"]),
        "verdicts_equal": verdicts_equal,
        "verdicts_unknown_with_reason": unknown,
        "flips_to_private": flips,
        "findings": len(run["findings"]),
        "findings_equal": len(base["findings"]) - len(missing),
        "findings_unknown_with_reason": len(accounted),
        "findings_silently_missing": len(missing) - len(accounted),
        "extra_findings": len(found - {tuple(item[:3]) for item in base["findings"]}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="0,0.05,0.2,0.5")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--buckets", type=int, default=10)
    parser.add_argument("--objects", type=int, default=200)
    parser.add_argument("--stall", default="2,5", help="stall seconds: low,high")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child-endpoint", dest="endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--child-rate", dest="rate", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.endpoint:
        scan_once(args)
        return
    with moto_server() as endpoint:
        seed(endpoint, args.buckets, args.objects)
        print(f"moto seeded: {args.buckets} buckets x {args.objects} objects; stalls "
              f"{args.stall}s, seed {args.seed}, {args.workers} workers, "
              f"{os.cpu_count()} cores")  # fmt: skip
        base: dict[str, Any] | None = None
        for rate in (float(part) for part in args.rates.split(",")):
            command = [sys.executable, __file__, "--child-endpoint", endpoint,
                       "--child-rate", str(rate), "--seed", str(args.seed),
                       "--stall", args.stall, "--workers", str(args.workers)]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                print(f"{rate:.0%}: child failed\n{done.stderr[-2000:]}")
                continue
            run = json.loads(lines[-1])
            if "error" in run:
                print(f"{rate:.0%}: scan did not run: {run['error']}")
                continue
            base = base or run
            figures = compare(base, run)
            peaks = ", ".join(f"{name} {kib / 1024:.0f}" for name, kib in run["peaks"])
            print(f"{rate:>4.0%} faults: {run['wall']:6.1f}s wall; {run['sent']} requests sent "
                  f"(proxy saw {run['proxy_requests']}) for {run['calls']} calls; injected "
                  f"{run['faults']}; retries {run['retries']}; "
                  f"exhausted {run['exhausted']}")  # fmt: skip
            print(f"      buckets present {figures['buckets']}/{len(base['buckets'])}; verdicts "
                  f"equal {figures['verdicts_equal']}, unknown with reason "
                  f"{figures['verdicts_unknown_with_reason']}, flips to private "
                  f"{figures['flips_to_private']}; findings {figures['findings']} "
                  f"(equal {figures['findings_equal']}/{len(base['findings'])}, unknown with "
                  f"reason {figures['findings_unknown_with_reason']}, silently missing "
                  f"{figures['findings_silently_missing']}, "
                  f"extra {figures['extra_findings']})")  # fmt: skip
            print(f"      peak RSS MiB: {peaks}")
            for name, got in run["buckets"].items():
                if got["access"] != base["buckets"].get(name, {}).get("access"):
                    print(f"      {name}: {got['access']} ({'; '.join(got['errors'])[:300]})")


if __name__ == "__main__":
    main()
