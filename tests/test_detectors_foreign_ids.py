"""Table tests: US driver's licence (labels, AAMVA header) and foreign national IDs."""

from __future__ import annotations

import pytest

from bucketscan.policies.classify import classify_document
from bucketscan.records.content import Code, Document, ImageCues, Page

CARD = ImageCues(1011, 638, card_shape="id1", faces=1, face_side="left")
US_FRONT = "CALIFORNIA DRIVER LICENSE\nDL Y1234567\nEXP 01/02/2030\nDOB 03/04/1990\nCLASS C\nSEX F"

# The title band was lost to OCR; the field labels and the licence data remain.
US_FIELDS = (
    "DL A2483512\nExp 09/23/2024\nLN SMITH\nFN JOHN ALEXANDER\nDOB 03/24/1970\n"
    "ADDR 7060 SAMPLE ST\nCLASS C\nSEX M\nISS 09/23/2019\nRESTR NONE END NONE"
)

CASES = [
    # a text file cannot forge a decoded barcode
    (
        "[barcode PDF417] @\n\x1e\rANSI 636014090102DL00410278ZC03190008DLDAQY1234567",
        None,
        set(),
        None,
    ),
    (US_FRONT, "drivers_license_us", {"labels", "card_layout"}, CARD),
    (US_FRONT, None, set(), None),  # labels alone: one medium signal
    (US_FIELDS, "drivers_license_us", {"labels", "card_data", "card_layout"}, CARD),
    (US_FIELDS, None, set(), None),  # no card photographed: the fields alone do not alert
    ("DL Y1234567\nEXP 01/02/2030\nDOB 03/04/1990\nISS 01/02/2025", None, set(), CARD),
    (
        "Government of India\nDOB: 01/02/1990\nMale\n2341 2341 2346\nAadhaar",
        "foreign_id",
        {"aadhaar"},
        None,
    ),
    ("Government of India\n2341 2341 2347\nAadhaar", None, set(), None),  # Verhoeff fails
    (
        "REPUBLIC OF SINGAPORE\nIDENTITY CARD NO. S1234567D\nRace CHINESE",
        "foreign_id",
        {"nric"},
        None,
    ),
    ("REPUBLIC OF SINGAPORE\nIDENTITY CARD NO. S1234567E", None, set(), None),
    # OCR reads the check letter in lower case
    ("IDENTITY CARD NO. S1234567d\nRace CHINESE", "foreign_id", {"nric"}, None),
    ("居民身份证\n公民身份号码 360426199101010071", "foreign_id", {"cn_ric"}, None),
    ("公民身份号码 360426199101010072", None, set(), None),
    (
        "SOCIAL SECURITY\nSSN 536-90-4399\nTHIS NUMBER HAS BEEN ESTABLISHED FOR\nSIGNATURE",
        "foreign_id",
        {"ssn", "labels"},
        None,
    ),
    (
        "SOCIAL SECURITY\nSSN 078-05-1120\nTHIS NUMBER HAS BEEN ESTABLISHED FOR\nSIGNATURE",
        None,
        set(),
        None,
    ),
    (
        "주민등록증\n성명 홍길동\n971013-9019902\n주민등록번호 발행일",
        "foreign_id",
        {"kr_rrn"},
        None,
    ),
    ("Work experience and education matter. Expect EXPERT reviewers.", None, set(), None),
]


@pytest.mark.parametrize(("text", "expected", "kinds", "cues"), CASES)
def test_foreign_ids(
    text: str, expected: str | None, kinds: set[str], cues: ImageCues | None
) -> None:
    doc = Document("f.jpg", "image/jpeg", (Page(text, "ocr", cues),))
    result = classify_document(doc)
    assert result.document_type == expected
    assert kinds <= {signal.kind for signal in result.evidence}
    assert all("Y1234567" not in (s.snippet or "") for s in result.evidence)
    assert all("2341 2346" not in (s.snippet or "") for s in result.evidence)


def test_aamva_barcode_is_strong() -> None:
    code = Code("PDF417", "@\n\x1e\rANSI 636014090102DL00410278ZC03190008DLDAQY1234567")
    result = classify_document(
        Document("back.jpg", "image/jpeg", (Page("", "ocr", codes=(code,)),))
    )
    assert result.document_type == "drivers_license_us"
    assert {"aamva_barcode"} <= {signal.kind for signal in result.evidence}
    assert all("Y1234567" not in (s.snippet or "") for s in result.evidence)


def test_an_nric_whose_letters_ocr_read_as_digits_is_still_checked() -> None:
    def kinds(number: str) -> set[str]:
        text = f"REPUBLIC OF SINGAPORE\nIDENTITY CARD NO. {number}\nRace CHINESE"
        result = classify_document(Document("x.jpg", "image/jpeg", (Page(text, "ocr", CARD),)))
        return {signal.kind for signal in result.evidence}

    assert "nric" in kinds("584849041")  # S8484904I with S read as 5 and I as 1
    assert "nric" not in kinds("584849042")  # Z, its lookalike 2, is not its check letter
