"""Tables of IAM condition expressions (CEL) judged per Cloud Storage resource at one moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bucketscan.policies.access import gcs_conditions
from bucketscan.policies.access.gcs_conditions import (
    BUCKET,
    OBJECT,
    bucket_resource,
    judge,
    modelled,
    object_resource,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)
Resource = tuple[str | None, str]
BKT: Resource = (bucket_resource("b"), BUCKET)
ANY: Resource = (None, OBJECT)  # some object of bucket b, name not known


def obj(key: str, bucket: str = "b") -> Resource:
    """An object of a bucket, as IAM names it."""
    return object_resource(bucket, key), OBJECT


PUB_PDF, PRIV_PDF, PUB_TXT = obj("public/a.pdf"), obj("private/a.pdf"), obj("public/notes.txt")
PREFIX = 'resource.name.startsWith("projects/_/buckets/b/objects/public/")'
PDF = "resource.name.endsWith('.pdf')"
IS_BUCKET = 'resource.type == "storage.googleapis.com/Bucket"'
IS_OBJECT = "resource.type == 'storage.googleapis.com/Object'"
TAG = "resource.matchTag('123456/env', 'prod')"


def at(op: str, moment: str) -> str:
    """request.time compared with a timestamp literal."""
    return f'request.time {op} timestamp("{moment}")'


CASES = [
    # (id, expression, resource, expected)
    ("prefix-inside", PREFIX, PUB_PDF, True),
    ("prefix-outside", PREFIX, PRIV_PDF, False),
    ("prefix-not-the-bucket", PREFIX, BKT, False),
    ("prefix-some-object-unknown", PREFIX, ANY, None),
    ("prefix-is-plain-text-bucket-b-covers-bb",
     "resource.name.startsWith('projects/_/buckets/b')", obj("x", bucket="bb"), True),
    ("prefix-of-the-bucket-covers-it", f"resource.name.startsWith('{bucket_resource('b')}')",
     BKT, True),
    ("suffix-matches", PDF, PUB_PDF, True),
    ("suffix-other-extension", PDF, PUB_TXT, False),
    ("suffix-not-the-bucket", PDF, BKT, False),
    ("equals-the-object", f'resource.name == "{PUB_PDF[0]}"', PUB_PDF, True),
    ("equals-another-object", f'resource.name == "{PUB_PDF[0]}"', PRIV_PDF, False),
    ("not-equals", f'resource.name != "{PUB_PDF[0]}"', PRIV_PDF, True),
    ("equals-the-bucket", f"resource.name == '{bucket_resource('b')}'", BKT, True),
    ("equals-the-bucket-not-an-object", f"resource.name == '{bucket_resource('b')}'", PUB_PDF,
     False),
    ("type-bucket-on-bucket", IS_BUCKET, BKT, True),
    ("type-bucket-on-object", IS_BUCKET, PUB_PDF, False),
    ("type-bucket-on-any-object", IS_BUCKET, ANY, False),
    ("type-object-on-object", IS_OBJECT, PRIV_PDF, True),
    ("type-object-on-bucket", IS_OBJECT, BKT, False),
    ("type-and-prefix-any-object-unknown", f"{IS_OBJECT} && {PREFIX}", ANY, None),
    ("type-or-prefix-bucket", f"{IS_BUCKET} || {PREFIX}", BKT, True),
    ("type-or-prefix-public", f"{IS_BUCKET} || {PREFIX}", PUB_PDF, True),
    ("type-or-prefix-private", f"{IS_BUCKET} || {PREFIX}", PRIV_PDF, False),
    ("service", "resource.service == 'storage.googleapis.com'", ANY, True),
    ("other-service", "resource.service == 'bigquery.googleapis.com'", BKT, False),
    ("expired", at("<", "2024-01-01T00:00:00Z"), ANY, False),
    ("expired-in-another-zone", at("<=", "2025-05-31T23:59:59+09:00"), PUB_PDF, False),
    ("expires-later", at("<", "2030-01-01T00:00:00Z"), BKT, True),
    ("until-now-inclusive", at("<=", "2025-06-01T00:00:00Z"), ANY, True),
    ("until-now-exclusive", at("<", "2025-06-01T00:00:00Z"), ANY, False),
    ("starts-later", at(">", "2026-01-01T00:00:00Z"), PUB_PDF, False),
    ("started", at(">=", "2025-06-01T00:00:00Z"), PUB_PDF, True),
    ("window-around-now",
     f"{at('>', '2025-01-01T00:00:00Z')} && {at('<', '2025-12-31T00:00:00Z')}", ANY, True),
    ("window-after-now",
     f"{at('>', '2026-01-01T00:00:00Z')} && {at('<', '2026-12-31T00:00:00Z')}", ANY, False),
    ("expiry-plus-duration", 'request.time < timestamp("2025-05-31T00:00:00Z") + duration("48h")',
     ANY, True),
    ("expired-or-true", f"{at('<', '2024-01-01T00:00:00Z')} || true", ANY, True),
    ("not-prefix-outside", f"!{PREFIX}", PRIV_PDF, True),
    ("not-prefix-inside", f"!({PREFIX})", PUB_PDF, False),
    ("not-prefix-some-object-unknown", f"!{PREFIX}", ANY, None),
    ("parentheses", f"({PREFIX} || {PDF}) && !resource.name.endsWith('secret.pdf')",
     obj("cv/a.pdf"), True),
    ("parentheses-excluded", f"({PREFIX} || {PDF}) && !resource.name.endsWith('secret.pdf')",
     obj("public/secret.pdf"), False),
    ("prefix-and-expiry", f"{PREFIX} && {at('<', '2024-01-01T00:00:00Z')}", PUB_PDF, False),
    ("unknown-attribute", "request.auth.claims.email == 'a@x.jp'", PUB_PDF, None),
    ("unknown-api-attribute",
     "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(['x'])", BKT, None),
    ("unknown-function-match-tag", TAG, PUB_PDF, None),
    ("unknown-function-extract", "resource.name.extract('/objects/{key}') == 'a'", PUB_PDF, None),
    ("unknown-but-false-anyway", f"{PREFIX} && {TAG}", PRIV_PDF, False),
    ("unknown-but-true-anyway", f"{PREFIX} || {TAG}", PUB_PDF, True),
    ("unknown-decides", f"{PREFIX} && {TAG}", PUB_PDF, None),
    ("hour-of-scan-not-judged", "request.time.getHours('Asia/Tokyo') < 18", ANY, None),
    ("weekday-of-scan-not-judged", "request.time.getDayOfWeek() < 5", BKT, None),
    ("has-macro-refused", "has(resource.name)", ANY, None),
    ("timestamp-without-zone", at("<", "2024-01-01T00:00:00"), ANY, None),
    ("timestamp-not-a-time", at("<", "tomorrow"), ANY, None),
    ("parse-error", "resource.name.startsWith(", PUB_PDF, None),
    ("parse-error-dangling-operator", "resource.name ==", PUB_PDF, None),
    ("empty", "", PUB_PDF, None),
    ("type-error-argument", "resource.name.startsWith(5)", PUB_PDF, None),
    ("type-error-comparison", "resource.name > 5", PUB_PDF, None),
    ("not-a-boolean", "resource.name", PUB_PDF, None),
    ("nesting-too-deep", "(" * 400 + "true" + ")" * 400, PUB_PDF, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "resource", "expected"),
    [pytest.param(e, r, x, id=i) for i, e, r, x in CASES],
)
def test_judged_per_resource(expression: str, resource: Resource, expected: bool | None) -> None:
    assert judge(expression, *resource, NOW) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (PREFIX, True),
        (f"{IS_BUCKET} || ({PDF} && {at('<', '2030-01-01T00:00:00Z')})", True),
        (TAG, False),
        ("request.auth.claims.email == 'a@x.jp'", False),
        ("request.time.getHours('UTC') < 17", False),
        ("resource.name.startsWith(", False),
        ("has(resource.name)", False),
    ],
)
def test_modelled_names_only_judged_attributes(expression: str, expected: bool) -> None:
    assert modelled(expression) is expected


def test_an_expression_is_compiled_once_for_many_objects() -> None:
    expression = 'resource.name.endsWith(".compiled-once")'
    before = gcs_conditions._compiled.cache_info().misses
    verdicts = {judge(expression, *obj(f"k{i}.compiled-once"), NOW) for i in range(50)}
    assert verdicts == {True}
    assert gcs_conditions._compiled.cache_info().misses == before + 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.sampled_from([PUB_PDF, BKT, ANY]))
def test_arbitrary_text_never_raises(expression: str, resource: Resource) -> None:
    assert judge(expression, *resource, NOW) in (True, False, None)
