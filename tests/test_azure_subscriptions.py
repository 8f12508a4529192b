"""Every subscription a credential sees: ARM from a loopback fake, blobs from Azurite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azure.storage.blob import BlobServiceClient
from click.testing import CliRunner

from azure_emulators import (
    ACCOUNTS,
    STORAGE_ACCOUNTS_PATH,
    ArmFake,
    Azurite,
    StaticToken,
    arm_fake,
    azurite,
    storage_account,
    subscription,
)
from bucketscan.metering import Meter
from bucketscan.providers.azure import (
    AzureAccounts,
    blob_service,
    open_azure,
    subscription_accounts,
)
from bucketscan.providers.azure_mgmt import list_storage_accounts, management_client
from bucketscan.providers.azure_subscriptions import (
    Subscription,
    list_subscriptions,
    scannable,
    subscription_client,
    sweep_subscriptions,
)
from bucketscan.providers.base import UNLISTED, ProviderError
from bucketscan.records.common import Exposure
from bucketscan.scanner.cli import main
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import run_scan

HR, ARCHIVE = "welcomehr", "archive"
BODY = b"%PDF-1.4 synthetic resume"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """Azurite: HR's blob-level container of résumés, the archive's listable container."""
    with azurite(tmp_path_factory.mktemp("azurite")) as server:
        hr = BlobServiceClient.from_connection_string(server.connection_string(HR))
        hr.create_container("resumes", public_access="blob").upload_blob("cv.pdf", BODY)
        hr.create_container("internal").upload_blob("notes.txt", b"x")
        archive = BlobServiceClient.from_connection_string(server.connection_string(ARCHIVE))
        archive.create_container("old-cvs", public_access="container").upload_blob("a.pdf", BODY)
        yield server


@pytest.fixture
def arm(emulator: Azurite) -> Iterator[tuple[ArmFake, str]]:
    """Five subscriptions: two with an account each, one that refuses, a disabled, a deleted."""
    fake = ArmFake(
        subscriptions=[
            subscription("hr-sub"),
            subscription("archive-sub", "PastDue"),
            subscription("locked-sub"),
            subscription("old-sub", "Disabled"),
            subscription("gone-sub", "Deleted"),
        ],
        accounts={
            "hr-sub": [storage_account(HR, True, emulator.blob_endpoint(HR))],
            "archive-sub": [storage_account(ARCHIVE, True, emulator.blob_endpoint(ARCHIVE))],
            "old-sub": [storage_account("oldacct", True, emulator.blob_endpoint(HR))],
        },
    )
    with arm_fake(fake) as url:
        yield fake, url


@pytest.mark.integration
def test_every_enabled_subscription_is_scanned_into_one_report(
    emulator: Azurite, arm: tuple[ArmFake, str]
) -> None:
    fake, url = arm
    meter = Meter()
    subscriptions = list_subscriptions(
        subscription_client(StaticToken(), meter, base_url=url), plain_http=True
    )
    sweep = sweep_subscriptions(
        subscriptions,
        lambda sub: list_storage_accounts(
            management_client(sub, StaticToken(), meter, base_url=url), plain_http=True
        ),
    )
    provider = subscription_accounts(
        sweep.accounts,
        lambda account: blob_service(
            meter,
            account_url=account.blob_endpoint,
            credential={"account_name": account.name, "account_key": ACCOUNTS[account.name]},
        ),
        (),
        meter,
        refused=sweep.refused,
    )
    outcome = run_scan(provider, ScanOptions(content=False, io_threads=2), (), meter=meter)
    results = {(r.ref.account, r.ref.name): r for r in outcome.buckets}
    assert set(results) == {
        ("subscriptions/locked-sub", UNLISTED),
        (HR, "resumes"),
        (HR, "internal"),
        (ARCHIVE, "old-cvs"),
    }
    assert results[(HR, "resumes")].access.read is Exposure.PUBLIC
    assert results[(HR, "internal")].access.read is Exposure.PRIVATE
    assert results[(ARCHIVE, "old-cvs")].access.list is Exposure.PUBLIC
    locked = results[("subscriptions/locked-sub", UNLISTED)]
    assert locked.access.read is Exposure.UNKNOWN
    assert any(
        "cannot list storage accounts of subscription locked-sub: HttpResponseError: "
        "(AuthorizationFailed)" in error
        for error in locked.errors
    ), locked.errors
    asked = {path for path, _, _ in fake.seen}
    assert STORAGE_ACCOUNTS_PATH.format("old-sub") not in asked  # disabled: never entered
    assert STORAGE_ACCOUNTS_PATH.format("gone-sub") not in asked
    assert meter.requests()["azure.mgmt.ListSubscriptions"] == 5  # one subscription per page


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("Enabled", True),
        ("Warned", True),
        ("PastDue", True),
        ("Disabled", False),
        ("Deleted", False),
        (None, True),  # a state the answer lacks is scanned, not assumed empty
    ],
)
def test_which_subscriptions_are_scanned(state: str | None, expected: bool) -> None:
    assert scannable(Subscription("s", "hr", state)) is expected


def test_open_azure_all_subscriptions_records_the_refusing_one(arm: tuple[ArmFake, str]) -> None:
    fake, url = arm
    fake.subscriptions = [subscription("locked-sub"), subscription("old-sub", "Disabled")]
    provider = open_azure(
        None, None, (), Meter(), credential=StaticToken(), management_url=url,
        all_subscriptions=True,
    )  # fmt: skip
    assert isinstance(provider, AzureAccounts)
    assert [(ref.account, ref.name) for ref in provider.bucket_refs()] == [
        ("subscriptions/locked-sub", UNLISTED)
    ]
    with pytest.raises(ProviderError, match="subscription locked-sub: HttpResponseError"):
        provider.describe(next(iter(provider.bucket_refs())))


def test_open_azure_without_an_enabled_subscription_is_an_error(arm: tuple[ArmFake, str]) -> None:
    fake, url = arm
    fake.subscriptions = [subscription("old-sub", "Disabled")]
    with pytest.raises(ProviderError, match="no enabled Azure subscription"):
        open_azure(
            None, None, (), Meter(), credential=StaticToken(), management_url=url,
            all_subscriptions=True,
        )  # fmt: skip


def test_all_subscriptions_takes_no_account() -> None:
    with pytest.raises(ProviderError, match="--all-subscriptions takes no account"):
        open_azure(None, None, (), Meter(), "sub", all_subscriptions=True)


def test_cli_all_subscriptions_with_a_subscription_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        main, ["scan", "azure", "--all-subscriptions", "--subscription", "s", "-q"]
    )
    assert result.exit_code == 2
    assert "--all-subscriptions" in result.output
