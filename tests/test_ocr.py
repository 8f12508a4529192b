"""OCR through the tesseract binary: Japanese labels, rotated cards, no temp files, time bound."""

from __future__ import annotations

import io
import random
import tempfile

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bucketscan.policies.extract import ExtractLimits, extract, ocr_available, ppocr
from bucketscan.policies.extract.ocr import _from_tsv, run_tesseract
from bucketscan.synthetic import camera, cards, numbers
from bucketscan.synthetic.people import foreign_person, japanese_person

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(not ocr_available(), reason="tesseract not installed"),
]
FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
ENGINES = ["tesseract", *([] if ppocr.missing() else ["ppocr"])]


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
    document = extract(_on_table(_card(), 0), "scan.jpg", ExtractLimits(ocr_engine="none"))
    assert "個人番号" not in document.text
    assert any("OCR skipped" in note for note in document.notes)


def _cv_page() -> Image.Image:
    """An English CV page (A4 at 150 dpi) with body-size text."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 30)
    lines = ["Curriculum Vitae", "Experience", "Sales manager at Example Trading 2019 - Present"]
    lines += ["Education", "Bachelor of Economics 2011 - 2015", "Skills", "Languages"] * 2
    for row, line in enumerate(lines):
        draw.text((100, 120 + row * 70), line, font=font, fill="black")
    return page


@pytest.mark.parametrize("turn", [90, 270])
def test_page_turned_sideways_is_read_upright(turn: int) -> None:
    buffer = io.BytesIO()
    _cv_page().rotate(turn, expand=True).save(buffer, "PNG")
    document = extract(buffer.getvalue(), "scan.png")
    assert "Curriculum Vitae" in document.text
    assert "Education" in document.text


@pytest.mark.parametrize("engine", ENGINES)
def test_texture_without_text_is_read_as_nothing(engine: str) -> None:
    rng = np.random.default_rng(3)
    coarse = rng.normal(0, 1, (121, 161)).astype(np.float32)
    grey = np.clip(128 + cv2.resize(coarse, (1280, 960)) * 25, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(grey).convert("RGB").save(buffer, "JPEG")
    document = extract(buffer.getvalue(), "IMG_0002.jpg", ExtractLimits(ocr_engine=engine))
    assert document.text == ""
    assert document.unreadable is None  # nothing document-like: read, and nothing there
    if engine == "tesseract":
        assert any("no text-like line structure" in note for note in document.notes)


def _banded_card() -> Image.Image:
    """An ID-1 card whose title is printed white on a dark band, with dark body text."""
    card = Image.new("RGB", (1011, 638), (245, 245, 240))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 1011, 70), fill=(230, 120, 30))
    title = ImageFont.truetype(FONT, 36)
    body = ImageFont.truetype(FONT, 34)
    draw.text((300, 16), "Government of India", font=title, fill="white")
    for row, line in enumerate(["Sharma Priya", "DOB: 01/02/1990", "Male", "2341 2341 2346"]):
        draw.text((320, 140 + row * 80), line, font=body, fill="black")
    return card


@pytest.mark.parametrize("engine", ENGINES)
def test_light_title_on_a_dark_band_is_read(engine: str) -> None:
    limits = ExtractLimits(ocr_engine=engine)
    document = extract(_on_table(_banded_card(), 0), "IMG_0003.jpg", limits)
    assert "Government of India" in document.text  # the light title on its dark band
    assert "Sharma" in document.text and "Priya" in document.text


def _tsv(*words: tuple[str, float]) -> str:
    header = "\t".join(["level", "page_num", "block_num", "par_num", "line_num", "word_num"])
    header += "\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        f"5\t1\t1\t1\t1\t{i}\t0\t0\t10\t10\t{conf}\t{word}" for i, (word, conf) in enumerate(words)
    ]
    return "\n".join([header, *rows])


@pytest.mark.parametrize(
    ("words", "confidence"),
    [
        ((("氏名", 90.0), ("山田", 90.0)), 90.0),
        ((("DOB", 90.0), ("x", 30.0)), 75.0),  # weighted by characters: (3·90 + 30) / 4
        ((), 0.0),
    ],
)
def test_reading_confidence_is_character_weighted(
    words: tuple[tuple[str, float], ...], confidence: float
) -> None:
    assert _from_tsv(_tsv(*words))[2] == pytest.approx(confidence)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _japanese_letter() -> Image.Image:
    """An A4 letter (150 dpi) of Japanese body text, as a 個人番号通知書 is printed."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    lines = ["個人番号通知書", "あなたの個人番号をお知らせします。", "個人番号 1234 5678 9018"]
    lines += ["氏名 山田 太郎", "住所 東京都千代田区霞が関1丁目", "生年月日 平成2年4月1日"] * 3
    for row, line in enumerate(lines):
        draw.text((120, 140 + row * 80), line, font=font, fill="black")
    return page


def test_upside_down_japanese_page_is_turned_upright() -> None:
    document = extract(_png(_japanese_letter().rotate(180)), "scan.png")
    assert "個人番号通知書" in document.text.replace(" ", "")
    assert "image read after turning it 180°" in document.notes


def test_upside_down_phone_photo_of_a_letter_is_turned_upright() -> None:
    # Japanese read upside down can yield no confident character at all; clear text lines
    # still mean there is text to turn upright. (A synthetic letter the first reading missed.)
    rng = random.Random("nt5010:my_number_notification")
    person = japanese_person(rng)
    letter = cards.notification_letter(rng, person, numbers.my_number(rng))
    photo, _extension = camera.photo_rotated(rng, letter, False)
    document = extract(photo, "IMG_0004.jpg")
    assert "個人番号通知書" in document.text.replace(" ", "")


def _bordered_form() -> Image.Image:
    """An A4 form whose fields sit in a ruled table, as a 資格確認書 does."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 32)
    draw.text((120, 100), "資格確認書", font=font, fill="black")
    rows = [("氏名", "山田 太郎"), ("保険者番号", "33120015"), ("記号", "12345")]
    rows += [("事業所名称", "株式会社サンプル"), ("交付年月日", "令和7年4月1日")]
    for row, (label, value) in enumerate(rows):
        top = 220 + row * 90
        draw.rectangle((100, top, 1140, top + 90), outline="black", width=3)
        draw.line((420, top, 420, top + 90), fill="black", width=3)
        draw.text((120, top + 26), label, font=font, fill="black")
        draw.text((450, top + 26), value, font=font, fill="black")
    return page


def test_ruled_form_scanned_to_an_image_reads_its_cells() -> None:
    text = extract(_png(_bordered_form()), "scan.png").text.replace(" ", "")
    assert "33120015" in text and "事業所名称" in text


def test_light_titles_of_a_white_card_scanned_on_an_a4_pdf_are_read() -> None:
    # A white card on a white bed has no outline; its titles are printed light on colour bands.
    rng = random.Random("aadhaar-pdf-0")
    card = cards.aadhaar_card(rng, foreign_person(rng, "IND"))
    scan, _extension = camera.pdf_image_only(rng, card, True)
    text = extract(scan, "scan.pdf").text
    assert "Government of India" in text
