"""The least-privilege policies in docs/permissions grant what a scan calls, and (nothing) more.

Each cloud's test seeds its emulator with the demo's buckets plus what the demo lacks (access
points, a fine-grained GCS bucket with a custom role, a subscription), runs a full scan through the
real provider with `--verify-anonymous`, and maps every operation the meter counted to its
permission (tests/permissions_table.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
import yaml
from azure.storage.blob import BlobServiceClient
from botocore.config import Config
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage

import permissions_table
from access_analyzer_fake import access_analyzer_fake
from azure_emulators import ArmFake, StaticToken, arm_fake, azurite, storage_account, subscription
from bucketscan.metering import Meter
from bucketscan.providers.aws import ANALYZER_ENDPOINT_ENV, open_aws, strip_account_host
from bucketscan.providers.aws_org import OrgSweep, open_sweep
from bucketscan.providers.aws_spec import AwsSpec
from bucketscan.providers.azure import every_subscription, open_azure
from bucketscan.providers.base import Provider
from bucketscan.providers.gcp_projects import resource_manager, sweep_projects
from bucketscan.providers.gcs import GcsProvider
from bucketscan.providers.gcs_custom_roles import CustomRoleReader
from bucketscan.providers.gcs_metering import install_meter
from bucketscan.providers.gcs_orgpolicy import CONSTRAINT, EffectivePolicyReader
from bucketscan.records.gcs import IamBinding
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.demo import aws as demo_aws
from bucketscan.scanner.demo import azure as demo_azure
from bucketscan.scanner.demo import gcs as demo_gcs
from bucketscan.scanner.demo.story import DemoBucket, DemoObject, Placement
from bucketscan.scanner.emulators.gcs import storage_emulator
from bucketscan.scanner.emulators.s3 import moto_server
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan
from gcs_emulators import Routes, json_api_fake
from resource_manager_fake import Hierarchy, resource_manager_fake

DOCS = Path(__file__).resolve().parents[1] / "docs" / "permissions"
AWS_POLICY = DOCS / "aws-iam-policy.json"
AWS_ORG_POLICY = DOCS / "aws-organization-sweep.json"  # the sweeping identity's, beside the role's
GCP_ROLE = DOCS / "gcp-custom-role.yaml"
AZURE_ROLE = DOCS / "azure-role.json"
OPTIONS = ScanOptions(workers=1, ocr_engine="none", verify_anonymous=True)
NO_BLOCK = {
    "BlockPublicAcls": False,
    "IgnorePublicAcls": False,
    "BlockPublicPolicy": False,
    "RestrictPublicBuckets": False,
}
CUSTOM_ROLE = f"projects/{demo_gcs.PROJECT}/roles/hrReader"
PROJECT_NUMBER = "123456789012"


def small_objects(buckets: Iterable[DemoBucket]) -> dict[str, tuple[DemoObject, ...]]:
    """Two small text files in each bucket's folders: every call happens, no OCR is needed."""
    return {
        bucket.name: tuple(
            DemoObject(f"{folder}note-{index}.txt", f"note {index}\n".encode())
            for index, folder in enumerate(bucket.placement.folders[:2])
        )
        for bucket in buckets
    }


def scan(provider: Provider, meter: Meter) -> dict[str, int]:
    """A full scan (content read, verdicts verified anonymously); the operations it called."""
    outcome = run_scan(
        provider, OPTIONS, (), meter=meter, analyzer=InlineAnalyzer(ocr_engine="none")
    )
    assert outcome.buckets, "the scan found no buckets"
    return meter.requests()


def needed(cloud: str, called: Iterable[str]) -> tuple[set[str], list[str]]:
    """The permissions the called operations need, and the operations the table does not know."""
    table = permissions_table.TABLES[cloud]
    unknown = sorted(kind for kind in called if kind not in table)
    return {permission for kind in called for permission in table.get(kind, ())}, unknown


def granted_by(patterns: Iterable[str], permission: str) -> bool:
    """Whether a permission matches one of the granted names (IAM wildcards, any case)."""
    return any(fnmatchcase(permission.lower(), pattern.lower()) for pattern in patterns)


