"""Japanese driver's licence (運転免許証): 第NNNNNNNNNNNN号 with a 公安委員会 prefix, plus labels.

Example: "番号 第 309012345620 号 … 東京都公安委員会" -> drivers_license_jp. The community check
digit only adds a weak boost; a number that fails it is still a licence number.
"""

from __future__ import annotations

import re

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import (
    Family,
    NumberRule,
    Window,
    best_number,
    read_card,
    read_filename,
    read_labels,
    read_number,
)
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import CardShape, Document, DocumentType, Signal, Strength

# 公安委員会 codes (first two digits), ID_FORMATS §2.1.
PREFIXES = frozenset(
    (*range(10, 15), *range(20, 26), 30, *range(40, 56), *range(60, 66), *range(70, 75))
) | frozenset((*range(80, 84), *range(90, 98)))
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
LABELS = Lexicon.of(
    ("運転免許証", "運転免許", "免許証"),
    ("公安委員会",),
    ("免許の条件等", "免許の", "条件等"),
    ("眼鏡等", "AT車に限る"),
    ("優良",),
    # OCR reads the kanji 二 as the katakana ニ; the date acquisition row keeps 小・原
    ("二・小・原", "二·小·原", "ニ・小・原", "小・原"),
    ("二種",),
    ("種類",),
    ("まで有効",),
    # validity printed in both calendars, "2028年(令和10年)07月01日まで有効": the licence's own
    ("年(令和", "年(平成"),
    ("本籍",),
    ("交付",),
    ("運転経歴証明書",),
)
_CLASSES = ("大型", "中型", "準中型", "普通", "大特", "大自二", "普自二", "小特", "原付", "け引")


def check_digit_ok(number: str) -> bool:
    """The unofficial check digit (11 - Σ d·w mod 11) mod 10 over digits 1-10 (boost only)."""
    total = sum(int(d) * w for d, w in zip(number[:10], _WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(number[10])


def _check_digit(family: Family, doc: Document) -> Signal | None:
    """Weak: the licence number also fits the unofficial check digit."""
    hit = best_number(family.name, family.numbers, doc.text)
    if hit is None or not check_digit_ok(hit.number):
        return None
    return Signal(family.name, "check_digit", Strength.WEAK, "unofficial licence check digit fits")


def _classes(family: Family, doc: Document) -> Signal | None:
    """Weak: four or more licence class names (the class table of the card)."""
    classes = [name for name in _CLASSES if name in doc.text]
    if len(classes) < 4:
        return None
    return Signal(
        family.name, "license_classes", Strength.WEAK, f"{len(classes)} licence class names"
    )


DRIVERS_LICENSE_JP = Family(
    name="drivers_license_jp",
    document_type=DocumentType.DRIVERS_LICENSE_JP,
    description="driver's licence",
    labels=LABELS,
    keywords=("第", "号", "免許", "公安委員会"),
    numbers=(
        NumberRule(
            "license_number",
            "第…号 12-digit number with 公安委員会 code {number:.2}",
            (Window(where=""),),  # 第 and 号 are its label
            # OCR often loses one of 第 and 号 (or reads 号 as 回), never both here.
            pattern=re.compile(
                r"第[ \t\u3000]*((?:[0-9OIl][ \t]?){11}[0-9OIl])(?![0-9])"
                r"|(?<![0-9])((?:[0-9OIl][ \t]?){11}[0-9OIl])[ \t\u3000]*[号回]"
            ),
            validator=lambda number: int(number[:2]) in PREFIXES,  # a 公安委員会 code
            mask=lambda number: f"第 {mask_number(number, group=0)} 号",
        ),
    ),
    shapes=frozenset({CardShape.ID1}),
    sources=(read_number, _check_digit, read_labels, _classes, read_card, read_filename),
)
