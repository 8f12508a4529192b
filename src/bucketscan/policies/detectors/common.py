"""Signal builders shared by the families and the MRZ detector: labels, titles, card layout."""

from __future__ import annotations

import re

from bucketscan.policies.detectors.context import Lexicon, label_in
from bucketscan.records.content import CardShape, Document, ImageCues, Signal, Strength

MIN_LABELS = 3
# The holder's fields every identity card prints: beside a document's own title they show a
# filled-in card, not a mention of one.
IDENTITY_FIELDS = Lexicon.of(
    ("氏名", "Name", "Surname"),
    ("住所", "Address"),
    ("生年月日", "Date of birth", "DOB"),
    ("性別", "Sex"),
)


_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DATE = re.compile(
    r"(?<![0-9])(?:[0-3]?[0-9][./\-][01]?[0-9][./\-](?:19|20)[0-9]{2}"
    r"|(?:19|20)[0-9]{2}[./\-][01]?[0-9][./\-][0-3]?[0-9]"
    rf"|[0-3]?[0-9][ \t]?(?:{_MONTHS})[A-Z]*[ \t]?(?:19|20)?[0-9]{{2}}"
    # An era year whatever its era's name was read as (平成 as 専成): 年, 月 and 日 say date.
    r"|(?:(?:19|20)[0-9]{2}|(?:元|[0-9]{1,2}))"
    r"年[ \t]*[01]?[0-9][ \t]*月[ \t]*[0-3]?[0-9][ \t]*日)(?![0-9])",
    re.IGNORECASE,
)
# A document number as cards print it: letters and digits mixed, 8 to 12 characters.
_DOCUMENT_NUMBER = re.compile(
    r"(?<![A-Z0-9])(?=[A-Z0-9]*[A-Z])(?=(?:[A-Z]*[0-9]){5})[A-Z0-9]{8,12}(?![A-Z0-9])"
)
_MAX_DATES = 2  # a birth date and an expiry date: more say no more


def filled_values(text: str) -> int:
    """How many of a card's holder values show, whatever their labels read as: dates (a birth
    and an expiry date at most) and a document number."""
    dates = {match.group(0) for match in _DATE.finditer(text)}
    numbers = {match.group(0) for match in _DOCUMENT_NUMBER.finditer(text)} - dates
    return min(_MAX_DATES, len(dates)) + (1 if numbers else 0)


def label_signal(
    detector: str, lexicon: Lexicon, text: str, document: str, fuzzy: bool = False
) -> Signal | None:
    """Medium when at least three distinct document-specific labels appear, weak for one or two."""
    found = lexicon.found(text, fuzzy)
    if not found:
        return None
    strength = Strength.MEDIUM if len(found) >= MIN_LABELS else Strength.WEAK
    shown = "、".join(found[:6])
    return Signal(
        detector,
        "labels",
        strength,
        f"{len(found)} distinct {document} labels",
        shown,
        matches=len(found),
    )


def title_signal(
    detector: str, titles: tuple[str, ...], lexicon: Lexicon, doc: Document
) -> Signal | None:
    """Medium when a photo or scan of a card (or with a face) shows the document's own title
    and three of its labels, holder's fields or filled-in values; or, where the title is
    hidden, one more of its own labels than a label signal needs and three filled holder's
    fields besides.

    What the document is called and what its fields are called or hold, read off an image, is
    a card or form photographed: its number may be unreadable, the document is still there.
    Values stand in for labels whose small print OCR could not read.
    """
    if not is_image(doc) or not any(cue.card_shape or cue.faces for cue in _cues(doc)):
        return None
    text = doc.text
    own = len(lexicon.found(text, fuzzy=True))
    holder = len(IDENTITY_FIELDS.found(text, fuzzy=True)) + filled_values(text)
    title = next((title for title in titles if label_in(text, title, fuzzy=True)), None)
    if title is not None and own + holder >= MIN_LABELS:
        reason = f"title {title!r} with its labels on an image"
    elif own > MIN_LABELS and holder >= MIN_LABELS:
        reason = f"{own} of its labels and the holder's fields filled in on an image"
    else:
        return None
    return Signal(detector, "title", Strength.MEDIUM, reason)


def _cues(doc: Document) -> tuple[ImageCues, ...]:
    return tuple(page.cues for page in doc.pages if page.cues is not None)


def card_signal(
    detector: str, doc: Document, *shapes: CardShape, portrait: bool = True
) -> Signal | None:
    """Card layout: a card of one of `shapes` and a face together are one medium cue; either
    alone is weak. A card that carries no portrait (a health-insurance card) is medium by its
    outline alone.

    A face on a card-shaped object is what an identity card looks like, but neither proves a
    document on its own (portraits have faces, loyalty and business cards are card-shaped),
    and the pair still needs a second, document-specific medium signal to alert.
    """
    cues = _cues(doc)
    shaped = [cue for cue in cues if cue.card_shape in shapes]
    with_face = [cue for cue in shaped if cue.faces >= 1]
    if with_face:
        reason = f"{with_face[0].card_shape} card shape with a face"
        return Signal(detector, "card_layout", Strength.MEDIUM, reason)
    if shaped and not portrait:
        reason = f"{shaped[0].card_shape} card shape (the card carries no portrait)"
        return Signal(detector, "card_layout", Strength.MEDIUM, reason)
    if shaped:
        return Signal(detector, "card_shape", Strength.WEAK, f"{shaped[0].card_shape} card shape")
    if any(cue.faces >= 1 for cue in cues):
        return Signal(detector, "face", Strength.WEAK, "a face in the image")
    return None


def mrz_band(doc: Document) -> bool:
    """Whether image analysis saw a machine-readable-zone band."""
    return any(cue.mrz_band for cue in _cues(doc))


def is_image(doc: Document) -> bool:
    """Whether the text came from OCR of an image (a scan or photo rather than a text file)."""
    return any(page.source == "ocr" for page in doc.pages)
