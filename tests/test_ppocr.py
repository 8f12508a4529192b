"""PP-OCRv5 through onnxruntime: Japanese labels and MRZ lines at any rotation, engine choice,
and "could not tell" when no engine can read an image."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bucketscan.policies.classify import classify_document
from bucketscan.policies.detectors.context import label_in
from bucketscan.policies.extract import ExtractLimits, engines, extract, ppocr
from bucketscan.policies.extract.lines import reading
from bucketscan.records.content import Legibility

needs_ppocr = pytest.mark.skipif(ppocr.missing() is not None, reason="PP-OCRv5 not installed")
GOTHIC = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MRZ = (
    "IDD<<T220001293<<<<<<<<<<<<<<<",
    "6408125<2010315D<<<<<<<<<<<<<4",
    "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
)


def _card() -> Image.Image:
    """A pale ID-1 card (1011x638) with Japanese labels and an MRZ-like band."""
    card = Image.new("RGB", (1011, 638), (228, 236, 244))
    draw = ImageDraw.Draw(card)
    label = ImageFont.truetype(GOTHIC, 40)
    draw.text((50, 50), "氏名 山田 花子", font=label, fill="black")
    draw.text((50, 130), "住所 東京都千代田区霞が関2-1-2", font=label, fill="black")
    draw.text((50, 210), "在留期間 満了日", font=label, fill="black")
    mono = ImageFont.truetype(MONO, 30)
    for row, line in enumerate(MRZ):
        draw.text((40, 440 + 50 * row), line, font=mono, fill="black")
    return card


@needs_ppocr
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_reads_labels_and_mrz_at_any_right_angle(turn: int) -> None:
    image = _card().rotate(turn, expand=True)
    read = reading(ppocr.read_lines(image, 960))
    assert read.turn == turn
    assert "山田花子" in read.text.replace(" ", "")
    assert "在留期間" in read.text
    assert read.mrz[:3] == MRZ


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@needs_ppocr
@pytest.mark.parametrize("tilt", [23, 160, 250])
def test_tilted_card_photo_is_read(tilt: int) -> None:
    table = Image.new("RGB", (1600, 1300), (70, 60, 50))
    card = _card().rotate(tilt, expand=True, fillcolor=(70, 60, 50))
    table.paste(card, ((1600 - card.width) // 2, (1300 - card.height) // 2))
    doc = extract(_png(table), "photo.png", ExtractLimits(ocr_engine="ppocr"))
    assert "東京都千代田区" in doc.text
    assert doc.mrz_lines[:3] == MRZ


@pytest.mark.parametrize("engine", ["none"])
def test_image_without_ocr_is_unreadable_not_clean(engine: str) -> None:
    doc = extract(_png(_card()), "card.png", ExtractLimits(ocr_engine=engine))
    assert doc.pages[0].legibility is Legibility.UNREADABLE
    result = classify_document(doc)
    assert result.category is None
    assert result.unreadable == "OCR disabled"


def test_no_engine_installed_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "_ppocr_missing", lambda: "onnxruntime not installed")
    monkeypatch.setattr(engines, "ocr_available", lambda: False)
    doc = extract(_png(_card()), "card.png", ExtractLimits())
    assert doc.unreadable == "onnxruntime not installed; tesseract not installed"
    assert classify_document(doc).unreadable == doc.unreadable


def test_textless_photo_without_ocr_is_read_as_nothing() -> None:
    sky = Image.new("RGB", (800, 600), (120, 170, 230))
    doc = extract(_png(sky), "sky.png", ExtractLimits(ocr_engine="none"))
    assert doc.unreadable is None


def test_corrupt_image_is_unreadable() -> None:
    doc = extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png")
    assert doc.unreadable is not None and "could not be decoded" in doc.unreadable


@pytest.mark.parametrize(
    ("requested", "deep", "tesseract", "expected"),
    [
        ("auto", None, True, ("ppocr", True, None)),
        ("auto", "onnxruntime not installed", True, ("tesseract", True, None)),
        ("ppocr", None, True, ("ppocr", False, None)),
        ("tesseract", None, True, ("tesseract", True, None)),
        ("tesseract", None, False, (None, False, "tesseract not installed")),
        ("ppocr", "no models", True, (None, False, "no models")),
        ("none", None, True, (None, False, "OCR disabled")),
    ],
)
def test_engine_resolution(
    monkeypatch: pytest.MonkeyPatch,
    requested: str,
    deep: str | None,
    tesseract: bool,
    expected: tuple[str | None, bool, str | None],
) -> None:
    monkeypatch.setattr(engines, "_ppocr_missing", lambda: deep)
    monkeypatch.setattr(engines, "ocr_available", lambda: tesseract)
    assert engines.resolve(requested) == expected


def _bilingual_title() -> Image.Image:
    """A card title in large kanji with its English name in small print close beside it."""
    strip = Image.new("RGB", (560, 56), (236, 226, 240))
    draw = ImageDraw.Draw(strip)
    draw.text((6, 4), "個人番号カード", font=ImageFont.truetype(GOTHIC, 44), fill=(120, 70, 160))
    small = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 14)
    draw.text((330, 30), "INDIVIDUAL NUMBER CARD", font=small, fill=(120, 70, 160))
    return strip


@needs_ppocr
def test_a_line_of_two_print_sizes_is_read_in_pieces() -> None:
    strip = _bilingual_title()
    # As detection finds them on a patterned card: the title and its English name as one line.
    corners = np.array([[0, 0], [strip.width, 0], [strip.width, strip.height], [0, strip.height]])
    crop = np.ascontiguousarray(np.asarray(strip)[:, :, ::-1])
    found = ppocr.Found((corners.astype(np.float32),), (crop,), (False,))
    pieces = ppocr._pieces(crop)
    assert len(pieces) == 2 and pieces[0].shape[0] > 1.5 * pieces[1].shape[0]
    text = " ".join(line.text for line in ppocr.recognise(found))
    assert label_in(text, "個人番号カード")
    assert "INDIVIDUAL" in text  # read whole, the small print loses a letter


def _line(x: float, y: float, leftwards: bool) -> ppocr.Quad:
    """A 300x30 line's quad in reading order (TL, TR, BR, BL), reading right or left."""
    quad = np.array([[x, y], [x + 300, y], [x + 300, y + 30], [x, y + 30]], dtype=np.float32)
    return np.roll(quad, 2, axis=0) if leftwards else quad


