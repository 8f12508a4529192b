"""Residence card (在留カード) and special permanent resident certificate (特別永住者証明書).

Example: "在留カード RESIDENCE CARD 番号 NUMBER AB12345678CD" -> residence_card_jp. The number
has no public check digit, so it is medium near its label and needs labels or the card layout too.
"""

from __future__ import annotations

import re

from bucketscan.policies.detectors.common import TitledDetector
from bucketscan.policies.detectors.context import Lexicon, label_near
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import Signal, Strength

NAME = "residence_card"
DOCUMENT_TYPE = "residence_card_jp"
_NUMBER = re.compile(r"(?<![A-Z0-9])([A-Z]{2})[ \t]?([0-9OIl]{8})[ \t]?([A-Z]{2})(?![A-Z0-9])")
_NUMBER_LABELS = ("番号", "NUMBER", "在留カード", "証明書番号", "RESIDENCE CARD")
_TITLES = ("在留カード", "RESIDENCE CARD", "特別永住者証明書", "SPECIAL PERMANENT RESIDENT")
LABELS = Lexicon.of(
    ("在留カード", "RESIDENCE CARD"),
    ("特別永住者証明書", "SPECIAL PERMANENT RESIDENT"),
    ("在留資格", "STATUS"),
    ("在留期間", "PERIOD OF STAY"),
    ("就労制限の有無", "就労制限"),
    ("国籍・地域", "NATIONALITY/REGION"),
    ("住居地",),
    ("許可の種類", "許可年月日"),
    ("PERIOD OF VALIDITY OF THIS CARD", "このカードは"),
    ("法務大臣", "出入国在留管理庁長官"),
    ("資格外活動許可",),
)


def number_signal(text: str) -> Signal | None:
    """2 letters + 8 digits + 2 letters next to 番号/NUMBER/在留カード: medium (no checksum)."""
    for match in _NUMBER.finditer(text):
        digits = match.group(2)
        if sum(not char.isdigit() for char in digits) > 1:
            continue
        label = label_near(text, match.start(), match.end(), _NUMBER_LABELS, 40, 10)
        if label:
            number = match.group(1) + digits + match.group(3)
            reason = f"2 letters + 8 digits + 2 letters next to {label!r}"
            return Signal(NAME, "card_number", Strength.MEDIUM, reason, mask_number(number))
    return None


DETECTOR = TitledDetector(
    NAME, DOCUMENT_TYPE, _TITLES, LABELS, number_signal, "residence card", card=True
)
