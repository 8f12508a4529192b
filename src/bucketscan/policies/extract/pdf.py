"""PDF: the text layer per page (pypdfium2, pypdf as fallback); pages without text are rendered."""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.rulings import erase_rulings
from bucketscan.policies.extract.text import normalise
from bucketscan.records.content import Page

_DPI = 200  # pages without an embedded image (vector-only scans of text)
_MIN_DPI = 150  # a low-resolution scan is upsampled to what Tesseract needs for body text
_MAX_DPI = 300  # a finer scan adds pixels, not legibility
_MIN_TEXT = 20  # fewer visible characters than this: treat the page as a scan
_RENDER_SIDE = 2400
_FAMILIAR_SHARE = 0.8  # letters in Latin or JIS scripts: a text layer with fewer is garbled


def _familiar(char: str) -> bool:
    """A letter of the Latin alphabets or of Japanese (JIS X 0208) text."""
    if ord(char) < 0x250:
        return True
    if unicodedata.category(char) == "Co":  # private use: CP932 maps some, no text has them
        return False
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def garbled(text: str) -> bool:
    """Whether a text layer is glyph codes rather than text (fonts without a Unicode map give
    random CJK, Hebrew and private-use characters): such a page is read from its image."""
    letters = [char for char in text if char.isalpha() or unicodedata.category(char) == "Co"]
    if not letters:
        return False
    return sum(map(_familiar, letters)) < _FAMILIAR_SHARE * len(letters)


ImagePass = Callable[[Image.Image, ExtractLimits], tuple[Page, tuple[str, ...]]]


def image_dpi(page: pdfium.PdfPage) -> float | None:
    """The page resolution of its largest embedded image (pixels per inch as placed), if any."""
    best: tuple[float, float] | None = None
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        if not isinstance(item, pdfium.PdfImage):
            continue
        left, bottom, right, top = item.get_bounds()
        placed = max(right - left, top - bottom)  # points; max() copes with 90° placements
        pixels = max(item.get_px_size())
        if placed <= 0 or pixels <= 0:
            continue
        area = (right - left) * (top - bottom)
        if best is None or area > best[0]:
            best = (area, 72 * pixels / placed)
    return best[1] if best else None


def render_scale(page: pdfium.PdfPage, limits: ExtractLimits) -> float:
    """The scan's own resolution clamped to 150-300 dpi (200 without one), within pixel bounds."""
    width, height = page.get_size()  # points (1/72 inch)
    dpi = image_dpi(page)
    dpi = _DPI if dpi is None else min(_MAX_DPI, max(_MIN_DPI, dpi))
    scale = min(dpi / 72, _RENDER_SIDE / max(width, height, 1))
    pixels = width * height * scale * scale
    if pixels > limits.max_pixels:
        scale *= (limits.max_pixels / pixels) ** 0.5
    return float(scale)


def _render(page: pdfium.PdfPage, limits: ExtractLimits) -> Image.Image:
    """The page as an image at its scan's resolution, table rulings erased for OCR."""
    bitmap = page.render(scale=render_scale(page, limits))
    image: Image.Image = bitmap.to_pil().convert("RGB")
    return erase_rulings(image)


def extract_pdf(
    data: bytes, limits: ExtractLimits, image_pass: ImagePass
) -> tuple[list[Page], list[str]]:
    """Pages of text (or OCR of rendered pages) and notes; never raises."""
    notes: list[str] = []
    try:
        document = pdfium.PdfDocument(data)
    except (pdfium.PdfiumError, ValueError, OSError) as error:
        notes.append(f"pypdfium2 could not open the PDF ({error}); trying pypdf")
        fallback, more = _pypdf_text(data, limits)
        return fallback, notes + more
    pages: list[Page] = []
    try:
        count = len(document)
        if count > limits.max_pages:
            notes.append(f"PDF has {count} pages: only the first {limits.max_pages} read")
        for index in range(min(count, limits.max_pages)):
            page = document[index]
            text = normalise(page.get_textpage().get_text_range())
            if garbled(text):
                text, why = "", "text layer garbled (fonts without a Unicode map)"
            elif len("".join(text.split())) >= _MIN_TEXT:
                pages.append(Page(text=text, source="text"))
                continue
            else:
                why = "no text layer"
            image_page, image_notes = image_pass(_render(page, limits), limits)
            pages.append(replace(image_page, text=text + image_page.text, source="ocr"))
            notes.extend(f"page {index + 1}: {note}" for note in image_notes)
            notes.append(f"page {index + 1}: {why}, rendered as an image")
    except (pdfium.PdfiumError, ValueError, OSError, MemoryError) as error:
        notes.append(f"PDF read stopped: {error.__class__.__name__}: {error}")
    finally:
        document.close()
    return pages, notes


def _pypdf_text(data: bytes, limits: ExtractLimits) -> tuple[list[Page], list[str]]:
    """Text layer through pypdf, for files pdfium refuses."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [
            Page(text=normalise(page.extract_text() or ""), source="text")
            for page in reader.pages[: limits.max_pages]
        ]
    except (PyPdfError, ValueError, OSError, KeyError, TypeError, AttributeError) as error:
        return [], [f"PDF could not be read: {error.__class__.__name__}"]
    return pages, ["PDF text from pypdf (no page images)"]
