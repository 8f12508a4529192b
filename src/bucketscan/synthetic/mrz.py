"""ICAO Doc 9303 machine-readable zones (TD1, TD2, TD3) with correct 7-3-1 check digits."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Holder:
    """What an MRZ encodes: document code, states, name, number, dates (YYMMDD) and sex;
    `optional` is the TD3 personal number or the TD1/TD2 optional data."""

    document_code: str
    state: str
    surname: str
    given: str
    number: str
    nationality: str
    birth: str
    sex: str
    expiry: str
    optional: str = ""


def _dates(holder: Holder) -> str:
    """Birth date, sex and expiry with their check digits (common to every layout)."""
    birth, expiry = holder.birth, holder.expiry
    return f"{birth}{check_digit(birth)}{holder.sex}{expiry}{check_digit(expiry)}"


def _head(holder: Holder, width: int) -> str:
    """Line 1 of TD3/TD2: document code, issuing state and the name field."""
    return (
        field(holder.document_code, 2)
        + field(holder.state, 3)
        + name_field(holder.surname, holder.given, width)
    )


def _data_line(holder: Holder, optional_width: int, optional_check: bool) -> str:
    """Line 2 of TD3/TD2: number, nationality, dates, optional field and composite check."""
    doc = field(holder.number, 9)
    opt = field(holder.optional, optional_width)
    body = f"{doc}{check_digit(doc)}{field(holder.nationality, 3)}{_dates(holder)}{opt}"
    if optional_check:
        body += check_digit(opt)
    return body + check_digit(body[0:10] + body[13:20] + body[21:])


def td3(holder: Holder) -> tuple[str, str]:
    """Passport MRZ, 2 lines of 44."""
    return _head(holder, 39), _data_line(holder, 14, True)


def td2(holder: Holder) -> tuple[str, str]:
    """TD2 MRZ, 2 lines of 36."""
    return _head(holder, 31), _data_line(holder, 7, False)


def td1(holder: Holder) -> tuple[str, str, str]:
    """ID-card MRZ, 3 lines of 30 (document numbers of at most 9 characters)."""
    doc = field(holder.number, 9)
    line1 = field(holder.document_code, 2) + field(holder.state, 3) + doc + check_digit(doc)
    line1 += field(holder.optional, 15)
    line2 = _dates(holder) + field(holder.nationality, 3) + field("", 11)
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return line1, line2, name_field(holder.surname, holder.given, 30)
