"""Table tests: ICAO MRZ (TD3, TD1, TD2) with every check digit, and passports without MRZ."""

from __future__ import annotations

import pytest

from bucketscan.policies.classify import classify_document
from bucketscan.policies.detectors.mrz import check_digit, find_zones
from bucketscan.records.content import Document, ImageCues, Page
from bucketscan.synthetic import mrz

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3_JPN = (
    "P<JPNGAIMU<<HANAKO<<<<<<<<<<<<<<<<<<<<<<<<<<\nTT15442512JPN9905050F3012257<<<<<<<<<<<<<<06"
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


def _flip(text: str, index: int, char: str) -> str:
    return text[:index] + char + text[index + 1 :]


CASES = [
    (TD3, "passport", {"mrz_td3"}),
    (TD3_JPN, "passport", {"mrz_td3"}),
    (TD3.replace("\n", "\n  ").replace("UTO7408", "UTO 7408"), "passport", {"mrz_td3"}),
    (TD3.replace("7408122", "74O8122"), "passport", {"mrz_td3"}),  # OCR O in a date field
    (TD1, "id_card_icao", {"mrz_td1"}),
    (TD2, "id_card_icao", {"mrz_td2"}),
    (TD3.replace("5ZE184226B<<<<<10", "5ZE184226B<<<<10"), "passport", {"mrz_td3"}),  # lost <
    # every check digit matters
    (_flip(TD3, 45 + 9, "7"), None, set()),  # document number
    (_flip(TD3, 45 + 19, "3"), None, set()),  # birth date
    (_flip(TD3, 45 + 27, "8"), None, set()),  # expiry
    (_flip(TD3, 45 + 43, "1"), None, set()),  # composite
    (_flip(TD1, 31 + 29, "5"), None, set()),  # TD1 composite
    (_flip(TD2, 37 + 35, "5"), None, set()),  # TD2 composite
    ("<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", None, set()),
    # OCR truncated line 1's trailing fillers, or read them as kana: fillers are refitted
    (TD1.replace("<<<<<<<<<<<<<<<\n7408", "<<<<<<<<<\n7408", 1), "id_card_icao", {"mrz_td1"}),
    (TD1.replace("<<<<<<<<<<<<<<<\n7408", "<<<<<< こここ <\n7408", 1), "id_card_icao", {"mrz_td1"}),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
def test_mrz_text(text: str, expected: str | None, kinds: set[str]) -> None:
    result = classify_document(Document("f.txt", "text/plain", (Page(text, "ocr"),)))
    assert result.document_type == expected
    assert kinds <= {signal.kind for signal in result.evidence}


@pytest.mark.parametrize(
    ("field", "digit"), [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("<<<<<", "0")]
)
def test_check_digit_vectors(field: str, digit: str) -> None:
    assert check_digit(field) == digit


def test_td1_long_document_number_overflow() -> None:
    # A 12-character number: 9 in [5:14], '<' at [14], 3 more + check digit in the optional field.
    number = "D23145890AB1"
    digit = check_digit(number)
    line1 = f"I<UTO{number[:9]}<{number[9:]}{digit}".ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    zones = find_zones(f"{line1}\n{line2}{composite}\nERIKSSON<<ANNA<<<<<<<<<<<<<<<<")
    assert [zone.layout for zone in zones] == ["TD1"]
    wrong = line1.replace(f"AB1{digit}", f"AB1{(int(digit) + 1) % 10}")
    assert find_zones(f"{wrong}\n{line2}{composite}") == ()


def test_snippet_masks_names_and_numbers() -> None:
    result = classify_document(Document("f.txt", "text/plain", (Page(TD3, "ocr"),)))
    snippet = result.evidence[0].snippet or ""
    assert snippet.startswith("P<UTO")
    assert "ERIKSSON" not in snippet and "L898902" not in snippet and "740812" not in snippet


def test_passport_without_readable_mrz_needs_two_medium_signals() -> None:
    text = "日本国 JAPAN 旅券 PASSPORT 旅券番号/Passport No. TK1234567 国籍/Nationality 発行年月日"
    cues = ImageCues(1476, 1039, card_shape="id3", faces=1, face_side="left")
    doc = Document("x.jpg", "image/jpeg", (Page(text, "ocr", cues),))
    assert classify_document(doc).document_type == "passport"
    labels_only = Document("x.jpg", "image/jpeg", (Page("PASSPORT 旅券", "ocr", cues),))
    assert classify_document(labels_only).category is None


TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2_SPECIMEN = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")


@pytest.mark.parametrize(
    ("lines", "layout"),
    [
        # nationality UTO read as UT0 (letters only there)
        ((TD2_SPECIMEN[0], "D231458907UT07408122F1204159<<<<<<<6"), "TD2"),
        # the birth-date check digit 0 read as O (digits only there)
        (
            (
                "P<JPNGAIMU<<HANAKO<<<<<<<<<<<<<<<<<<<<<<<<<<",
                "TT15442512JPN990505OF3012257<<<<<<<<<<<<<<06",
            ),
            "TD3",
        ),
        # a 0 in the document number read as O: only the check digit can tell it is wrong
        (("I<UTOD23145O907<<<<<<<<<<<<<<<", *TD1_SPECIMEN[1:]), "TD1"),
        # a stray character OCR added before the final check digit
        ((TD2_SPECIMEN[0], "D231458907UTO7408122F1204159<<<<<<<76"), "TD2"),
        # a filler OCR lost in the middle of line 1
        (("I<UTOD231458907<<<<<<<<<<<<<<", *TD1_SPECIMEN[1:]), "TD1"),
    ],
)
def test_ocr_confusions_are_repaired_under_check_digits(
    lines: tuple[str, ...], layout: str
) -> None:
    zones = find_zones("\n".join(lines))
    assert [zone.layout for zone in zones if zone.complete] == [layout]


@pytest.mark.parametrize(
    "line2",
    [
        "D231458907UTO7408132F1204159<<<<<<<6",  # a wrong birth date digit stays wrong
        "D23145891OUT07408122F1204159<<<<<<<6",  # O→0 cannot rescue a wrong number digit
    ],
)
def test_repairs_never_validate_a_wrong_reading(line2: str) -> None:
    assert find_zones(f"{TD2_SPECIMEN[0]}\n{line2}") == ()


def _id_card_text(mrz: str) -> str:
    return f"Surname\nMULLER\nGiven names\nANNA\nDate of birth\n16.09.1961\nSex M\n{mrz}"


@pytest.mark.parametrize(
    ("shape", "mrz", "expected"),
    [
        # a garbled MRZ still shows as fillers: labels + ID-2 (TD2 card) layout alert
        ("id3", "A49F4F2] 04DEU6 10916 7M3004113<<ccccep", "id_card_icao"),
        ("id1", "A49F4F2] 04DEU6 10916 7M3004113<<ccccep", "id_card_icao"),
        ("id3", "", None),  # no title, no MRZ: nothing says identity card
    ],
)
def test_id_card_with_unreadable_mrz_needs_labels_and_card_layout(
    shape: str, mrz: str, expected: str | None
) -> None:
    cues = ImageCues(1240, 874, card_shape=shape, faces=1, face_side="left")
    doc = Document("x.jpg", "image/jpeg", (Page(_id_card_text(mrz), "ocr", cues),))
    assert classify_document(doc).document_type == expected


def test_id_card_with_unreadable_mrz_and_no_face_stays_quiet() -> None:
    cues = ImageCues(1240, 874, card_shape="id3", faces=0)
    text = _id_card_text("A49F4F2] 04DEU6 10916 7M3004113<<ccccep")
    doc = Document("x.jpg", "image/jpeg", (Page(text, "ocr", cues),))
    assert classify_document(doc).category is None


def _td1_with_number(number: str) -> str:
    holder = mrz.Holder(
        "I", "UTO", "ERIKSSON", "ANNA MARIA", number, "UTO", "740812", "F", "120415"
    )
    return "\n".join(mrz.td1(holder))


def test_j_read_as_i_in_a_document_number_is_repaired_by_its_check_digit() -> None:
    text = _td1_with_number("CJF66JJ82")
    assert find_zones(text)
    misread = text.replace("CJF66JJ82", "CJF66IJ82", 1)
    zones = find_zones(misread)
    assert zones and zones[0].lines[0].startswith("I<UTOCJF66JJ82")
