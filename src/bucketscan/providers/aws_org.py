"""An AWS Organization's accounts as sweep targets: one AwsSpec per account that can be entered.

Example: ``open_organization(OrgSweep("audit"), AwsSpec(""), Meter())`` lists the organisation's
accounts (the caller must be its management account or a delegated administrator), skips the
suspended ones and gives each the spec of ``arn:aws:iam::<id>:role/audit``; the account signed in
to is scanned with its own credentials.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from bucketscan.metering import Meter
from bucketscan.providers.aws import base_session
from bucketscan.providers.aws_facts import AWS_FAILURES, error_text
from bucketscan.providers.aws_retry import AccountRetry
from bucketscan.providers.aws_spec import AwsSpec, role_arn
from bucketscan.providers.base import ProviderError
from bucketscan.providers.sweep import SweepProvider

# Statuses (Status, and the newer State) of an account nobody can enter: skipped, not refused.
GONE = frozenset({"SUSPENDED", "CLOSED"})


@dataclass(frozen=True)
class OrgAccount:
    """One member account as ListAccounts gives it."""

    id: str
    name: str
    status: str


@dataclass(frozen=True)
class OrgSweep:
    """What to assume in each account and how many accounts at most."""

    role_name: str
    external_id: str | None = None
    max_accounts: int | None = None


def member_accounts(organizations: Any) -> Iterator[OrgAccount]:
    """Every account of the organisation (ListAccounts, paginated)."""
    for page in organizations.get_paginator("list_accounts").paginate():
        for entry in page.get("Accounts", ()):
            status = str(entry.get("State") or entry.get("Status") or "")
            yield OrgAccount(str(entry["Id"]), str(entry.get("Name", "")), status.upper())


def account_specs(
    accounts: Iterable[OrgAccount], sweep: OrgSweep, base: AwsSpec, caller: str
) -> tuple[AwsSpec, ...]:
    """The spec of each account to scan: suspended and closed ones dropped, at most max_accounts.

    `base` carries the profile, region, endpoint and bucket names every account shares; the
    `caller`'s own account keeps the signed-in credentials, every other assumes the role.
    """
    specs: list[AwsSpec] = []
    for account in accounts:
        if account.status in GONE:
            continue
        if sweep.max_accounts is not None and len(specs) >= sweep.max_accounts:
            break
        own = account.id == caller
        specs.append(
            replace(
                base,
                account=account.id,
                role_arn=None if own else role_arn(account.id, sweep.role_name),
                external_id=None if own else sweep.external_id,
            )
        )
    return tuple(specs)


def _client(base: AwsSpec, meter: Meter, service: str, connect_attempts: int | None = None) -> Any:
    """A metered, retrying client of the signed-in identity (the spec's profile and region)."""
    session = base_session(base.profile, base.region)
    made = session.client(  # type: ignore[call-overload]
        service, region_name=base.region or "us-east-1", endpoint_url=base.endpoint_url
    )
    AccountRetry(meter, adaptive=False).install(made, service, connect_attempts=connect_attempts)
    return made


def open_organization(sweep: OrgSweep, base: AwsSpec, meter: Meter) -> tuple[AwsSpec, ...]:
    """The organisation's account specs, from the signed-in identity; ProviderError (one line)
    when the identity or the account list cannot be read."""
    try:
        caller = str(_client(base, meter, "sts").get_caller_identity()["Account"])
        accounts = tuple(member_accounts(_client(base, meter, "organizations")))
    except AWS_FAILURES as error:
        message = " ".join(error_text(error).split())
        raise ProviderError(f"cannot list the organisation's accounts: {message}") from error
    return account_specs(accounts, sweep, base, caller)


def open_sweep(sweep: OrgSweep | None, base: AwsSpec, meter: Meter) -> SweepProvider:
    """The organisation's accounts as one provider; without `sweep`, the signed-in account alone
    (as a spec a distributed worker can open). ProviderError (one line) when it cannot start."""
    if sweep is not None:
        return SweepProvider(open_organization(sweep, base, meter), meter)
    try:
        caller = str(
            _client(base, meter, "sts", connect_attempts=2).get_caller_identity()["Account"]
        )
    except AWS_FAILURES as error:
        where = f" at {base.endpoint_url}" if base.endpoint_url else ""
        raise ProviderError(f"cannot reach AWS{where}: {error_text(error)}") from error
    return SweepProvider((replace(base, account=caller),), meter)
