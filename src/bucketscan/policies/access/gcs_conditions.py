"""What little we can safely conclude from an IAM condition expression (CEL)."""

from __future__ import annotations

import re
from datetime import datetime

# Only `request.time < timestamp("...")` alone is judged: once that moment has passed, the binding
# grants nothing to anyone. Every other expression is kept as a possible exposure, because CEL
# attributes such as resource.name or request.time windows cannot exclude anonymous callers.
_EXPIRY = re.compile(r"""^\s*request\.time\s*<=?\s*timestamp\(\s*["']([^"']+)["']\s*\)\s*$""")


def expiry(expression: str) -> datetime | None:
    """The moment an expiring binding stops granting, if the expression is only an expiry."""
    match = _EXPIRY.match(expression)
    if match is None:
        return None
    try:
        moment = datetime.fromisoformat(match.group(1))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def has_expired(expression: str, now: datetime) -> bool:
    """True when the condition is a plain expiry that lies before `now` (timezone-aware)."""
    moment = expiry(expression)
    return moment is not None and moment <= now
