"""How to open one AWS account's provider anywhere: plain data, the role assumed where it is opened.

Example: ``AwsSpec("210987654321", role_arn="arn:aws:iam::210987654321:role/audit").open(meter)``
assumes the role with the standard credential chain's identity and returns a checked AwsProvider.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from bucketscan.metering import Meter
from bucketscan.providers.aws import AwsProvider, base_config, base_session
from bucketscan.providers.aws_facts import AWS_FAILURES, error_text
from bucketscan.providers.aws_retry import AccountRetry
from bucketscan.providers.base import ProviderError

SESSION_NAME = "bucketscan"
_STS_CONFIG = Config(connect_timeout=5, read_timeout=15)


def role_arn(account: str, role_name: str) -> str:
    """The ARN of a role by name in an account (a path in the name is kept)."""
    return f"arn:aws:iam::{account}:role/{role_name.strip('/')}"


def assume(sts: Any, arn: str, external_id: str | None, session_name: str) -> tuple[str, str, str]:
    """A role's temporary key, secret and token (STS AssumeRole); ProviderError when refused."""
    extra = {"ExternalId": external_id} if external_id else {}
    try:
        answer = sts.assume_role(RoleArn=arn, RoleSessionName=session_name, **extra)
    except AWS_FAILURES as error:
        message = " ".join(error_text(error).split())
        raise ProviderError(f"cannot assume {arn}: {message}") from error
    credentials = answer["Credentials"]
    return (
        str(credentials["AccessKeyId"]),
        str(credentials["SecretAccessKey"]),
        str(credentials["SessionToken"]),
    )


@dataclass(frozen=True)
class AwsSpec:
    """One AWS account to scan: with `role_arn`, through that role; without, as signed in.

    Credentials come by reference (profile, environment, instance role): nothing secret is in it,
    so it pickles to a distributed worker, which assumes the role itself.
    """

    account: str
    role_arn: str | None = None
    external_id: str | None = None
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    bucket_names: tuple[str, ...] = ()
    io_threads: int = 8
    session_name: str = SESSION_NAME
    access_analyzer: bool = True  # ask IAM Access Analyzer for a second opinion (billed per call)

    @property
    def provider(self) -> str:
        """Always "aws"."""
        return "aws"

    def open(self, meter: Meter) -> AwsProvider:
        """The account's provider, its identity checked; ProviderError (one line) otherwise."""
        endpoint_url = self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        session = base_session(self.profile, self.region)
        if self.role_arn is not None:
            sts = session.client(
                "sts", region_name=self.region, endpoint_url=endpoint_url, config=_STS_CONFIG
            )
            AccountRetry(meter, adaptive=False).install(sts, "sts", connect_attempts=2)
            key, secret, token = assume(sts, self.role_arn, self.external_id, self.session_name)
            session = boto3.Session(
                aws_access_key_id=key,
                aws_secret_access_key=secret,
                aws_session_token=token,
                region_name=session.region_name,
            )
        provider = AwsProvider(
            session,
            endpoint_url=endpoint_url,
            bucket_names=self.bucket_names,
            meter=meter,
            config=base_config(self.io_threads),
            access_analyzer=self.access_analyzer,
        )
        try:
            account = provider.account_id()
        except AWS_FAILURES as error:
            where = f" at {endpoint_url}" if endpoint_url else ""
            message = " ".join(error_text(error).split())
            raise ProviderError(f"cannot reach AWS{where}: {message}") from error
        if account != self.account:
            raise ProviderError(f"signed in to account {account}, not {self.account}")
        return provider
