"""What OCR gets wrong on real captures, and how detection still reads it: look-alike characters,
garbled MRZ fields, values whose labels are unreadable, cards scanned on a sheet, page readers."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from bucketscan.policies.classify import classify_document
from bucketscan.policies.detectors.common import filled_values
from bucketscan.policies.detectors.context import label_in
from bucketscan.policies.detectors.mrz import find_zones, partial_zone
from bucketscan.policies.extract import ExtractLimits, extract, images
from bucketscan.policies.extract.cues import ink_box
from bucketscan.policies.extract.engines import reader_for
from bucketscan.policies.extract.pages import Subject
from bucketscan.policies.extract.read_deep import DeepReader
from bucketscan.policies.extract.read_tesseract import TesseractReader
from bucketscan.records.content import Document, ImageCues, Page
from bucketscan.synthetic import mrz

GOTHIC = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
HOLDER = mrz.Holder(
    "P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "120415"
)
CARD = ImageCues(1000, 630, card_shape="id1", faces=1, face_side="right")


def _image_doc(text: str, cues: ImageCues | None = None) -> Document:
    return Document("x.jpg", "image/jpeg", (Page(text, "ocr", cues),))


@pytest.mark.parametrize(
    ("text", "label", "found"),
    [
        ("在力一ド", "在留カード", True),  # 留 dropped, カ read as 力, ー as 一
        ("在留辦一ド", "在留カード", True),  # one misread besides the look-alike
        ("在辦辦一ド", "在留カード", False),  # two misreads
        ("個人番号力一ド", "個人番号カード", True),
        ("個人番号", "個人番号カード", False),  # three characters short
    ],
)
def test_labels_tolerate_look_alikes_and_one_misread(text: str, label: str, found: bool) -> None:
    assert label_in(text, label, fuzzy=True) is found


def test_look_alikes_need_no_fuzzy_matching() -> None:
    assert label_in("在留力ード", "在留カード")


def _lines() -> tuple[str, str]:
    first, second = mrz.td3(HOLDER)
    return first, second


def test_data_line_read_past_the_page_edge_is_cut_to_its_length() -> None:
    first, second = _lines()
    zones = find_zones(f"{first}\n{second}<<<<<")
    assert zones and zones[0].complete and zones[0].lines[1] == second


def test_one_unreadable_field_check_beside_a_name_line_is_a_passport_on_an_image() -> None:
    first, second = _lines()
    garbled = second[:21] + "2504" + "<" * 12  # expiry misread short, the checks after it lost
    text = f"{first}\n{garbled}"
    assert not find_zones(text)
    code, signal = partial_zone(text) or ("", None)
    assert code == "P" and signal is not None and "ERIKSSON" not in signal.snippet
    assert classify_document(_image_doc(text)).document_type == "passport"
    typed = Document("x.txt", "text/plain", (Page(text, "text"),))
    assert classify_document(typed).category is None  # typed text is not misread


def test_a_wrong_check_digit_is_no_partial_zone() -> None:
    first, second = _lines()
    wrong = second[:9] + str((int(second[9]) + 1) % 10) + second[10:21] + "2504" + "<" * 12
    assert partial_zone(f"{first}\n{wrong}") is None


def test_no_name_line_no_partial_zone() -> None:
    _first, second = _lines()
    garbled = second[:21] + "2504" + "<" * 12
    assert partial_zone(f"UTOPIA PASSPORT\n{garbled}") is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("29.04.1966\n15.07.2028\nCK178K725", 3),
        ("22 AUG 1968 21FEB2024", 2),
        ("1990年4月1日 2031年4月1日 2035年4月1日", 2),  # dates beyond two say no more
        ("Member No 12345678", 0),  # digits only: not a document number
        ("CARD 2026", 0),
    ],
)
def test_filled_values(text: str, count: int) -> None:
    assert filled_values(text) == count


def test_card_title_with_values_and_a_face_is_an_id_card_when_labels_are_unreadable() -> None:
    text = "UTOPIA\nIDENTITY CARD\nERIKSSON\nANNA MARIA\nDre a b\n29.04.1966\nCK178K725\n15.07.2028"
    assert classify_document(_image_doc(text, CARD)).document_type == "id_card_icao"
    assert classify_document(_image_doc(text)).category is None  # no card, no face


def test_residence_card_number_with_a_letter_read_as_a_digit() -> None:
    text = "在留力一ド RESIDENCE CARD\nV2517128461V\nWANG XIAOMING"
    result = classify_document(_image_doc(text, CARD))
    assert result.document_type == "residence_card_jp"


def _card_on_a_sheet() -> Image.Image:
    sheet = Image.new("RGB", (1240, 1754), (246, 246, 246))
    card = Image.new("RGB", (500, 315), (185, 200, 225))
    draw = ImageDraw.Draw(card)
    draw.text((30, 30), "個人番号カード", font=ImageFont.truetype(GOTHIC, 36), fill="black")
    sheet.paste(card, (80, 120))
    return sheet


def test_a_card_scanned_on_a_sheet_is_cut_out() -> None:
    box = ink_box(_card_on_a_sheet())
    assert box is not None
    left, top, right, bottom = box
    assert left <= 80 and top <= 120 and 580 <= right < 700 and 435 <= bottom < 560


def test_a_full_page_is_not_cut() -> None:
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    for row in range(100, 1700, 60):
        draw.text(
            (100, row), "履歴書 学歴 職歴 " * 6, font=ImageFont.truetype(GOTHIC, 28), fill="black"
        )
    assert ink_box(page) is None


def test_the_image_size_is_reported_not_the_part_read() -> None:
    buffer = io.BytesIO()
    _card_on_a_sheet().save(buffer, "PNG")
    doc = extract(buffer.getvalue(), "scan.png", ExtractLimits(ocr_engine="none"))
    cues = doc.pages[0].cues
    assert cues is not None and (cues.width, cues.height) == (1240, 1754)
    assert "read the part of the page that has content" in doc.notes


@pytest.mark.parametrize(
    ("requested", "reader"),
    [("ppocr", DeepReader(False)), ("tesseract", TesseractReader()), ("none", None)],
)
def test_reader_for_an_engine_name(
    monkeypatch: pytest.MonkeyPatch, requested: str, reader: object
) -> None:
    from bucketscan.policies.extract import engines

    monkeypatch.setattr(engines, "_ppocr_missing", lambda: None)
    monkeypatch.setattr(engines, "ocr_available", lambda: True)
    chosen = reader_for(requested)
    if reader is None:
        assert chosen == TesseractReader("OCR disabled")
    else:
        assert chosen == reader


class _Recorder:
    """A page reader of the caller's own: records what it was given."""

    def __init__(self) -> None:
        self.subjects: list[Subject] = []

    def read(self, subject: Subject, limits: ExtractLimits) -> tuple[Page, tuple[str, ...]]:
        self.subjects.append(subject)
        return Page("個人番号カード", subject.source), ("read by the recorder",)


def test_a_reader_can_be_injected() -> None:
    recorder = _Recorder()
    page, notes = images.analyse(_card_on_a_sheet(), ExtractLimits(), reader=recorder)
    assert page.text == "個人番号カード" and "read by the recorder" in notes
    assert recorder.subjects[0].image.size[0] < 1240  # given the part with content
