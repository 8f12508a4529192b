"""--verify-anonymous end to end: S3 and GCS behind a gate that enforces anonymous access by rule
(moto and the GCS emulators do not), Azure against Azurite (which enforces container levels)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import boto3
import jsonschema
import pytest
from azure.storage.blob import BlobServiceClient, StaticWebsite
from click.testing import CliRunner
from google.cloud import storage
from google.oauth2.credentials import Credentials

from anonymous_gate import anonymous_gate
from azure_emulators import azurite
from bucketscan.metering import Meter
from bucketscan.policies.verification import Agreement, ProbeOutcome
from bucketscan.providers.aws import AwsProvider
from bucketscan.providers.azure import AzureProvider, blob_service
from bucketscan.providers.gcs import GcsProvider
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.scanner.cli import main
from bucketscan.scanner.demo import gcs as demo_gcs
from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.scanner.emulators.gcs import storage_emulator
from bucketscan.scanner.emulators.loopback import serve_http
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan

AGREES, DISAGREES = Agreement.AGREES, Agreement.DISAGREES
OPTIONS = ScanOptions(content=False, io_threads=2, verify_anonymous=True)


def checks(outcome: ScanOutcome, name: str) -> list[tuple[str, str | None, int | None, str]]:
    """(target, key, status, agreement) of one bucket's probes, in the order sent."""
    (result,) = [r for r in outcome.buckets if r.ref.name == name]
    return [
        (v.probe.target.value, v.probe.key, v.probe.status, v.agreement.value)
        for v in result.verification
    ]


def validate(report: dict[str, Any]) -> None:
    text = (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    jsonschema.Draft202012Validator(json.loads(text)).validate(report)


def seed_s3(endpoint: str) -> None:
    """`site`: public under public/ by its policy; `vault`: private."""
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="site")
    client.put_bucket_policy(Bucket="site", Policy=public_read_policy("site", "public/"))
    for key in ("private/notes.txt", "public/index.html", "public/logo.png"):
        client.put_object(Bucket="site", Key=key, Body=b"not for anyone")
    client.create_bucket(Bucket="vault")
    client.put_object(Bucket="vault", Key="payroll.csv", Body=b"not for anyone")


def s3_rule(method: str, path: str) -> bool:
    """What the gate lets anonymous callers have: site's public/ objects, and (against its
    verdict) vault's listing."""
    return (method == "HEAD" and path.startswith("/site/public/")) or (
        method == "GET" and path == "/vault"
    )


def test_s3_probes_are_unsigned_and_their_answers_compared(moto_endpoint: str) -> None:
    seed_s3(moto_endpoint)
    with anonymous_gate(moto_endpoint, s3_rule) as gate:
        meter = Meter()
        session = boto3.Session(region_name="us-east-1")
        provider = AwsProvider(session, endpoint_url=gate.url, meter=meter)
        outcome = run_scan(provider, OPTIONS, (), meter=meter)
        seen = gate.seen()
    assert checks(outcome, "site") == [
        ("listing", None, 403, "agrees"),
        ("object", "public/index.html", 200, "agrees"),
        ("object", "private/notes.txt", 403, "agrees"),
    ]
    assert checks(outcome, "vault") == [
        ("listing", None, 200, "disagrees"),
        ("object", "payroll.csv", 403, "agrees"),
    ]
    # Only HEADs and one-key listings went out unsigned; nothing else, and no content.
    assert sorted(seen) == [
        ("GET", "/site"),
        ("GET", "/vault"),
        ("HEAD", "/site/private/notes.txt"),
        ("HEAD", "/site/public/index.html"),
        ("HEAD", "/vault/payroll.csv"),
    ]
    assert meter.bytes_read == 0
    assert meter.requests()["s3.anonymous.HeadObject"] == 3
    assert outcome.summary.verification == {"agrees": 4, "disagrees": 1}
    (vault,) = [r for r in outcome.buckets if r.ref.name == "vault"]
    assert (
        "anonymous check DISAGREES: unsigned ListObjectsV2 MaxKeys=1 of the listing answered 200 "
        "(readable anonymously), but list judged private"
    ) in vault.access.reasons


def test_s3_probe_that_gets_no_answer_could_not_verify(moto_endpoint: str) -> None:
    seed_s3(moto_endpoint)
    provider = AwsProvider(boto3.Session(region_name="us-east-1"), endpoint_url=moto_endpoint)
    bucket = provider.describe(BucketRef("aws", "123456789012", "site", "us-east-1"))
    # The endpoint stops answering between the verdicts and the probe.
    provider._endpoint_url = "http://127.0.0.1:9"
    answer = provider.probe_object(bucket, StoredObject("public/index.html", 1))
    assert answer.status is None and answer.failure is not None
    assert "EndpointConnectionError" in answer.failure


