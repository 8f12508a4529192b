"""IAM Access Analyzer's CheckNoPublicAccess as a second opinion on bucket policies: the provider
asking a loopback fake beside moto in-process, and the pure reading and comparison."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from access_analyzer_fake import AccessAnalyzerFake, access_analyzer_fake
from bucketscan.metering import Meter
from bucketscan.policies.access.s3 import evaluate_bucket, second_opinion
from bucketscan.providers.aws import ANALYZER_ENDPOINT_ENV, AwsProvider
from bucketscan.providers.aws_facts import analyzer_gone, analyzer_result
from bucketscan.records.common import Exposure
from bucketscan.scanner.demo.aws import public_read_policy
from test_provider_aws import (  # aws and fake_env are fixtures
    aws,  # noqa: F401
    describe,
    facts_of,
    fake_env,  # noqa: F401
    provider,
)

CHECK = "accessanalyzer.CheckNoPublicAccess"
AGREES = "second opinion: IAM Access Analyzer CheckNoPublicAccess agrees"
DISAGREES = "second opinion DISAGREES: IAM Access Analyzer CheckNoPublicAccess"
NOT_READ = "second opinion: IAM Access Analyzer CheckNoPublicAccess not read"


def secure_transport_policy(bucket: str) -> str:
    """Anyone may download, over TLS only: public to us, not to a fake that sees a condition."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def one_account_policy(bucket: str) -> str:
    """One other account may download: not public."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[AccessAnalyzerFake]:
    """The fake, where botocore looks for Access Analyzer's endpoint."""
    with access_analyzer_fake() as served:
        monkeypatch.setenv(ANALYZER_ENDPOINT_ENV, served.url)
        yield served


def reasons_of(aws_provider: AwsProvider, name: str) -> tuple[str, ...]:
    return evaluate_bucket(describe(aws_provider, name)).reasons


def with_text(reasons: tuple[str, ...], text: str) -> list[str]:
    return [reason for reason in reasons if text in reason]


@pytest.mark.usefixtures("aws")
def test_agreement_is_a_reason_line(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="open")
    s3.put_bucket_policy(Bucket="open", Policy=public_read_policy("open", ""))
    s3.create_bucket(Bucket="shared")
    s3.put_bucket_policy(Bucket="shared", Policy=one_account_policy("shared"))
    aws_provider = provider(Meter())
    opened = describe(aws_provider, "open")
    assert facts_of(opened).analyzer_no_public is False
    assert facts_of(opened).analyzer_reasons == (
        "statement 'PublicRead': Allows public access: Principal * without conditions.",
    )
    assert with_text(evaluate_bucket(opened).reasons, AGREES) == [
        f"{AGREES} the policy is public (statement 'PublicRead': Allows public access: "
        "Principal * without conditions.)"
    ]
    shared = reasons_of(aws_provider, "shared")
    assert with_text(shared, AGREES) == [f"{AGREES} the policy is not public"]
    assert fake.asked == [
        ("AWS::S3::Bucket", public_read_policy("open", "")),
        ("AWS::S3::Bucket", one_account_policy("shared")),
    ]


@pytest.mark.usefixtures("aws")
def test_a_disagreement_is_a_reason_line_and_leaves_the_verdict(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="tls")
    s3.put_bucket_policy(Bucket="tls", Policy=secure_transport_policy("tls"))
    access = evaluate_bucket(describe(provider(Meter()), "tls"))
    assert access.read is Exposure.PUBLIC  # SecureTransport does not make a statement private
    assert with_text(access.reasons, DISAGREES) == [
        f"{DISAGREES} says the policy is not public, bucketscan judges it public"
    ]
    assert fake.requests == 1


