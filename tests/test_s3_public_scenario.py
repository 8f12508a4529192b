"""AWS's definition of public, end to end: one moto bucket per rule of the tables in
test_s3_public_definition.py (and the principals beside them), gathered by the AWS provider and
judged as a scan judges them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import evaluate_bucket
from bucketscan.providers.aws import AwsProvider
from bucketscan.records.common import Exposure
from test_access_s3 import policy, stmt
from test_provider_aws import fake_env  # noqa: F401  # fixture
from test_s3_public_definition import RULES

PUB, PRIV = Exposure.PUBLIC, Exposure.PRIVATE


def _condition(operator: str, key: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {operator: {key: list(values) if len(values) > 1 else values[0]}}


# (bucket name suffix, statement arguments besides the bucket's resource, expected read)
SCENARIO: list[tuple[str, dict[str, Any], Exposure]] = [
    (rule.id, {"condition": _condition(rule.operator, rule.key, rule.values)}, rule.read)
    for rule in RULES
] + [
    ("federated-facebook", {"principal": {"Federated": "graph.facebook.com"}}, PUB),
    ("federated-cognito", {"principal": {"Federated": "cognito-identity.amazonaws.com"}}, PUB),
    ("federated-google", {"principal": {"Federated": "accounts.google.com"}}, PUB),
    ("service-logging", {"principal": {"Service": "logging.s3.amazonaws.com"}}, PRIV),
    (
        "anded-vpce-and-transport",  # one restricting condition of two is enough
        {
            "condition": {
                "StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SecureTransport": "true"}
            }
        },
        PRIV,
    ),
    (
        "anded-transport-only",
        {"condition": _condition("Bool", "aws:SecureTransport", ("true",))},
        PUB,
    ),
    ("plain-public", {}, PUB),
]


@pytest.fixture
def seeded(fake_env: None) -> Iterator[dict[str, Exposure]]:  # noqa: F811
    """One bucket per scenario row in an in-process moto account; yields name → expected read."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        expected = {}
        for index, (suffix, arguments, read) in enumerate(SCENARIO):
            name = f"rule-{index:02d}-{suffix}"[:63].rstrip("-")
            s3.create_bucket(Bucket=name)
            resource = f"arn:aws:s3:::{name}/*"
            s3.put_bucket_policy(Bucket=name, Policy=policy(stmt(resource=resource, **arguments)))
            expected[name] = read
        yield expected


def test_every_rule_is_judged_right_on_moto(seeded: dict[str, Exposure]) -> None:
    assert len(seeded) >= 40
    provider = AwsProvider(boto3.Session(region_name="us-east-1"), meter=Meter())
    judged = {
        ref.name: evaluate_bucket(provider.describe(ref)).read
        for ref in provider.bucket_refs()
        if ref.name in seeded
    }
    wrong = {name: (got, seeded[name]) for name, got in judged.items() if got is not seeded[name]}
    assert judged.keys() == seeded.keys() and not wrong
