"""Foreign identity documents: US driver's licence (labels, AAMVA barcode) and national IDs.

Examples: "@\\n\\x1e\\rANSI 636014…DAQ…" (AAMVA PDF417) -> drivers_license_us, strong;
"Government of India … 2341 2341 2346" (Verhoeff) -> foreign_id; "S1234567D" next to NRIC.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum.cn import ric
from stdnum.in_ import aadhaar
from stdnum.kr import rrn
from stdnum.us import ssn

from bucketscan.policies.detectors.common import card_signal, is_image, label_signal
from bucketscan.policies.detectors.context import Lexicon, any_label, digit_runs, label_near
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude, rank
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import Document, Evidence, Signal, Strength

US_NAME = "drivers_license_us"
FOREIGN_NAME = "foreign_ids"
_AAMVA = re.compile(r"@?\s*\x1e?\s*ANSI ?([0-9]{6})([0-9]{2})")
_US_TITLES = ("DRIVER LICENSE", "DRIVER'S LICENSE", "DRIVERS LICENSE", "DRIVER LICENCE")
US_LABELS = Lexicon.of(
    _US_TITLES,
    ("DL", "DLN", "LIC#"),
    ("CLASS",),
    ("DOB",),
    ("EXP", "EXPIRES"),
    ("ISS", "ISSUED"),
    ("RESTR", "RESTRICTIONS"),
    ("END", "ENDORSEMENTS"),
    ("LN",),
    ("FN",),
    ("SEX",),
    ("HGT", "EYES"),
)


def _aamva_signal(text: str) -> Signal | None:
    match = _AAMVA.search(text)
    if match is None or "DAQ" not in text[match.end() : match.end() + 400]:
        return None
    return Signal(
        US_NAME,
        "aamva_barcode",
        Strength.STRONG,
        f"AAMVA PDF417 header (IIN {match.group(1)}, version {match.group(2)}) with DAQ",
        "ANSI ****** DAQ ********",
    )


_US_DATE = re.compile(r"(?<![0-9])(?:0[1-9]|1[0-2])/(?:0[1-9]|[12][0-9]|3[01])/(?:19|20)[0-9]{2}")
_US_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{6,8}(?![A-Za-z0-9])")


def _card_data_signal(text: str) -> Signal | None:
    """Licence data when OCR lost the small field labels: a number-like token and 3+ dates."""
    dates = _US_DATE.findall(text)
    number = _US_NUMBER.search(text)
    if len(set(dates)) < 3 or number is None:
        return None
    reason = f"licence-number-like token and {len(set(dates))} dates (birth, issue, expiry)"
    return Signal(US_NAME, "card_data", Strength.MEDIUM, reason, mask_number(number.group(0)))


_FIELD_LABELS_WITHOUT_TITLE = 6  # so many licence field labels stand in for a lost title


def _licence_fields(text: str) -> bool:
    """A licence title, or many of its field labels (a stylised title band often OCRs to junk)."""
    return any_label(text, _US_TITLES) or len(US_LABELS.found(text)) >= _FIELD_LABELS_WITHOUT_TITLE


class UsDriversLicenseDetector:
    """US driver's licence: the AAMVA barcode alone, or title + labels + card layout."""

    name = US_NAME

    def applies(self, doc: Document) -> bool:
        """A licence title (or many of its field labels) or an AAMVA header."""
        text = doc.text
        return "ANSI" in text or _licence_fields(text)

    def inspect(self, doc: Document) -> Evidence | None:
        """Barcode (strong); labels (medium) + card layout (medium).

        Without a title, the field labels count only on a photographed card (the title band is
        what OCR loses first), never in plain text.
        """
        text = doc.text
        labels = label_signal(US_NAME, US_LABELS, text, "US driver's licence")
        layout = card_signal(US_NAME, doc, "id1") if is_image(doc) else None
        fields = any_label(text, _US_TITLES) or (layout is not None and _licence_fields(text))
        candidates = [
            _aamva_signal(text),
            labels if fields else None,
            _card_data_signal(text) if fields else None,
            layout,
            filename_signal(US_NAME, US_NAME, doc.name),
        ]
        return conclude(US_NAME, US_NAME, [s for s in candidates if s is not None])


# --- national identity numbers -------------------------------------------------------------

# OCR often reads the check letter in lower case (z, s, x, c…).
_NRIC = re.compile(r"(?<![A-Z0-9])([STFG$])([0-9]{7})([A-Za-z])(?![A-Za-z0-9])")
_NRIC_LETTERS = {"ST": "JZIHGFEDCBA", "FG": "XWUTRQPNMLK"}
_SSN = re.compile(r"(?<![0-9])([0-9]{3})[- ]([0-9]{2})[- ]([0-9]{4})(?![0-9])")
_RIC = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx])(?![0-9A-Za-z])")
_RRN = re.compile(r"(?<![0-9])([0-9]{6})-([0-9]{7})(?![0-9])")


def nric_valid(number: str) -> bool:
    """The Singapore NRIC/FIN check letter for the S, T, F and G series."""
    prefix, digits, letter = number[0], number[1:8], number[8]
    total = sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += 4 if prefix in "TG" else 0
    table = _NRIC_LETTERS["ST" if prefix in "ST" else "FG"]
    return table[total % 11] == letter


