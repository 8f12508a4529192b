"""Redacted snippets: numbers keep only their last digits, names never appear."""

from __future__ import annotations

import re


def mask_number(value: str, keep: int = 4, group: int = 4, label: str | None = None) -> str:
    """`個人番号 **** **** 9012`: every character but the last `keep` masked, in groups."""
    chars = [char for char in value if char.isalnum()]
    # Short numbers (insurer numbers) show fewer digits so most of them stays hidden.
    shown = keep if len(chars) > 8 else min(2, keep)
    masked = ["*"] * (len(chars) - shown) + chars[len(chars) - shown :]
    steps = range(0, len(masked), group) if group else range(0, len(masked), len(masked) or 1)
    grouped = " ".join("".join(masked[i : i + (group or len(masked))]) for i in steps)
    return f"{label} {grouped}" if label else grouped


def mask_mrz_line(line: str, first: bool = False) -> str:
    """An MRZ line with every letter and digit masked; the first line keeps code and state."""
    head = line[:5] if first else ""
    return head + re.sub(r"[A-Z0-9]", "*", line[len(head) :])
