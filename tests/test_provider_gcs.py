"""The GCS adapter against gcp-storage-emulator, fake-gcs-server and a recorded JSON API fake."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from google.api_core.exceptions import Forbidden
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage

from bucketscan.metering import Meter
from bucketscan.policies.access.gcs import evaluate_bucket, evaluate_object
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.providers.gcs import GcsProvider, open_gcs
from bucketscan.providers.gcs_custom_roles import CustomRoleReader
from bucketscan.providers.gcs_metering import request_kind
from bucketscan.providers.gcs_orgpolicy import EffectivePolicyReader, enforced
from bucketscan.records.common import BucketRef, Exposure, StoredObject
from bucketscan.records.gcs import GcsBucketFacts, GcsObjectFacts, IamBinding
from gcs_emulators import Routes, fake_gcs_server, free_port, json_api_fake, storage_emulator

PUB, AUTH, PRIV, UNK = Exposure.PUBLIC, Exposure.AUTHENTICATED, Exposure.PRIVATE, Exposure.UNKNOWN
CONDITION = {"title": "pub-only", "expression": "resource.name.startsWith('projects/_/')"}


def client_for(url: str) -> storage.Client:
    """An anonymous client of an emulator."""
    return storage.Client(
        project="test", credentials=AnonymousCredentials(), client_options={"api_endpoint": url}
    )


def seed_bucket(
    client: storage.Client,
    name: str,
    *,
    uniform: bool = True,
    prevention: str | None = None,
    bindings: tuple[dict[str, Any], ...] = (),
) -> storage.Bucket:
    """Create a bucket with its access configuration stored in the emulator."""
    created = client.create_bucket(name)
    created.iam_configuration.uniform_bucket_level_access_enabled = uniform
    if prevention:
        created.iam_configuration.public_access_prevention = prevention
    created.patch()
    policy = created.get_iam_policy(requested_policy_version=3)
    policy.version = 3
    policy.bindings.extend(bindings)
    created.set_iam_policy(policy)
    created.blob("cv/resume.pdf").upload_from_string(b"%PDF-1.4 synthetic")
    return created


def viewer(member: str, condition: dict[str, str] | None = None) -> dict[str, Any]:
    """An objectViewer binding, optionally conditional."""
    binding: dict[str, Any] = {"role": "roles/storage.objectViewer", "members": {member}}
    if condition:
        binding["condition"] = condition
    return binding


@pytest.fixture(scope="module")
def seeded() -> Iterator[str]:
    """gcp-storage-emulator holding one bucket per exposure story."""
    with storage_emulator() as url:
        client = client_for(url)
        seed_bucket(client, "public-bkt", bindings=(viewer("allUsers"),))
        seed_bucket(client, "authn-bkt", bindings=(viewer("allAuthenticatedUsers"),))
        seed_bucket(client, "prevented-bkt", prevention="enforced", bindings=(viewer("allUsers"),))
        seed_bucket(client, "conditional-bkt", bindings=(viewer("allUsers", CONDITION),))
        seed_bucket(client, "private-bkt", bindings=(viewer("user:hr@welcome.example"),))
        fine = seed_bucket(client, "finegrained-bkt", uniform=False)
        fine.acl.all().grant_read()
        fine.acl.save()
        shared = fine.blob("cv/resume.pdf")
        shared.acl.all().grant_read()
        shared.acl.save()
        fine.blob("id/passport.jpg").upload_from_string(b"\xff\xd8synthetic")
        yield url


STORIES = [
    ("public-bkt", (PUB, PUB, PRIV), "allUsers has roles/storage.objectViewer"),
    ("authn-bkt", (AUTH, AUTH, PRIV), "allAuthenticatedUsers has"),
    ("prevented-bkt", (PRIV, PRIV, PRIV), "public access prevention is enforced"),
    ("conditional-bkt", (PUB, PUB, PRIV), "conditional (pub-only: resource.name.startsWith"),
    ("private-bkt", (PRIV, PRIV, PRIV), "no IAM binding or ACL entry grants"),
    ("finegrained-bkt", (PRIV, PUB, PRIV), "bucket ACL: allUsers is READER (list)"),
]


@pytest.mark.integration
@pytest.mark.parametrize(("name", "expected", "fragment"), STORIES)
def test_seeded_buckets_get_their_verdicts(
    seeded: str, name: str, expected: tuple[Exposure, ...], fragment: str
) -> None:
    provider = GcsProvider(client_for(seeded), org_policy_reader=lambda project: False)
    bucket = provider.describe(BucketRef("gcs", "test", name))
    access = evaluate_bucket(bucket)
    assert (access.read, access.list, access.write) == expected, access.reasons
    assert any(fragment in reason for reason in access.reasons), access.reasons
    assert isinstance(bucket.facts, GcsBucketFacts)
    assert bucket.facts.unreadable == ()


@pytest.mark.integration
def test_facts_gathered_from_the_emulator(seeded: str) -> None:
    meter = Meter()
    provider = GcsProvider(client_for(seeded), meter=meter, org_policy_reader=lambda p: False)
    names = {ref.name for ref in provider.bucket_refs() if ref.account == "test"}
    assert {"public-bkt", "finegrained-bkt", "prevented-bkt"} <= names
    conditional = provider.describe(BucketRef("gcs", "test", "conditional-bkt")).facts
    assert isinstance(conditional, GcsBucketFacts)
    assert conditional.iam_bindings == (
        IamBinding(
            "roles/storage.objectViewer", ("allUsers",), "pub-only", CONDITION["expression"]
        ),
    )
    assert conditional.uniform_access is True
    assert conditional.bucket_acl is None  # not asked for: ACLs are void under uniform access
    prevented = provider.describe(BucketRef("gcs", "test", "prevented-bkt")).facts
    assert isinstance(prevented, GcsBucketFacts)
    assert prevented.public_access_prevention == "enforced"
    assert prevented.org_enforces_prevention is None  # not needed, not read
    counts = meter.requests()
    assert counts["gcs.buckets.getIamPolicy"] == 2
    assert counts["gcs.buckets.get"] == 2
    assert "gcs.bucketAccessControls.list" not in counts


@pytest.mark.integration
def test_fine_grained_object_acls_decide_per_object(seeded: str) -> None:
    provider = GcsProvider(client_for(seeded), org_policy_reader=lambda p: False)
    bucket = provider.describe(BucketRef("gcs", "test", "finegrained-bkt"))
    verdicts = {}
    for stored in provider.objects(bucket):
        with_facts = provider.object_facts(bucket, stored)
        assert isinstance(with_facts.facts, GcsObjectFacts)
        verdicts[stored.key] = evaluate_object(bucket, with_facts).read
    assert verdicts == {"cv/resume.pdf": PUB, "id/passport.jpg": PRIV}


@pytest.mark.integration
def test_a_prefix_condition_stored_in_the_emulator_decides_per_object() -> None:
    prefix = 'resource.name.startsWith("projects/_/buckets/assets-bkt/objects/public/")'
    condition = {"title": "public-only", "expression": prefix}
    with storage_emulator() as url:
        client = client_for(url)
        created = seed_bucket(client, "assets-bkt", bindings=(viewer("allUsers", condition),))
        for key in ("public/logo.png", "private/passport.jpg"):
            created.blob(key).upload_from_string(b"synthetic")
        provider = GcsProvider(client, org_policy_reader=lambda project: False)
        bucket = provider.describe(BucketRef("gcs", "test", "assets-bkt"))
        listed = list(provider.objects(bucket))
    assert isinstance(bucket.facts, GcsBucketFacts)
    assert bucket.facts.iam_bindings == (
        IamBinding("roles/storage.objectViewer", ("allUsers",), "public-only", prefix),
    )
    access = evaluate_bucket(bucket)
    assert (access.read, access.list, access.write) == (PUB, PRIV, PRIV), access.reasons
    assert any("holds for some objects only" in reason for reason in access.reasons)
    verdicts = {stored.key: evaluate_object(bucket, stored) for stored in listed}
    assert {key: verdict.read for key, verdict in verdicts.items()} == {
        "cv/resume.pdf": PRIV,
        "private/passport.jpg": PRIV,
        "public/logo.png": PUB,
    }
    assert any("holds for this object" in r for r in verdicts["public/logo.png"].reasons)


@pytest.mark.integration
def test_org_policy_failure_is_recorded_and_keeps_public(seeded: str) -> None:
    def denied(project: str) -> bool | None:
        raise PermissionError(f"orgpolicy denied for {project}")

    provider = GcsProvider(client_for(seeded), org_policy_reader=denied)
    bucket = provider.describe(BucketRef("gcs", "test", "public-bkt"))
    assert isinstance(bucket.facts, GcsBucketFacts)
    assert bucket.facts.unreadable[0].fact == "org_public_access_prevention"
    assert "PermissionError: orgpolicy denied" in bucket.facts.unreadable[0].reason
    access = evaluate_bucket(bucket)
    assert access.read is PUB
    assert any("could not be ruled out" in reason for reason in access.reasons)


@pytest.fixture(scope="module")
def paged() -> Iterator[str]:
    """fake-gcs-server with five objects in one bucket."""
    with fake_gcs_server() as url:
        created = client_for(url).create_bucket("paged")
        for index in range(5):
            created.blob(f"scan-{index}.txt").upload_from_string(b"0123456789" * 3)
        yield url


@pytest.mark.integration
def test_listing_pages_lazily_with_page_size(paged: str) -> None:
    meter = Meter()
    provider = open_gcs((), paged, ("paged",), meter, page_size=2)
    bucket = provider.describe(next(provider.bucket_refs()))
    before = meter.requests().get("gcs.objects.list", 0)
    listing = provider.objects(bucket)
    first = next(listing)
    assert meter.requests()["gcs.objects.list"] == before + 1
    rest = list(listing)
    assert [first.key, *(o.key for o in rest)] == [f"scan-{i}.txt" for i in range(5)]
    assert meter.requests()["gcs.objects.list"] == before + 3
    assert first.size == 30


@pytest.mark.integration
def test_listing_starts_after_a_key(paged: str) -> None:
    provider = open_gcs((), paged, ("paged",), Meter(), page_size=2)
    bucket = provider.describe(BucketRef("gcs", "", "paged"))
    keys = [obj.key for obj in provider.objects(bucket, "", start_after="scan-2.txt")]
    assert keys == ["scan-3.txt", "scan-4.txt"]


@pytest.mark.integration
def test_range_read_is_bounded(paged: str) -> None:
    meter = Meter()
    provider = open_gcs((), paged, ("paged",), meter)
    bucket = provider.describe(BucketRef("gcs", "", "paged"))
    stored = StoredObject("scan-1.txt", 30)
    assert provider.read(bucket, stored, 4) == b"0123"
    assert meter.bytes_read == 4
    assert meter.requests()["gcs.objects.download"] == 1
    assert provider.url(bucket, StoredObject("履歴書 1.pdf", 1)) == (
        "https://storage.googleapis.com/paged/%E5%B1%A5%E6%AD%B4%E6%9B%B8%201.pdf"
    )


@pytest.mark.integration
def test_unsupported_emulator_calls_become_unreadable(paged: str) -> None:
    provider = open_gcs((), paged, (), Meter())
    bucket = provider.describe(BucketRef("gcs", "", "paged"))
    assert isinstance(bucket.facts, GcsBucketFacts)
    facts = {item.fact: item.reason for item in bucket.facts.unreadable}
    assert facts["iam_policy"].startswith("NotFound: 404")
    assert bucket.facts.iam_bindings is None
    assert evaluate_bucket(bucket).read is UNK


def bucket_resource(prevention: str = "inherited") -> dict[str, Any]:
    """A bucket's JSON metadata as GCS returns it."""
    return {
        "kind": "storage#bucket",
        "name": "hr",
        "projectNumber": "123",
        "iamConfiguration": {
            "uniformBucketLevelAccess": {"enabled": True},
            "publicAccessPrevention": prevention,
        },
        "website": {"mainPageSuffix": "index.html"},
        "labels": {"team": "hr", "env": "prod"},
    }


