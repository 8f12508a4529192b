"""ICAO 9303 check digits, shared by MRZ detection and by OCR judging whether it read a zone."""

from __future__ import annotations

from collections.abc import Iterable

_WEIGHTS = (7, 3, 1)
# Where a field and its check digit sit: TD3/TD2 data line (number, birth date), TD1 line 1
# (number) and TD1 line 2 (birth date, expiry).
_CHECKED_FIELDS = (((0, 9, 9), (13, 19, 19)), ((5, 14, 14),), ((0, 6, 6), (8, 14, 14)))


def check_digit(field: str) -> str:
    """The ICAO 7-3-1 check digit of a field (0-9 → 0-9, A-Z → 10-35, '<' → 0)."""
    total = 0
    for index, char in enumerate(field):
        value = int(char) if char.isdigit() else ord(char) - 55 if char.isalpha() else 0
        total += value * _WEIGHTS[index % 3]
    return str(total % 10)


def passes(field: str, digit: str) -> bool:
    """Whether `digit` is a digit and the check digit of `field`."""
    return digit.isdigit() and check_digit(field) == digit


def checks_out(lines: Iterable[str]) -> bool:
    """Whether some line, as read, carries the check-digit-valid fields of one MRZ line layout:
    proof that OCR read a zone rather than a few fillers and garble."""
    for line in lines:
        for fields in _CHECKED_FIELDS:
            if len(line) > max(check for _, _, check in fields) and all(
                passes(line[start:end], line[check]) for start, end, check in fields
            ):
                return True
    return False
