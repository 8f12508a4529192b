"""US driver's licence: the AAMVA PDF417 barcode alone, or title + labels + card layout.

Example: a decoded PDF417 "@\\n\\x1e\\rANSI 636014…DAQ…" -> drivers_license_us, strong. Without a
title, the field labels count only on a photographed card (the title band is what OCR loses first).
"""

from __future__ import annotations

import re

from bucketscan.policies.detectors.context import Lexicon, any_label
from bucketscan.policies.detectors.family import (
    Family,
    read_card,
    read_filename,
    read_labels,
    read_title,
)
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import CardShape, Document, DocumentType, Signal, Strength

_AAMVA = re.compile(r"@?\s*\x1e?\s*ANSI ?([0-9]{6})([0-9]{2})")
_TITLES = ("DRIVER LICENSE", "DRIVER'S LICENSE", "DRIVERS LICENSE", "DRIVER LICENCE")
LABELS = Lexicon.of(
    _TITLES,
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
_DATE = re.compile(r"(?<![0-9])(?:0[1-9]|1[0-2])/(?:0[1-9]|[12][0-9]|3[01])/(?:19|20)[0-9]{2}")
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{6,8}(?![A-Za-z0-9])")
_FIELD_LABELS_WITHOUT_TITLE = 6  # so many licence field labels stand in for a lost title


def _aamva(family: Family, doc: Document) -> Signal | None:
    """Strong: an AAMVA header with its DAQ (licence number) field in a decoded PDF417 code."""
    text = "\n".join(code.text for code in doc.codes if code.kind == "PDF417")
    match = _AAMVA.search(text)
    if match is None or "DAQ" not in text[match.end() : match.end() + 400]:
        return None
    return Signal(
        family.name,
        "aamva_barcode",
        Strength.STRONG,
        f"AAMVA PDF417 header (IIN {match.group(1)}, version {match.group(2)}) with DAQ",
        "ANSI ****** DAQ ********",
    )


def _many_fields(text: str) -> bool:
    return len(LABELS.found(text)) >= _FIELD_LABELS_WITHOUT_TITLE


def _fields(family: Family, doc: Document) -> bool:
    """A licence title, or many field labels on a photographed card."""
    text = doc.text
    return any_label(text, family.titles) or (
        read_card(family, doc) is not None and _many_fields(text)
    )


def _labels(family: Family, doc: Document) -> Signal | None:
    """The field labels, where they are a licence's (see `_fields`)."""
    return read_labels(family, doc) if _fields(family, doc) else None


def _card_data(family: Family, doc: Document) -> Signal | None:
    """Medium: licence data where OCR lost the small field labels, a number-like token and 3+
    dates (birth, issue, expiry)."""
    text = doc.text
    dates = set(_DATE.findall(text))
    number = _NUMBER.search(text)
    if len(dates) < 3 or number is None or not _fields(family, doc):
        return None
    reason = f"licence-number-like token and {len(dates)} dates (birth, issue, expiry)"
    return Signal(family.name, "card_data", Strength.MEDIUM, reason, mask_number(number.group(0)))


DRIVERS_LICENSE_US = Family(
    name="drivers_license_us",
    document_type=DocumentType.DRIVERS_LICENSE_US,
    description="US driver's licence",
    labels=LABELS,
    titles=_TITLES,
    shapes=frozenset({CardShape.ID1}),
    prefilter=lambda doc: (
        any(code.kind == "PDF417" for code in doc.codes) or _many_fields(doc.text)
    ),
    sources=(_aamva, _labels, read_title, _card_data, read_card, read_filename),
)
