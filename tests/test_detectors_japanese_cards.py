"""Table tests: Japanese driver's licence, residence card and health-insurance card."""

from __future__ import annotations

import pytest

from bucketscan.policies.classify import classify_document
from bucketscan.policies.detectors.drivers_license_jp import DRIVERS_LICENSE_JP, check_digit_ok
from bucketscan.policies.detectors.family import FamilyDetector
from bucketscan.records.content import Document, ImageCues, Page

DL_LABELS = "運転免許証\n免許の条件等 眼鏡等\n優良\n二・小・原\n東京都公安委員会"
# what Tesseract made of a licence scan: ニ for 二, the dual-calendar validity line
DL_OCR = "交付令和5年7月11日\n2026 年 ( 令和 8 年 )07 月 11 日まで有効\nニ・小・原"
RC_LABELS = (
    "在留カード RESIDENCE CARD\n国籍・地域 NATIONALITY/REGION\n住居地 ADDRESS\n"
    "在留資格 STATUS 技術・人文知識・国際業務\n就労制限の有無 就労制限なし\n在留期間(満了日)"
)
HI_LABELS = (
    "健康保険被保険者証 本人（被保険者）\n記号 12345 番号 67 枝番 00\n保険者名称 サンプル健保"
)
CARD = ImageCues(1011, 638, card_shape="id1", faces=1, face_side="right")

TEXT_CASES = [
    # driver's licence: number with a valid 公安委員会 prefix (medium) + labels (medium)
    (f"番号 第 309012345620 号\n{DL_LABELS}", "drivers_license_jp", {"license_number", "labels"}),
    (f"第3090123456２0号\n{DL_LABELS}", "drivers_license_jp", {"license_number"}),
    # the unofficial check digit never rejects
    (f"番号 第 309012345690 号\n{DL_LABELS}", "drivers_license_jp", {"license_number"}),
    # invalid prefix code 99 and no number: labels alone are one medium signal
    (f"番号 第 999012345620 号\n{DL_LABELS}", None, set()),
    ("第 309012345620 号 運転免許証", None, set()),
    # OCR-tolerant labels: ニ for 二, the dual-calendar validity line
    (DL_OCR, None, set()),  # labels alone: one medium signal
    # residence card
    (f"番号 NUMBER AB12345678CD\n{RC_LABELS}", "residence_card_jp", {"card_number", "labels"}),
    ("在留カード 番号 AB12345678CD", None, set()),
    (f"{RC_LABELS}\n会員番号 ABC12345678CD", None, set()),
    # health insurance: Luhn-valid insurer number next to its label + labels
    (f"{HI_LABELS}\n保険者番号 33120015", "health_insurance_jp", {"insurer_number", "labels"}),
    (f"{HI_LABELS}\n保険者番号 123455", "health_insurance_jp", {"insurer_number"}),
    (f"{HI_LABELS}\n保険者番号 33120016", None, set()),  # Luhn fails
    ("保険者番号 33120015", None, set()),
    # 資格確認書 as Tesseract reads it: spaced or hyphenated digits, one O/l misread, a
    # garbled last label character, full-width digits (NFKC)
    (f"資格確認書\n{HI_LABELS}\n保険者番号 3312 0015", "health_insurance_jp", {"insurer_number"}),
    (f"資格確認書\n{HI_LABELS}\n保険者番号 33-12-00-15", "health_insurance_jp", {"insurer_number"}),
    (f"資格確認書\n{HI_LABELS}\n保険者番号 33l2OO15", None, set()),  # two repairs: too many
    (f"資格確認書\n{HI_LABELS}\n保険者番号 3312O015", "health_insurance_jp", {"insurer_number"}),
    (f"資格確認書\n{HI_LABELS}\n保険者番弓 33120015", "health_insurance_jp", {"insurer_number"}),
    (f"{HI_LABELS}\n保険者番号 ３３１２００１５", "health_insurance_jp", {"insurer_number"}),
    # a blank 資格確認書 (labels, no number) stays quiet
    ("資格確認書\n交付年月日\n記号\n番号\n枝番\n保険者番号\n保険者名称", None, set()),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), TEXT_CASES)
def test_japanese_card_text(text: str, expected: str | None, kinds: set[str]) -> None:
    result = classify_document(Document("f.txt", "text/plain", (Page(text, "ocr"),)))
    assert result.document_type == expected
    assert kinds <= {signal.kind for signal in result.evidence}
    assert all("9012345" not in (s.snippet or "") for s in result.evidence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DL_LABELS, "drivers_license_jp"),  # labels + card with face, number unreadable
        (RC_LABELS, "residence_card_jp"),
        ("在留カード 番号 AB12345678CD", "residence_card_jp"),
        # a licence whose number and title OCR lost: 交付, dual-calendar validity, ニ・小・原
        (
            f"第 199115527589\n{DL_OCR}",
            "drivers_license_jp",
        ),
    ],
)
def test_labels_plus_card_layout(text: str, expected: str) -> None:
    doc = Document("scan.jpg", "image/jpeg", (Page(text, "ocr", CARD),))
    assert classify_document(doc).document_type == expected


@pytest.mark.parametrize(
    ("number", "ok"), [("309012345620", True), ("309012345690", False), ("309012345621", True)]
)
def test_unofficial_check_digit(number: str, ok: bool) -> None:
    assert check_digit_ok(number) is ok


def test_generic_labels_shared_with_a_licence_do_not_outrank_the_cards_own() -> None:
    # A residence card as OCR read it: its number lost, and 交付, まで有効 and 許可の種類 are
    # also licence labels, so both detectors alert with two medium signals.
    text = (
        "在留カード RESIDENCE CARD\n国籍・地域 NATIONALITY/REGION ブラジル\n"
        "在留資格 STATUS 特定技能1号\n許可の種類 在留期間更新許可\n"
        "交付年月日 2020年02月23日\nこのカードは2025年02月23日まで有効です"
    )
    doc = Document("x.jpg", "image/jpeg", (Page(text, "ocr", CARD),))
    assert FamilyDetector(DRIVERS_LICENSE_JP).inspect(doc) is not None
    assert classify_document(doc).document_type == "residence_card_jp"