def test_cli_records_checks_in_the_report_and_sends_none_without_the_option(
    moto_endpoint: str, tmp_path: Path
) -> None:
    seed_s3(moto_endpoint)
    with anonymous_gate(moto_endpoint, s3_rule) as gate:
        base = ["scan", "aws", "--endpoint-url", gate.url, "--no-content", "--fail-on", "never"]
        plain = CliRunner().invoke(main, [*base, "-q", "-o", str(tmp_path / "plain.json")])
        assert plain.exit_code == 0, plain.output
        assert gate.seen() == []  # without the option not one unsigned request
        report = tmp_path / "checked.json"
        checked = CliRunner().invoke(main, [*base, "-o", str(report), "--verify-anonymous"])
        assert checked.exit_code == 0, checked.output
        assert len(gate.seen()) == 5
        markdown = tmp_path / "checked.md"
        args = [*base, "-q", "--format", "markdown", "-o", str(markdown), "--verify-anonymous"]
        written_md = CliRunner().invoke(main, args)
        assert written_md.exit_code == 0, written_md.output
    written = json.loads(report.read_text())
    validate(written)
    assert written["scan"]["options"]["verify_anonymous"] is True
    assert written["summary"]["verification"] == {"agrees": 4, "disagrees": 1}
    vault = next(b for b in written["buckets"] if b["name"] == "vault")
    assert vault["verification"][0] == {
        "target": "listing",
        "key": None,
        "request": "ListObjectsV2 MaxKeys=1",
        "status": 200,
        "code": None,
        "outcome": "readable",
        "detail": "200",
        "verdict": "private",
        "agreement": "disagrees",
    }
    assert "verification" not in json.loads((tmp_path / "plain.json").read_text())["buckets"][0]
    warning = [line for line in checked.output.splitlines() if line.startswith("warning:")]
    assert warning == [
        "warning: 1 anonymous check disagrees with the verdicts: vault (listing judged private, "
        "unsigned ListObjectsV2 MaxKeys=1 answered 200)"
    ]
    assert "**1 DISAGREE with their verdict**" in markdown.read_text()


def test_help_documents_the_option() -> None:
    result = CliRunner().invoke(main, ["scan", "aws", "--help"])
    assert "--verify-anonymous" in result.output
    assert "unsigned requests" in result.output


@pytest.fixture
def gcs_emulator() -> Iterator[str]:
    """gcp-storage-emulator with a public (allUsers objectViewer) and a private bucket."""
    with storage_emulator() as url:
        seeder = storage.Client(
            project="p",
            credentials=Credentials(token="seed"),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": url},
        )
        buckets = {bucket.name: bucket for bucket in demo_gcs.BUCKETS}
        for name in ("welcomehr-uploads", "welcomehr-internal"):
            created = demo_gcs.create_bucket(seeder, buckets[name])
            for key in ("cv/a.pdf", "cv/b.pdf"):
                created.blob(key).upload_from_string(b"not for anyone")
        yield url


def gcs_rule(method: str, path: str) -> bool:
    """Objects of welcomehr-uploads are served anonymously; its listing, against its verdict,
    is not; nothing of welcomehr-internal is."""
    return method == "GET" and path.startswith("/storage/v1/b/welcomehr-uploads/o/")


def test_gcs_probes_go_out_without_credentials_on_the_scan_endpoint(gcs_emulator: str) -> None:
    with anonymous_gate(gcs_emulator, gcs_rule, dialect="gcs", refusal=401) as gate:
        meter = Meter()
        # The scan's own requests carry a bearer token, so the gate passes them on.
        client = storage.Client(
            project="p",
            credentials=Credentials(token="scanner"),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": gate.url},
        )
        provider = GcsProvider(
            client, bucket_names=("welcomehr-uploads", "welcomehr-internal"), meter=meter
        )
        outcome = run_scan(provider, OPTIONS, (), meter=meter)
        seen = gate.seen()
    uploads = next(r for r in outcome.buckets if r.ref.name == "welcomehr-uploads")
    assert (uploads.access.read, uploads.access.list) == (Exposure.PUBLIC, Exposure.PUBLIC)
    assert checks(outcome, "welcomehr-uploads") == [
        ("listing", None, 401, "disagrees"),
        ("object", "cv/a.pdf", 200, "agrees"),
    ]
    assert checks(outcome, "welcomehr-internal") == [
        ("listing", None, 401, "agrees"),
        ("object", "cv/a.pdf", 401, "agrees"),
    ]
    listing = uploads.verification[0]
    assert listing.probe.outcome is ProbeOutcome.REFUSED and listing.probe.code == "required"
    assert sorted(seen) == [
        ("GET", "/storage/v1/b/welcomehr-internal/o"),
        ("GET", "/storage/v1/b/welcomehr-internal/o/cv/a.pdf"),
        ("GET", "/storage/v1/b/welcomehr-uploads/o"),
        ("GET", "/storage/v1/b/welcomehr-uploads/o/cv/a.pdf"),
    ]
    assert meter.requests()["gcs.anonymous.objects.get"] == 2
    assert outcome.summary.disagreements == 1


