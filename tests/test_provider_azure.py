"""The Azure adapter against Azurite (which enforces container levels) and an ARM fake."""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient, StaticWebsite

from azure_emulators import (
    ACCOUNTS,
    STORAGE_ACCOUNTS_PATH,
    ArmFake,
    Azurite,
    StaticToken,
    arm_fake,
    azurite,
    firewall,
    free_port,
    storage_account,
)
from bucketscan.metering import Meter
from bucketscan.policies.access.azure import evaluate_bucket, evaluate_object
from bucketscan.providers.azure import (
    AzureAccounts,
    AzureProvider,
    blob_service,
    open_azure,
    subscription_accounts,
)
from bucketscan.providers.azure_metering import request_kind
from bucketscan.providers.azure_mgmt import list_storage_accounts, management_client
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.providers.breaker import Breaker
from bucketscan.records.azure import ACCOUNT_FACT, LEVEL_FACT, WEBSITE_FACT, AzureContainerFacts
from bucketscan.records.common import Bucket, BucketRef, Exposure, StoredObject
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan

PUB, PRIV, UNK = Exposure.PUBLIC, Exposure.PRIVATE, Exposure.UNKNOWN
HR, ARCHIVE = "welcomehr", "archive"
# Container -> level as seeded (None = private), and the names of the blobs inside.
SEED: dict[str, str | None] = {
    "hr-private": None,
    "resumes": "blob",
    "id-scans": "container",
    "$web": None,
}
BLOBS = ("cv/履歴書 山田.pdf", "scans/my number #1.jpg", "empty.txt")
BODY = b"%PDF-1.4 synthetic resume " * 8

pytestmark = pytest.mark.integration


def seed(service: BlobServiceClient) -> None:
    """Containers at every level, a few blobs each, and the static website switched on."""
    for name, level in SEED.items():
        created = service.create_container(name, public_access=level)
        for blob in BLOBS:
            created.upload_blob(blob, b"" if blob == "empty.txt" else BODY)
    service.set_service_properties(static_website=StaticWebsite(enabled=True))
    paged = service.create_container("paged", metadata={"owner": "hr", "env": "test"})
    for index in range(7):
        paged.upload_blob(f"file-{index}.txt", b"x")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """Azurite with the HR account seeded; the archive account holds one public container."""
    with azurite(tmp_path_factory.mktemp("azurite")) as server:
        seed(BlobServiceClient.from_connection_string(server.connection_string(HR)))
        archive = BlobServiceClient.from_connection_string(server.connection_string(ARCHIVE))
        archive.create_container("old-cvs", public_access="container").upload_blob("a.pdf", BODY)
        yield server


def provider_for(
    server: Azurite, meter: Meter, *, allow: bool | None = True, page_size: int = 5000
) -> AzureProvider:
    """A provider of the HR account whose account flag is given (as the management plane says)."""
    service = blob_service(meter, connection_string=server.connection_string(HR))
    return AzureProvider(
        service, account=HR, allow_blob_public_access=allow, meter=meter, page_size=page_size
    )


