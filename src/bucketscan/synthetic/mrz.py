"""ICAO Doc 9303 machine-readable zones (TD1, TD2, TD3) with correct 7-3-1 check digits."""

from __future__ import annotations

import string
import unicodedata

_WEIGHTS = (7, 3, 1)


def char_value(char: str) -> int:
    """The ICAO value of one MRZ character: digits 0-9, A-Z 10-35, filler 0."""
    if char.isdigit():
        return int(char)
    if char in string.ascii_uppercase:
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(field: str) -> str:
    """The 7-3-1 check digit of an MRZ field."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def field(value: str, width: int) -> str:
    """Upper-case, transliterate, replace separators by fillers, and pad or cut to width."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = "".join(c if c.isalnum() else "<" for c in ascii_text.upper())
    return cleaned[:width].ljust(width, "<")


def name_field(surname: str, given: str, width: int) -> str:
    """`SURNAME<<GIVEN<NAMES` padded to width."""
    return field(f"{field(surname, len(surname))}<<{field(given, len(given))}", width)


def td3(
    *,
    document_code: str,
    state: str,
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    personal: str = "",
) -> tuple[str, str]:
    """Passport MRZ, 2 lines of 44; dates are YYMMDD."""
    line1 = field(document_code, 2) + field(state, 3) + name_field(surname, given, 39)
    doc = field(number, 9)
    opt = field(personal, 14)
    body = f"{doc}{check_digit(doc)}{field(nationality, 3)}{birth}{check_digit(birth)}{sex}"
    body += f"{expiry}{check_digit(expiry)}{opt}{check_digit(opt)}"
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def td1(
    *,
    document_code: str,
    state: str,
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str = "",
) -> tuple[str, str, str]:
    """ID-card MRZ, 3 lines of 30 (document numbers of at most 9 characters)."""
    doc = field(number, 9)
    line1 = field(document_code, 2) + field(state, 3) + doc + check_digit(doc) + field(optional, 15)
    line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}{field(nationality, 3)}"
    line2 += field("", 11)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    return line1, line2, name_field(surname, given, 30)


def td2(
    *,
    document_code: str,
    state: str,
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str = "",
) -> tuple[str, str]:
    """TD2 MRZ, 2 lines of 36."""
    line1 = field(document_code, 2) + field(state, 3) + name_field(surname, given, 31)
    doc = field(number, 9)
    body = f"{doc}{check_digit(doc)}{field(nationality, 3)}{birth}{check_digit(birth)}{sex}"
    body += f"{expiry}{check_digit(expiry)}{field(optional, 7)}"
    composite = body[0:10] + body[13:20] + body[21:35]
    return line1, body + check_digit(composite)