HR = "welcomehr"


class FlippedAfterFacts:
    """The Azure provider, except that `flipped` is made public (level `blob`) right after its
    facts were gathered: the verdict says private, the outside can read its blobs."""

    name = "azure"

    def __init__(self, inner: AzureProvider, service: BlobServiceClient) -> None:
        self._inner = inner
        self._service = service

    def describe(self, ref: BucketRef) -> Bucket:
        bucket = self._inner.describe(ref)
        if ref.name == "flipped":
            container = self._service.get_container_client(ref.name)
            container.set_container_access_policy({}, public_access="blob")
        return bucket

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture(scope="module")
def azure_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """Azurite with `open` (level blob), `shut` and `flipped` (private); connection string."""
    with azurite(tmp_path_factory.mktemp("azurite")) as server:
        connection = server.connection_string(HR)
        service = BlobServiceClient.from_connection_string(connection)
        for name, level in (("open", "blob"), ("shut", None), ("flipped", None)):
            created = service.create_container(name, public_access=level)
            for key in ("cv/履歴書.pdf", "scans/card.jpg"):
                created.upload_blob(key, b"not for anyone")
        yield connection, server


@pytest.mark.integration
def test_azurite_checks_agree_and_a_flipped_container_disagrees(
    azure_service: tuple[str, Any],
) -> None:
    connection, _ = azure_service
    meter = Meter()
    service = blob_service(meter, connection_string=connection)
    inner = AzureProvider(
        service,
        account=HR,
        container_names=("open", "shut", "flipped"),
        allow_blob_public_access=True,
        meter=meter,
    )
    provider = FlippedAfterFacts(inner, BlobServiceClient.from_connection_string(connection))
    stream = io.StringIO()
    outcome = run_scan(provider, OPTIONS, (JsonWriter(stream),), meter=meter)
    verdicts = {r.ref.name: (r.access.read, r.access.list) for r in outcome.buckets}
    assert verdicts == {
        "open": (Exposure.PUBLIC, Exposure.PRIVATE),
        "shut": (Exposure.PRIVATE, Exposure.PRIVATE),
        "flipped": (Exposure.PRIVATE, Exposure.PRIVATE),
    }
    assert checks(outcome, "open") == [
        ("listing", None, 403, "agrees"),  # level blob: blobs readable, the list not
        ("object", "cv/履歴書.pdf", 200, "agrees"),
    ]
    assert checks(outcome, "shut") == [
        ("listing", None, 403, "agrees"),
        ("object", "cv/履歴書.pdf", 403, "agrees"),
    ]
    assert checks(outcome, "flipped") == [
        ("listing", None, 403, "agrees"),
        ("object", "cv/履歴書.pdf", 200, "disagrees"),
    ]
    assert outcome.summary.verification == {"agrees": 5, "disagrees": 1}
    report = json.loads(stream.getvalue())
    validate(report)
    flipped = next(b for b in report["buckets"] if b["name"] == "flipped")
    assert any(
        line.startswith("anonymous check DISAGREES: unsigned GetBlobProperties of object cv/")
        for line in flipped["reasons"]
    )
    assert meter.bytes_read == 0


class WebsiteHeads(BaseHTTPRequestHandler):
    """A static website that answers every HEAD 200 and counts them."""

    heads: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        WebsiteHeads.heads.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@pytest.mark.integration
def test_a_web_blob_is_checked_at_the_static_website(azure_service: tuple[str, Any]) -> None:
    connection, _ = azure_service
    service = BlobServiceClient.from_connection_string(connection)
    service.set_service_properties(static_website=StaticWebsite(enabled=True))
    service.create_container("$web").upload_blob("index.html", b"<html></html>")
    with serve_http(WebsiteHeads) as web:
        for endpoint in (web, None):
            provider = AzureProvider(
                blob_service(Meter(), connection_string=connection),
                account=HR,
                allow_blob_public_access=True,
                web_endpoint=endpoint,
            )
            bucket = provider.describe(BucketRef("azure", HR, "$web"))
            answer = provider.probe_object(bucket, StoredObject("index.html", 13))
            if endpoint is None:
                assert answer.status is None and "static website" in (answer.failure or "")
            else:
                assert answer.status == 200
    assert WebsiteHeads.heads == ["/index.html"]  # the blob endpoint would refuse: $web is private
