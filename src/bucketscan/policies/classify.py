"""Classification: run every applicable detector and keep the best evidence that alerts."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from bucketscan.policies.detectors.registry import DETECTORS
from bucketscan.policies.detectors.scoring import rank
from bucketscan.records.content import Classification, Document, Evidence, Legibility

if TYPE_CHECKING:
    from bucketscan.policies.extract import ExtractLimits

SECOND_LOOK_SIDE = 900  # pixels, long side: a photo smaller than this gets a second look ...
MAGNIFY = 2.0  # ... this many times its size


def _normalized(doc: Document) -> Document:
    """The document with NFKC page text (extraction normalises; hand-built documents may not)."""
    if all(unicodedata.is_normalized("NFKC", page.text) for page in doc.pages):
        return doc
    pages = tuple(
        replace(page, text=unicodedata.normalize("NFKC", page.text)) for page in doc.pages
    )
    return replace(doc, pages=pages)


def classify_document(doc: Document) -> Classification:
    """The best alerting evidence across detectors; category None when nothing alerts."""
    doc = _normalized(doc)
    found: list[Evidence] = []
    for detector in DETECTORS:
        if not detector.applies(doc):
            continue
        evidence = detector.inspect(doc)
        if evidence is not None:
            found.append(evidence)
    if not found:
        return Classification(None, None, 0.0, (), doc.notes, doc.unreadable or _unsure(doc))
    best = max(found, key=rank)
    return Classification(
        best.category, best.document_type, best.confidence, best.signals, doc.notes
    )


def _unsure(doc: Document) -> str | None:
    """Why a card with a portrait that no detector recognised is "could not tell": too little of
    it was legible (a small or blurred photo of an ID card reads so), never clean."""
    for page in doc.pages:
        cues = page.cues
        if page.legibility is Legibility.POOR and cues and cues.card_shape and cues.faces:
            return "little legible on a card with a face: too little to tell what it is"
    return None


def second_look(doc: Document, result: Classification) -> bool:
    """Whether a small photo of a card or a face on which nothing was found is worth reading
    again enlarged: its print is a few pixels high, and the readers see more of it larger."""
    if result.category is not None or len(doc.pages) != 1:
        return False
    cues = doc.pages[0].cues
    small = cues is not None and max(cues.width, cues.height) < SECOND_LOOK_SIDE
    return small and cues is not None and bool(cues.card_shape or cues.faces)


def look_again(
    data: bytes, name: str, limits: ExtractLimits, first: tuple[Document, Classification]
) -> tuple[Document, Classification]:
    """The file read at `MAGNIFY` times its size, kept when it finds what `first` missed."""
    from bucketscan.policies.extract import extract

    closer = extract(data, name, replace(limits, magnify=MAGNIFY))
    second = classify_document(closer)
    if second.category is None:
        return first
    note = f"read again at {MAGNIFY:g} times its size: a small photo"
    return replace(closer, notes=(*closer.notes, note)), replace(
        second, notes=(*second.notes, note)
    )


def examine(
    data: bytes, name: str, limits: ExtractLimits | None = None
) -> tuple[Document, Classification]:
    """Extract a file (see policies.extract) and classify it, with a second look at a small
    photo of a card on which nothing was found (see `second_look`)."""
    from bucketscan.policies.extract import ExtractLimits, extract

    limits = limits or ExtractLimits()
    doc = extract(data, name, limits)
    result = classify_document(doc)
    if second_look(doc, result):
        return look_again(data, name, limits, (doc, result))
    return doc, result


def classify_bytes(data: bytes, name: str, limits: ExtractLimits | None = None) -> Classification:
    """Extract a file and classify the resulting document (see `examine`)."""
    return examine(data, name, limits)[1]
