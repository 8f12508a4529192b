"""Interrupts and hostile content on a real `bucketscan scan` process against moto.

Usage: python bench/bench_interrupts.py [--exports 24]
Prints, for SIGINT, SIGTERM and SIGKILL sent once analysis is under way: seconds from the signal
to the exit, the exit status, processes of the scan left 1 s after it, and whether the report is
marked incomplete (or, for SIGKILL, the earlier report intact); then the peak resident memory of
every analysis worker while it scans the hostile objects of tests/test_hostile.py.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bucketscan.scanner.demo.aws import REGION, public_read_policy
from bucketscan.scanner.emulators.s3 import moto_server
from processes import PeakMemory, in_session, start_scan, wait_until, workers_of
from test_hostile import HOSTILE_KEYS, huge_text, lying_docx, many_page_pdf, pixel_bomb_png

MIB = 1024 * 1024
EARLIER = '{"earlier": "report"}\n'


def bucket(client: Any, name: str) -> None:
    """A bucket anyone may read."""
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    client.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))


def interrupt(endpoint: str, signum: signal.Signals, directory: Path) -> dict[str, object]:
    """Scan the exports, send `signum` once two workers run, and measure the ending."""
    report = directory / f"{signum.name}.json"
    report.write_text(EARLIER, encoding="utf-8")
    args = ["scan", "aws", "--bucket", "exports", "--workers", "2", "-q", "-o", str(report)]
    scan = start_scan(args, {"AWS_ENDPOINT_URL": endpoint})
    wait_until(lambda: len(workers_of(scan.pid)) == 2, 120)
    started = time.monotonic()
    os.kill(scan.pid, signum)
    scan.communicate(timeout=120)
    seconds = time.monotonic() - started
    time.sleep(1.0)
    text = report.read_text(encoding="utf-8")
    written = json.loads(text)
    return {
        "signal": signum.name,
        "seconds_to_exit": round(seconds, 2),
        "exit_status": scan.returncode,
        "processes_left_after_1s": len(in_session(scan.pid)),
        "complete": written.get("complete"),
        "not_analysed": (written.get("scan") or {})
        .get("interruption", {})
        .get("objects_not_analysed"),
        "earlier_report_intact": text == EARLIER,
        "files_in_directory": sorted(p.name for p in directory.iterdir() if p.name != "bench"),
    }


def hostile(endpoint: str, directory: Path) -> dict[str, object]:
    """Scan the hostile objects with two workers; peak resident memory of each worker."""
    report = directory / "hostile.json"
    args = ["scan", "aws", "--bucket", "hostile", "--workers", "2", "-q", "-o", str(report)]
    started = time.monotonic()
    scan = start_scan(args, {"AWS_ENDPOINT_URL": endpoint})
    memory = PeakMemory(scan.pid)
    scan.communicate(timeout=600)
    memory.stop()
    written = json.loads(report.read_text(encoding="utf-8"))
    return {
        "seconds": round(time.monotonic() - started, 1),
        "exit_status": scan.returncode,
        "worker_peak_rss_mib": sorted(memory.peaks.get(pid, 0) // MIB for pid in memory.workers),
        "main_peak_rss_mib": memory.peaks.get(scan.pid, 0) // MIB,
        "named": {item["key"]: item["reason"] for item in written["unreadable"]},
    }


def main() -> None:
    """Seed moto, then run the interrupt and hostile-content measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=int, default=24, help="2 MiB text objects to scan")
    args = parser.parse_args()
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as scratch:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        bucket(client, "exports")
        line = ("氏名 山田 住所 東京都 売上 合計 2024年 " * 8 + "\n").encode()
        for index in range(args.exports):
            body = line * (2 * MIB // len(line))
            client.put_object(Bucket="exports", Key=f"exports/{index:03d}.txt", Body=body)
        bucket(client, "hostile")
        bodies = {
            "bomb": lying_docx(),
            "pixels": pixel_bomb_png(),
            "pages": many_page_pdf(),
            "text": huge_text(),
        }
        for kind, key in HOSTILE_KEYS.items():
            client.put_object(Bucket="hostile", Key=key, Body=bodies[kind])
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            directory = Path(scratch) / signum.name
            directory.mkdir()
            print(json.dumps(interrupt(endpoint, signum, directory), ensure_ascii=False))
        print(json.dumps(hostile(endpoint, Path(scratch)), ensure_ascii=False))


if __name__ == "__main__":
    main()
