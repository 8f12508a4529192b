"""Seed running S3, GCS and Azure emulators with the demo's WelcomeHR story, without scanning.

`bucketscan demo` starts its own emulators in-process; docker/compose.yaml runs them as services
instead, and this one-shot fills them with the same buckets, settings and synthetic uploads.

Example: python seed_demo.py --aws http://moto:5000 --gcs http://gcs:9023 \
    --azure "DefaultEndpointsProtocol=http;AccountName=welcomehr;AccountKey=...;BlobEndpoint=..."
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from bucketscan.scanner.demo import aws as demo_aws
from bucketscan.scanner.demo import azure as demo_azure
from bucketscan.scanner.demo import gcs as demo_gcs
from bucketscan.scanner.demo.story import DemoBucket, DemoObject, deal

WAIT_SECONDS = 120.0


def wait_for(url: str, deadline: float = WAIT_SECONDS) -> None:
    """Wait until something answers HTTP at `url` (any status); SystemExit after `deadline` s."""
    give_up = time.monotonic() + deadline
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError as error:
            if time.monotonic() > give_up:
                raise SystemExit(f"{url} did not answer within {deadline:.0f} s: {error}") from None
            time.sleep(1)


def placed(
    files: Sequence[Any], buckets: Sequence[DemoBucket], seed: int, cloud: str
) -> dict[str, tuple[DemoObject, ...]]:
    """The files dealt out to one cloud's buckets, as `bucketscan demo` deals them."""
    return deal(files, buckets, random.Random(f"{seed}:{cloud}"))


def seed_aws(endpoint: str, files: Sequence[Any], seed: int) -> None:
    """The S3 story on an S3-compatible endpoint (credentials from the environment)."""
    import boto3

    wait_for(endpoint)
    client = boto3.client("s3", endpoint_url=endpoint, region_name=demo_aws.REGION)
    demo_aws.seed(client, placed(files, demo_aws.BUCKETS, seed, "aws"))


def seed_gcs(endpoint: str, files: Sequence[Any], seed: int) -> None:
    """The GCS story on gcp-storage-emulator (it keeps IAM policies and iamConfiguration)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    wait_for(endpoint)
    client = storage.Client(
        project=demo_gcs.PROJECT,
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options={"api_endpoint": endpoint},
    )
    demo_gcs.seed(client, placed(files, demo_gcs.BUCKETS, seed, "gcs"))


def seed_azure(connection_string: str, files: Sequence[Any], seed: int) -> None:
    """The Azure story on Azurite, through the account's connection string."""
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient.from_connection_string(connection_string)
    wait_for(str(service.url))
    demo_azure.seed(service, placed(files, demo_azure.CONTAINERS, seed, "azure"))


def main(argv: Sequence[str] | None = None) -> int:
    """Seed every emulator named on the command line; 0 once all are seeded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws", metavar="URL", help="S3 endpoint (moto server)")
    parser.add_argument("--gcs", metavar="URL", help="gcp-storage-emulator endpoint")
    parser.add_argument("--azure", metavar="CONNECTION_STRING", help="Azurite account")
    parser.add_argument("--seed", type=int, default=2024, help="synthetic data seed")
    parser.add_argument("--per-type", type=int, default=1, help="files per document type")
    args = parser.parse_args(argv)
    targets: list[tuple[str, Callable[[str, Sequence[Any], int], None], str]] = [
        (name, seeder, value)
        for name, seeder, value in (
            ("aws", seed_aws, args.aws),
            ("gcs", seed_gcs, args.gcs),
            ("azure", seed_azure, args.azure),
        )
        if value
    ]
    if not targets:
        parser.error("name at least one of --aws, --gcs, --azure")
    from bucketscan.synthetic.corpus import generate_corpus

    files = tuple(generate_corpus(args.seed, args.per_type))
    for name, seeder, value in targets:
        seeder(value, files, args.seed)
        print(f"seeded {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
