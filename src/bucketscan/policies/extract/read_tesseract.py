"""Tesseract as a page reader: the best of up to four turns, light-on-dark title bands, and the
MRZ band read apart by its own OCR-B pass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from bucketscan.policies.extract import mrz_band
from bucketscan.policies.extract.cues import (
    CardQuad,
    TextLayout,
    rectify,
    side_lengths,
    text_layout,
)
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.ocr import OcrResult, ocr_image, osd_rotation
from bucketscan.policies.extract.pages import (
    CARD_SIDE,
    MIN_SIDE,
    PAGE_SIDE,
    Subject,
    first_turn,
    fit,
    legibility,
    note_turn,
    page_record,
    turned,
)
from bucketscan.policies.extract.rulings import erase_rulings
from bucketscan.records.content import Page

GOOD_SCORE = 30.0  # confident characters on a card: below this it is probably upside down
GOOD_PAGE_SCORE = 100.0  # the same for a page, where a wrong turn still yields some junk
_TEXTLESS = 8.0  # confident characters on a page: below this (at low confidence) there is no text
_CARD_PSM = 6  # one uniform block: label/value lines stay together
PAGE_PSM = 6  # forms and tables read far better as one block than segmented
_AUTO_PSM = 3  # Tesseract's own layout analysis: separates text blocks from a cluttered background
_LINE_PSM = 7  # a single text line
_BAND_DARKNESS = 0.72  # a band row's median is this much darker than the card's
_BAND_MIN, _BAND_MAX, _MAX_BANDS = 0.03, 0.25, 2  # band height as a share of the card's
_MARGIN_WHITE = 200  # grey level: anything darker is content, not the scanner's white margin
_OSD_SIDE = 2000  # page text must stay legible for orientation detection
UPRIGHT_CONFIDENCE = 70.0  # mean word confidence of text read the right way up
_WRONG_AXIS_CONFIDENCE = 60.0  # below this along both turns of one axis, try the other axis


@dataclass(frozen=True)
class TesseractReader:
    """Tesseract 5 (`jpn+eng`); with `problem` set, no OCR runs and the page says why."""

    problem: str | None = None

    def read(self, subject: Subject, limits: ExtractLimits) -> tuple[Page, tuple[str, ...]]:
        """The page Tesseract reads of the subject, and notes on how it was read."""
        notes: list[str] = []
        return _tesseract_page(subject, limits, self.problem, notes), tuple(notes)


def _upright(reading: OcrResult, good: float) -> bool:
    """Enough confident text, read with the high mean confidence only upright text gets."""
    return reading.score >= good and reading.confidence >= UPRIGHT_CONFIDENCE


def _candidate_turns(
    subject: Image.Image, layout: TextLayout, card_like: bool, timeout_s: float
) -> list[int]:
    """Turns to try in order: the two along the text-line axis, the others only when unsure.

    A rectified ID-1 card is landscape, so upright or upside down; a face that shows only upside
    down decides which first. Lines running up/down mean a page turned by 90° either way:
    Tesseract's orientation detection (on a copy large enough for page text) picks which first.
    """
    if card_like:
        first = first_turn(subject)
        return [first, (first + 180) % 360]
    if layout.axis == "vertical":
        osd = osd_rotation(fit(subject.convert("L"), _OSD_SIDE), timeout_s)
        first = osd if osd in (90, 270) else 90
        pair = [first, (first + 180) % 360]
        return pair if layout.clear_axis else [*pair, 0, 180]
    return [0, 180] if layout.clear_axis else [0, 180, 90, 270]


def _best_reading(
    subject: Image.Image,
    card: CardQuad | None,
    layout: TextLayout,
    limits: ExtractLimits,
    notes: list[str],
) -> tuple[Image.Image, OcrResult]:
    """OCR the likeliest way up, then its opposite (then the other axis if unsure), until one
    reads upright.

    A reading counts as upright when it has enough confident characters at a high mean
    confidence: text read the wrong way up yields junk at a low mean confidence (< 65). A page
    photographed on a textured surface that reads poorly as one block is read once more with
    Tesseract's own layout analysis, which leaves the texture out.
    """
    card_like = card is not None and card.kind == "id1"
    psm, good = (_CARD_PSM, GOOD_SCORE) if card_like else (PAGE_PSM, GOOD_PAGE_SCORE)

    def read(turn: int, mode: int = psm) -> tuple[Image.Image, OcrResult]:
        image = turned(subject, turn)
        return image, ocr_image(
            image.convert("L"), limits.ocr_languages, mode, limits.ocr_timeout_s
        )

    turns = _candidate_turns(subject, layout, card_like, limits.ocr_timeout_s)
    best, best_turn = read(turns[0]), turns[0]
    if _upright(best[1], good) or (best[1].note and "timeout" in best[1].note):
        return _noted(best, best_turn, notes)
    if not card_like and layout.sparse:
        return _noted(best, best_turn, notes)  # clutter (a texture): one reading is the bound
    # Junk only, and no clear text lines either: nothing to turn upright. (Clear lines read as
    # junk are text upside down: Japanese read that way yields almost no confident characters.)
    textless = best[1].score < _TEXTLESS and best[1].confidence < UPRIGHT_CONFIDENCE
    if not card_like and textless and not layout.clear_axis:
        return _noted(best, best_turn, notes)
    if not card_like and best[1].confidence < _WRONG_AXIS_CONFIDENCE:
        reading = read(turns[0], _AUTO_PSM)
        if _quality(reading[1]) > _quality(best[1]):
            best = reading
        if _upright(best[1], good):
            return _noted(best, best_turn, notes)
    for index, turn in enumerate(turns[1:], start=1):
        if index == 2 and best[1].confidence >= _WRONG_AXIS_CONFIDENCE:
            break  # the line axis was right: a fair reading, just not a confident one
        reading = read(turn)
        if _quality(reading[1]) > _quality(best[1]):
            best, best_turn = reading, turn
        if _upright(best[1], good):
            break
    return _noted(best, best_turn, notes)


def _quality(reading: OcrResult) -> float:
    """Confident characters, discounted when the mean confidence says the text is junk."""
    return reading.score * min(1.0, reading.confidence / UPRIGHT_CONFIDENCE) ** 2


def dark_bands(card: Image.Image) -> list[tuple[int, int]]:
    """Row ranges (top, bottom) of full-width dark bands on a card, where titles print light."""
    gray = np.asarray(card.convert("L"), dtype=np.uint8)
    dark = np.median(gray, axis=1) < _BAND_DARKNESS * float(np.median(gray))
    bands: list[tuple[int, int]] = []
    start: int | None = None
    for row, is_dark in enumerate([*dark.tolist(), False]):
        if is_dark and start is None:
            start = row
        elif not is_dark and start is not None:
            if _BAND_MIN * gray.shape[0] <= row - start <= _BAND_MAX * gray.shape[0]:
                bands.append((start, row))
            start = None
    return bands[:_MAX_BANDS]


def _content(image: Image.Image) -> Image.Image:
    """The image cropped to what differs from its white margin (a card scanned on an A4 page)."""
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    rows, columns = np.nonzero(gray < _MARGIN_WHITE)
    if not len(rows):
        return image
    return image.crop(
        (int(columns.min()), int(rows.min()), int(columns.max()) + 1, int(rows.max()) + 1)
    )


def _band_text(subject: Image.Image, limits: ExtractLimits) -> list[str]:
    """Light-on-dark band text, each band inverted and read as one line."""
    lines = []
    card = _content(subject)
    for top, bottom in dark_bands(card):
        band = card.convert("L").crop((0, top, card.width, bottom))
        flipped = ImageOps.autocontrast(ImageOps.invert(band))
        reading = ocr_image(flipped, limits.ocr_languages, _LINE_PSM, limits.ocr_timeout_s)
        if reading.confidence >= UPRIGHT_CONFIDENCE:
            lines.append(reading.text)
    return lines


def _noted(
    best: tuple[Image.Image, OcrResult], turn: int, notes: list[str]
) -> tuple[Image.Image, OcrResult]:
    note_turn(turn, notes)
    return best


def _tesseract_page(
    given: Subject, limits: ExtractLimits, problem: str | None, notes: list[str]
) -> Page:
    """Tesseract at the best of up to four turns, dark title bands, the MRZ band read apart."""
    image, card, flat, source = given.image, given.card, given.flat, given.source
    if card is not None and card.kind == "id1":
        subject = flat if flat is not None else rectify(image, card, CARD_SIDE)
        if card.source == "frame":
            notes.append("card shape from the whole image (tight crop)")
    elif card is not None and card.corners is not None and card.outlined:  # ID-3 or A4 sheet
        side = min(PAGE_SIDE, max(MIN_SIDE, round(max(side_lengths(card.corners)))))
        # Tesseract drops text inside bordered tables (資格確認書, résumé forms): erase the rules.
        subject = erase_rulings(rectify(image, card, side, landscape=False))
    else:  # a page scanned on white, or no document outline found: the same for its tables
        subject = erase_rulings(fit(image, PAGE_SIDE, MIN_SIDE))
    use_ocr = problem is None
    text_parts: list[str] = []
    layout = text_layout(subject)
    document_like = layout.has_text or (card is not None and card.source == "quad")
    score = 0.0
    if use_ocr and not layout.has_text:
        notes.append("OCR skipped: no text-like line structure in the image")
        subject = turned(subject, first_turn(subject))
    elif use_ocr:
        subject, reading = _best_reading(subject, card, layout, limits, notes)
        text_parts.append(reading.text)
        score = reading.score
        if _upright(reading, GOOD_SCORE):  # titles printed light on a dark band
            text_parts.extend(_band_text(subject, limits))
        if reading.note:
            notes.append(reading.note)
            if "timeout" in reading.note:
                problem = reading.note
    else:
        notes.append(f"OCR skipped: {problem}")
        subject = turned(subject, first_turn(subject))
    box = mrz_band.find_band(subject)
    mrz: tuple[str, ...] = ()
    if box is not None and use_ocr:
        mrz = tuple(mrz_band.read_band(subject, box, limits.ocr_timeout_s))
    elif box is not None:
        notes.append("MRZ band located by shape only (not read)")
    legible = legibility(score, document_like, problem)
    return page_record(image, subject, card, text_parts, mrz, legible, source, box is not None)