@pytest.mark.integration
def test_denied_iam_policy_is_unknown_not_private() -> None:
    routes = Routes()
    routes.answer("GET", "/storage/v1/b/hr", 200, bucket_resource())
    routes.answer("GET", "/storage/v1/b/hr/iam", 403, {"error": {"code": 403, "message": "no"}})
    with json_api_fake(routes) as url:
        provider = GcsProvider(client_for(url), org_policy_reader=lambda p: False)
        bucket = provider.describe(BucketRef("gcs", "p", "hr"))
    assert isinstance(bucket.facts, GcsBucketFacts)
    assert [item.fact for item in bucket.facts.unreadable] == ["iam_policy"]
    assert bucket.facts.unreadable[0].reason.startswith("Forbidden: 403")
    assert bucket.facts.website is True
    assert bucket.facts.labels == (("env", "prod"), ("team", "hr"))  # for mutelist `tags`
    assert evaluate_bucket(bucket).read is UNK


@pytest.mark.integration
@pytest.mark.parametrize(
    ("org_rules", "expected"),
    [([{"enforce": True}], PRIV), ([{"enforce": False}], PUB), ([], PUB)],
)
def test_org_policy_read_through_the_api(
    org_rules: list[dict[str, Any]], expected: Exposure
) -> None:
    routes = Routes()
    routes.answer("GET", "/storage/v1/b/hr", 200, bucket_resource())
    policy = {
        "version": 3,
        "etag": "CAE=",
        "bindings": [
            {"role": "roles/storage.legacyObjectReader", "members": ["allUsers"]},
        ],
    }
    routes.answer("GET", "/storage/v1/b/hr/iam", 200, policy)
    org_path = "/v2/projects/123/policies/storage.publicAccessPrevention:getEffectivePolicy"
    routes.answer("GET", org_path, 200, {"spec": {"rules": org_rules}})
    with json_api_fake(routes) as url, requests.Session() as session:
        reader = EffectivePolicyReader(session, base_url=url)
        provider = GcsProvider(client_for(url), org_policy_reader=reader)
        bucket = provider.describe(BucketRef("gcs", "p", "hr"))
        provider.describe(BucketRef("gcs", "p", "hr"))
    assert routes.seen.count(("GET", org_path)) == 1  # cached per project
    assert evaluate_bucket(bucket).read is expected


