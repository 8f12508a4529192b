"""Unsigned S3 requests: what an anonymous reader of a bucket gets back (never content)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from bucketscan.records.probe import ProbeAnswer

# Short, and never retried: a probe that does not answer at once is "could not verify".
PROBE_CONFIG = Config(
    signature_version=UNSIGNED,
    connect_timeout=3,
    read_timeout=5,
    retries={"mode": "standard", "total_max_attempts": 1},
)
HEAD_OBJECT = "HeadObject"
LIST_ONE = "ListObjectsV2 MaxKeys=1"


def unsigned_config(config: Config) -> Config:
    """The scan's client configuration (pool, addressing style), unsigned and with short limits."""
    return config.merge(PROBE_CONFIG)


def head_object(client: Any, bucket: str, key: str) -> ProbeAnswer:
    """An unsigned HEAD of one object: its status, no body."""
    return _answer(HEAD_OBJECT, lambda: client.head_object(Bucket=bucket, Key=key))


def list_one(client: Any, bucket: str) -> ProbeAnswer:
    """An unsigned listing of at most one key; the key itself is dropped."""
    return _answer(LIST_ONE, lambda: client.list_objects_v2(Bucket=bucket, MaxKeys=1))


def _answer(request: str, call: Callable[[], Any]) -> ProbeAnswer:
    try:
        response = call()
    except ClientError as error:
        meta = error.response.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode")
        code = error.response.get("Error", {}).get("Code")
        failure = None if status else f"{type(error).__name__}: {error}"
        return ProbeAnswer(
            request, int(status) if status else None, str(code) if code else None, failure
        )
    except (BotoCoreError, OSError, ValueError) as error:
        return ProbeAnswer(request, failure=f"{type(error).__name__}: {error}")
    return ProbeAnswer(request, int(response["ResponseMetadata"]["HTTPStatusCode"]))
