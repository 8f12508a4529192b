"""My Number (個人番号): 12 digits, mod-11 check (stdnum.jp.in_), label in a character window.

Example: "個人番号 6214 9832 0257" -> my_number_card, strong signal "個人番号 **** **** 0257".
An invoice whose order number passes the checksum without a label stays quiet; the number in the
card's decoded QR code is strong by itself.
"""

from __future__ import annotations

from functools import partial

from stdnum.jp import in_ as my_number

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import Family, NumberRule, Window
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import CardShape, DocumentType, Strength

NUMBER_LABELS = ("個人番号", "マイナンバー", "My Number", "Individual Number", "通知カード")
CARD_LABELS = Lexicon.of(
    ("個人番号カード", "マイナンバーカード", "Individual Number Card"),
    ("通知カード",),
    ("個人番号通知書",),
    ("電子証明書の有効期限", "電子証明書"),
    ("臓器提供",),
    ("セキュリティコード",),
    ("サインパネル",),
    ("まで有効",),
    ("個人番号", "マイナンバー", "My Number"),
)
WIDE = 200  # characters: "near a label" for a medium signal (the strong window is 30/10)

MY_NUMBER = Family(
    name="my_number",
    document_type=DocumentType.MY_NUMBER_CARD,
    description="My Number card",
    labels=CARD_LABELS,
    titles=(*CARD_LABELS.groups[0], *CARD_LABELS.groups[1], *CARD_LABELS.groups[2]),
    keywords=(*NUMBER_LABELS, *CARD_LABELS.spellings()),
    numbers=(
        NumberRule(
            "my_number",
            "12-digit number passing the My Number check digit",
            (
                Window(NUMBER_LABELS, strength=Strength.STRONG),
                Window(NUMBER_LABELS, WIDE, WIDE, Strength.MEDIUM, ", {label!r} nearby"),
            ),
            digits=12,
            validator=my_number.is_valid,
            codes=("QR",),
            mask=partial(mask_number, label="個人番号"),
        ),
    ),
    shapes=frozenset({CardShape.ID1}),
    # The notification letter mentions 個人番号カード in its notes; the cards never name 通知書.
    variants=((DocumentType.MY_NUMBER_NOTIFICATION, ("通知カード", "個人番号通知書")),),
)
