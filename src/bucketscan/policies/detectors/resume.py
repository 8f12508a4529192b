"""Résumés: 履歴書 (JIS and 2021 MHLW forms), 職務経歴書 and English CVs.

A résumé contains a person, so headings alone never alert: a blank template and an article on how
to write one carry the labels but no filled personal data. Alert = labels (medium) + at least two
personal facts (medium): a name after 氏名, a birth date, dated history rows, an e-mail or phone.
Example: "履歴書 … 氏名 山田 太郎 … 1990年4月1日生 … 2012年4月 株式会社… 入社" -> rirekisho.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bucketscan.policies.detectors.common import is_image
from bucketscan.policies.detectors.context import Lexicon, any_label
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude, rank
from bucketscan.records.content import Document, DocumentType, Evidence, Signal, Strength

NAME = "resume"
MIN_FACTS = 2

RIREKISHO = Lexicon.of(
    ("履歴書",),
    ("ふりがな", "フリガナ"),
    ("現住所",),
    ("学歴・職歴", "学歴·職歴", "学歴職歴", "学歴"),
    ("職歴",),
    ("免許・資格", "免許·資格"),
    ("志望の動機", "志望動機"),
    ("本人希望記入欄", "本人希望"),
    ("日現在",),
    ("通勤時間",),
    ("扶養家族",),
    ("配偶者",),
    ("写真をはる", "写真を貼る"),
    ("現在に至る",),
    ("連絡先",),
)
SHOKUMU = Lexicon.of(
    ("職務経歴書",),
    ("職務要約", "職歴要約"),
    ("職務経歴", "職務内容"),
    ("活かせる経験", "活かせる知識"),
    ("自己PR",),
    ("在籍期間",),
    ("雇用形態",),
    ("事業内容",),
    ("従業員数",),
    ("資本金",),
    ("業務内容",),
    ("実績",),
    ("退職理由",),
)
CV = Lexicon.of(
    ("Curriculum Vitae", "Resume", "Résumé"),
    ("Summary", "Profile", "Objective", "About Me"),
    ("Experience", "Employment History", "Work History", "Career History"),
    ("Education", "Academic Background"),
    ("Skills", "Competencies", "Areas of Expertise"),
    ("Certifications", "Licenses"),
    ("Languages",),
    ("Projects",),
    ("References",),
    ("Awards", "Honors"),
    ("Interests", "Hobbies"),
    ("Publications",),
)

_LABEL_WORDS = frozenset(
    {"生年月日", "性別", "現住所", "住所", "電話", "連絡先", "ふりがな", "フリガナ", "印"}
    | {"男", "女", "年齢", "E-mail", "記入", "欄"}
)
_NAME_VALUE = re.compile(
    r"氏[ \t\u3000]*名[ \t\u3000:：]*\n?[ \t\u3000]*"
    r"([\u4e00-\u9fff\u3040-\u30ff々]{1,6}(?:[ \t\u3000][\u4e00-\u9fff\u3040-\u30ff々]{1,6})?)"
)
# "月" is often misread by OCR; the digits and the closing 日生 still make the pattern specific.
_BIRTH = re.compile(
    r"(?:(?:19|20)[0-9]{2}|(?:昭和|平成|令和)[ \t]*[0-9元]{1,2})[ \t]*年[ \t]*[0-9]{1,2}[ \t]*\S"
    r"[ \t]*[0-9]{1,2}[ \t]*日[ \t]*生|満[ \t]*[0-9]{1,3}[ \t]*歳"
)
_HISTORY_JA = re.compile(
    r"(?:19|20)[0-9]{2}(?:[ \t]*年)?[ \t\n|\[\]]*[0-9]{1,2}(?:[ \t]*月)?[^\n]{0,60}?"
    r"(?:入学|卒業|入社|退社|退職|転籍|就職|取得|合格)"
)
_PERIOD_JA = re.compile(
    r"(?:19|20)[0-9]{2}[ \t]*年[ \t]*[0-9]{1,2}[ \t]*月[ \t]*[~〜～\-ー－一—–][ \t]*"
    r"(?:現在|(?:19|20)[0-9]{2}[ \t]*年)"
)
_PERIOD_EN = re.compile(
    r"(?:19|20)[0-9]{2}[ \t]*[-–—~][ \t]*(?:Present|Current|Now|(?:19|20)[0-9]{2})", re.IGNORECASE
)
# OCR splits words at narrow letters ("examp le. jp"): one space inside a domain label is allowed.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+[ \t]?@[ \t]?[A-Za-z0-9\-]+(?: [A-Za-z0-9\-]+)?"
    r"(?:[ \t]?[.,][ \t]?[A-Za-z0-9\-]+)+"
)
_POSTAL = re.compile(r"〒[ \t]*[0-9]{3}-[0-9]{4}")
_EMPLOYER = re.compile(
    r"(?:株式会社|有限会社|合同会社|Inc\.?|Ltd\.?|Co\.|Corporation|LLC)[^\n]{0,30}?"
    r"(?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}[^\n]{0,30}?(?:株式会社|有限会社|合同会社)"
)
_PHONE = re.compile(
    r"(?<![0-9])(?:\+[0-9]{1,3}[ \-]?)?\(?0?[0-9]{1,4}\)?[ \-][0-9]{2,4}[ \-][0-9]{3,4}(?![0-9])"
    r"|(?<![0-9])0[789]0[0-9]{8}(?![0-9])"
)


def _name(text: str) -> bool:
    return any(
        match.group(1).replace("\u3000", " ").split(" ")[0] not in _LABEL_WORDS
        for match in _NAME_VALUE.finditer(text)
    )


def personal_facts(text: str, english: bool) -> tuple[str, ...]:
    """Which kinds of filled personal data the text holds (values, never shown)."""
    checks: tuple[tuple[str, Callable[[str], bool]], ...] = (
        ("name", lambda t: not english and _name(t)),
        ("birth date", lambda t: _BIRTH.search(t) is not None),
        (
            "dated history",
            lambda t: (
                len(_HISTORY_JA.findall(t))
                + len(_PERIOD_JA.findall(t))
                + len(_PERIOD_EN.findall(t))
                >= 2
            ),
        ),
        ("employer with dates", lambda t: _EMPLOYER.search(t) is not None),
        ("e-mail", lambda t: _EMAIL.search(t) is not None),
        ("phone", lambda t: _PHONE.search(t) is not None),
        ("postal address", lambda t: _POSTAL.search(t) is not None),
    )
    return tuple(kind for kind, check in checks if check(text))


def _facts_signal(text: str, english: bool) -> Signal | None:
    facts = personal_facts(text, english)
    if not facts:
        return None
    strength = Strength.MEDIUM if len(facts) >= MIN_FACTS else Strength.WEAK
    reason = "filled personal data: " + ", ".join(facts)
    return Signal(NAME, "personal_data", strength, reason)


def _face_signal(doc: Document) -> Signal | None:
    if any(page.cues and page.cues.faces and page.cues.card_shape is None for page in doc.pages):
        return Signal(NAME, "photo", Strength.WEAK, "a face photo on a page")
    return None


_FORMS: tuple[tuple[DocumentType, Lexicon, str, bool], ...] = (
    (DocumentType.RIREKISHO, RIREKISHO, "履歴書", False),
    (DocumentType.SHOKUMU_KEIREKISHO, SHOKUMU, "職務経歴書", False),
    (DocumentType.CV_EN, CV, "CV", True),
)
_PREFILTER = (
    "履歴書",
    "職務経歴",
    "学歴",
    "職歴",
    "Curriculum Vitae",
    "Resume",
    "Résumé",
    "Experience",
    "Education",
)


def _is_heading(text: str, title: str) -> bool:
    """Whether a line starts with the title and holds no other Japanese words (OCR junk allowed)."""
    pattern = rf"^[ \t]*{re.escape(title)}[ \t]*[^\n\u3040-\u30ff\u4e00-\u9fff]*$"
    return re.search(pattern, text, re.MULTILINE) is not None


def _labels(lexicon: Lexicon, text: str, document: str, fuzzy: bool = False) -> Signal | None:
    """Medium from four distinct headings, or from two when the form's title is a heading line
    (an article mentions the title inside a sentence, a form prints it alone)."""
    found = lexicon.found(text, fuzzy)
    if not found:
        return None
    title = lexicon.groups[0][0]
    medium = len(found) >= 4 or (len(found) >= 2 and _is_heading(text, title))
    reason = f"{len(found)} distinct {document} headings"
    strength = Strength.MEDIUM if medium else Strength.WEAK
    return Signal(NAME, "labels", strength, reason, "、".join(found[:6]), matches=len(found))


class ResumeDetector:
    """履歴書, 職務経歴書 and English CVs that contain a real person's data."""

    name = NAME

    def applies(self, doc: Document) -> bool:
        """A résumé heading anywhere in the text."""
        return any_label(doc.text, _PREFILTER)

    def inspect(self, doc: Document) -> Evidence | None:
        """Headings (medium) + personal data (medium); file name and photo only rank."""
        text = doc.text
        face = _face_signal(doc)
        found = []
        for document_type, lexicon, title, english in _FORMS:
            signals = [
                _labels(lexicon, text, title, is_image(doc)),
                _facts_signal(text, english),
                face,
                filename_signal(NAME, document_type, doc.name),
            ]
            evidence = conclude(NAME, document_type, [s for s in signals if s is not None])
            if evidence is not None:
                found.append(evidence)
        return max(found, key=rank) if found else None
