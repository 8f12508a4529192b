"""--verify-anonymous: the pure comparison, and the engine's bounded, sampled probes in memory."""

from __future__ import annotations

import io
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from bucketscan.metering import Meter
from bucketscan.policies.keys import redact_key
from bucketscan.policies.verification import (
    PRIVATE_BUCKETS_SAMPLED,
    PROBES_PER_BUCKET,
    Agreement,
    ProbeOutcome,
    ProbeTarget,
    bucket_check,
    compare,
    probe_outcome,
    probe_result,
    sample_rank,
)
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.common import BucketAccess, Exposure
from bucketscan.records.probe import ProbeAnswer
from bucketscan.records.s3 import S3BucketFacts, S3Grant, S3Grantee
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.report.json_writer import JsonWriter
from bucketscan.scanner.report.jsonl_writer import JsonLinesWriter
from bucketscan.scanner.report.markdown_writer import MarkdownWriter
from bucketscan.scanner.runner import ScanOutcome, run_scan

PUB, PRIV, AUTH, UNK = Exposure.PUBLIC, Exposure.PRIVATE, Exposure.AUTHENTICATED, Exposure.UNKNOWN
AGREES, DISAGREES = Agreement.AGREES, Agreement.DISAGREES
UNVERIFIED, NO_VERDICT = Agreement.UNVERIFIED, Agreement.NO_VERDICT
PRIVATE_ACL = (S3Grant(S3Grantee.CANONICAL_USER, "owner", "FULL_CONTROL"),)
PRIVATE_FACTS = S3BucketFacts(acl=PRIVATE_ACL)


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (ProbeAnswer("HeadObject", 200), ProbeOutcome.READABLE),
        (ProbeAnswer("GetObject", 206), ProbeOutcome.READABLE),
        (ProbeAnswer("HeadObject", 403, "403"), ProbeOutcome.REFUSED),
        (ProbeAnswer("objects.get", 401, "required"), ProbeOutcome.REFUSED),
        (ProbeAnswer("HeadObject", 404, "404"), ProbeOutcome.NOT_FOUND),
        (ProbeAnswer("GetBlobProperties", 409, "PublicAccessNotPermitted"), ProbeOutcome.REFUSED),
        (ProbeAnswer("GetBlobProperties", 404, "ResourceNotFound"), ProbeOutcome.REFUSED),
        (ProbeAnswer("GetBlobProperties", 404, "BlobNotFound"), ProbeOutcome.NOT_FOUND),
        (ProbeAnswer("HeadObject", 301, "PermanentRedirect"), ProbeOutcome.UNVERIFIED),
        (ProbeAnswer("HeadObject", 503, "SlowDown"), ProbeOutcome.UNVERIFIED),
        (ProbeAnswer("HeadObject", failure="ReadTimeoutError: timed out"), ProbeOutcome.UNVERIFIED),
    ],
)
def test_what_an_answer_means(answer: ProbeAnswer, outcome: ProbeOutcome) -> None:
    assert probe_outcome(answer) is outcome
    result = probe_result(ProbeTarget.OBJECT, "k", answer)
    assert result.outcome is outcome and result.status == answer.status
    assert result.detail.startswith(str(answer.status) if answer.status else "no answer: ")


STATUS = {"readable": 200, "refused": 403, "not_found": 404, "unverified": 503}


@pytest.mark.parametrize(
    ("verdict", "answered", "agreement"),
    [
        (PUB, "readable", AGREES),
        (PUB, "refused", DISAGREES),
        (PUB, "not_found", UNVERIFIED),  # listed moments ago: deleted since, or hidden
        (PUB, "unverified", UNVERIFIED),
        (PRIV, "readable", DISAGREES),
        (PRIV, "refused", AGREES),
        (PRIV, "not_found", AGREES),  # nothing read: what private promises
        (PRIV, "unverified", UNVERIFIED),
        (AUTH, "readable", DISAGREES),  # anyone signed in, not anyone at all
        (AUTH, "refused", AGREES),
        (UNK, "readable", NO_VERDICT),
        (UNK, "refused", NO_VERDICT),
    ],
)
def test_agreement_table(verdict: Exposure, answered: str, agreement: Agreement) -> None:
    probe = probe_result(ProbeTarget.LISTING, None, ProbeAnswer("List", STATUS[answered]))
    checked = compare(verdict, probe)
    assert checked.agreement is agreement
    assert checked.verdict is verdict and checked.probe is probe
    assert checked.reason.startswith("anonymous check")
    assert ("DISAGREES" in checked.reason) is (agreement is DISAGREES)


def test_a_refusal_does_not_disprove_a_verdict_reached_through_an_access_point() -> None:
    refused = probe_result(ProbeTarget.OBJECT, "public/a", ProbeAnswer("HeadObject", 403))
    routed = ("via access point ap-public: allows s3:GetObject to *",)
    checked = compare(PUB, refused, routed)
    assert checked.agreement is UNVERIFIED
    assert "through an access point" in checked.reason
    assert compare(PUB, refused, ("bucket policy statement 0 allows",)).agreement is DISAGREES


