"""Character-window label matching for unsegmented (Japanese) and OCR-noisy text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex

# OCR confusions tolerated inside numbers that sit next to a label (letter -> digit).
DIGIT_CONFUSIONS = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1"}
)
_CONFUSABLE = "0-9OoDQIl|"
_GROUPS_OF_FOUR = re.compile(r"\S{4}(?:[ \-]\S{4})+")


def normalize(text: str) -> str:
    """NFKC, the form every detector matches against (full-width digits become ASCII)."""
    return unicodedata.normalize("NFKC", text)


# Small and full-size kana read for each other (セキュリティ as セキユリテイ), katakana read
# as the kanji or punctuation they look like (カード as 力一ド), and kanji that share all but a
# stroke or a radical at low resolution (保険 as 保験, 保院, 保除).
_LOOKALIKES = (
    "ァア ィイ ゥウ ェエ ォオ ッツ ャヤ ュユ ョヨ ぁあ ぃい ぅう ぇえ ぉお っつ ゃや ゅゆ ょよ"
    " ー一—－ カ力 ロ口 エ工 ニ二 ハ八 タ夕 ト卜 険験検院除"
)
_READ_AS = {char: f"[{group}]" for group in _LOOKALIKES.split() for char in group}


@cache
def label_regex(label: str) -> re.Pattern[str]:
    """A case-insensitive pattern for `label` that tolerates spaces OCR puts between characters."""
    parts = [_READ_AS.get(char, re.escape(char)) for char in label if not char.isspace()]
    joined = r"[ \t\u3000]*".join(parts)
    # Latin labels match whole words only ("EXP" must not match inside "EXPERIENCE").
    head = r"(?<![A-Za-z])" if label[:1].isascii() and label[:1].isalnum() else ""
    tail = r"(?![A-Za-z])" if label[-1:].isascii() and label[-1:].isalnum() else ""
    return re.compile(head + joined + tail, re.IGNORECASE)


_FUZZY_CJK, _FUZZY_LATIN = 4, 8  # label lengths from which one OCR error is forgiven
_FUZZY_LATIN_TWO = 16  # ... and two in a Latin label ("IV" read as "M" in INDIVIDUAL)
_FUZZY_CJK_EDIT = 5  # ... and from which a character OCR dropped or added is forgiven too
_FUZZY_CJK_TWO = 8  # ... and two errors, one of them a character misread (特別永住者証明書)
_FUZZY_TEXT = 20_000  # characters: longer texts are born digital, matched exactly


@cache
def fuzzy_regex(label: str) -> regex.Pattern[str] | None:
    """A pattern matching `label` with one character substituted (CJK, 4 characters), one
    edit (CJK, 5+; Latin, 8+) or two (Latin, 16+; CJK, 8+, of which one a substitution), as
    OCR misreads them; None for labels too short to risk it."""
    chars = [char for char in label if not char.isspace()]
    latin = label.isascii()
    if len(chars) < (_FUZZY_LATIN if latin else _FUZZY_CJK):
        return None
    body = label_regex(label).pattern
    if latin:
        errors = "e<=2" if len(chars) >= _FUZZY_LATIN_TWO else "e<=1"
    elif len(chars) >= _FUZZY_CJK_TWO:
        errors = "s<=2,i<=1,d<=1,e<=2"
    else:
        errors = "e<=1" if len(chars) >= _FUZZY_CJK_EDIT else "s<=1"
    return regex.compile(f"(?:{body}){{{errors}}}", regex.IGNORECASE | regex.BESTMATCH)


def label_in(text: str, label: str, fuzzy: bool = False) -> bool:
    """Whether the label occurs in text, exactly or, with `fuzzy` (OCR'd text), within one
    misread."""
    if label_regex(label).search(text):
        return True
    pattern = fuzzy_regex(label) if fuzzy and len(text) <= _FUZZY_TEXT else None
    return pattern is not None and pattern.search(text) is not None


@dataclass(frozen=True)
class Lexicon:
    """Named label groups; a group counts once however many of its spellings appear."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, *groups: str | tuple[str, ...]) -> Lexicon:
        """Build from labels, where a tuple is one label with alternative spellings."""
        return cls(tuple((g,) if isinstance(g, str) else g for g in groups))

    def found(self, text: str, fuzzy: bool = False) -> tuple[str, ...]:
        """The first spelling of every group present in `text`."""
        return tuple(
            group[0]
            for group in self.groups
            if any(label_in(text, spelling, fuzzy) for spelling in group)
        )

    def spellings(self) -> tuple[str, ...]:
        """Every spelling of every group."""
        return tuple(spelling for group in self.groups for spelling in group)


def label_near(
    text: str,
    start: int,
    end: int,
    labels: Iterable[str],
    before: int = 30,
    after: int = 10,
    fuzzy: bool = False,
) -> str | None:
    """The first label in the window from `before` chars ahead of a span to `after` behind it
    (within one misread with `fuzzy`, for OCR'd text)."""
    window = text[max(0, start - before) : end + after]
    for label in labels:
        if label_in(window, label, fuzzy):
            return label
    return None


def any_label(text: str, labels: Iterable[str]) -> bool:
    """Whether any of the labels occurs in text (cheap prefilter)."""
    return any(label_regex(label).search(text) for label in labels)


@cache
def digit_run_regex(length: int, spaced: bool = True) -> re.Pattern[str]:
    """Runs of exactly `length` digit-like characters, optionally with single spaces or hyphens."""
    sep = r"[ \-]?" if spaced else ""
    body = sep.join([f"[{_CONFUSABLE}]"] * length)
    return re.compile(rf"(?<![0-9A-Za-z])({body})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class DigitRun:
    """A candidate number: its digits (confusions repaired), span and repair count."""

    digits: str
    start: int
    end: int
    repairs: int


def digit_runs(text: str, length: int, max_repairs: int = 1) -> tuple[DigitRun, ...]:
    """Digit runs of `length`; at most `max_repairs` letters read as digits, leading only in a
    number printed in groups of four (a letter then digits is otherwise a code, not a misread)."""
    runs = []
    for match in digit_run_regex(length).finditer(text):
        raw = re.sub(r"[ \-]", "", match.group(1))
        repairs = sum(1 for char in raw if not char.isdigit())
        grouped = _GROUPS_OF_FOUR.fullmatch(match.group(1)) is not None
        if repairs > max_repairs or not (raw[0].isdigit() or grouped):
            continue
        runs.append(
            DigitRun(raw.translate(DIGIT_CONFUSIONS), match.start(1), match.end(1), repairs)
        )
    return tuple(runs)
