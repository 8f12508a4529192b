"""Properties of the S3 evaluator on generated policies (hypothesis): a Deny never makes anything
more public; dropping a condition, widening a source range, a value turned wildcard or a principal
turned "*" never make anything less public."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bucketscan.policies.access.s3 import evaluate_bucket, evaluate_object
from bucketscan.records.common import Exposure, StoredObject
from bucketscan.records.s3 import S3BucketFacts
from test_access_s3 import bucket_of

RANK = {Exposure.PRIVATE: 0, Exposure.AUTHENTICATED: 1, Exposure.UNKNOWN: 1, Exposure.PUBLIC: 2}
KEYS = ("uploads/a.jpg", "private/b.pdf", "c.txt")
CONDITIONS = {
    "aws:SourceVpce": ("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIfExists"),
    "aws:PrincipalOrgID": ("StringEquals", "StringLike"),
    "aws:userid": ("StringEquals", "StringLike"),
    "aws:PrincipalType": ("StringEquals", "StringNotEquals"),
    "aws:SecureTransport": ("Bool",),
    "s3:x-amz-acl": ("StringEquals", "StringNotEquals"),
}
VALUES = ("vpce-1", "o-abc", "AIDAEXAMPLE", "Anonymous", "true", "private")
CIDRS = ("10.1.0.0/16", "10.0.0.0/8", "192.0.2.0/24", "2001:db8::/48")

principals = st.sampled_from(["*", {"AWS": "*"}, {"AWS": "arn:aws:iam::444455556666:root"}])
actions = st.sampled_from(["s3:GetObject", "s3:Get*", "s3:ListBucket", "s3:*"])
resources = st.sampled_from(["arn:aws:s3:::b/*", "arn:aws:s3:::b/uploads/*", "arn:aws:s3:::b"])


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for key in draw(st.lists(st.sampled_from(sorted(CONDITIONS)), max_size=2, unique=True)):
        operator = draw(st.sampled_from(CONDITIONS[key]))
        block.setdefault(operator, {})[key] = draw(st.sampled_from(VALUES))
    if draw(st.booleans()):
        block.setdefault("IpAddress", {})["aws:SourceIp"] = draw(st.sampled_from(CIDRS))
    return block


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Allow", "Deny"])),
        "Principal": draw(principals),
        "Action": draw(actions),
        "Resource": draw(resources),
    }
    condition = draw(conditions())
    if condition:
        statement["Condition"] = condition
    return statement


policies = st.lists(statements(), min_size=1, max_size=4)


def verdicts(statements: list[dict[str, Any]]) -> tuple[int, ...]:
    """Ranks of the bucket's read and list verdicts and of each object's read."""
    text = json.dumps({"Version": "2012-10-17", "Statement": statements})
    bucket = bucket_of(S3BucketFacts(policy_json=text))
    access = evaluate_bucket(bucket)
    objects = [evaluate_object(bucket, StoredObject(key, 1)).read for key in KEYS]
    return tuple(RANK[e] for e in (access.read, access.list, *objects))


def no_less_public(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    return all(b <= a for b, a in zip(before, after, strict=True))


@settings(max_examples=300, deadline=None)
@given(policies, statements(effect="Deny"))
def test_a_deny_never_makes_anything_more_public(
    policy: list[dict[str, Any]], deny: dict[str, Any]
) -> None:
    assert no_less_public(verdicts([*policy, deny]), verdicts(policy))


@settings(max_examples=300, deadline=None)
@given(policies, st.data())
def test_dropping_a_condition_of_an_allow_never_makes_anything_less_public(
    policy: list[dict[str, Any]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(policy) - 1))
    allow = policy[index]
    if allow["Effect"] != "Allow" or "Condition" not in allow:
        return
    operator = data.draw(st.sampled_from(sorted(allow["Condition"])))
    key = data.draw(st.sampled_from(sorted(allow["Condition"][operator])))
    looser = json.loads(json.dumps(allow))
    del looser["Condition"][operator][key]
    if not looser["Condition"][operator]:
        del looser["Condition"][operator]
    changed = [*policy[:index], looser, *policy[index + 1 :]]
    assert no_less_public(verdicts(policy), verdicts(changed))


@settings(max_examples=300, deadline=None)
@given(policies, st.data())
def test_wider_ranges_wildcards_and_star_principals_never_make_anything_less_public(
    policy: list[dict[str, Any]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(policy) - 1))
    allow = json.loads(json.dumps(policy[index]))
    if allow["Effect"] != "Allow":
        return
    change = data.draw(st.sampled_from(["cidr", "wildcard", "principal"]))
    block = allow.get("Condition", {})
    if change == "cidr" and "IpAddress" in block:
        block["IpAddress"]["aws:SourceIp"] = "0.0.0.0/0"
    elif change == "wildcard":
        positive = [name for name in block if name.startswith("String") and "Not" not in name]
        for operator in positive:
            widened = operator.replace("Equals", "Like")
            tests = block.pop(operator)
            block.setdefault(widened, {}).update(dict.fromkeys(tests, "*"))
    else:
        allow["Principal"] = "*"
    changed = [*policy[:index], allow, *policy[index + 1 :]]
    assert no_less_public(verdicts(policy), verdicts(changed))
