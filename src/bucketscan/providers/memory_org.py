"""An in-memory organisation for tests and benchmarks: account buckets regenerated from a spec.

A `MemoryAccountSpec` is a few numbers, so it pickles to a distributed worker, which makes the
same buckets there: `objects` keys a bucket, all private but in the public buckets, whose policy
lets anyone read the first `exposed` keys; those hold synthetic résumés (plain text) that the
detectors flag. Nothing is stored: keys and bodies are made as the listing and reads ask.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from bucketscan.metering import Meter
from bucketscan.providers.base import ProviderError
from bucketscan.providers.memory import MemoryBucket, MemoryProvider
from bucketscan.records.s3 import S3BucketFacts, S3Grant, S3Grantee

_OWNER = (S3Grant(S3Grantee.CANONICAL_USER, "owner", "FULL_CONTROL"),)
_PRIVATE_BODY = b"quarterly figures, nothing personal"
KEY_DIGITS = 9


def object_key(index: int) -> str:
    """The key of a bucket's object number `index` (sorted as the indexes are)."""
    return f"objects/{index:0{KEY_DIGITS}d}.txt"


def _public_policy(bucket: str, exposed: int) -> str:
    """A policy letting anyone read the keys of the first `exposed` indexes (exposed <= 10)."""
    resources = [f"arn:aws:s3:::{bucket}/{object_key(index)}" for index in range(exposed)]
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{**statement, "Resource": resources}]}
    )


def resume_text(seed: str) -> bytes:
    """A synthetic résumé (an English CV) as plain text, the same for the same seed."""
    from bucketscan.synthetic.people import foreign_person
    from bucketscan.synthetic.resumes import cv_en

    rng = random.Random(seed)
    return "\n".join(cv_en(rng, foreign_person(rng)).lines()).encode()


@dataclass(frozen=True)
class MemoryAccountSpec:
    """One account of the in-memory organisation; `refuse`: opening it fails with that reason."""

    account: str
    buckets: int = 5
    objects: int = 2000
    public: tuple[int, ...] = ()  # which of its buckets are public
    exposed: int = 3  # readable (and flagged) objects in each public bucket
    refuse: str | None = None

    @property
    def provider(self) -> str:
        """Served as "aws": S3-shaped facts."""
        return "aws"

    def bucket_name(self, index: int) -> str:
        """The name of the account's bucket number `index`."""
        return f"org-{self.account}-{index}"

    def open(self, meter: Meter) -> MemoryProvider:
        """The account's buckets, made afresh; ProviderError when it refuses."""
        if self.refuse is not None:
            raise ProviderError(self.refuse)
        return MemoryProvider(
            tuple(self._bucket(index) for index in range(self.buckets)),
            meter=meter,
            account=self.account,
        )

    def _bucket(self, index: int) -> MemoryBucket:
        name = self.bucket_name(index)
        if index not in self.public:
            return MemoryBucket(name, S3BucketFacts(acl=_OWNER), self.objects, _private, object_key)
        exposed = self.exposed
        facts = S3BucketFacts(acl=_OWNER, policy_json=_public_policy(name, exposed))

        def body(position: int) -> bytes:
            return resume_text(f"{name}/{position}") if position < exposed else _PRIVATE_BODY

        return MemoryBucket(name, facts, self.objects, body, object_key)


def _private(_index: int) -> bytes:
    return _PRIVATE_BODY


def organization(
    accounts: int, buckets: int, objects: int, *, public_every: int = 20, exposed: int = 3
) -> tuple[MemoryAccountSpec, ...]:
    """`accounts` accounts of `buckets` buckets of `objects` objects; bucket 0 of every
    `public_every`-th account is public, with `exposed` flagged résumés."""
    return tuple(
        MemoryAccountSpec(
            account=f"{100000000000 + number}",
            buckets=buckets,
            objects=objects,
            public=(0,) if number % public_every == 0 else (),
            exposed=exposed,
        )
        for number in range(accounts)
    )