def _aadhaar(text: str) -> Signal | None:
    if not any_label(text, ("Aadhaar", "आधार", "UIDAI", "Government of India")):
        return None
    for run in digit_runs(text, 12, max_repairs=0):
        if aadhaar.is_valid(run.digits):
            return Signal(
                FOREIGN_NAME,
                "aadhaar",
                Strength.STRONG,
                "12-digit Aadhaar number passing Verhoeff on an Aadhaar document",
                mask_number(run.digits),
            )
    return None


def _nric(text: str) -> Signal | None:
    labels = ("NRIC", "FIN", "IDENTITY CARD NO", "IDENTITY CARD")
    for match in _NRIC.finditer(text):
        number = match.group(0).replace("$", "S").upper()  # OCR reads the S prefix as '$'
        label = label_near(text, match.start(), match.end(), labels, 200, 10)
        if label and nric_valid(number):
            return Signal(
                FOREIGN_NAME,
                "nric",
                Strength.STRONG,
                f"Singapore NRIC/FIN with a valid check letter next to {label!r}",
                mask_number(number, keep=1),
            )
    return None


def _ssn(text: str) -> Signal | None:
    for match in _SSN.finditer(text):
        number = "".join(match.groups())
        label = label_near(text, match.start(), match.end(), ("Social Security", "SSN"), 60, 10)
        if label and ssn.is_valid(number):
            return Signal(
                FOREIGN_NAME,
                "ssn",
                Strength.MEDIUM,
                f"structurally valid SSN next to {label!r} (SSNs have no check digit)",
                mask_number(number, group=0),
            )
    return None


def _ric(text: str) -> Signal | None:
    for match in _RIC.finditer(text):
        label = label_near(text, match.start(), match.end(), ("公民身份号码", "身份证"), 60, 10)
        if label and ric.is_valid(match.group(1)):
            return Signal(
                FOREIGN_NAME,
                "cn_ric",
                Strength.STRONG,
                f"Chinese resident ID passing MOD 11-2 with a valid birth date next to {label!r}",
                mask_number(match.group(1)),
            )
    return None


def _rrn(text: str) -> Signal | None:
    for match in _RRN.finditer(text):
        label = label_near(text, match.start(), match.end(), ("주민등록",), 60, 10)
        if label:
            # The checksum stopped being meaningful in 2020, so it only lifts confidence.
            valid = rrn.is_valid(match.group(0))
            return Signal(
                FOREIGN_NAME,
                "kr_rrn",
                Strength.MEDIUM,
                "Korean RRN shape next to 주민등록"
                + (" (pre-2020 checksum fits)" if valid else ""),
                mask_number("".join(match.groups()), group=0),
            )
    return None


_FAMILIES: tuple[tuple[tuple[str, ...], Callable[[str], Signal | None], Lexicon], ...] = (
    (
        ("Aadhaar", "आधार", "UIDAI", "Government of India"),
        _aadhaar,
        Lexicon.of(
            ("Aadhaar", "आधार"),
            ("Government of India",),
            ("UIDAI",),
            ("DOB",),
            ("VID",),
            ("Male", "Female"),
            ("Unique Identification Authority",),
        ),
    ),
    (
        ("REPUBLIC OF SINGAPORE", "NRIC", "IDENTITY CARD NO"),
        _nric,
        Lexicon.of(
            ("REPUBLIC OF SINGAPORE",),
            ("IDENTITY CARD NO", "NRIC"),
            ("Race",),
            ("Date of birth",),
            ("Country/Place of birth", "Place of birth"),
            ("Sex",),
        ),
    ),
    (
        ("Social Security", "SSN"),
        _ssn,
        Lexicon.of(
            ("SOCIAL SECURITY",),
            ("SSN",),
            ("THIS NUMBER HAS BEEN ESTABLISHED FOR",),
            ("SIGNATURE",),
        ),
    ),
    (
        ("居民身份证", "公民身份号码"),
        _ric,
        Lexicon.of(
            ("居民身份证",),
            ("公民身份号码",),
            ("民族",),
            ("住址",),
            ("签发机关",),
            ("有效期限",),
            ("姓名",),
        ),
    ),
    (
        ("주민등록",),
        _rrn,
        Lexicon.of(("주민등록증",), ("주민등록번호",), ("성명",), ("발행일",)),
    ),
)


class ForeignIdDetector:
    """Aadhaar, Singapore NRIC, US SSN card, Chinese RIC and Korean RRN (labels and checksums)."""

    name = FOREIGN_NAME

    def applies(self, doc: Document) -> bool:
        """Any family's title words."""
        text = doc.text
        return any(any_label(text, titles) for titles, _, _ in _FAMILIES)

    def inspect(self, doc: Document) -> Evidence | None:
        """The best-supported family: number check (strong/medium) + labels + card layout."""
        text = doc.text
        layout = card_signal(FOREIGN_NAME, doc, "id1") if is_image(doc) else None
        named = filename_signal(FOREIGN_NAME, "foreign_id", doc.name)
        found = []
        for titles, number, lexicon in _FAMILIES:
            if not any_label(text, titles):
                continue
            signals = [number(text), label_signal(FOREIGN_NAME, lexicon, text, "ID"), layout, named]
            evidence = conclude(FOREIGN_NAME, "foreign_id", [s for s in signals if s is not None])
            if evidence is not None:
                found.append(evidence)
        return max(found, key=rank) if found else None