def check(cloud: str, called: Mapping[str, int], granted: set[str], *, exact: bool) -> None:
    """Every called operation is granted; with `exact`, nothing else is granted either."""
    permissions, unknown = needed(cloud, called)
    assert not unknown, (
        f"operations with no permission in permissions_table.{cloud.upper()}: {unknown}"
    )
    missing = sorted(p for p in permissions if not granted_by(granted, p))
    by_kind = {
        kind: [p for p in permissions_table.TABLES[cloud][kind] if p in missing]
        for kind in sorted(called)
    }
    offenders = {kind: perms for kind, perms in by_kind.items() if perms}
    assert not missing, f"{cloud}: called but not granted by the policy: {offenders}"
    if exact:
        unused = sorted(g for g in granted if not any(granted_by((g,), p) for p in permissions))
        assert not unused, f"{cloud}: granted but never called (least privilege): {unused}"


# --- AWS ---------------------------------------------------------------------------------------


def aws_policy_actions(path: Path = AWS_POLICY) -> set[str]:
    """The actions an IAM policy allows (it has no Deny, NotAction or wildcard resource tricks)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    statements = document["Statement"]
    assert all(statement["Effect"] == "Allow" for statement in statements)
    actions: set[str] = set()
    for statement in statements:
        listed = statement["Action"]
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


def seed_aws_extras(endpoint: str) -> None:
    """An access point and a multi-region access point, each with a policy, on the public bucket."""
    region, account = demo_aws.REGION, "123456789012"
    bucket = demo_aws.BUCKETS[0].name
    control: Any = boto3.client(
        "s3control",
        endpoint_url=endpoint,
        region_name=region,
        config=Config(inject_host_prefix=False),
    )
    control.meta.events.register("before-sign", strip_account_host(endpoint))
    created = control.create_access_point(
        AccountId=account, Name="hr-ap", Bucket=bucket, PublicAccessBlockConfiguration=NO_BLOCK
    )
    arn = created["AccessPointArn"]
    point_policy: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"{arn}/object/uploads/*",
            }
        ],
    }
    control.put_access_point_policy(
        AccountId=account, Name="hr-ap", Policy=json.dumps(point_policy)
    )
    control.create_multi_region_access_point(
        AccountId=account,
        ClientToken="permissions",
        Details={
            "Name": "hr-global",
            "PublicAccessBlock": NO_BLOCK,
            "Regions": [{"Bucket": bucket}],
        },
    )
    alias = control.list_multi_region_access_points(AccountId=account)["AccessPoints"][0]["Alias"]
    multi_policy = dict(point_policy)
    multi_policy["Statement"] = [
        {
            **point_policy["Statement"][0],
            "Resource": f"arn:aws:s3::{account}:accesspoint/{alias}/object/*",
        }
    ]
    control.put_multi_region_access_point_policy(
        AccountId=account,
        ClientToken="permissions-policy",
        Details={"Name": "hr-global", "Policy": json.dumps(multi_policy)},
    )


@pytest.fixture
def aws_called(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Operations of two scans of the demo's S3 story on moto: the whole account, then by name."""
    with moto_server() as endpoint, access_analyzer_fake() as analyzer:
        monkeypatch.setenv(ANALYZER_ENDPOINT_ENV, analyzer.url)
        client = boto3.client("s3", endpoint_url=endpoint, region_name=demo_aws.REGION)
        demo_aws.seed(client, small_objects(demo_aws.BUCKETS))
        seed_aws_extras(endpoint)
        meter = Meter()
        scan(open_aws(None, demo_aws.REGION, endpoint, (), meter), meter)
        # Named buckets are not listed: their region comes from GetBucketLocation.
        named = tuple(bucket.name for bucket in demo_aws.BUCKETS)
        scan(open_aws(None, demo_aws.REGION, endpoint, named, meter), meter)
        assert analyzer.requests, "Access Analyzer was never asked"
        yield meter.requests()


