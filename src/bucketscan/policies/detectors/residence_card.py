"""Residence card (在留カード) and special permanent resident certificate (特別永住者証明書).

Example: "在留カード RESIDENCE CARD 番号 NUMBER AB12345678CD" -> residence_card_jp. The number
has no public check digit, so it is medium near its label and needs labels or the card layout too.
"""

from __future__ import annotations

import re

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import Family, NumberRule, Window
from bucketscan.records.content import CardShape, DocumentType

# Two letters, of which OCR may have read one as the digit it resembles (Z as 2, L as 1).
_LETTERS = "(?:[A-Z][A-Z0125678]|[A-Z0125678][A-Z])"
LABELS = Lexicon.of(
    ("在留カード", "RESIDENCE CARD"),
    (
        "特別永住者証明書",
        "永住者証明書",
        "SPECIAL PERMANENT RESIDENT",
        "PERMANENT RESIDENT CERTIFICATE",
    ),
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

RESIDENCE_CARD = Family(
    name="residence_card",
    document_type=DocumentType.RESIDENCE_CARD_JP,
    description="residence card",
    labels=LABELS,
    titles=(
        "在留カード",
        "RESIDENCE CARD",
        "特別永住者証明書",
        "永住者証明書",  # its head is the first word lost under a thumb or glare
        "SPECIAL PERMANENT RESIDENT",
        "PERMANENT RESIDENT CERTIFICATE",
    ),
    numbers=(
        NumberRule(
            "card_number",
            "2 letters + 8 digits + 2 letters",
            # The card's own name stands beside its number where OCR lost the number label.
            (Window(("番号", "NUMBER", "証明書番号", *LABELS.groups[0], *LABELS.groups[1]), 40),),
            pattern=re.compile(
                rf"(?<![A-Z0-9]){_LETTERS}[ \t]?(?P<digits>[0-9OIl]{{8}})[ \t]?{_LETTERS}"
                r"(?![A-Z0-9])"
            ),
        ),
    ),
    shapes=frozenset({CardShape.ID1}),
)
