"""What OCR gets wrong on real captures, and how detection still reads it: look-alike characters,
garbled MRZ fields, values whose labels are unreadable, cards scanned on a sheet, page readers."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bucketscan.policies import icao
from bucketscan.policies.classify import classify_document, examine, second_look
from bucketscan.policies.detectors.common import filled_values
from bucketscan.policies.detectors.context import label_in
from bucketscan.policies.detectors.mrz import find_zones, partial_zone
from bucketscan.policies.extract import ExtractLimits, extract, images
from bucketscan.policies.extract.cues import CardQuad, ink_box
from bucketscan.policies.extract.engines import reader_for
from bucketscan.policies.extract.pages import Subject
from bucketscan.policies.extract.read_deep import DeepReader
from bucketscan.policies.extract.read_tesseract import TesseractReader
from bucketscan.records.content import Document, ImageCues, Legibility, Page
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
        ("INDMIDUALNUMBER CARD", "Individual Number Card", True),  # two edits in a long label
        ("INDMIDUAL NUMBR CAR", "Individual Number Card", False),  # four
        ("IDENTTYCAPD", "IDENTITY CARD", False),  # two edits in a short one
        ("健康保院被保除者証", "健康保険被保険者証", True),  # 険 read as kanji of its shape
        ("被保院者", "被保険者", True),
        ("被守院院", "被保険者", False),  # a look-alike and two misreads
        ("特別承住者過明書", "特別永住者証明書", True),  # two misreads in a long label
        ("特別承住者経明面", "特別永住者証明書", False),  # three
        ("特別住者明書", "特別永住者証明書", False),  # two characters dropped
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
    partial = partial_zone(text)
    assert partial is not None and partial.code == "P" and "ERIKSSON" not in partial.signal.snippet
    assert classify_document(_image_doc(text)).document_type == "passport"
    typed = Document("x.txt", "text/plain", (Page(text, "text"),))
    assert classify_document(typed).category is None  # typed text is not misread


def test_fillers_read_as_hiragana_ku_are_fillers() -> None:
    first, second = _lines()
    zones = find_zones(f"{first.replace('<', 'く')}\n{second.replace('<<<<<', 'くく < く<')}")
    assert zones and zones[0].complete


def test_a_digit_lost_from_a_field_leaves_the_composite_unjudged() -> None:
    first, second = _lines()
    garbled = second[:21] + second[22:]  # expiry one digit short: its check digit slides in
    assert not find_zones(f"{first}\n{garbled}")
    assert partial_zone(f"{first}\n{garbled}") is not None


def test_a_wrong_check_digit_is_no_partial_zone() -> None:
    first, second = _lines()
    wrong = second[:9] + str((int(second[9]) + 1) % 10) + second[10:21] + "2504" + "<" * 12
    assert partial_zone(f"{first}\n{wrong}") is None


def test_no_name_line_no_partial_zone() -> None:
    _first, second = _lines()
    garbled = second[:21] + "2504" + "<" * 12
    assert partial_zone(f"UTOPIA PASSPORT\n{garbled}") is None


def test_a_zone_whose_start_a_thumb_hides_is_a_passport_by_its_layout() -> None:
    first, second = _lines()
    text = f"{first[6:]}\n{second[6:]}"  # code, state, the number's start hidden on both lines
    assert not find_zones(text)
    partial = partial_zone(text)
    assert partial is not None and partial.code == "?" and partial.booklet
    assert "KSSON" not in (partial.signal.snippet or "")  # no letter of the name shown
    assert classify_document(_image_doc(text)).document_type == "passport"
    # A surname's tail starting with a code letter reads as a line 1: its letters stay masked.
    partial = partial_zone(f"{first[7:]}\n{second[7:]}")
    assert partial is not None and "IKSSO" not in (partial.signal.snippet or "")
    card_first, card_second = mrz.td2(dataclasses.replace(HOLDER, document_code="I"))
    partial = partial_zone(f"{card_first[3:]}\n{card_second[1:]}")
    assert partial is not None and partial.layout == "TD2" and not partial.booklet
    no_names = f"{'A' * 30}\n{second[7:]}"  # no surname << given names: not a name line
    assert partial_zone(no_names) is None


def test_an_empty_personal_number_with_its_check_digit_misread_is_a_complete_zone() -> None:
    first, second = _lines()
    data = second[:28] + "<" * 15
    blank = data + icao.check_digit(data[0:10] + data[13:20] + data[21:43])
    misread = blank[:42] + "8" + blank[43]
    zones = find_zones(f"{first}\n{misread}")
    assert zones and zones[0].complete and zones[0].lines[1] == blank
    wrong = misread[:43] + str((int(blank[43]) + 1) % 10)
    zones = find_zones(f"{first}\n{wrong}")
    assert not (zones and zones[0].complete)  # the composite still judges the line


def test_a_data_line_of_a_zone_shape_alone_is_strong_on_an_image() -> None:
    _first, second = _lines()
    line = second[:28] + "<" * 16  # the composite unreadable, line 1 unread
    assert classify_document(_image_doc(f"PASSPORT\n{line}")).document_type == "passport"
    no_sex = line[:20] + "7" + line[21:]
    assert classify_document(_image_doc(f"PASSPORT\n{no_sex}")).category is None
    short = line[:33]  # read short of its end: a card's length, the page names a passport
    assert classify_document(_image_doc(f"UTOPIA PASSPORT\n{short}")).document_type == "passport"
    assert classify_document(_image_doc(short)).document_type == "id_card_icao"


def _card_lines() -> tuple[str, str, str]:
    return mrz.td1(dataclasses.replace(HOLDER, document_code="I", number="D23145890"))


def test_a_card_zone_half_hidden_by_a_finger_is_an_id_card_on_an_image() -> None:
    first, second, third = _card_lines()
    # The finger hides the first characters of every line and the birth date with them.
    text = f"{first[1:]}\n{second[3:]}\n{third[4:]}"
    assert not find_zones(text)
    partial = partial_zone(text)
    assert partial is not None and partial.code == "?" and partial.layout == "TD1"
    assert "D23145890" not in partial.signal.snippet
    assert classify_document(_image_doc(text)).document_type == "id_card_icao"


def test_a_card_zone_with_a_smudged_birth_date_is_a_partial_zone() -> None:
    first, second, third = _card_lines()
    text = f"{first}\n{second[:2]}∩{second[3:]}\n{third}"
    assert partial_zone(text) is not None
    wrong = second[:2] + "∩" + second[3:8] + str((int(second[8]) + 1) % 10) + second[9:]
    assert partial_zone(f"{first}\n{wrong}\n{third}") is None  # the expiry check fails


def test_a_card_data_line_read_only_as_far_as_its_expiry_is_a_partial_zone() -> None:
    first, second = mrz.td2(dataclasses.replace(HOLDER, document_code="I"))
    assert partial_zone(f"{first}\n{second[:30]}") is not None
    assert partial_zone(f"{first}\n{second[:26]}") is None  # the expiry check lost too


def test_a_card_data_line_with_its_number_hidden_is_a_partial_zone() -> None:
    first, second = mrz.td2(dataclasses.replace(HOLDER, document_code="I"))
    partial = partial_zone(f"{first}\n{second[5:]}")  # 5 characters hidden
    assert partial is not None and partial.code == "I" and partial.signal.reason.startswith("TD2")
    no_sex = second[:20] + "7" + second[21:]  # nothing between the dates where a sex must be
    assert partial_zone(f"{first}\n{no_sex[5:]}") is None


def test_a_passport_data_line_is_no_card_zone_line() -> None:
    card_first = _card_lines()[0]
    _first, second = _lines()  # birth and expiry checks pass, but not where a card has them
    assert partial_zone(f"{card_first}\n{second[:30]}") is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("29.04.1966\n15.07.2028\nCK178K725", 3),
        ("22 AUG 1968 21FEB2024", 2),
        ("1990年4月1日 2031年4月1日 2035年4月1日", 2),  # dates beyond two say no more
        ("Member No 12345678", 0),  # digits only: not a document number
        ("CARD 2026", 0),
        ("平成元年3月31日生 令和 7年3月31日まで有効", 2),  # Japanese era dates
        ("平成年3月31日", 0),
        ("専成元年2月11日生 中日単式年3月20日", 1),  # an era misread; a year misread
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


def test_residence_card_number_beside_the_card_title_when_its_label_is_garbled() -> None:
    text = "日本国政号NUNUER AB12345678CD\n特別永住者証明書\n1985年03月02日\n交付 2019年04月06日"
    result = classify_document(_image_doc(text, CARD))
    assert result.document_type == "residence_card_jp"
    assert any(signal.kind == "card_number" for signal in result.evidence)


def test_nric_under_an_unreadable_label_on_a_card_of_the_republic() -> None:
    text = "REPUBLIC OFSINGAPORE\nDENTITYCAROMO S1234567D\nNaoe\nCHINESE"
    assert classify_document(_image_doc(text, CARD)).document_type == "foreign_id"
    wrong = text.replace("S1234567D", "S1234567A")  # its check letter fails
    assert classify_document(_image_doc(wrong, CARD)).category is None
    assert classify_document(_image_doc(text)).category is None  # the number alone is medium


def test_aadhaar_number_on_a_card_naming_india_when_the_authority_is_garbled() -> None:
    text = "Govemmeat of India\nDOB:07/03/1963\nMale\n2341 2341 2346"
    assert classify_document(_image_doc(text, CARD)).document_type == "foreign_id"
    assert classify_document(_image_doc(text)).category is None  # the number alone is medium
    wrong = text.replace("2346", "2345")  # fails Verhoeff
    assert classify_document(_image_doc(wrong, CARD)).category is None


def test_a_card_whose_title_is_hidden_is_known_by_its_labels_and_filled_fields() -> None:
    text = (
        "氏名 山田 花子\n住所 東京都千代田区1-1\n平成9年4月3日生 性別 女\n2029年1月15日まで有効\n"
        "電子証明書の有効期限 2024年1月15日\n臓器提供意思\nサインネル領域\n固号カード"
    )
    assert classify_document(_image_doc(text, CARD)).document_type == "my_number_card"
    assert classify_document(_image_doc(text)).category is None  # no card, no face
    two_labels = text.replace("臓器提供意思", "").replace("サインネル領域", "")
    assert classify_document(_image_doc(two_labels, CARD)).category is None


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


def test_a_box_inside_a_page_s_content_is_not_its_card() -> None:
    content = Image.new("RGB", (575, 404), (240, 236, 244))
    photo = np.array([[414, 81], [548, 84], [549, 334], [407, 331]], dtype=np.float32)
    card = np.array([[5, 5], [570, 5], [570, 398], [5, 398]], dtype=np.float32)
    assert images._filling(CardQuad(photo, "id1", 1.81, "quad", True), content) is None
    whole = CardQuad(card, "id1", 1.44, "quad", True)
    assert images._filling(whole, content) is whole


def test_a_data_line_whose_fillers_were_all_lost_is_a_zone_when_every_check_passes() -> None:
    first, second = _lines()
    bare_first, bare_second = first.replace("<", ""), second.replace("<", "")
    partial = partial_zone(f"PASSPORT\n{bare_first}\n{bare_second}")
    assert partial is not None and partial.code == "P" and "3 of 3" in partial.signal.reason
    snippet = partial.signal.snippet
    assert snippet is not None and not any(char.isdigit() for char in snippet)
    alone = partial_zone(bare_second)
    assert alone is not None and alone.code == "?"  # no line 1: code unknown
    expiry_check = 27
    wrong = bare_second[:expiry_check] + str((int(bare_second[expiry_check]) + 1) % 10)
    assert partial_zone(f"{bare_first}\n{wrong}{bare_second[expiry_check + 1 :]}") is None
    no_sex = bare_second[:20] + "Q" + bare_second[21:]
    assert partial_zone(no_sex) is None
    result = classify_document(_image_doc(f"PASSPORT\n{bare_first}\n{bare_second}"))
    assert result.document_type == "passport"
    typed = Document("x.txt", "text/plain", (Page(f"{bare_first}\n{bare_second}", "text"),))
    assert classify_document(typed).category is None  # in typed text a bare line is no zone


HEALTH_CARD = "健康保院被保者証本人\n生年月日 平成7年7月21日 性別 男\n交付 平線30年10月10日"


def test_a_health_insurance_card_is_known_by_its_outline_title_and_fields() -> None:
    faceless = dataclasses.replace(CARD, faces=0, face_side=None)
    result = classify_document(_image_doc(HEALTH_CARD, faceless))
    assert result.document_type == "health_insurance_jp"
    assert any("carries no portrait" in signal.reason for signal in result.evidence)
    assert classify_document(_image_doc(HEALTH_CARD)).category is None  # no card outline
    other = dataclasses.replace(faceless, card_shape="id3")
    assert classify_document(_image_doc(HEALTH_CARD, other)).category is None


@pytest.mark.parametrize("read_as", ["UT", "UTOO"])
def test_a_nationality_read_short_or_long_is_realigned(read_as: str) -> None:
    first, second = _lines()
    garbled = second[:10] + read_as + second[13:]  # nationality is in no check digit
    zones = find_zones(f"{first}\n{garbled}")
    assert zones and zones[0].complete and zones[0].lines[1][13:] == second[13:]


def test_a_name_line_whose_fillers_were_read_as_letters_names_a_partial_zone() -> None:
    first, second = _lines()
    garbled_name = first.replace("<<", "KK", 1)  # the surname's end read as letters
    short = second[:21] + "2504" + "<" * 12  # expiry misread short: a partial zone
    other = "P<UTO" + "<" * 10 + "14"  # another reading's fragment between the two
    partial = partial_zone(f"{garbled_name}\n{other}\n{short}")
    assert partial is not None and partial.code == "P"
    assert "ERIKSSON" not in (partial.signal.snippet or "")
    prose = "REPUBLIC<OF<UTOPIA<SERVICES<OFFICE"  # no document code: no name line
    assert partial_zone(f"{prose}\n{short}") is None


def test_a_zone_checks_out_only_when_its_field_check_digits_pass() -> None:
    first, second = _lines()
    card = _card_lines()
    assert icao.checks_out([first, second]) and icao.checks_out(card[1:2])
    assert icao.checks_out(card[:1])  # a card's first line carries its number's check digit
    wrong = second[:9] + str((int(second[9]) + 1) % 10) + second[10:]
    assert not icao.checks_out([first, wrong, "<<<<<<<<<<", "P<UTO<<<<"])


def test_a_card_line_read_only_as_far_as_its_number_check_is_a_partial_zone() -> None:
    first, second, third = _card_lines()
    slanted = f"{first[:15]}< >>>\n{second[:18]}<5C<<<{second[-1]}\n{third}"  # fillers in bits
    assert not find_zones(slanted)
    partial = partial_zone(slanted)
    assert partial is not None and partial.code == "I"
    assert "D23145890" not in (partial.signal.snippet or "")
    assert partial_zone(f"{first[:14]}<\n{second[:18]}<<<<<<<<<<<{second[-1]}") is None


def _quad(left: float, top: float, width: float, height: float) -> CardQuad:
    corners = [[left, top], [left + width, top], [left + width, top + height], [left, top + height]]
    return CardQuad(np.array(corners, dtype=np.float32), "id1", width / height, "quad", False)


def test_a_card_body_between_its_bands_is_read_as_the_whole_card() -> None:
    card, box = _quad(300, 500, 1000, 630), (250, 450, 1400, 1200)
    body = _quad(52, 160, 990, 430)  # in the crop: as long as the card, its bands cut off
    whole = images._whole_card(card, body, box)
    assert whole is not None and whole.corners is not None
    assert whole.corners[0].tolist() == [50.0, 50.0]  # the card, moved into the crop
    on_sheet = _quad(100, 100, 340, 215)  # a card found on a scanned sheet is not its body
    assert images._whole_card(_quad(0, 0, 1240, 1754), on_sheet, (0, 0, 1240, 1754)) is on_sheet


def test_an_expiry_misread_as_a_letter_is_unread_not_wrong() -> None:
    first, second = _lines()
    lettered = second[:21] + "Z" + second[22:]  # the expiry's 1 read as Z: typed 2, check fails
    long = lettered[:30] + "<" + lettered[30:]  # and one filler too many: 45 characters
    assert not find_zones(f"{first}\n{long}")
    assert partial_zone(f"{first}\n{long}") is not None
    wrong = second[:21] + "7" + second[22:]  # a digit read wrong: the check says so
    assert partial_zone(f"{first}\n{wrong}") is None


def test_a_name_line_read_after_the_data_line_still_names_the_zone() -> None:
    first, second = _lines()
    garbled = second[:21] + "Z" + second[22:]
    partial = partial_zone(f"{garbled}\n{first}")  # a second reading's line
    assert partial is not None and partial.code == "P"
    assert partial_zone(garbled) is None  # no name line at all


@pytest.mark.parametrize(
    ("legibility", "cues", "unsure"),
    [
        (Legibility.POOR, CARD, True),  # a card with a face, too little legible: could not tell
        (Legibility.READ, CARD, False),  # read, and nothing of a document in it
        (Legibility.POOR, ImageCues(1000, 630, card_shape="id1"), False),  # no face
        (Legibility.POOR, ImageCues(1000, 630, faces=1), False),  # a face, no card
    ],
)
def test_a_card_with_a_face_read_too_poorly_is_could_not_tell(
    legibility: Legibility, cues: ImageCues, unsure: bool
) -> None:
    page = Page("BFASOPRT PISOPSRT\nA 3\nP0851A44", "ocr", cues, legibility=legibility)
    result = classify_document(Document("p.jpg", "image/jpeg", (page,)))
    assert result.category is None and (result.unreadable is not None) is unsure


@pytest.mark.parametrize(
    ("cues", "found", "again"),
    [
        (ImageCues(480, 320, card_shape="id1", faces=1), False, True),  # a small card photo
        (ImageCues(480, 320, faces=1), False, True),  # a face: perhaps a card its outline lost
        (ImageCues(480, 320), False, False),  # neither card nor face
        (ImageCues(1600, 1200, card_shape="id1", faces=1), False, False),  # large enough
        (ImageCues(480, 320, card_shape="id1", faces=1), True, False),  # already found
    ],
)
def test_a_second_look_is_for_small_photos_of_cards_nothing_was_found_on(
    cues: ImageCues, found: bool, again: bool
) -> None:
    doc = Document("p.jpg", "image/jpeg", (Page("x", "ocr", cues),))
    first, second = _lines()
    result = classify_document(_image_doc(f"{first}\n{second}") if found else doc)
    assert second_look(doc, result) is again


def test_magnified_images_stay_within_the_pixel_bound() -> None:
    image = Image.new("RGB", (400, 300))
    assert images._magnified(image, ExtractLimits(magnify=2.0)).size == (800, 600)
    bounded = images._magnified(image, ExtractLimits(magnify=2.0, max_pixels=240_000))
    assert bounded.width * bounded.height <= 240_000 and bounded.width > 400
    assert images._magnified(image, ExtractLimits()).size == (400, 300)


def test_a_second_look_that_finds_nothing_keeps_the_first_reading() -> None:
    card = Image.new("RGB", (428, 270), (238, 240, 246))
    photo = Image.new("RGB", (640, 480), (60, 40, 40))
    photo.paste(card, (100, 100))
    buffer = io.BytesIO()
    photo.save(buffer, "PNG")
    doc, result = examine(buffer.getvalue(), "card.png", ExtractLimits(ocr_engine="ppocr"))
    assert result.category is None and not any("read again" in note for note in doc.notes)
    assert doc.pages[0].cues is not None and doc.pages[0].cues.width == 640