@pytest.mark.integration
def test_aws_policy_grants_exactly_what_a_scan_calls(aws_called: dict[str, int]) -> None:
    check("aws", aws_called, aws_policy_actions(), exact=True)


@pytest.mark.integration
def test_an_organisation_sweep_calls_only_what_the_sweep_policy_adds() -> None:
    with moto_server() as endpoint, access_analyzer_fake():
        org = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1")
        org.create_organization(FeatureSet="ALL")
        org.create_account(AccountName="hr", Email="hr@example.test")
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="mgmt-logs")
        meter = Meter()
        base = AwsSpec("", region=demo_aws.REGION, endpoint_url=endpoint)
        called = scan(open_sweep(OrgSweep("bucketscan-audit"), base, meter), meter)
    check("aws", called, aws_policy_actions() | aws_policy_actions(AWS_ORG_POLICY), exact=False)
    # What the sweeping identity needs beyond the member role's scan, and nothing more.
    sweeping = {
        kind: count
        for kind, count in called.items()
        if kind.startswith("organizations.") or kind == "sts.AssumeRole"
    }
    assert set(sweeping) == {"organizations.ListAccounts", "sts.AssumeRole"}
    check("aws", sweeping, aws_policy_actions(AWS_ORG_POLICY), exact=True)


# --- GCS ---------------------------------------------------------------------------------------


def gcp_role_permissions() -> set[str]:
    """The custom role's includedPermissions."""
    role = yaml.safe_load(GCP_ROLE.read_text(encoding="utf-8"))
    assert role["stage"] == "GA" and role["title"]
    return set(role["includedPermissions"])


FINE_GRAINED = demo_gcs.GcsBucket(
    "welcomehr-legacy",
    "fine-grained ACLs; allUsers bound to a custom role",
    Placement(benign=1, folders=("legacy/",)),
    (IamBinding(CUSTOM_ROLE, ("allUsers",)),),
)


@contextmanager
def gcs_apis() -> Iterator[str]:
    """A fake of the IAM and Org Policy APIs: the custom role, and the constraint not enforced."""
    routes = Routes()
    routes.answer(
        "GET", f"/v1/{CUSTOM_ROLE}", 200, {"includedPermissions": ["storage.objects.get"]}
    )
    policy_path = f"/v2/projects/{PROJECT_NUMBER}/policies/{CONSTRAINT}:getEffectivePolicy"
    routes.answer("GET", policy_path, 200, {"spec": {"rules": [{"enforce": False}]}})
    with json_api_fake(routes) as url:
        yield url


@pytest.fixture
def gcs_called() -> Iterator[dict[str, int]]:
    """Operations of a scan of the demo's GCS story (and a fine-grained bucket) on the emulator."""
    with storage_emulator() as endpoint, gcs_apis() as apis:
        client = storage.Client(
            project=demo_gcs.PROJECT,
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": endpoint},
        )
        demo_gcs.seed(client, small_objects(demo_gcs.BUCKETS))
        legacy = demo_gcs.create_bucket(client, FINE_GRAINED)
        legacy.iam_configuration.uniform_bucket_level_access_enabled = False
        legacy.patch()
        for obj in small_objects((FINE_GRAINED,))[FINE_GRAINED.name]:
            legacy.blob(obj.key).upload_from_string(obj.data)
        meter = Meter()
        session = requests.Session()
        install_meter(session, meter)
        provider = GcsProvider(
            client,
            projects=(demo_gcs.PROJECT,),
            meter=meter,
            org_policy_reader=EffectivePolicyReader(session, base_url=apis),
            role_reader=CustomRoleReader(session, base_url=apis),
        )
        scan(provider, meter)
        # --organization: the demo's project found through a folder of the organisation.
        hierarchy = Hierarchy(
            projects={"organizations/1": [], "folders/2": [(demo_gcs.PROJECT, "ACTIVE")]},
            folders={"organizations/1": [("folders/2", "ACTIVE")], "folders/2": []},
        )
        with resource_manager_fake(hierarchy) as url:
            anonymous = AnonymousCredentials()  # type: ignore[no-untyped-call]
            clients = resource_manager(anonymous, meter, url)
            assert sweep_projects(("organizations/1",), *clients).projects == (demo_gcs.PROJECT,)
        yield meter.requests()  # the scan's calls and the sweep's