@pytest.mark.integration
def test_unreachable_endpoint_is_a_one_line_provider_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ProviderError) as raised:
        open_gcs((), url, (), Meter())
    assert "unreachable" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_credentials_is_a_provider_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORAGE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/adc.json")
    with pytest.raises(ProviderError, match="no GCS credentials"):
        open_gcs(("p",), None, (), Meter())


@pytest.mark.integration
def test_storage_emulator_host_is_honoured(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", seeded)
    provider = open_gcs(("test",), None, ("public-bkt",), Meter())
    bucket = provider.describe(next(provider.bucket_refs()))
    assert evaluate_bucket(bucket).read is PUB


@pytest.mark.parametrize(
    ("method", "url", "kind"),
    [
        ("GET", "https://storage.googleapis.com/storage/v1/b?project=p", "gcs.buckets.list"),
        ("GET", "http://h/storage/v1/b/x", "gcs.buckets.get"),
        ("GET", "http://h/storage/v1/b/x/iam?optionsRequestedPolicyVersion=3",
         "gcs.buckets.getIamPolicy"),
        ("GET", "http://h/storage/v1/b/x/acl", "gcs.bucketAccessControls.list"),
        ("GET", "http://h/storage/v1/b/x/defaultObjectAcl", "gcs.defaultObjectAccessControls.list"),
        ("GET", "http://h/storage/v1/b/x/o?maxResults=2", "gcs.objects.list"),
        ("GET", "http://h/storage/v1/b/x/o/a%2Fb.pdf/acl", "gcs.objectAccessControls.list"),
        ("GET", "http://h/storage/v1/b/x/o/a%2Fb.pdf", "gcs.objects.get"),
        ("GET", "http://h/storage/v1/b/x/o/a%2Fb.pdf?alt=media", "gcs.objects.download"),
        ("GET", "http://h/download/storage/v1/b/x/o/a.pdf?alt=media", "gcs.objects.download"),
        ("GET", "http://o/v2/projects/1/policies/c:getEffectivePolicy",
         "orgpolicy.getEffectivePolicy"),
        ("DELETE", "http://h/storage/v1/b/x", "gcs.other.DELETE"),
    ],
)  # fmt: skip
def test_request_kinds(method: str, url: str, kind: str) -> None:
    assert request_kind(method, url) == kind


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({"spec": {"rules": [{"enforce": True}]}}, True),
        ({"spec": {"rules": [{"enforce": False}]}}, False),
        ({}, False),
        ({"spec": {"rules": [{"enforce": True, "condition": {"expression": "tag"}}]}}, None),
    ],
)
def test_effective_policy_enforcement(policy: dict[str, Any], expected: bool | None) -> None:
    assert enforced(policy) is expected


