"""Pure pieces of reading: lines into rows at any angle, MRZ lines, CJK variants, garbled PDFs."""

from __future__ import annotations

import math

import pytest

from bucketscan.policies.extract.lines import dominant_angle, mrz_line, reading, upright_turn
from bucketscan.policies.extract.pdf import garbled
from bucketscan.policies.extract.ppocr import OcrLine
from bucketscan.policies.extract.variants import fold


def _line(text: str, x: float, y: float, angle: float = 0.0, height: float = 20.0) -> OcrLine:
    """A line of `text` starting at (x, y) in a frame turned by `angle` degrees."""
    length = 20.0 * len(text)
    theta = math.radians(angle)
    along, across = (math.cos(theta), math.sin(theta)), (-math.sin(theta), math.cos(theta))

    def at(a: float, b: float) -> tuple[float, float]:
        px, py = x + a, y + b
        return (
            px * along[0] + py * across[0],
            px * along[1] + py * across[1],
        )

    quad = (at(0, 0), at(length, 0), at(length, height), at(0, height))
    return OcrLine(text, 0.95, quad)


PAGE = [("氏名", 0, 0), ("山田花子", 120, 2), ("住所", 0, 60), ("東京都千代田区", 120, 58)]


@pytest.mark.parametrize("angle", [0, 37, 90, 180, 270, 333])
def test_rows_follow_the_reading_direction(angle: float) -> None:
    lines = [_line(text, x, y, angle) for text, x, y in reversed(PAGE)]
    read = reading(lines)
    assert read.text.splitlines() == ["氏名山田花子", "住所東京都千代田区"]
    assert read.turn == upright_turn(angle)
    assert abs((dominant_angle(lines) - angle + 180) % 360 - 180) < 1


@pytest.mark.parametrize(
    ("angle", "turn"), [(0, 0), (8, 0), (90, 270), (181, 180), (268, 90), (355, 0)]
)
def test_upright_turn(angle: float, turn: int) -> None:
    assert upright_turn(angle) == turn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        ),
        ("idd«t2200«", None),  # too short
        ("I<UTOD231458907«<<<<<<<<<<<<<", "I<UTOD231458907<<<<<<<<<<<<<<<"),
        ("MUSTERMANN くERIKA<<<<<<<<<<<<<", "MUSTERMANN<ERIKA<<<<<<<<<<<<<"),
        ("REPUBLIQUE FRANCAISE IDENTITY CARD", None),  # no filler
    ],
)
def test_mrz_line(text: str, expected: str | None) -> None:
    assert mrz_line(text) == expected


def test_mrz_line_split_in_two_boxes_joins_up() -> None:
    lines = [_line("IDD<<T220001293", 0, 0), _line("<<<<<<<<<<<<<<<", 320, 0)]
    assert reading(lines).mrz == ("IDD<<T220001293<<<<<<<<<<<<<<<",)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("被保険者证", "被保険者証"),
        ("性别 女", "性別 女"),
        ("在留期间（满了日）", "在留期間（満了日）"),
        ("电子证明书", "電子証明書"),
        ("カ一ド", "カード"),  # the kanji 一 read for a long-vowel mark
        ("一二三 東京都", "一二三 東京都"),  # Japanese text is left as it is
        ("ASCII only", "ASCII only"),
    ],
)
def test_cjk_variants_fold_to_japanese_forms(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("履歴書 氏名 山田太郎 2024年 東京都千代田区", False),
        ("John Doe — Software Engineer, Zürich", False),
        ("㺿 婹 剹 2024 䌑 02 劓 23 傽槁㐂 ؀ֹג ׺׊׀׿׽ םֿ׽ר 宋 ⻏", True),
        ("\ue001\ue002\ue003 abc", True),
        ("12345 — 67890", False),
    ],
)
def test_garbled_text_layer(text: str, expected: bool) -> None:
    assert garbled(text) is expected