@pytest.mark.integration
def test_gcp_role_grants_exactly_what_a_scan_calls(gcs_called: dict[str, int]) -> None:
    assert "iam.roles.get" in gcs_called and "gcs.objectAccessControls.list" in gcs_called
    check("gcs", gcs_called, gcp_role_permissions(), exact=True)


# --- Azure -------------------------------------------------------------------------------------


def azure_role() -> dict[str, Any]:
    """The custom role definition, as `az role definition create --role-definition` reads it."""
    role: dict[str, Any] = json.loads(AZURE_ROLE.read_text(encoding="utf-8"))
    assert role["IsCustom"] is True and role["AssignableScopes"]
    return role


@pytest.fixture
def azure_called(tmp_path: Path) -> Iterator[dict[str, int]]:
    """Operations of a scan of the demo's Azure story on Azurite, its account read from ARM."""
    with azurite(tmp_path) as server, arm_fake(fake := ArmFake()) as arm:
        account = "welcomehr"
        connection = server.connection_string(account)
        demo_azure.seed(
            BlobServiceClient.from_connection_string(connection),
            small_objects(demo_azure.CONTAINERS),
        )
        fake.accounts["sub"] = [storage_account(account, True, server.blob_endpoint(account))]
        meter = Meter()
        provider = open_azure(
            None,
            connection,
            (),
            meter,
            subscription="sub",
            credential=StaticToken(),
            management_url=arm,
        )
        scan(provider, meter)
        # --all-subscriptions: the subscriptions listed, then each one's storage accounts (whose
        # https endpoint is never asked: Azurite takes no Entra ID token over http).
        fake.subscriptions = [subscription("org-sub")]
        fake.accounts["org-sub"] = [storage_account(account, True, "https://hr.blob.example")]
        swept = every_subscription(StaticToken(), (), meter, management_url=arm)
        assert [each.account for each in swept.providers] == [account]
        yield meter.requests()  # the scan's calls and the sweep's


@pytest.mark.integration
def test_azure_role_grants_exactly_what_a_scan_calls(azure_called: dict[str, int]) -> None:
    role = azure_role()
    actions, data_actions = set(role["Actions"]), set(role["DataActions"])
    assert not role["NotActions"] and not role["NotDataActions"]
    misplaced = sorted(
        (actions & permissions_table.AZURE_DATA_ACTIONS)
        | (data_actions - permissions_table.AZURE_DATA_ACTIONS)
    )
    assert not misplaced, f"Actions and DataActions mixed up: {misplaced}"
    check("azure", azure_called, actions | data_actions, exact=True)


# --- the table and the documents ---------------------------------------------------------------


def test_every_permission_of_the_table_is_in_its_document() -> None:
    documents = {
        "aws": aws_policy_actions() | aws_policy_actions(AWS_ORG_POLICY),
        "gcs": gcp_role_permissions(),
        "azure": set(azure_role()["Actions"]) | set(azure_role()["DataActions"]),
    }
    for cloud, table in permissions_table.TABLES.items():
        permissions, _ = needed(cloud, table)
        missing = sorted(p for p in permissions if not granted_by(documents[cloud], p))
        assert not missing, f"{cloud}: in the table, not in docs/permissions: {missing}"


def test_a_missing_grant_is_named_in_the_failure() -> None:
    with pytest.raises(AssertionError, match=r"s3.GetBucketAcl.*s3:GetBucketAcl"):
        check("aws", {"s3.GetBucketAcl": 1}, {"s3:ListBucket"}, exact=False)
    with pytest.raises(AssertionError, match=r"never called.*s3:PutObject"):
        check("aws", {"s3.ListObjectsV2": 1}, {"s3:ListBucket", "s3:PutObject"}, exact=True)
    with pytest.raises(AssertionError, match="no permission"):
        check("aws", {"s3.DeleteBucket": 1}, {"s3:*"}, exact=False)
