"""Table tests: My Number detector and the classification it drives."""

from __future__ import annotations

import pytest

from bucketscan.policies.classify import classify_document
from bucketscan.records.content import Code, Document, ImageCues, Page

CARD_FRONT = (
    "氏名 山田 太郎\n住所 東京都千代田区\n平成2年4月1日生 性別 男\n"
    "2030年 4月 1日まで有効\n電子証明書の有効期限 2029年4月1日\n臓器提供意思\n個人番号カード"
)

CASES = [
    ("個人番号 6214 9832 0257\n氏名 山田 太郎", "my_number_card", {"my_number"}),
    ("マイナンバー: 123456789018", "my_number_card", {"my_number"}),
    ("個人番号 １２３４５６７８９０１８", "my_number_card", {"my_number"}),
    ("My Number 6214-9832-0257", "my_number_card", {"my_number"}),
    ("個人番号 6214 9832 O257", "my_number_card", {"my_number"}),  # OCR read 0 as O
    ("通知カード\n個人番号 6214 9832 0257\n氏名", "my_number_notification", {"my_number"}),
    ("個人番号通知書\n個人番号 123456789018", "my_number_notification", {"my_number"}),
    # a text file cannot forge a decoded QR code
    ("[barcode QR] 621498320257", None, set()),
    # checksum fails: dropped, never an alert
    ("個人番号 6214 9832 0258", None, set()),
    ("個人番号 123456789019", None, set()),
    # checksum passes but no label: invoices and order lists stay quiet
    ("請求書\n注文番号 621498320257 コピー用紙 ¥1,200", None, set()),
    ("product_code,name\n123456789018,付箋\n621498320257,ボールペン", None, set()),
    # a label but the number is part of a longer run
    ("個人番号 6214983202571", None, set()),
    # an article: many labels, no number, no card
    (
        "マイナンバー制度とは？個人番号カードの申請方法。通知カードは廃止され個人番号通知書が"
        "送付されます。電子証明書の有効期限にご注意ください。",
        None,
        set(),
    ),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
def test_my_number_text(text: str, expected: str | None, kinds: set[str]) -> None:
    result = classify_document(Document("f.txt", "text/plain", (Page(text, "text"),)))
    assert result.document_type == expected
    assert kinds <= {signal.kind for signal in result.evidence}
    for signal in result.evidence:
        assert "621498320257" not in (signal.snippet or "").replace(" ", "")
        assert "123456789018" not in (signal.snippet or "").replace(" ", "")


def test_snippet_is_masked() -> None:
    result = classify_document(
        Document("f.txt", "text/plain", (Page("個人番号 6214 9832 0257", "text"),))
    )
    assert result.evidence[0].snippet == "個人番号 **** **** 0257"
    assert result.confidence >= 0.9


UNTITLED_FRONT = CARD_FRONT.replace("個人番号カード", "")


@pytest.mark.parametrize(
    ("text", "cues", "expected"),
    [
        (UNTITLED_FRONT, ImageCues(1011, 638, "id1", faces=1, face_side="right"), "my_number_card"),
        (UNTITLED_FRONT, ImageCues(1011, 638, card_shape="id1", faces=0), None),  # 1 medium
        (UNTITLED_FRONT, ImageCues(1011, 638, card_shape=None, faces=1), None),  # 1 medium
        # its title read too: the face was missed, the card is still a My Number card
        (CARD_FRONT, ImageCues(1011, 638, card_shape="id1", faces=0), "my_number_card"),
        (CARD_FRONT, None, None),  # a screenshot of the text: no card, no face
    ],
)
def test_card_front_needs_labels_and_layout_or_title(
    text: str, cues: ImageCues | None, expected: str | None
) -> None:
    doc = Document("IMG_0001.jpg", "image/jpeg", (Page(text, "ocr", cues),))
    assert classify_document(doc).document_type == expected


def test_face_and_shape_without_labels_stay_quiet() -> None:
    cues = ImageCues(1011, 638, card_shape="id1", faces=1, face_side="right")
    doc = Document("mynumber_omote.jpg", "image/jpeg", (Page("POINT CARD", "ocr", cues),))
    assert classify_document(doc).category is None


def test_number_in_a_decoded_qr_code_is_strong() -> None:
    page = Page("", "ocr", codes=(Code("QR", "621498320257"),))
    result = classify_document(Document("back.png", "image/png", (page,)))
    assert result.document_type == "my_number_card"
    assert result.evidence[0].snippet == "個人番号 **** **** 0257"
