"""Health-insurance card (健康保険証) and 資格確認書: Luhn-valid 保険者番号 near its label + labels.

Example: "保険者番号 33120015 … 健康保険被保険者証 記号 番号 枝番" -> health_insurance_jp.
"""

from __future__ import annotations

from functools import partial

from stdnum import luhn

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import Family, NumberRule, Window
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import CardShape, DocumentType

# OCR keeps the label's head even when it garbles its last character (保険者番号 -> 保険者番弓).
_AFTER_LABEL = Window(("保険者番号", "保険者番", "保険者No"), 20, 0, where=" after its label")
# An 8-digit number (not a 6-digit 国保 one, too like a date) may stand anywhere on a card.
_ON_CARD = Window(
    ("被保険者証", "資格確認書", "資格情報のお知らせ", "組合員証"),
    200,
    200,
    where=" on a {label!r}",
)
LABELS = Lexicon.of(
    ("健康保険被保険者証", "国民健康保険被保険者証", "被保険者証", "組合員証"),
    ("資格確認書", "資格情報のお知らせ"),
    ("被保険者", "被扶養者"),
    ("記号",),
    ("枝番",),
    ("保険者番号",),
    ("保険者名称",),
    ("事業所名称",),
    ("資格取得年月日", "認定年月日"),
    ("交付年月日", "交付"),
    ("一部負担金", "負担割合"),
)


def _insurer_number(digits: int, *windows: Window) -> NumberRule:
    """保険者番号 of `digits` digits with its Luhn check digit."""
    return NumberRule(
        "insurer_number",
        f"{digits}-digit 保険者番号 passing its Luhn check digit",
        windows,
        digits=digits,
        validator=luhn.is_valid,
        mask=partial(mask_number, label="保険者番号"),
    )


HEALTH_INSURANCE = Family(
    name="health_insurance",
    document_type=DocumentType.HEALTH_INSURANCE_JP,
    description="health insurance",
    labels=LABELS,
    titles=("被保険者証", "保険者番号", "資格確認書", "資格情報のお知らせ", "組合員証", "健康保険"),
    numbers=(_insurer_number(8, _AFTER_LABEL, _ON_CARD), _insurer_number(6, _AFTER_LABEL)),
    shapes=frozenset({CardShape.ID1}),
    portrait=False,
)