def test_reason_lines_say_what_was_asked_what_came_back_and_the_verdict() -> None:
    probe = probe_result(ProbeTarget.OBJECT, "cv/a.pdf", ProbeAnswer("HeadObject", 200))
    assert compare(PRIV, probe).reason == (
        "anonymous check DISAGREES: unsigned HeadObject of object cv/a.pdf answered 200 "
        "(readable anonymously), but the object judged private"
    )
    listing = probe_result(
        ProbeTarget.LISTING, None, ProbeAnswer("ListObjectsV2 MaxKeys=1", 403, "AccessDenied")
    )
    assert compare(PRIV, listing).reason == (
        "anonymous check agrees: unsigned ListObjectsV2 MaxKeys=1 of the listing answered "
        "403 AccessDenied (refused); list judged private"
    )


@pytest.mark.parametrize(
    ("read", "listing", "check"),
    [
        (PUB, PRIV, PUB),
        (PRIV, PUB, PUB),
        (PRIV, PRIV, PRIV),
        (AUTH, PRIV, None),
        (UNK, PRIV, None),
        (PRIV, UNK, None),
    ],
)
def test_which_buckets_are_checked(read: Exposure, listing: Exposure, check: Exposure) -> None:
    assert bucket_check(BucketAccess(read, listing, PRIV, ())) is check


