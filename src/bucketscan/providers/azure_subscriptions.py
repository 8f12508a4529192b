"""Azure subscriptions a credential sees, and the storage accounts of each enabled one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bucketscan.metering import Meter
from bucketscan.providers.azure import FAILURES, brief
from bucketscan.providers.azure_metering import response_hook
from bucketscan.providers.azure_mgmt import StorageAccount
from bucketscan.providers.base import ProviderError
from bucketscan.providers.spec import Refused


class SubscriptionState(StrEnum):
    """A subscription's state as ARM reports it."""

    ENABLED = "Enabled"
    WARNED = "Warned"
    PAST_DUE = "PastDue"
    DISABLED = "Disabled"
    DELETED = "Deleted"


# Azure stops serving a disabled or deleted subscription's storage, so there is nothing to read.
SKIPPED = frozenset({SubscriptionState.DISABLED, SubscriptionState.DELETED})


@dataclass(frozen=True)
class Subscription:
    """One subscription the credential sees; state None = absent from the answer."""

    id: str
    name: str
    state: str | None


@dataclass(frozen=True)
class SubscriptionSweep:
    """Storage accounts of the enabled subscriptions, and the subscriptions that refused."""

    accounts: tuple[StorageAccount, ...]
    refused: tuple[Refused, ...]


class SubscriptionLister(Protocol):
    """The part of SubscriptionClient the sweep uses."""

    @property
    def subscriptions(self) -> Any:
        """The subscriptions operations (`list()` pages through every one)."""
        ...


def subscription_client(
    credential: Any, meter: Meter, *, base_url: str | None = None
) -> SubscriptionLister:
    """A SubscriptionClient whose responses are counted into `meter`."""
    try:
        from azure.mgmt.resource.subscriptions import SubscriptionClient
    except ImportError as error:
        raise ProviderError(
            "--all-subscriptions needs the org extra: pip install 'bucketscan[org]'"
        ) from error
    extra: dict[str, Any] = {} if base_url is None else {"base_url": base_url}
    client: SubscriptionLister = SubscriptionClient(
        credential, raw_response_hook=response_hook(meter), **extra
    )
    return client


def list_subscriptions(
    client: SubscriptionLister, *, plain_http: bool = False
) -> tuple[Subscription, ...]:
    """Every subscription the client's credential sees (follows nextLink pages)."""
    # azure-core refuses a bearer token over plain http unless told to: only a local fake needs it.
    options: dict[str, Any] = {"enforce_https": False} if plain_http else {}
    return tuple(
        Subscription(
            id=str(item.subscription_id),
            name=str(item.display_name or item.subscription_id),
            state=None if item.state is None else str(getattr(item.state, "value", item.state)),
        )
        for item in client.subscriptions.list(**options)
    )


def scannable(subscription: Subscription) -> bool:
    """Whether the subscription's storage can be read (not disabled or deleted).

    Example: scannable(Subscription("s", "hr", "PastDue")) is True
    """
    return subscription.state not in SKIPPED


def sweep_subscriptions(
    subscriptions: Iterable[Subscription],
    list_accounts: Callable[[str], tuple[StorageAccount, ...]],
) -> SubscriptionSweep:
    """The storage accounts of every scannable subscription; one that refuses is recorded."""
    accounts: list[StorageAccount] = []
    refused: list[Refused] = []
    for subscription in subscriptions:
        if not scannable(subscription):
            continue
        try:
            accounts.extend(list_accounts(subscription.id))
        except FAILURES as error:
            reason = f"cannot list storage accounts of subscription {subscription.id}"
            account = f"subscriptions/{subscription.id}"
            refused.append(Refused("azure", account, f"{reason}: {brief(error)}"))
    return SubscriptionSweep(tuple(accounts), tuple(refused))
