"""PP-OCRv5 as a page reader: lines detected at any rotation and recognised whole; in the
cascade, a text-heavy page Tesseract reads confidently is kept at a fraction of the cost."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PIL import Image

from bucketscan.policies.extract import lines, ppocr
from bucketscan.policies.extract.cues import CardQuad, rectify
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.lines import lean, upright_turn
from bucketscan.policies.extract.ocr import OcrResult, ocr_image
from bucketscan.policies.extract.pages import (
    CARD_SIDE,
    MIN_SIDE,
    PAGE_SIDE,
    Subject,
    fit,
    legibility,
    note_turn,
    page_record,
    turned,
)
from bucketscan.policies.extract.read_tesseract import PAGE_PSM, UPRIGHT_CONFIDENCE
from bucketscan.policies.extract.rulings import erase_rulings
from bucketscan.policies.icao import checks_out
from bucketscan.records.content import Page

_DET_CARD_SIDE = 736  # PP-OCR detection size on a tightly cropped card: its text is large there
_DET_SIDE = 960  # ... and on anything else (small images upscaled to it)
_DET_SMALL_SIDE = 1280  # ... and on a small photo whose MRZ the usual size did not read whole
_CROP_SIDE = 1200  # pixels: a card-shaped image this small is a cropped card, not a photo
_COVERAGE = 0.6  # confident characters Tesseract must read per character detection found
_TEXT_HEAVY_LINES = 30  # detected lines from which a page is worth a Tesseract pass first
_MRZ_RATIO = 18.0  # length/height of a detected line that may be an MRZ line (30-44 characters)
_MRZ_MAX_LINES = 45  # detected lines on an ID page with an MRZ, at most
_FILLERS = "<<"  # what is left of an MRZ that was not read whole
_WORD_CHARACTERS = re.compile(r"\w")
_FEW_CHARACTERS = 12  # read inside a document's outline, so few say it was not the document
_LINE_RATIO = 4.0  # length/height of a detected box from which it is a line of text
_DOCUMENT_LINES = 2  # ... and lines of text that make an image document-like


@dataclass(frozen=True)
class DeepReader:
    """PP-OCRv5 run by onnxruntime; with `cascade`, Tesseract may take text-heavy pages."""

    cascade: bool = False

    def read(self, subject: Subject, limits: ExtractLimits) -> tuple[Page, tuple[str, ...]]:
        """The page PP-OCRv5 reads of the subject, and notes on how it was read."""
        notes: list[str] = []
        page = _deep_page(subject.image, subject.card, limits, self.cascade, subject.source, notes)
        return page, tuple(notes)


def _quick(upright: Image.Image, found: ppocr.Found, limits: ExtractLimits) -> OcrResult | None:
    """One Tesseract pass on the image turned upright (detection told the way up), kept when it
    reads most of what detection found with high confidence: clean scans and born-digital
    pages cost a fraction of deep recognition. None when the deep model must read it."""
    page = fit(erase_rulings(upright), PAGE_SIDE, MIN_SIDE)
    quick = ocr_image(page.convert("L"), limits.ocr_languages, PAGE_PSM, limits.ocr_timeout_s)
    expected = sum(found.ratios())
    if quick.confidence >= UPRIGHT_CONFIDENCE and quick.score >= _COVERAGE * expected:
        return quick
    return None


def _deep_page(
    image: Image.Image,
    card: CardQuad | None,
    limits: ExtractLimits,
    cascade: bool,
    source: str,
    notes: list[str],
) -> Page:
    """PP-OCRv5 detection at any rotation, then recognition of every line; with `cascade`,
    a Tesseract pass that reads the upright image well is kept instead (lines long enough to
    be an MRZ are still read by the deep model, which reads them whole)."""
    # A tight crop of a card has large text; a 3:2 photo has the same ratio and does not.
    tight = card is not None and card.source == "frame" and max(image.size) <= _CROP_SIDE
    # A card or a page photographed on a table (its outline stands out all round) is read
    # flattened: the detector loses lines on a steeply tilted card, and a page's small print
    # grows. Anything else is read whole, since an outline found around a photo box or a table
    # on a page would cut its text off.
    on_table = card is not None and card.source == "quad" and card.outlined
    if not (on_table and card):
        page = _deep_read(image, fit(image, PAGE_SIDE), card, tight, limits, cascade, source, notes)
        return _small_zone_reread(image, page, page.text)
    flat_notes: list[str] = []
    is_card = card.kind == "id1"
    subject = (
        rectify(image, card, CARD_SIDE)
        if is_card
        else rectify(image, card, PAGE_SIDE, landscape=False)  # a page or a passport booklet
    )
    flat = _deep_read(image, subject, card, is_card, limits, cascade, source, flat_notes)
    if (inside := _characters(flat)) < _FEW_CHARACTERS:
        # Next to nothing inside the outline: it was a photo box or a field of a document whose
        # own outline was lost (a scan on a white lid), not the document.
        whole = _deep_read(image, fit(image, PAGE_SIDE), None, False, limits, cascade, source, [])
        if _characters(whole) > inside:
            notes.append("read the whole image: the outline found held next to no text")
            return whole
    if checks_out(flat.mrz) or _FILLERS not in flat.text.replace(">", "<"):
        notes.extend(flat_notes)
        return flat
    # Fillers but no zone: the MRZ strip of a passport page may lie outside the outline found,
    # or along the edge of a flattened card where the outline cut it.
    whole = _deep_read(image, fit(image, PAGE_SIDE), card, False, limits, cascade, source, notes)
    whole = _small_zone_reread(image, whole, flat.text)
    if _zone_read(whole) > _zone_read(flat):
        return whole
    notes.extend(flat_notes)
    return flat


def _small_zone_reread(image: Image.Image, page: Page, shown: str) -> Page:
    """A small photo's page with the MRZ lines a detection at a larger size finds, where the
    fillers a reading `shown` show a zone that did not check out: its print is a few pixels
    high, and detection splits its lines at one scale and keeps them whole at another."""
    small = max(image.size) < _DET_SMALL_SIDE
    if not small or checks_out(page.mrz) or _FILLERS not in shown.replace(">", "<"):
        return page
    found = ppocr.find_lines(fit(image, PAGE_SIDE), _DET_SMALL_SIDE)
    return _with_mrz_of(page, _zone_lines(found))


def _characters(page: Page) -> int:
    """Letters and digits a reading found."""
    return len(_WORD_CHARACTERS.findall(page.text))


def _zone_lines(found: ppocr.Found) -> tuple[str, ...]:
    """The MRZ lines among detected lines, only lines of an MRZ line's length recognised."""
    long_lines = [i for i, ratio in enumerate(found.ratios()) if ratio >= _MRZ_RATIO]
    return lines.reading(ppocr.recognise(found.subset(long_lines))).mrz if long_lines else ()


