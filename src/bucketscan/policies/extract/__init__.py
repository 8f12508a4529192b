"""Extraction: the bytes of one object become one Document (text, pages, image cues, notes)."""

from __future__ import annotations

from bucketscan.policies.extract import images, office, pdf, sniff
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.ocr import ocr_available
from bucketscan.policies.extract.text import clipped, text_of
from bucketscan.records.content import Document, Legibility, Page

__all__ = ["ExtractLimits", "extract", "ocr_available"]

_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/heic"}
_TEXT_TYPES = {
    "text/plain",
    "text/csv",
    "text/tab-separated-values",
    "text/markdown",
    "text/html",
    "application/json",
}


def _extract(data: bytes, media_type: str, limits: ExtractLimits) -> tuple[list[Page], list[str]]:
    if media_type in _TEXT_TYPES:
        size, data = len(data), clipped(data, limits.max_text_bytes)
        text, encoding = text_of(data, media_type)
        capped = f"only the first {len(data):,} of {size:,} bytes of text read (text cap)"
        said = [f"text decoded as {encoding}", *([capped] if len(data) < size else [])]
        return [Page(text=text, source="text")], said
    if media_type == "application/pdf":
        return pdf.extract_pdf(data, limits, images.analyse)
    if media_type in _IMAGE_TYPES:
        decoded = images.decode(data, media_type, limits)
        if decoded.image is None:  # could not tell what it shows: never clean
            reason = decoded.notes[0] if decoded.notes else "image could not be decoded"
            return [Page("", "ocr", legibility=Legibility.UNREADABLE, legibility_reason=reason)], [
                *decoded.notes
            ]
        page, notes = images.analyse(decoded.image, limits)
        return [page], [*decoded.notes, *notes]
    if media_type in (sniff.DOCX, sniff.XLSX):
        return office.extract_office(data, media_type, limits, images.analyse)
    if media_type == "application/x-empty":
        return [], ["empty file: nothing to read"]
    return [], [f"content type {media_type} not supported: could not tell what it holds"]


DEFAULT_LIMITS = ExtractLimits()


def extract(data: bytes, name: str, limits: ExtractLimits = DEFAULT_LIMITS) -> Document:
    """Read one object into a Document; hostile or corrupt input yields notes, never an error."""
    notes: list[str] = []
    if len(data) > limits.max_bytes:
        notes.append(f"only the first {limits.max_bytes} of {len(data)} bytes read")
        data = data[: limits.max_bytes]
    media_type = sniff.refine_text(sniff.sniff(data), name)
    try:
        pages, more = _extract(data, media_type, limits)
    except Exception as error:  # noqa: BLE001 - last line of defence: record, never crash
        pages, more = [], [f"extraction failed: {error.__class__.__name__}: could not tell"]
    notes.extend(more)
    if not any(page.text.strip() for page in pages) and media_type not in _IMAGE_TYPES:
        notes.append("no text found: could not tell what the file holds")
    return Document(name=name, media_type=media_type, pages=tuple(pages), notes=tuple(notes))
