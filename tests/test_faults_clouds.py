"""Azure ServerBusy (Azurite) and GCS 429 (gcp-storage-emulator) through the fault proxy: the
same verdicts and findings as without faults, or unknown with the reason; retries counted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from azure.storage.blob import BlobServiceClient
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage
from google.cloud.storage.retry import DEFAULT_RETRY

from azure_emulators import Azurite, azurite
from bucketscan.metering import Meter, MeterReading
from bucketscan.providers.azure import AzureProvider, blob_service, open_azure, retry_policy
from bucketscan.providers.base import Provider
from bucketscan.providers.gcs import GcsProvider, open_gcs
from bucketscan.records.common import Exposure
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.emulators.faults import Dialect, Fault, FaultCounts, FaultPlan, fault_proxy
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import ScanOutcome, run_scan
from gcs_emulators import storage_emulator

pytestmark = pytest.mark.integration

SENSITIVE = "個人番号カード\n個人番号 6214 9832 0257\n氏名 山田 太郎\n".encode()
OBJECTS = 12
EXPOSED_KEYS = ("u/002.txt", "u/009.txt")
HR = "welcomehr"
FAST_STALLS = (0.02, 0.08)


def bodies() -> Iterator[tuple[str, bytes]]:
    """The objects of every bucket: two ID documents among notes."""
    for index in range(OBJECTS):
        key = f"u/{index:03d}.txt"
        yield key, SENSITIVE if key in EXPOSED_KEYS else f"notes {index}\n".encode() * 10


@dataclass(frozen=True)
class Run:
    """One scan behind the proxy."""

    outcome: ScanOutcome
    reading: MeterReading
    counts: FaultCounts


def scan(provider: Provider, meter: Meter) -> ScanOutcome:
    """A content scan with the real detectors on text and no OCR."""
    return run_scan(
        provider,
        ScanOptions(ocr_engine="none", io_threads=4),
        (),
        meter=meter,
        analyzer=InlineAnalyzer(ocr_engine="none"),
    )


def assert_as_without_faults(clean: Run, faulty: Run) -> None:
    """Every bucket present; verdicts and findings equal, or unknown with the reason."""
    expected = {b.ref.name: b.access for b in clean.outcome.buckets}
    got = {b.ref.name: b for b in faulty.outcome.buckets}
    assert set(got) == set(expected)
    for name, access in expected.items():
        now = got[name].access
        for was, verdict in ((access.read, now.read), (access.list, now.list)):
            assert verdict is was or (verdict is Exposure.UNKNOWN and got[name].errors), name
    found = {(f.bucket, f.key) for f in faulty.outcome.findings}
    unread = {(u.bucket, u.key) for u in faulty.outcome.unreadable if u.failed}
    unlisted = {b.ref.name for b in faulty.outcome.buckets if b.listing_failed}
    for finding in clean.outcome.findings:
        where = (finding.bucket, finding.key)
        assert where in found or where in unread or finding.bucket in unlisted, where
    assert len(clean.outcome.findings) == len(EXPOSED_KEYS)
    assert sum(faulty.reading.sent.values()) == faulty.counts.requests
    assert faulty.reading.retries.get("throttled", 0) > 0
    retries = sum(faulty.reading.retries.values())
    assert sum(faulty.reading.sent.values()) - sum(faulty.reading.calls.values()) == retries


@pytest.fixture(scope="module")
def azurite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """Azurite with a blob-level public container and a private one."""
    with azurite(tmp_path_factory.mktemp("azurite-faults")) as server:
        service = BlobServiceClient.from_connection_string(server.connection_string(HR))
        for name, level in (("resumes", "blob"), ("hr-private", None)):
            container = service.create_container(name, public_access=level)
            for key, body in bodies():
                container.upload_blob(key, body)
        yield server


def azure_scan(server: Azurite, plan: FaultPlan) -> Run:
    """Scan the account through the proxy, with the SDK's retries made fast."""
    with fault_proxy(f"http://127.0.0.1:{server.port}", plan) as proxy:
        meter = Meter()
        connection = server.connection_string(HR).replace(
            server.blob_endpoint(HR), f"{proxy.url}/{HR}"
        )
        service = blob_service(
            meter,
            connection_string=connection,
            retry=retry_policy(meter, initial_backoff=0.01, max_backoff=0.05),
        )
        provider = AzureProvider(service, account=HR, allow_blob_public_access=True, meter=meter)
        outcome = scan(provider, meter)
        return Run(outcome, meter.reading(), proxy.counts())


