"""Health-insurance card (健康保険証) and 資格確認書: Luhn-valid 保険者番号 near its label + labels.

Example: "保険者番号 33120015 … 健康保険被保険者証 記号 番号 枝番" -> health_insurance_jp.
"""

from __future__ import annotations

from stdnum import luhn

from bucketscan.policies.detectors.common import TitledDetector
from bucketscan.policies.detectors.context import Lexicon, digit_runs, label_near
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import Signal, Strength

NAME = "health_insurance"
DOCUMENT_TYPE = "health_insurance_jp"
# OCR keeps the label's head even when it garbles its last character (保険者番号 -> 保険者番弓).
_NUMBER_LABELS = ("保険者番号", "保険者番", "保険者No")
_TITLES = (
    "被保険者証",
    "保険者番号",
    "資格確認書",
    "資格情報のお知らせ",
    "組合員証",
    "健康保険",
)
WIDE = 200
_CARD_TITLES = ("被保険者証", "資格確認書", "資格情報のお知らせ", "組合員証")
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


def number_signal(text: str) -> Signal | None:
    """A Luhn-valid 8/6-digit 保険者番号 (OCR spacing and one misread tolerated), label or title."""
    runs = sorted((*digit_runs(text, 8), *digit_runs(text, 6)), key=lambda run: run.start)
    for run in runs:
        number = run.digits
        if not luhn.is_valid(number):
            continue
        label = label_near(text, run.start, run.end, _NUMBER_LABELS, 20, 0)
        title = len(number) == 8 and label_near(text, run.start, run.end, _CARD_TITLES, WIDE, WIDE)
        if label or title:
            where = "after its label" if label else f"on a {title!r}"
            return Signal(
                NAME,
                "insurer_number",
                Strength.MEDIUM,
                f"{len(number)}-digit 保険者番号 passing its Luhn check digit {where}",
                mask_number(number, label="保険者番号"),
            )
    return None


DETECTOR = TitledDetector(
    NAME, DOCUMENT_TYPE, _TITLES, LABELS, number_signal, "health insurance", card=False
)
