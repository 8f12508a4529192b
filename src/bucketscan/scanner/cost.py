"""Approximate request prices, one table for every provider (USD list prices, no free tier)."""

from __future__ import annotations

# Price per single request by (provider, class). "write" covers LIST/PUT-class (S3), Class A (GCS)
# and list/write operations (Azure hot tier); "read" covers GET/HEAD-class, Class B and reads.
PRICE_PER_REQUEST_USD: dict[tuple[str, str], float] = {
    ("aws", "write"): 0.005 / 1000,
    ("aws", "read"): 0.0004 / 1000,
    ("gcs", "write"): 0.005 / 1000,
    ("gcs", "read"): 0.0004 / 1000,
    ("azure", "write"): 0.065 / 10000,
    ("azure", "read"): 0.005 / 10000,
}
# Internet egress per byte; content reads inside the cloud's own region cost nothing.
EGRESS_PER_BYTE_USD: dict[str, float] = {
    "aws": 0.09 / 2**30,
    "gcs": 0.12 / 2**30,
    "azure": 0.087 / 2**30,
}
_WRITE_CLASS_PREFIXES = ("list", "put", "copy", "post", "create", "set", "delete")


def request_class(kind: str) -> str:
    """'write' for LIST/PUT-class operations, 'read' for the rest ("s3.ListObjectsV2" → write)."""
    operation = kind.rsplit(".", 1)[-1].lower()
    return "write" if operation.startswith(_WRITE_CLASS_PREFIXES) else "read"


def estimate_usd(provider: str, requests: dict[str, int], bytes_read: int) -> float:
    """Approximate price of a scan's requests and downloads from outside the cloud."""
    total = sum(
        count * PRICE_PER_REQUEST_USD.get((provider, request_class(kind)), 0.0)
        for kind, count in requests.items()
    )
    return round(total + bytes_read * EGRESS_PER_BYTE_USD.get(provider, 0.0), 6)


def retry_note(sent: dict[str, int], retries: dict[str, int]) -> str:
    """' (1,888 sent: 312 retries, 95 throttled)' when requests were retried, else ''."""
    count = sum(retries.values())
    if not count:
        return ""
    throttled = retries.get("throttled", 0)
    return f" ({sum(sent.values()):,} sent: {count:,} retries, {throttled:,} throttled)"