@pytest.mark.usefixtures("aws")
def test_access_denied_is_a_problem_not_a_gap_and_stops_the_check(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    fake.mode = "deny"
    for name in ("first", "second"):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
    meter = Meter()
    aws_provider = provider(meter)
    first, second = describe(aws_provider, "first"), describe(aws_provider, "second")
    for bucket in (first, second):
        facts = facts_of(bucket)
        assert facts.analyzer_no_public is None
        assert facts.analyzer_problem == "AccessDeniedException: fake AccessDeniedException"
        assert not facts.unreadable and not bucket.errors  # off the critical path
        access = evaluate_bucket(bucket)
        assert access.read is Exposure.PUBLIC
        assert with_text(access.reasons, NOT_READ) == [
            f"{NOT_READ} (AccessDeniedException: fake AccessDeniedException)"
        ]
    assert fake.requests == 1  # not asked again after the denial
    assert meter.requests()[CHECK] == 1


@pytest.mark.usefixtures("aws")
def test_an_error_about_one_policy_does_not_stop_the_check(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    fake.mode = "invalid"
    for name in ("first", "second"):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
    aws_provider = provider(Meter())
    problems = [
        facts_of(describe(aws_provider, name)).analyzer_problem for name in ("first", "second")
    ]
    assert problems == ["ValidationException: fake ValidationException"] * 2
    assert fake.requests == 2


@pytest.mark.usefixtures("aws")
def test_throttling_is_retried_a_little_then_recorded(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    fake.mode = "throttle"
    for name in ("first", "second"):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
    meter = Meter()
    aws_provider = provider(meter)
    first = describe(aws_provider, "first")
    assert facts_of(first).analyzer_problem == "ThrottlingException: fake ThrottlingException"
    assert not first.errors
    assert fake.requests == 3  # its own few attempts, not the scan's ten
    fake.mode = "answer"
    second = describe(aws_provider, "second")
    assert facts_of(second).analyzer_no_public is False  # throttling is of the moment: asked again
    assert fake.requests == 4
    assert meter.requests()[CHECK] == 2


@pytest.mark.usefixtures("aws")
def test_an_endpoint_without_the_operation_stops_the_check() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    for name in ("first", "second"):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name, ""))
    meter = Meter()
    aws_provider = provider(meter)  # moto in-process answers Access Analyzer with a 404
    problems = {
        facts_of(describe(aws_provider, name)).analyzer_problem for name in ("first", "second")
    }
    assert problems == {"404: Not yet implemented"}
    assert meter.requests()[CHECK] == 1


@pytest.mark.usefixtures("aws")
def test_buckets_without_a_policy_are_not_checked(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="plain")
    s3.put_bucket_acl(Bucket="plain", ACL="public-read")
    meter = Meter()
    bucket = describe(provider(meter), "plain")
    facts = facts_of(bucket)
    assert (facts.analyzer_no_public, facts.analyzer_problem, facts.analyzer_reasons) == (
        None,
        None,
        (),
    )
    assert not with_text(evaluate_bucket(bucket).reasons, "Access Analyzer")
    assert fake.requests == 0
    assert CHECK not in meter.requests()


@pytest.mark.usefixtures("aws")
def test_no_access_analyzer_asks_nothing_and_the_verdict_stands(fake: AccessAnalyzerFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="open")
    s3.put_bucket_policy(Bucket="open", Policy=public_read_policy("open", ""))
    meter = Meter()
    bucket = describe(provider(meter, access_analyzer=False), "open")
    assert (facts_of(bucket).analyzer_no_public, facts_of(bucket).analyzer_problem) == (None, None)
    access = evaluate_bucket(bucket)
    assert access.read is Exposure.PUBLIC and not with_text(access.reasons, "Access Analyzer")
    assert fake.requests == 0 and CHECK not in meter.requests()
    asked = describe(provider(Meter()), "open")  # the default asks
    assert facts_of(asked).analyzer_no_public is False and fake.requests == 1


@pytest.mark.integration
@pytest.mark.usefixtures("fake_env")
def test_a_custom_endpoint_asks_only_a_configured_access_analyzer(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="open")
    s3.put_bucket_policy(Bucket="open", Policy=public_read_policy("open", ""))
    meter = Meter()
    session = boto3.Session(region_name="us-east-1")
    plain = AwsProvider(session, endpoint_url=moto_endpoint, meter=meter)
    assert facts_of(describe(plain, "open")).analyzer_problem is None  # moto has none: not asked
    assert CHECK not in meter.requests()
    with access_analyzer_fake() as served:
        monkeypatch.setenv(ANALYZER_ENDPOINT_ENV, served.url)
        beside = AwsProvider(session, endpoint_url=moto_endpoint, meter=meter)
        assert facts_of(describe(beside, "open")).analyzer_no_public is False
        assert served.requests == 1
    assert meter.requests()[CHECK] == 1


@pytest.mark.parametrize(
    ("theirs", "ours", "expected"),
    [
        (True, True, "second opinion: Judge agrees the policy is public (why)"),
        (False, False, "second opinion: Judge agrees the policy is not public (why)"),
        (
            True,
            False,
            "second opinion DISAGREES: Judge says the policy is public (why), "
            "bucketscan judges it not public",
        ),
        (
            False,
            True,
            "second opinion DISAGREES: Judge says the policy is not public (why), "
            "bucketscan judges it public",
        ),
    ],
)
def test_the_comparison_of_two_readings(theirs: bool, ours: bool, expected: str) -> None:
    assert second_opinion("Judge", theirs, ours, ("why",)) == expected


def test_a_check_no_public_access_response_is_read() -> None:
    assert analyzer_result({"result": "PASS", "message": "ok"}) == (True, None, ())
    failed = {
        "result": "FAIL",
        "reasons": [
            {"description": "Public\n access.", "statementId": "Open", "statementIndex": 0},
            {"description": "Also public.", "statementIndex": 2},
            {"statementIndex": 3},
        ],
    }
    assert analyzer_result(failed) == (
        False,
        None,
        (
            "statement 'Open': Public access.",
            "statement index 2: Also public.",
            "statement index 3",
        ),
    )
    assert analyzer_result({"result": "MAYBE"}) == (None, "unexpected result 'MAYBE'", ())


@pytest.mark.parametrize(
    ("code", "gone"),
    [
        ("AccessDeniedException", True),
        ("UnrecognizedClientException", True),
        ("404", True),  # an endpoint without the operation
        ("ThrottlingException", False),
        ("ValidationException", False),
        ("InternalServerException", False),
    ],
)
def test_which_failures_stop_the_check(code: str, gone: bool) -> None:
    error = ClientError({"Error": {"Code": code, "Message": "m"}}, "CheckNoPublicAccess")
    assert analyzer_gone(error) is gone


def test_an_unreachable_access_analyzer_stops_the_check() -> None:
    assert analyzer_gone(EndpointConnectionError(endpoint_url="https://access-analyzer.invalid"))