@pytest.mark.integration
def test_an_endpoint_dying_mid_scan_costs_seconds_not_minutes() -> None:
    with storage_emulator() as url:
        client = client_for(url)
        client.create_bucket("gone-soon")
    provider = GcsProvider(client, org_policy_reader=lambda p: False, retry_deadline=1.0)
    started = time.monotonic()
    bucket = provider.describe(BucketRef("gcs", "test", "gone-soon"))
    assert time.monotonic() - started < 10
    assert isinstance(bucket.facts, GcsBucketFacts)
    assert {"bucket_metadata", "iam_policy"} <= {item.fact for item in bucket.facts.unreadable}
    assert evaluate_bucket(bucket).read is UNK
    again = provider.describe(BucketRef("gcs", "test", "gone-too"))
    assert isinstance(again.facts, GcsBucketFacts)
    reasons = [item.reason for item in again.facts.unreadable if item.fact != "uniform_access"]
    assert any("call not sent" in reason for reason in reasons)  # the breaker is open


@pytest.mark.integration
@pytest.mark.parametrize(
    ("role_answer", "expected"),
    [
        ((200, {"includedPermissions": ["storage.objects.get"]}), PUB),
        ((200, {"includedPermissions": ["storage.buckets.get"]}), PRIV),
        ((403, {"error": {"code": 403, "message": "no"}}), UNK),
    ],
)
def test_custom_role_permissions_are_read_through_the_iam_api(
    role_answer: tuple[int, dict[str, Any]], expected: Exposure
) -> None:
    role = "projects/p/roles/uploadReader"
    routes = Routes()
    routes.answer("GET", "/storage/v1/b/hr", 200, bucket_resource(prevention="inherited"))
    bindings = [{"role": role, "members": ["allUsers"]}]
    routes.answer("GET", "/storage/v1/b/hr/iam", 200, {"version": 3, "bindings": bindings})
    routes.answer("GET", f"/v1/{role}", *role_answer)
    with json_api_fake(routes) as url, requests.Session() as session:
        provider = GcsProvider(
            client_for(url),
            org_policy_reader=lambda project: False,
            role_reader=CustomRoleReader(session, base_url=url),
        )
        bucket = provider.describe(BucketRef("gcs", "p", "hr"))
        provider.describe(BucketRef("gcs", "p", "hr"))
    assert routes.seen.count(("GET", f"/v1/{role}")) == 1  # read once per role
    assert evaluate_bucket(bucket).read is expected


@pytest.mark.integration
def test_a_project_that_cannot_be_listed_stands_as_one_unknown_entry() -> None:
    routes = Routes()
    routes.answer("GET", "/storage/v1/b", 200, {"items": [{"name": "hr"}]})
    with json_api_fake(routes) as url:
        client = client_for(url)
        listing = client.list_buckets

        def list_buckets(project: str, **kwargs: Any) -> Any:
            if project == "locked":
                raise Forbidden("storage.buckets.list denied")
            return listing(project=project, **kwargs)

        client.list_buckets = list_buckets  # type: ignore[method-assign]
        provider = GcsProvider(client, projects=("open", "locked"), org_policy_reader=None)
        refs = list(provider.bucket_refs())
    assert [(ref.account, ref.name) for ref in refs] == [("open", "hr"), ("locked", UNLISTED)]
    with pytest.raises(ProviderError, match="cannot list buckets of locked"):
        provider.describe(refs[1])
