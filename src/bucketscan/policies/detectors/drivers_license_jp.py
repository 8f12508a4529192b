"""Japanese driver's licence (運転免許証): 第NNNNNNNNNNNN号 with a 公安委員会 prefix, plus labels.

Example: "番号 第 309012345620 号 … 東京都公安委員会" -> drivers_license_jp. The community check
digit only adds a weak boost; a number that fails it is still a licence number.
"""

from __future__ import annotations

import re

from bucketscan.policies.detectors.common import card_signal, is_image, label_signal
from bucketscan.policies.detectors.context import Lexicon, any_label
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import Document, Evidence, Signal, Strength

NAME = "drivers_license_jp"
# 公安委員会 codes (first two digits), ID_FORMATS §2.1.
PREFIXES = frozenset(
    (*range(10, 15), *range(20, 26), 30, *range(40, 56), *range(60, 66), *range(70, 75))
) | frozenset((*range(80, 84), *range(90, 98)))
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 第 and 号 around the number; OCR often loses one of them (or reads 号 as 回), never both here.
_NUMBER = re.compile(
    r"第[ \t\u3000]*((?:[0-9OIl][ \t]?){11}[0-9OIl])(?![0-9])"
    r"|(?<![0-9])((?:[0-9OIl][ \t]?){11}[0-9OIl])[ \t\u3000]*[号回]"
)
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "l": "1"})
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
_PREFILTER = ("第", "号", "免許", "公安委員会")


def check_digit_ok(number: str) -> bool:
    """The unofficial check digit (11 - Σ d·w mod 11) mod 10 over digits 1-10 (boost only)."""
    total = sum(int(d) * w for d, w in zip(number[:10], _WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(number[10])


def number_signals(text: str) -> tuple[Signal, ...]:
    """Medium for 第…号 with a valid prefix code; a weak boost when the check digit also fits."""
    for match in _NUMBER.finditer(text):
        raw = re.sub(r"\s", "", match.group(1) or match.group(2))
        if sum(not char.isdigit() for char in raw) > 1:
            continue
        number = raw.translate(_CONFUSIONS)
        if int(number[:2]) not in PREFIXES:
            continue
        snippet = "第 " + mask_number(number, group=0) + " 号"
        found = [
            Signal(
                NAME,
                "license_number",
                Strength.MEDIUM,
                f"第…号 12-digit number with 公安委員会 code {number[:2]}",
                snippet,
            )
        ]
        if check_digit_ok(number):
            found.append(
                Signal(NAME, "check_digit", Strength.WEAK, "unofficial licence check digit fits")
            )
        return tuple(found)
    return ()


def _class_signal(text: str) -> Signal | None:
    classes = [name for name in _CLASSES if name in text]
    if len(classes) < 4:
        return None
    return Signal(NAME, "license_classes", Strength.WEAK, f"{len(classes)} licence class names")


class DriversLicenseJpDetector:
    """運転免許証 (and 運転経歴証明書) front side."""

    name = NAME

    def applies(self, doc: Document) -> bool:
        """Licence words or a 第…号 number."""
        return any_label(doc.text, _PREFILTER)

    def inspect(self, doc: Document) -> Evidence | None:
        """Number (medium) + labels (medium) or + card layout (medium); weak signals rank."""
        text = doc.text
        candidates = [
            *number_signals(text),
            label_signal(NAME, LABELS, text, "driver's licence"),
            _class_signal(text),
            card_signal(NAME, doc, "id1") if is_image(doc) else None,
            filename_signal(NAME, NAME, doc.name),
        ]
        return conclude(NAME, NAME, [s for s in candidates if s is not None])
