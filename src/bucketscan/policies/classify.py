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


def classify_bytes(data: bytes, name: str, limits: ExtractLimits | None = None) -> Classification:
    """Extract a file once (see policies.extract) and classify the resulting document."""
    from bucketscan.policies.extract import ExtractLimits, extract

    return classify_document(extract(data, name, limits or ExtractLimits()))
