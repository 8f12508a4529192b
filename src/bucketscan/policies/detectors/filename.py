"""Weak file-name tokens (ID_FORMATS §5.4): they rank candidates and never alert on their own."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from bucketscan.policies.detectors.context import normalize
from bucketscan.records.content import DocumentType, Signal, Strength

_SPLIT = re.compile(r"[_\-\s.()（）/]+")

# Tokens per document type (families, MRZ and résumés share it; My Number's card and notification
# differ): a token matches a whole split part, or a prefix for long tokens.
TOKENS: dict[DocumentType, tuple[str, ...]] = {
    DocumentType.MY_NUMBER_CARD: (
        "マイナンバー",
        "mynumber",
        "mynumbercard",
        "マイナンバーカード",
        "mynacard",
        "個人番号",
        "kojinbango",
        "個人番号カード",
        "個人番号カード裏面",
    ),
    DocumentType.MY_NUMBER_NOTIFICATION: ("通知カード", "tsuchicard", "個人番号通知書", "tsuchi"),
    DocumentType.DRIVERS_LICENSE_JP: (
        "免許証",
        "運転免許証",
        "menkyo",
        "menkyosho",
        "unten",
        "license",
        "licence",
    ),
    DocumentType.PASSPORT: ("パスポート", "旅券", "passport", "ryoken"),
    DocumentType.ID_CARD_ICAO: ("id", "idcard", "身分証", "身分証明書", "mibunsho"),
    DocumentType.RESIDENCE_CARD_JP: (
        "在留カード",
        "zairyu",
        "residence",
        "特別永住者証明書",
        "tokubetsu",
    ),
    DocumentType.HEALTH_INSURANCE_JP: (
        "保険証",
        "健康保険証",
        "hokensho",
        "kenkohoken",
        "insurance",
        "資格確認書",
        "shikaku",
    ),
    DocumentType.DRIVERS_LICENSE_US: ("dl", "driver", "drivers", "license", "licence"),
    DocumentType.FOREIGN_ID: ("aadhaar", "nric", "ssn", "身分証", "kyc", "ekyc", "本人確認書類"),
    DocumentType.RIREKISHO: ("履歴書", "rirekisho", "rireki", "エントリーシート", "応募書類"),
    DocumentType.SHOKUMU_KEIREKISHO: (
        "職務経歴書",
        "shokumukeirekisho",
        "shokumu",
        "keirekisho",
        "shokureki",
        "職歴書",
    ),
    DocumentType.CV_EN: ("resume", "résumé", "cv", "curriculum", "vitae"),
}


def name_parts(name: str) -> tuple[str, ...]:
    """The lower-cased parts of a file's base name, split on separators."""
    base = PurePosixPath(normalize(name)).name.lower()
    return tuple(part for part in _SPLIT.split(base) if part)


def filename_signal(detector: str, document_type: DocumentType, name: str) -> Signal | None:
    """A weak signal when the file name carries a token of this document type."""
    parts = name_parts(name)
    for token in TOKENS.get(document_type, ()):
        if any(part == token or (len(token) >= 4 and part.startswith(token)) for part in parts):
            return Signal(detector, "filename", Strength.WEAK, f"file name token {token!r}")
    return None