def anonymous_status(url: str) -> int:
    """The HTTP status an anonymous GET of `url` gets."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def blob_endpoint_part(bucket: Bucket) -> Bucket:
    """The same container without its static website: what the blob endpoint itself serves."""
    facts = bucket.facts
    assert isinstance(facts, AzureContainerFacts)
    return replace(bucket, facts=replace(facts, static_website=False))


def test_enumerates_every_container_including_web(emulator: Azurite) -> None:
    meter = Meter()
    names = {ref.name for ref in provider_for(emulator, meter).bucket_refs()}
    assert names == {*SEED, "paged"}
    assert meter.requests()["azure.ListContainers"] == 1


def test_container_metadata_is_gathered_as_tags(emulator: Azurite) -> None:
    provider = provider_for(emulator, Meter())
    tagged = provider.describe(BucketRef("azure", HR, "paged")).facts
    plain = provider.describe(BucketRef("azure", HR, "resumes")).facts
    assert isinstance(tagged, AzureContainerFacts) and isinstance(plain, AzureContainerFacts)
    assert tagged.metadata == (("env", "test"), ("owner", "hr"))
    assert plain.metadata == ()


def test_named_containers_are_not_listed(emulator: Azurite) -> None:
    meter = Meter()
    service = blob_service(meter, connection_string=emulator.connection_string(HR))
    provider = AzureProvider(service, account=HR, container_names=("resumes", "nope"), meter=meter)
    refs = list(provider.bucket_refs())
    assert refs == [BucketRef("azure", HR, "resumes"), BucketRef("azure", HR, "nope")]
    assert meter.requests() == {}


@pytest.mark.parametrize(
    ("name", "level", "read", "listing", "website"),
    [
        ("hr-private", "off", PRIV, PRIV, False),
        ("resumes", "blob", PUB, PRIV, False),
        ("id-scans", "container", PUB, PUB, False),
        ("$web", "off", PUB, PRIV, True),
    ],
)
def test_facts_verdicts_and_a_real_anonymous_probe_agree(
    emulator: Azurite,
    name: str,
    level: str,
    read: Exposure,
    listing: Exposure,
    website: bool,
) -> None:
    meter = Meter()
    provider = provider_for(emulator, meter)
    bucket = provider.describe(BucketRef("azure", HR, name))
    facts = bucket.facts
    assert isinstance(facts, AzureContainerFacts)
    assert (facts.public_access, facts.allow_blob_public_access) == (level, True)
    assert facts.static_website is website
    assert bucket.errors == ()
    access = evaluate_bucket(bucket)
    assert (access.read, access.list, access.write) == (read, listing, PRIV)
    objects = {obj.key: obj for obj in provider.objects(bucket)}
    assert set(objects) == set(BLOBS)
    # Azurite serves no static website: its blob endpoint answers as the container level alone.
    endpoint = evaluate_bucket(blob_endpoint_part(bucket))
    for obj in objects.values():
        status = anonymous_status(provider.url(bucket, obj))
        assert (status == 200) is (endpoint.read is PUB), (obj.key, status)
        assert evaluate_object(bucket, obj).read is read
    listing_url = f"{provider.account_url}/{name}?restype=container&comp=list"
    assert (anonymous_status(listing_url) == 200) is (listing is PUB)
    if website:
        assert any("static website hosting is on" in line for line in access.reasons)


def test_account_flag_voids_levels_and_unknown_flag_still_counts_public(emulator: Azurite) -> None:
    for allow, read, note in [(False, PRIV, "is void"), (None, PUB, "was not read")]:
        provider = provider_for(emulator, Meter(), allow=allow)
        bucket = provider.describe(BucketRef("azure", HR, "id-scans"))
        access = evaluate_bucket(bucket)
        assert (access.read, access.list) == (read, read)
        assert any(note in line for line in access.reasons)
        unread = {item.fact for item in bucket.facts.unreadable}
        assert (ACCOUNT_FACT in unread) is (allow is None)


def test_objects_are_paged_lazily(emulator: Azurite) -> None:
    meter = Meter()
    provider = provider_for(emulator, meter, page_size=3)
    bucket = provider.describe(BucketRef("azure", HR, "paged"))
    listing = provider.objects(bucket)
    assert next(listing).key == "file-0.txt"
    assert meter.requests()["azure.ListBlobs"] == 1
    rest = [obj.key for obj in listing]
    assert rest == [f"file-{index}.txt" for index in range(1, 7)]
    assert meter.requests()["azure.ListBlobs"] == 3
    prefixed = [obj.key for obj in provider.objects(bucket, prefix="file-6")]
    assert prefixed == ["file-6.txt"]
    ranged = [obj.key for obj in provider.objects(bucket, start_after="file-4.txt")]
    assert ranged == ["file-5.txt", "file-6.txt"]


def test_reads_are_bounded_and_counted(emulator: Azurite) -> None:
    meter = Meter()
    provider = provider_for(emulator, meter)
    bucket = provider.describe(BucketRef("azure", HR, "resumes"))
    objects = {obj.key: obj for obj in provider.objects(bucket)}
    resume = objects["cv/履歴書 山田.pdf"]
    assert resume.size == len(BODY)
    assert resume.content_type is not None and resume.etag
    assert provider.read(bucket, resume, 10) == BODY[:10]
    assert provider.read(bucket, resume, 10_000) == BODY
    assert provider.read(bucket, objects["empty.txt"], 10) == b""
    assert provider.read(bucket, resume, 0) == b""
    assert meter.bytes_read == 10 + len(BODY)
    counts = meter.requests()
    assert counts["azure.GetBlob"] >= 3
    assert counts["azure.GetContainerProperties"] == 1
    assert provider.url(bucket, resume) == (
        f"{emulator.blob_endpoint(HR)}/resumes/cv/%E5%B1%A5%E6%AD%B4%E6%9B%B8%20%E5%B1%B1%E7%94%B0.pdf"
    )


def test_web_url_uses_the_website_endpoint_when_known(emulator: Azurite) -> None:
    service = blob_service(Meter(), connection_string=emulator.connection_string(HR))
    web = "https://welcomehr.z11.web.core.windows.net/"
    provider = AzureProvider(service, account=HR, web_endpoint=web)
    bucket = provider.describe(BucketRef("azure", HR, "$web"))
    assert provider.url(bucket, StoredObject("a b.html", 1)) == f"{web}a%20b.html"
    other = provider.describe(BucketRef("azure", HR, "resumes"))
    assert provider.url(other, StoredObject("a.pdf", 1)).startswith(emulator.blob_endpoint(HR))


def test_denied_facts_become_unknown_never_private(emulator: Azurite) -> None:
    wrong_key = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmc="
    meter = Meter()
    service = blob_service(meter, connection_string=emulator.connection_string(HR, wrong_key))
    provider = AzureProvider(service, account=HR, allow_blob_public_access=True, meter=meter)
    for name in ("$web", "no-such-container"):
        bucket = provider.describe(BucketRef("azure", HR, name))
        facts = bucket.facts
        assert isinstance(facts, AzureContainerFacts)
        assert facts.public_access is None
        unread = {item.fact for item in facts.unreadable}
        assert LEVEL_FACT in unread
        assert (WEBSITE_FACT in unread) is (name == "$web")
        assert facts.static_website is (None if name == "$web" else False)
        assert any("403" in error or "Auth" in error for error in bucket.errors)
        access = evaluate_bucket(bucket)
        assert (access.read, access.list) == (UNK, UNK)


def test_missing_container_is_recorded(emulator: Azurite) -> None:
    bucket = provider_for(emulator, Meter()).describe(BucketRef("azure", HR, "gone"))
    assert bucket.facts.unreadable[0].fact == LEVEL_FACT
    assert "ContainerNotFound" in bucket.errors[0]
    assert evaluate_bucket(bucket).read is UNK


def test_open_azure_with_a_connection_string_leaves_the_flag_unknown(emulator: Azurite) -> None:
    meter = Meter()
    provider = open_azure(None, emulator.connection_string(HR), (), meter)
    assert isinstance(provider, AzureProvider)
    bucket = provider.describe(BucketRef("azure", HR, "resumes"))
    reasons = evaluate_bucket(bucket).reasons
    assert any("pass --subscription" in line for line in reasons)
    assert evaluate_bucket(bucket).read is PUB


@pytest.mark.parametrize(
    ("account_url", "connection_string", "message"),
    [
        (None, "AccountName=x;AccountKey=c2VjcmV0LWtleQ==;nonsense", "malformed Azure"),
        (None, None, "pass --account-url"),
        ("not a url", None, "malformed Azure account URL"),
    ],
)
def test_open_azure_bad_input_is_one_line_provider_error(
    account_url: str | None, connection_string: str | None, message: str
) -> None:
    with pytest.raises(ProviderError) as raised:
        open_azure(account_url, connection_string, (), Meter(), credential=StaticToken())
    text = str(raised.value)
    assert message in text and "\n" not in text
    assert "c2VjcmV0LWtleQ" not in text


@pytest.mark.parametrize("containers", [(), ("resumes",)])
def test_open_azure_unreachable_endpoint_fails_fast(containers: tuple[str, ...]) -> None:
    dead = Azurite(free_port(), ACCOUNTS)
    with pytest.raises(ProviderError) as raised:
        open_azure(None, dead.connection_string(HR), containers, Meter())
    assert "unusable" in str(raised.value) and "\n" not in str(raised.value)
    assert ACCOUNTS[HR] not in str(raised.value)


@pytest.fixture
def arm(emulator: Azurite) -> Iterator[tuple[ArmFake, str]]:
    """The ARM fake with subscription `sub`: HR allows anonymous access, archive does not."""
    fake = ArmFake(
        accounts={
            "sub": [
                storage_account(HR, True, emulator.blob_endpoint(HR), "https://hr.z11.web/"),
                storage_account(ARCHIVE, False, emulator.blob_endpoint(ARCHIVE)),
            ],
            "legacy": [storage_account(HR, None, emulator.blob_endpoint(HR))],
            "firewalled": [
                storage_account(
                    HR,
                    True,
                    emulator.blob_endpoint(HR),
                    network=firewall("Deny", "203.0.113.0/24", subnets=2),
                )
            ],
            "wide-firewall": [
                storage_account(
                    HR,
                    True,
                    emulator.blob_endpoint(HR),
                    network=firewall("Deny", "0.0.0.0/1", "128.0.0.0/1"),
                )
            ],
            "private-only": [
                storage_account(
                    HR,
                    True,
                    emulator.blob_endpoint(HR),
                    network={"publicNetworkAccess": "Disabled"},
                )
            ],
        }
    )
    with arm_fake(fake) as url:
        yield fake, url


def test_management_plane_lists_accounts_across_pages(arm: tuple[ArmFake, str]) -> None:
    fake, url = arm
    meter = Meter()
    client = management_client("sub", StaticToken(), meter, base_url=url)
    accounts = list_storage_accounts(client, plain_http=True)
    assert [(a.name, a.allow_blob_public_access) for a in accounts] == [
        (HR, True),
        (ARCHIVE, False),
    ]
    assert accounts[0].web_endpoint == "https://hr.z11.web/"
    assert accounts[0].resource_group == "hr-rg"
    assert [path for path, _, _ in fake.seen] == [STORAGE_ACCOUNTS_PATH.format("sub")] * 2
    assert all(auth == f"Bearer {StaticToken.token}" for _, _, auth in fake.seen)
    assert all("api-version=" in query for _, query, _ in fake.seen)
    assert meter.requests() == {"azure.mgmt.ListStorageAccounts": 2}


def test_subscription_accounts_scan_each_account_with_its_flag(
    emulator: Azurite, arm: tuple[ArmFake, str]
) -> None:
    _, url = arm
    meter = Meter()
    accounts = list_storage_accounts(
        management_client("sub", StaticToken(), meter, base_url=url), plain_http=True
    )
    provider = subscription_accounts(
        accounts,
        lambda account: blob_service(
            meter,
            account_url=account.blob_endpoint,
            credential={"account_name": account.name, "account_key": ACCOUNTS[account.name]},
        ),
        (),
        meter,
    )
    assert isinstance(provider, AzureAccounts)
    refs = list(provider.bucket_refs())
    assert {(ref.account, ref.name) for ref in refs} >= {(HR, "id-scans"), (ARCHIVE, "old-cvs")}
    verdicts = {
        (ref.account, ref.name): evaluate_bucket(provider.describe(ref))
        for ref in refs
        if ref.name in ("id-scans", "old-cvs")
    }
    assert verdicts[(HR, "id-scans")].read is PUB
    archive = verdicts[(ARCHIVE, "old-cvs")]
    assert (archive.read, archive.list) == (PRIV, PRIV)
    assert any("allowBlobPublicAccess=false" in line for line in archive.reasons)
    bucket = provider.describe(BucketRef("azure", ARCHIVE, "old-cvs"))
    (obj,) = provider.objects(bucket)
    assert provider.read(bucket, obj, 4) == BODY[:4]
    assert provider.url(bucket, obj) == f"{emulator.blob_endpoint(ARCHIVE)}/old-cvs/a.pdf"


@pytest.mark.parametrize(
    ("subscription", "read", "note"),
    [
        ("sub", PUB, "allowBlobPublicAccess=true"),
        ("legacy", PUB, "unset on the account, which Azure treats as allowed"),
        ("nobody", PUB, "management plane not read: HttpResponseError"),
        ("firewalled", PRIV, "firewall admits only listed networks (1 IP rules and 2 virtual"),
        ("wide-firewall", PUB, "allowBlobPublicAccess=true"),
        ("private-only", PRIV, "restricted by network: public network access is disabled"),
    ],
)
def test_open_azure_reads_the_flag_of_the_given_account(
    emulator: Azurite, arm: tuple[ArmFake, str], subscription: str, read: Exposure, note: str
) -> None:
    _, url = arm
    provider = open_azure(
        None,
        emulator.connection_string(HR),
        ("resumes",),
        Meter(),
        subscription,
        credential=StaticToken(),
        management_url=url,
    )
    assert isinstance(provider, AzureProvider)
    access = evaluate_bucket(provider.describe(BucketRef("azure", HR, "resumes")))
    assert access.read is read
    assert any(note in line for line in access.reasons), access.reasons


def test_open_azure_subscription_without_access_is_provider_error(
    arm: tuple[ArmFake, str],
) -> None:
    _, url = arm
    with pytest.raises(ProviderError, match="cannot list storage accounts of subscription nobody"):
        open_azure(None, None, (), Meter(), "nobody", credential=StaticToken(), management_url=url)


@pytest.mark.parametrize(
    ("method", "url", "kind"),
    [
        ("GET", "https://a.blob.core.windows.net/?comp=list&include=", "azure.ListContainers"),
        ("GET", "https://a.blob.core.windows.net/c?restype=container&comp=list", "azure.ListBlobs"),
        ("GET", "http://127.0.0.1:1/acct/c?restype=container", "azure.GetContainerProperties"),
        (
            "GET",
            "https://a.blob.core.windows.net/?restype=service&comp=properties",
            "azure.GetBlobServiceProperties",
        ),
        ("GET", "https://a.blob.core.windows.net/c/dir/x.pdf", "azure.GetBlob"),
        ("PUT", "https://a.blob.core.windows.net/c/x.pdf", "azure.PutBlob"),
        (
            "GET",
            f"https://m{STORAGE_ACCOUNTS_PATH.format('s')}?api-version=1",
            "azure.mgmt.ListStorageAccounts",
        ),
        ("PATCH", "https://a.blob.core.windows.net/c/x", "azure.other.PATCH"),
    ],
)
def test_request_kinds(method: str, url: str, kind: str) -> None:
    assert request_kind(method, url) == kind


def test_every_blob_is_judged_like_its_container(emulator: Azurite, tmp_path: Path) -> None:
    provider = provider_for(emulator, Meter())
    for name, level in SEED.items():
        bucket = provider.describe(BucketRef("azure", HR, name))
        for obj in provider.objects(bucket):
            assert evaluate_object(bucket, obj).read is evaluate_bucket(bucket).read, (name, level)


def test_scan_end_to_end_reports_public_resumes_with_their_exposure(emulator: Azurite) -> None:
    from bucketscan.scanner.options import ScanOptions
    from bucketscan.scanner.runner import run_scan
    from bucketscan.synthetic.corpus import generate_corpus

    files = [
        file
        for file in generate_corpus(7, 1)
        if file.category == "resume" and file.variant in ("pdf-text", "docx", "txt")
    ]
    service = BlobServiceClient.from_connection_string(emulator.connection_string(HR))
    for name, level in (("e2e-public", "blob"), ("e2e-private", None)):
        created = service.create_container(name, public_access=level)
        for file in files:
            created.upload_blob(f"uploads/{file.name}", file.data)
    meter = Meter()
    provider = open_azure(
        None, emulator.connection_string(HR), ("e2e-public", "e2e-private"), meter
    )
    outcome = run_scan(provider, ScanOptions(workers=1, ocr_engine="none"), (), meter=meter)
    by_name = {result.ref.name: result for result in outcome.buckets}
    assert by_name["e2e-public"].access.read is PUB
    assert by_name["e2e-private"].access.read is PRIV
    assert {finding.bucket for finding in outcome.findings} == {"e2e-public"}
    found = {finding.key: finding for finding in outcome.findings}
    assert set(found) == {f"uploads/{file.name}" for file in files}
    for file in files:
        finding = found[f"uploads/{file.name}"]
        assert finding.document_type == file.document_type
        assert finding.exposure is PUB
        assert anonymous_status(finding.url) == 200
    assert meter.requests()["azure.GetBlob"] >= len(files)


def test_a_dead_endpoint_costs_seconds_per_call_not_minutes() -> None:
    service = blob_service(
        Meter(), connection_string=Azurite(free_port(), ACCOUNTS).connection_string(HR)
    )
    policy = service._config.retry_policy
    # An unreachable endpoint gets the connect retries; throttles and 5xx (it answered) get more.
    waits = [policy.get_backoff_time({"count": n}) for n in range(1, policy.connect_retries + 1)]
    assert sum(waits) <= 20  # the SDK's default waits about 80 s
    assert policy.status_retries > policy.connect_retries


def test_a_dead_endpoint_opens_the_breaker_for_the_remaining_calls() -> None:
    dead = Azurite(free_port(), ACCOUNTS).connection_string(HR)
    service = BlobServiceClient.from_connection_string(dead, retry_total=0)
    breaker = Breaker(threshold=1)
    provider = AzureProvider(service, account=HR, breaker=breaker, allow_blob_public_access=True)
    first = provider.describe(BucketRef("azure", HR, "uploads"))
    started = time.monotonic()
    second = provider.describe(BucketRef("azure", HR, "exports"))
    assert time.monotonic() - started < 1
    assert isinstance(first.facts, AzureContainerFacts)
    assert isinstance(second.facts, AzureContainerFacts)
    assert "call not sent" not in first.errors[0]
    assert any("call not sent" in error for error in second.errors)
    assert evaluate_bucket(second).read is Exposure.UNKNOWN


def test_an_account_that_cannot_be_listed_is_unknown_and_the_others_are_scanned(
    emulator: Azurite,
) -> None:
    meter = Meter()
    wrong_key = base64.b64encode(b"not the key").decode()
    locked = AzureProvider(
        BlobServiceClient.from_connection_string(
            emulator.connection_string(ARCHIVE, key=wrong_key), retry_total=0
        ),
        account=ARCHIVE,
        allow_blob_public_access=True,
    )
    provider = AzureAccounts((locked, provider_for(emulator, meter)))
    outcome = run_scan(provider, ScanOptions(content=False, io_threads=2), (), meter=meter)
    results = {(r.ref.account, r.ref.name): r for r in outcome.buckets}
    unlisted = results[(ARCHIVE, UNLISTED)]
    assert unlisted.access.read is Exposure.UNKNOWN
    assert any(f"cannot list containers of {ARCHIVE}" in reason for reason in unlisted.errors)
    assert results[(HR, "id-scans")].access.read is PUB
