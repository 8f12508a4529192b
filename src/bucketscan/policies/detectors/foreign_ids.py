"""National identity numbers of other countries, one family each: Aadhaar, Singapore NRIC, US SSN
card, Chinese resident ID and Korean RRN (checksums from python-stdnum, labels, card layout).

Examples: "Government of India … 2341 2341 2346" (Verhoeff) -> foreign_id, strong; "S1234567D"
next to NRIC, strong; "SSN 536-90-4399" medium (no check digit), so it needs the card's labels too.
"""

from __future__ import annotations

import re
from functools import partial

from stdnum.cn import ric
from stdnum.in_ import aadhaar
from stdnum.kr import rrn
from stdnum.us import ssn

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import ANYWHERE, Family, NumberRule, Window
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import CardShape, DocumentType, Strength

_NRIC_LETTERS = {"ST": "JZIHGFEDCBA", "FG": "XWUTRQPNMLK"}
_NRIC_LOOKALIKES = {"$": "S", "5": "S", "1": "I", "2": "Z"}
_AADHAAR_WORDS = ("Aadhaar", "आधार", "UIDAI", "Government of India")
_AADHAAR_KEYWORDS = (*_AADHAAR_WORDS, "India")


def nric_valid(number: str) -> bool:
    """The Singapore NRIC/FIN check letter for the S, T, F and G series."""
    prefix, digits, letter = number[0], number[1:8], number[8]
    total = sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += 4 if prefix in "TG" else 0
    table = _NRIC_LETTERS["ST" if prefix in "ST" else "FG"]
    return table[total % 11] == letter


def _national_id(
    name: str, keywords: tuple[str, ...], number: NumberRule, labels: Lexicon
) -> Family:
    """A foreign ID family: its words must appear, its number and labels carry it."""
    return Family(
        name=name,
        document_type=DocumentType.FOREIGN_ID,
        description="ID",
        labels=labels,
        keywords=keywords,
        numbers=(number,),
        shapes=frozenset({CardShape.ID1}),
    )


AADHAAR = _national_id(
    "aadhaar",
    _AADHAAR_KEYWORDS,
    NumberRule(
        "aadhaar",
        "12-digit Aadhaar number passing Verhoeff",
        (
            Window(_AADHAAR_WORDS, ANYWHERE, ANYWHERE, Strength.STRONG, " on an Aadhaar document"),
            # Where OCR garbled the authority's name, the country it names is still legible.
            Window(("India",), ANYWHERE, ANYWHERE, Strength.MEDIUM, " on a document naming India"),
        ),
        digits=12,
        repairs=0,
        validator=aadhaar.is_valid,
    ),
    Lexicon.of(
        ("Aadhaar", "आधार"),
        ("Government of India",),
        ("UIDAI",),
        ("DOB",),
        ("VID",),
        ("Male", "Female"),
        ("Unique Identification Authority",),
    ),
)
NRIC = _national_id(
    "nric",
    ("REPUBLIC OF SINGAPORE", "NRIC", "IDENTITY CARD NO"),
    NumberRule(
        "nric",
        "Singapore NRIC/FIN with a valid check letter",
        (
            Window(("NRIC", "FIN", "IDENTITY CARD NO", "IDENTITY CARD"), 200, 10, Strength.STRONG),
            # Under a number label OCR could not read, the issuing state still names the card.
            Window(("REPUBLIC OF SINGAPORE",), 200, 10, Strength.MEDIUM),
        ),
        # OCR reads the S prefix as '$' or '5', the check letter in lower case (z, s, x, c…),
        # and I or Z as the digit of its shape; the check letter still has to match.
        pattern=re.compile(
            r"(?<![A-Z0-9])([STFG$5])(?P<digits>[0-9]{7})([A-Za-z12])(?![A-Za-z0-9])"
        ),
        normalize=lambda number: (
            _NRIC_LOOKALIKES.get(number[0], number[0])
            + number[1:8]
            + _NRIC_LOOKALIKES.get(number[8], number[8]).upper()
        ),
        validator=nric_valid,
        mask=partial(mask_number, keep=1),
    ),
    Lexicon.of(
        ("REPUBLIC OF SINGAPORE",),
        ("IDENTITY CARD NO", "NRIC"),
        ("Race",),
        ("Date of birth",),
        ("Country/Place of birth", "Place of birth"),
        ("Sex",),
    ),
)
SSN = _national_id(
    "ssn",
    ("Social Security", "SSN"),
    NumberRule(
        "ssn",
        "structurally valid SSN",
        (
            Window(
                ("Social Security", "SSN"),
                60,
                10,
                where=" next to {label!r} (SSNs have no check digit)",
            ),
        ),
        pattern=re.compile(r"(?<![0-9])([0-9]{3})[- ]([0-9]{2})[- ]([0-9]{4})(?![0-9])"),
        validator=ssn.is_valid,
        mask=partial(mask_number, group=0),
    ),
    Lexicon.of(
        ("SOCIAL SECURITY",),
        ("SSN",),
        ("THIS NUMBER HAS BEEN ESTABLISHED FOR",),
        ("SIGNATURE",),
    ),
)
CN_RIC = _national_id(
    "cn_ric",
    ("居民身份证", "公民身份号码"),
    NumberRule(
        "cn_ric",
        "Chinese resident ID passing MOD 11-2 with a valid birth date",
        (Window(("公民身份号码", "身份证"), 60, 10, Strength.STRONG),),
        pattern=re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx])(?![0-9A-Za-z])"),
        validator=ric.is_valid,
    ),
    Lexicon.of(
        ("居民身份证",),
        ("公民身份号码",),
        ("民族",),
        ("住址",),
        ("签发机关",),
        ("有效期限",),
        ("姓名",),
    ),
)
KR_RRN = _national_id(
    "kr_rrn",
    ("주민등록",),
    NumberRule(
        "kr_rrn",
        "Korean RRN shape",
        (Window(("주민등록",), 60, 10, where=" next to {label}"),),
        pattern=re.compile(r"(?<![0-9])([0-9]{6})-([0-9]{7})(?![0-9])"),
        # The checksum stopped being meaningful in 2020: a fit is noted, a misfit tells nothing.
        validator=lambda number: rrn.is_valid(number) or None,
        valid_note=" (pre-2020 checksum fits)",
        mask=partial(mask_number, group=0),
    ),
    Lexicon.of(("주민등록증",), ("주민등록번호",), ("성명",), ("발행일",)),
)