def _with_mrz_of(page: Page, mrz: tuple[str, ...]) -> Page:
    """The page with the MRZ lines another reading of it found besides: each reading garbles
    other characters, and the detector's check digits tell which line is right."""
    extra = tuple(line for line in mrz if line not in page.mrz)
    if not extra:
        return page
    text = "\n".join((page.text, *extra))
    return replace(page, text=text, mrz=page.mrz + extra)


def _zone_read(page: Page) -> tuple[bool, int]:
    """How well a page's MRZ was read: check digits passing, then lines of its shape."""
    return checks_out(page.mrz), len(page.mrz)


def _deep_read(
    image: Image.Image,
    subject: Image.Image,
    card: CardQuad | None,
    card_like: bool,
    limits: ExtractLimits,
    cascade: bool,
    source: str,
    notes: list[str],
) -> Page:
    """One deep reading of `subject` (the image, or its card flattened) as a page of `image`."""
    found = ppocr.find_lines(subject, _DET_CARD_SIDE if card_like else _DET_SIDE)
    turn = upright_turn(found.angle)
    upright = turned(subject, turn)
    # Lines of a few characters, or a card's outline, are a document; a portrait's hair, eyes
    # and collar make short boxes: nothing legible there is no document, not could-not-tell.
    text_like = sum(ratio >= _LINE_RATIO for ratio in found.ratios()) >= _DOCUMENT_LINES
    document_like = text_like or (card is not None and card.source == "quad")
    # Cards are what the deep model is for (small print on patterned grounds); Tesseract may
    # take text-heavy pages it reads confidently, where it costs a fraction of deep recognition.
    text_heavy = len(found.quads) >= _TEXT_HEAVY_LINES
    quick = _quick(upright, found, limits) if cascade and text_heavy and not card_like else None
    if quick is not None:
        few = len(found.quads) <= _MRZ_MAX_LINES  # an ID page, not a page of prose
        mrz = _zone_lines(found) if few else ()
        legible = legibility(quick.score, document_like, None)
        note_turn(turn, notes)
        roll = lean(found.angle, turn)
        return page_record(image, upright, card, [quick.text], mrz, legible, source, roll=roll)
    read = lines.reading(ppocr.recognise(found))
    legible = legibility(read.score, document_like, None)
    if read.turn != turn:  # recognition settled lines the classifier had turned wrongly
        upright = turned(subject, read.turn)
    note_turn(read.turn, notes)
    roll = lean(found.angle, read.turn)
    return page_record(image, upright, card, [read.text], read.mrz, legible, source, roll=roll)
