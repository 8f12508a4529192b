"""Scan-engine benchmark: listing overhead against the floor, content throughput, peak memory.

Run: .venv/bin/python bench/bench_engine.py [--objects 20000] [--content 400]
     [--memory 100000,1000000]
Prints figures; it is not a test and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from cpu import cpu_seconds

from bucketscan.metering import Meter
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.s3 import moto_server
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan

REGION = "ap-northeast-1"


def seed(
    client: Any,
    bucket: str,
    bodies: list[tuple[str, bytes]],
    *,
    policy_prefix: str | None,
    acls: bool = True,
) -> None:
    """Create a bucket public under `policy_prefix`, upload objects; acls=False: owner enforced."""
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    if not acls:
        client.put_bucket_ownership_controls(
            Bucket=bucket,
            OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        )
    if policy_prefix is not None:
        policy = public_read_policy(bucket, policy_prefix)
        client.put_bucket_policy(Bucket=bucket, Policy=policy)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda kv: client.put_object(Bucket=bucket, Key=kv[0], Body=kv[1]), bodies))


def floor_listing(client: Any, bucket: str) -> float:
    """Seconds for the minimal loop: a boto3 paginator listing every key."""
    started = time.perf_counter()
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        count += len(page.get("Contents", []))
    return time.perf_counter() - started


def scan_seconds(endpoint: str, bucket: str, options: ScanOptions) -> tuple[float, Any]:
    """Seconds for a bucketscan scan of one bucket, and its outcome."""
    from bucketscan.providers.aws import open_aws

    meter = Meter()
    started = time.perf_counter()
    provider = open_aws(None, REGION, endpoint, (bucket,), meter)
    outcome = run_scan(provider, options, (), meter=meter)
    return time.perf_counter() - started, outcome


def metadata_benchmark(objects: int) -> None:
    """Metadata-only scans against the paginator floor on the same server.

    A bucket with BucketOwnerEnforced (the S3 default since 2023) needs only the listing and the
    policy evaluated per key; a bucket where object ACLs still count needs one GetObjectAcl per
    object, and the figure shows that cost.
    """
    keys = [(f"u/{i:07d}.jpg", b"x") for i in range(objects)]
    with moto_server() as endpoint:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        for bucket, acls in (("owner-enforced", False), ("legacy-acls", True)):
            # A policy public only under another prefix: every key is matched against it.
            seed(client, bucket, keys, policy_prefix="public/", acls=acls)
            floors, scans = [], []
            for _ in range(3 if not acls else 1):
                floors.append(floor_listing(client, bucket))
                seconds, outcome = scan_seconds(endpoint, bucket, ScanOptions(content=False))
                scans.append(seconds)
            assert outcome.summary.objects_listed == objects
            floor, ours = min(floors), min(scans)
            requests = sum(outcome.summary.cost.requests.values())
            target = "target <= 1.25" if not acls else "object ACLs read: no target"
            print(f"metadata scan, {objects} objects on moto, {bucket}: floor {floor:.2f}s, "
                  f"bucketscan {ours:.2f}s, ratio {ours / floor:.3f} ({target}); "
                  f"{requests} requests")  # fmt: skip
            if not acls:
                splits = tuple(f"u/{i:07d}.jpg" for i in range(objects // 4, objects, objects // 4))
                options = ScanOptions(content=False, key_splits=splits)
                seconds, outcome = scan_seconds(endpoint, bucket, options)
                assert outcome.summary.objects_listed == objects
                print(f"  same bucket cut into {len(splits) + 1} key ranges listed in parallel: "
                      f"{seconds:.2f}s, ratio {seconds / floor:.3f} to the floor")  # fmt: skip


def ocr_cost(files: list[tuple[str, bytes]], engine: str) -> None:
    """CPU seconds of extraction and detection per distinct image, one process, one thread."""
    from bucketscan.policies.classify import classify_document
    from bucketscan.policies.extract import ExtractLimits, extract

    limits = ExtractLimits(ocr_engine=engine)
    costs: list[tuple[float, str]] = []
    distinct = {key.split("-", 1)[1]: data for key, data in files}  # benign files repeat
    for key, data in distinct.items():
        start = cpu_seconds()
        document = extract(data, key, limits)
        classify_document(document)
        if any(page.source == "ocr" for page in document.pages):
            costs.append((cpu_seconds() - start, key))
    if costs:
        mean = sum(cost for cost, _ in costs) / len(costs)
        worst = max(costs)
        print(f"  OCR'd files: {len(costs)} distinct, {mean:.2f} CPU-s mean per image, "
              f"worst {worst[0]:.2f} ({worst[1]})")  # fmt: skip


def content_benchmark(total: int, seed_value: int, engine: str) -> None:
    """A public bucket where 5% of the files are synthetic ID scans or résumés."""
    from bucketscan.synthetic.corpus import generate_corpus

    sensitive = [f for f in generate_corpus(seed_value, 4) if f.category is not None]
    benign = [f for f in generate_corpus(seed_value + 1, 4) if f.category is None]
    wanted = max(1, total // 20)
    files = [(f"s/{i:05d}-{f.name}", f.data) for i, f in enumerate(sensitive[:wanted])]
    for i in range(total - len(files)):
        source = benign[i % len(benign)]
        files.append((f"b/{i:05d}-{source.name}", source.data))
    with moto_server() as endpoint:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        seed(client, "content", files, policy_prefix="")
        seconds, outcome = scan_seconds(endpoint, "content", ScanOptions(ocr_engine=engine))
    summary = outcome.summary
    print(f"content scan, {total} objects ({len(files) - (total - wanted)} sensitive), "
          f"{os.cpu_count()} workers: {seconds:.1f}s, {total / seconds:.1f} objects/s, "
          f"{len(outcome.findings)} findings")  # fmt: skip
    print("  time by stage (summed over threads/processes):", json.dumps(summary.timings))
    print("  requests:", json.dumps(summary.cost.requests), f"bytes read {summary.cost.bytes_read}")
    ocr_cost(files, engine)


def memory_child(objects: int) -> None:
    """In a fresh process: scan an in-memory bucket of `objects` keys and print peak RSS (MB)."""
    from bucketscan.providers.memory import MemoryBucket, MemoryProvider
    from bucketscan.records.s3 import S3BucketFacts

    provider = MemoryProvider((MemoryBucket("m", S3BucketFacts(acl=()), objects),))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    run_scan(provider, ScanOptions(content=False), (), meter=Meter())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"objects": objects, "peak_mb": peak, "start_mb": before, "s": elapsed}))


def memory_benchmark(sizes: list[int]) -> None:
    """Peak memory against object count, one fresh process per size."""
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        print(f"memory, {size:,} objects: peak RSS {figures['peak_mb']:.0f} MB "
              f"(baseline {figures['start_mb']:.0f} MB), {figures['s']:.1f}s, "
              f"{size / figures['s']:,.0f} objects/s")  # fmt: skip


def main() -> None:
    """Parse arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--content", type=int, default=400)
    parser.add_argument("--memory", default="100000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-child", type=int)
    parser.add_argument("--only", choices=["metadata", "content", "memory"])
    parser.add_argument("--ocr-engine", default="auto", choices=["auto", "ppocr", "tesseract"])
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request log lines
    if args.memory_child:
        memory_child(args.memory_child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.only in (None, "metadata"):
        metadata_benchmark(args.objects)
    if args.only in (None, "content"):
        content_benchmark(args.content, args.seed, args.ocr_engine)
    if args.only in (None, "memory"):
        memory_benchmark([int(size) for size in args.memory.split(",")])


if __name__ == "__main__":
    main()
