"""OCR through the tesseract binary: Japanese labels, rotated cards, no temp files, time bound."""

from __future__ import annotations

import io
import tempfile

import pytest
from PIL import Image, ImageDraw, ImageFont

from bucketscan.policies.extract import ExtractLimits, extract, ocr_available
from bucketscan.policies.extract.ocr import run_tesseract

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(not ocr_available(), reason="tesseract not installed"),
]
FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"


def _card() -> Image.Image:
    """An ID-1 sized card (1011x638, 300 dpi) with Japanese labels and a 12-digit number."""
    card = Image.new("RGB", (1011, 638), (235, 240, 250))
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(FONT, 40)
    draw.text((50, 60), "氏名 山田 太郎", font=font, fill="black")
    draw.text((50, 160), "住所 東京都千代田区霞が関", font=font, fill="black")
    draw.text((50, 300), "個人番号 1234 5678 9018", font=font, fill="black")
    return card


def _on_table(card: Image.Image, turn: int) -> bytes:
    table = Image.new("RGB", (1500, 1100), (70, 60, 50))
    table.paste(card, (240, 230))
    buffer = io.BytesIO()
    table.rotate(turn, expand=True).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_card_text_is_read_at_any_right_angle(turn: int) -> None:
    document = extract(_on_table(_card(), turn), "IMG_0001.jpg")
    text = document.text.replace(" ", "")
    assert "個人番号" in text
    assert "氏名" in text
    assert "123456789018" in text
    cues = document.pages[0].cues
    assert cues is not None and cues.card_shape == "id1"


def test_no_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was requested")

    for function in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile", "mktemp"):
        monkeypatch.setattr(tempfile, function, refuse)
    document = extract(_on_table(_card(), 0), "scan.jpg")
    assert "個人番号" in document.text.replace(" ", "")


def test_timeout_is_enforced_and_noted() -> None:
    text, problem = run_tesseract(_card(), ["-l", "jpn", "--psm", "3"], timeout_s=0.01)
    assert text == ""
    assert problem is not None and "timeout" in problem


def test_ocr_disabled_is_visible_in_notes() -> None:
    document = extract(_on_table(_card(), 0), "scan.jpg", ExtractLimits(ocr=False))
    assert "個人番号" not in document.text
    assert any("OCR skipped" in note for note in document.notes)