def test_lines_pointing_both_ways_take_the_way_up_their_longest_lines_read_best(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blur fooled the classifier: three lines kept reading rightwards (digits read upside down
    # come out confident), one was turned; read the other way up, every line reads better.
    quads = (_line(0, 0, False), _line(0, 50, False), _line(0, 100, False), _line(0, 150, True))
    crops = tuple(np.full((30, 300, 3), index, dtype=np.uint8) for index in range(4))
    found = ppocr.Found(quads, crops, (False, False, False, True))
    as_read = [("2661-90-20", 0.95), ("ESENHD", 0.74), ("It06t8185", 0.66), ("REPUBLIC", 0.94)]
    other_way = {0: ("02-06-1992", 0.98), 1: ("CHINESE", 0.93), 2: ("S8484904I", 0.91)}
    other_way[3] = ("", 0.0)

    def fake(_models: object, lines: list[np.ndarray]) -> list[tuple[str, float]]:
        return [other_way[int(line[-1, -1, 0])] for line in lines]  # the crops come turned

    monkeypatch.setattr(ppocr, "_recognise", fake)
    turned: dict[int, tuple[tuple[str, float], ppocr.Quad]] = {}
    page = ppocr._page_direction(object(), found, as_read, turned)  # type: ignore[arg-type]
    assert page[0] < 0 and set(turned) == {0, 1, 2, 3}
    agreeing = ppocr.Found(quads[:3], crops[:3], (False,) * 3)
    assert ppocr._page_direction(object(), agreeing, as_read[:3], {})[0] > 0  # type: ignore[arg-type]


@needs_ppocr
def test_a_photo_box_found_as_the_outline_of_a_scanned_card_is_not_all_that_is_read() -> None:
    scan = Image.new("RGB", (861, 584), (246, 246, 244))  # the card's own edge lost on the lid
    draw = ImageDraw.Draw(scan)
    draw.rectangle((55, 165, 262, 428), fill=(180, 200, 220), outline=(40, 40, 60), width=3)
    font = ImageFont.truetype(GOTHIC, 26)
    for row, text in enumerate(("IDENTITY CARD", "Surname", "Date of birth", "Document No.")):
        draw.text((300, 120 + 80 * row), text, font=font, fill="black")
    buffer = io.BytesIO()
    scan.save(buffer, "PNG")
    doc = extract(buffer.getvalue(), "scan.png", ExtractLimits(ocr_engine="ppocr"))
    assert label_in(doc.text, "Date of birth") and label_in(doc.text, "IDENTITY CARD")


@needs_ppocr
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_portrait_is_no_document_it_could_not_read(seed: int) -> None:
    from bucketscan.synthetic.negatives import portrait

    photo = portrait(random.Random(seed))
    doc = extract(_png(photo), "profile.png", ExtractLimits(ocr_engine="ppocr"))
    assert doc.unreadable is None  # a face, not a card or a page: nothing to tell
    assert classify_document(doc).category is None