def assert_faults_change_nothing(
    run: Callable[[FaultPlan], Run], dialect: Dialect, verdicts: dict[str, Exposure]
) -> None:
    """A run at 30% faults of the cloud's own kinds ends as the fault-free run does."""
    clean = run(FaultPlan(rate=0.0, dialect=dialect))
    faulty = run(FaultPlan(rate=0.3, seed=5, stall_seconds=FAST_STALLS, dialect=dialect))
    assert {b.ref.name: b.access.read for b in clean.outcome.buckets} == verdicts
    assert_as_without_faults(clean, faulty)


def test_azure_server_busy_and_dropped_connections(azurite_server: Azurite) -> None:
    assert_faults_change_nothing(
        lambda plan: azure_scan(azurite_server, plan),
        Dialect.AZURE,
        {"resumes": Exposure.PUBLIC, "hr-private": Exposure.PRIVATE},
    )


@pytest.fixture(scope="module")
def gcs_server() -> Iterator[str]:
    """gcp-storage-emulator with a bucket readable by allUsers and a private one."""
    with storage_emulator() as url:
        client = client_for(url)
        for name, member in (("public-bkt", "allUsers"), ("private-bkt", "user:hr@x.example")):
            bucket = client.create_bucket(name)
            bucket.iam_configuration.uniform_bucket_level_access_enabled = True
            bucket.patch()
            policy = bucket.get_iam_policy(requested_policy_version=3)
            policy.version = 3
            policy.bindings.append({"role": "roles/storage.objectViewer", "members": {member}})
            bucket.set_iam_policy(policy)
            for key, body in bodies():
                bucket.blob(key).upload_from_string(body)
        yield url


def client_for(url: str) -> storage.Client:
    """An anonymous client of an emulator (or of the proxy in front of it)."""
    return storage.Client(
        project="test", credentials=AnonymousCredentials(), client_options={"api_endpoint": url}
    )


def gcs_scan(url: str, plan: FaultPlan) -> Run:
    """Scan the project through the proxy, with the client's retries made fast."""
    with fault_proxy(url, plan) as proxy:
        meter = Meter()
        provider = GcsProvider(
            client_for(proxy.url),
            projects=("test",),
            meter=meter,
            org_policy_reader=lambda project: False,
            retry=DEFAULT_RETRY.with_delay(initial=0.01, maximum=0.05).with_timeout(20),
        )
        outcome = scan(provider, meter)
        return Run(outcome, meter.reading(), proxy.counts())


def test_gcs_429_and_dropped_connections(gcs_server: str) -> None:
    assert_faults_change_nothing(
        lambda plan: gcs_scan(gcs_server, plan),
        Dialect.GCS,
        {"public-bkt": Exposure.PUBLIC, "private-bkt": Exposure.PRIVATE},
    )


def throttled_twice(target: str, dialect: Dialect) -> FaultPlan:
    """The first two requests whose URL holds `target` are throttled, the cloud's way."""
    return FaultPlan(
        rate=1.0, targets=(target,), per_request=2, kinds=(Fault.THROTTLE,), dialect=dialect
    )


def test_azure_start_up_check_survives_server_busy(azurite_server: Azurite) -> None:
    plan = throttled_twice("comp=list", Dialect.AZURE)
    with fault_proxy(f"http://127.0.0.1:{azurite_server.port}", plan) as proxy:
        connection = azurite_server.connection_string(HR).replace(
            azurite_server.blob_endpoint(HR), f"{proxy.url}/{HR}"
        )
        meter = Meter()
        provider = open_azure(None, connection, (), meter)
        assert proxy.counts().faults == {"throttle": 2}
    assert isinstance(provider, AzureProvider)
    assert meter.reading().retries == {"throttled": 2}


def test_gcs_start_up_check_survives_429(gcs_server: str) -> None:
    plan = throttled_twice("/storage/v1/b?", Dialect.GCS)
    with fault_proxy(gcs_server, plan) as proxy:
        provider = open_gcs(("test",), proxy.url, (), Meter())
        assert proxy.counts().faults == {"throttle": 2}
    assert isinstance(provider, GcsProvider)