PREFIX_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::{bucket}/public/*",
            }
        ],
    }
)


def prefix_facts(bucket: str) -> S3BucketFacts:
    return S3BucketFacts(acl=PRIVATE_ACL, policy_json=PREFIX_POLICY.replace("{bucket}", bucket))


def split_key(index: int) -> str:
    """private/000..004, then public/005..: in key order, as listings come."""
    return f"{'private' if index < 5 else 'public'}/{index:03d}.txt"


def only_public(key: str | None) -> int:
    """An endpoint that enforces the prefix policy: public/ readable, the rest refused."""
    return 200 if key is not None and key.startswith("public/") else 403


def scan(buckets: tuple[MemoryBucket, ...], **options: Any) -> tuple[ScanOutcome, Meter]:
    meter = Meter()
    provider = MemoryProvider(buckets, meter=meter, page_size=4)
    opts = ScanOptions(**{"content": False, "io_threads": 2, "verify_anonymous": True, **options})
    return run_scan(provider, opts, (), meter=meter), meter


def anonymous_calls(meter: Meter) -> dict[str, int]:
    return {k: v for k, v in meter.requests().items() if ".anonymous." in k}


def test_a_public_bucket_gets_its_listing_and_a_public_and_a_private_object_checked() -> None:
    bucket = MemoryBucket("site", prefix_facts("site"), 9, key=split_key, anonymous=only_public)
    outcome, meter = scan((bucket,))
    (result,) = outcome.buckets
    assert (result.access.read, result.access.list) == (PUB, PRIV)
    checks = [
        (v.probe.target, v.probe.key, v.probe.status, v.agreement) for v in result.verification
    ]
    assert checks == [
        (ProbeTarget.LISTING, None, 403, AGREES),
        (ProbeTarget.OBJECT, "public/005.txt", 200, AGREES),  # the lowest key judged public
        (ProbeTarget.OBJECT, "private/000.txt", 403, AGREES),
    ]
    assert [v.verdict for v in result.verification] == [PRIV, PUB, PRIV]
    assert [line for line in result.access.reasons if line.startswith("anonymous check")] == [
        v.reason for v in result.verification
    ]
    assert anonymous_calls(meter) == {
        "memory.anonymous.ListObjects": 1,
        "memory.anonymous.HeadObject": 2,
    }
    assert outcome.summary.verification == {"agrees": 3}
    assert outcome.summary.disagreements == 0


def test_a_private_bucket_the_outside_can_read_is_a_disagreement() -> None:
    bucket = MemoryBucket("hr", PRIVATE_FACTS, 5, anonymous=lambda key: 200)
    outcome, _ = scan((bucket,))
    (result,) = outcome.buckets
    assert result.access.read is PRIV
    assert [(v.probe.status, v.agreement) for v in result.verification] == [
        (200, DISAGREES),
        (200, DISAGREES),
    ]
    assert outcome.summary.disagreements == 2
    assert sum("anonymous check DISAGREES" in line for line in result.access.reasons) == 2


def test_private_buckets_are_sampled_the_same_way_every_run() -> None:
    names = [f"hr-{index}" for index in range(7)]
    buckets = tuple(
        MemoryBucket(name, PRIVATE_FACTS, 2, anonymous=lambda key: 403) for name in names
    )
    expected = set(sorted(names, key=lambda n: sample_rank("000000000000", n))[:3])
    for _ in range(2):
        outcome, meter = scan(buckets, io_threads=4)
        checked = {r.ref.name for r in outcome.buckets if r.verification}
        assert checked == expected
        assert len(outcome.buckets) == len(names)  # the others are reported, unchecked
        assert anonymous_calls(meter) == {
            "memory.anonymous.ListObjects": PRIVATE_BUCKETS_SAMPLED,
            "memory.anonymous.HeadObject": PRIVATE_BUCKETS_SAMPLED,
        }


def test_without_the_option_nothing_is_sent() -> None:
    bucket = MemoryBucket("site", prefix_facts("site"), 9, key=split_key, anonymous=only_public)
    meter = Meter()
    provider = MemoryProvider((bucket,), meter=meter)
    outcome = run_scan(provider, ScanOptions(content=False, io_threads=2), (), meter=meter)
    assert anonymous_calls(meter) == {}
    assert outcome.buckets[0].verification == ()
    assert outcome.summary.verification == {}
    assert not any("anonymous check" in line for line in outcome.buckets[0].access.reasons)


def test_a_probe_that_fails_cannot_verify_and_the_scan_goes_on() -> None:
    def broken(key: str | None) -> int:
        raise RuntimeError(f"socket closed while asking for {key}")

    buckets = (
        MemoryBucket("site", prefix_facts("site"), 9, key=split_key, anonymous=broken),
        MemoryBucket("other", prefix_facts("other"), 9, key=split_key, anonymous=only_public),
    )
    outcome, _ = scan(buckets)
    by_name = {r.ref.name: r for r in outcome.buckets}
    failed = by_name["site"].verification
    assert {v.agreement for v in failed} == {UNVERIFIED}
    assert all(v.probe.status is None for v in failed)
    assert all("RuntimeError: socket closed" in v.probe.detail for v in failed)
    assert {v.agreement for v in by_name["other"].verification} == {AGREES}


def test_masked_keys_stay_masked_in_probes_and_their_reasons() -> None:
    def key(index: int) -> str:
        return f"public/履歴書_山田_{index:04d}.txt"

    bucket = MemoryBucket("cv", prefix_facts("cv"), 3, key=key, anonymous=only_public)
    outcome, _ = scan((bucket,), redact_keys=True)
    (result,) = outcome.buckets
    probed = [v.probe.key for v in result.verification if v.probe.target is ProbeTarget.OBJECT]
    assert probed == [redact_key(key(0))]
    assert "山田" not in json.dumps([*result.access.reasons, *probed], ensure_ascii=False)


def test_key_ranges_of_a_bucket_share_one_bounded_check() -> None:
    bucket = MemoryBucket("site", prefix_facts("site"), 9, key=split_key, anonymous=only_public)
    outcome, meter = scan((bucket,), key_splits=("private/002.txt", "public/006.txt"))
    (result,) = outcome.buckets
    assert [v.probe.key for v in result.verification] == [None, "public/005.txt", "private/000.txt"]
    assert sum(anonymous_calls(meter).values()) == PROBES_PER_BUCKET


def test_reports_carry_the_checks_and_validate_against_the_schema() -> None:
    buckets = (
        MemoryBucket("site", prefix_facts("site"), 9, key=split_key, anonymous=only_public),
        MemoryBucket("hr", PRIVATE_FACTS, 2, anonymous=lambda key: 200),
    )
    streams = {name: io.StringIO() for name in ("json", "jsonl", "md")}
    writers = (
        JsonWriter(streams["json"]),
        JsonLinesWriter(streams["jsonl"]),
        MarkdownWriter(streams["md"]),
    )
    meter = Meter()
    options = ScanOptions(content=False, io_threads=2, verify_anonymous=True)
    run_scan(MemoryProvider(buckets, meter=meter), options, writers, meter=meter)
    schema = json.loads(
        (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    )
    report = json.loads(streams["json"].getvalue())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["scan"]["options"]["verify_anonymous"] is True
    assert report["summary"]["verification"] == {"agrees": 3, "disagrees": 2}
    by_name = {bucket["name"]: bucket for bucket in report["buckets"]}
    assert [(v["target"], v["status"], v["agreement"]) for v in by_name["hr"]["verification"]] == [
        ("listing", 200, "disagrees"),
        ("object", 200, "disagrees"),
    ]
    assert by_name["hr"]["verification"][1]["key"] == "objects/000000000.txt"
    lines = [json.loads(line) for line in streams["jsonl"].getvalue().splitlines()]
    assert {len(line.get("verification", ())) for line in lines if line["type"] == "bucket"} == {
        2,
        3,
    }
    markdown = streams["md"].getvalue()
    assert (
        "- anonymous checks (--verify-anonymous): 5 unsigned probes, 3 agree, "
        "**2 DISAGREE with their verdict**, 0 could not verify"
    ) in markdown
    assert "anonymous check DISAGREES: unsigned ListObjects of the listing answered 200" in markdown


def test_the_schema_refuses_a_check_it_does_not_know() -> None:
    schema = json.loads(
        (resources.files("bucketscan.scanner.report") / "report.schema.json").read_text()
    )
    item = {
        "target": "object",
        "key": "a",
        "request": "HeadObject",
        "status": 200,
        "code": None,
        "outcome": "readable",
        "detail": "200",
        "verdict": "public",
        "agreement": "probably",
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(
            schema["$defs"]["verification"] | {"$defs": schema["$defs"]}
        ).validate(item)
