"""Stable finding ids: the same object, rule and place give the same id in every run and format."""

from __future__ import annotations

import hashlib
import re

ID_LENGTH = 20  # hex characters: 80 bits, far beyond any collision among one estate's findings
ID_PATTERN = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
COULD_NOT_TELL = "could_not_tell"  # the rule of an object whose content could not be read


def finding_id(provider: str, account: str, bucket: str, key: str, rule: str) -> str:
    """The first hex digits of sha256 over the five fields joined with NUL.

    Only the key could hold a NUL (names and rules cannot), so no two findings share the input.
    """
    joined = "\0".join((provider, account, bucket, key, rule))
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:ID_LENGTH]
