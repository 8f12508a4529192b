"""`bucketscan demo`: a local S3 emulator seeded with synthetic WelcomeHR-like uploads, scanned."""

from __future__ import annotations

import json
import os
import random
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from rich.console import Console

from bucketscan.metering import Meter
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.terminal import print_scan

DEMO_ACCOUNT_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
    "AWS_DEFAULT_REGION": "ap-northeast-1",
}


@dataclass(frozen=True)
class DemoBucket:
    """One seeded bucket: its name, how it is exposed, and what it holds."""

    name: str
    story: str
    acl: str
    policy_prefix: str | None
    key_prefix: str


DEMO_BUCKETS = (
    DemoBucket(
        "welcomehr-uploads",
        "employee uploads; public policy and public-read ACL (the WelcomeHR mistake)",
        "public-read",
        "",
        "uploads/",
    ),
    DemoBucket("welcomehr-internal", "private HR archive", "private", None, "archive/"),
    DemoBucket(
        "welcomehr-exports", "listing-only: file names leak, contents do not", "public-read",
        None, "exports/",
    ),
    DemoBucket(
        "welcomehr-assets", "website assets; policy public only under public/", "private",
        "public/", "",
    ),
)  # fmt: skip


def public_read_policy(bucket: str, prefix: str) -> str:
    """A bucket policy letting anyone download objects under a prefix."""
    statement = {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def opaque_name(rng: random.Random, name: str) -> str:
    """A UUID file name keeping the extension, as WelcomeHR's uploads had."""
    return f"{uuid.UUID(int=rng.getrandbits(128), version=4)}{PurePosixPath(name).suffix}"


def seed_demo(client: Any, seed: int, per_type: int) -> dict[str, int]:
    """Create the demo buckets and fill them with synthetic files; returns objects per bucket."""
    from bucketscan.synthetic.corpus import generate_corpus

    rng = random.Random(seed)
    files = list(generate_corpus(seed, per_type))
    rng.shuffle(files)
    sensitive = [f for f in files if f.category is not None]
    benign = [f for f in files if f.category is None]
    third = max(1, len(sensitive) // 6)
    contents = {
        "welcomehr-uploads": sensitive[: 4 * third] + benign[: len(benign) // 2],
        "welcomehr-internal": sensitive[4 * third : 5 * third],
        "welcomehr-exports": sensitive[5 * third :],
        "welcomehr-assets": benign[len(benign) // 2 :],
    }
    counts: dict[str, int] = {}
    for bucket in DEMO_BUCKETS:
        client.create_bucket(
            Bucket=bucket.name,
            CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"},
        )
        client.put_bucket_acl(Bucket=bucket.name, ACL=bucket.acl)
        if bucket.policy_prefix is not None:
            client.put_bucket_policy(
                Bucket=bucket.name, Policy=public_read_policy(bucket.name, bucket.policy_prefix)
            )
        for index, file in enumerate(contents[bucket.name]):
            folder = bucket.key_prefix
            if bucket.name == "welcomehr-assets":
                folder = "public/" if index % 2 == 0 else "private/"
            key = f"{folder}{uuid.UUID(int=rng.getrandbits(128), version=4)}/"
            key += opaque_name(rng, file.name)
            # ACL given explicitly: moto (unlike S3) would copy the bucket ACL onto the object.
            client.put_object(Bucket=bucket.name, Key=key, Body=file.data, ACL="private")
        counts[bucket.name] = len(contents[bucket.name])
    return counts


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto S3 server on a free loopback port, with demo credentials; yields its URL."""
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in DEMO_ACCOUNT_ENV}
    os.environ.update(DEMO_ACCOUNT_ENV)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        # moto keeps its state per process, not per server: start every server empty.
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
        yield url
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def scan_demo(endpoint: str, output: Path, workers: int = 0) -> ScanOutcome:
    """Scan the seeded emulator and write the JSON report."""
    from bucketscan.providers.aws import open_aws

    meter = Meter()
    provider = open_aws(None, "ap-northeast-1", endpoint, (), meter)
    with output.open("w", encoding="utf-8") as stream:
        return run_scan(provider, ScanOptions(workers=workers), (JsonWriter(stream),), meter=meter)


def run_demo(console: Console, output: Path, *, seed: int, per_type: int) -> int:
    """Start the emulator, seed it, scan it, print what was found; returns the exit status."""
    import boto3

    with moto_server() as endpoint:
        console.print(f"[bold]S3 emulator[/] (moto) on {endpoint}; seeding synthetic data…")
        client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-northeast-1")
        counts = seed_demo(client, seed, per_type)
        for bucket in DEMO_BUCKETS:
            console.print(f"  {bucket.name}: {counts[bucket.name]} files, {bucket.story}")
        outcome = scan_demo(endpoint, output)
    print_scan(console, outcome)
    console.print(f"JSON report written to [bold]{output}[/]")
    return 0
