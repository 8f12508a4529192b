"""CJK variant folding: characters a Chinese-trained OCR model returns in simplified form
(证, 别, 险, 间) are folded to their Japanese forms (証, 別, 険, 間) so Japanese lexicons match.

Only characters outside JIS X 0208 (not encodable in CP932) are folded, so Japanese text is left
as it is. OpenCC's simplified→traditional and traditional→Japanese tables do the mapping.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_KATAKANA_DASH = re.compile(r"(?<=[\u30a1-\u30fa])[一—－-](?=[\u30a1-\u30fa]|$)", re.MULTILINE)
_KATAKANA_KA = re.compile(r"力(?=[\u30a1-\u30fc])")  # the kanji 力 read for カ before katakana


@functools.cache
def _converters() -> tuple[Any, Any] | None:
    try:
        import opencc  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return opencc.OpenCC("s2t.json"), opencc.OpenCC("t2jp.json")


@functools.cache
def fold_char(char: str) -> str:
    """The Japanese form of one character, or the character itself."""
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        pass
    else:
        return char
    converters = _converters()
    if converters is None:
        return char
    to_traditional, to_japanese = converters
    folded: str = to_japanese.convert(to_traditional.convert(char))
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """Text with simplified CJK variants folded, and the kanji 一 and 力 read for the katakana
    ー and カ they resemble."""
    if not text.isascii():
        text = "".join(fold_char(char) if ord(char) >= 0x2E80 else char for char in text)
    return _KATAKANA_KA.sub("カ", _KATAKANA_DASH.sub("ー", text))
