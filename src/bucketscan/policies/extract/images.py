"""Images: safe decoding (pixel bound, first frame, EXIF orientation) and the OCR + cues pass."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from bucketscan.policies.extract import barcodes, faces, lines, mrz_band, ppocr
from bucketscan.policies.extract.cues import (
    CardQuad,
    TextLayout,
    between_kinds,
    find_card,
    rectify,
    side_lengths,
    text_layout,
)
from bucketscan.policies.extract.engines import resolve
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.lines import upright_turn
from bucketscan.policies.extract.ocr import OcrResult, ocr_image, osd_rotation
from bucketscan.policies.extract.rulings import erase_rulings
from bucketscan.records.content import ImageCues, Legibility, OcrEngine, Page

CARD_SIDE = 1000  # long side of a rectified ID-1 card for OCR (≈ 300 dpi)
PAGE_SIDE = 1800  # A4 at ≈ 150 dpi: body text 20-30 px high, what Tesseract reads best
MIN_SIDE = 1000
GOOD_SCORE = 30.0  # confident characters on a card: below this it is probably upside down
GOOD_PAGE_SCORE = 100.0  # the same for a page, where a wrong turn still yields some junk
_TEXTLESS = 8.0  # confident characters on a page: below this (at low confidence) there is no text
_CARD_PSM = 6  # one uniform block: label/value lines stay together
_PAGE_PSM = 6  # forms and tables read far better as one block than segmented
_AUTO_PSM = 3  # Tesseract's own layout analysis: separates text blocks from a cluttered background
_LINE_PSM = 7  # a single text line
_BAND_DARKNESS = 0.72  # a band row's median is this much darker than the card's
_BAND_MIN, _BAND_MAX, _MAX_BANDS = 0.03, 0.25, 2  # band height as a share of the card's
_MARGIN_WHITE = 200  # grey level: anything darker is content, not the scanner's white margin
_OSD_SIDE = 2000  # page text must stay legible for orientation detection
UPRIGHT_CONFIDENCE = 70.0  # mean word confidence of text read the right way up
_WRONG_AXIS_CONFIDENCE = 60.0  # below this along both turns of one axis, try the other axis
_LEGIBLE = 20.0  # confident characters: a reading with fewer says little
_ILLEGIBLE = 5.0  # ... and with fewer than this, nothing was legible
_DET_CARD_SIDE = 736  # PP-OCR detection size on a tightly cropped card: its text is large there
_DET_SIDE = 960  # ... and on anything else (small images upscaled to it)
_CROP_SIDE = 1200  # pixels: a card-shaped image this small is a cropped card, not a photo
_COVERAGE = 0.6  # confident characters Tesseract must read per character detection found
_TEXT_HEAVY_LINES = 30  # detected lines from which a page is worth a Tesseract pass first
_MRZ_RATIO = 18.0  # length/height of a detected line that may be an MRZ line (30-44 characters)
_MRZ_MAX_LINES = 45  # detected lines on an ID page with an MRZ, at most


@dataclass(frozen=True)
class Decoded:
    """A decoded, upright RGB image, or why there is none."""

    image: Image.Image | None
    notes: tuple[str, ...]


def _heif_opener() -> bool:
    try:
        import pillow_heif  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def decode(data: bytes, media_type: str, limits: ExtractLimits) -> Decoded:
    """Open the image checking its size before pixels are loaded; never raises."""
    if media_type == "image/heic" and not _heif_opener():
        return Decoded(None, ("HEIC not supported (pillow-heif not installed): image not read",))
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # own bound below
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > limits.max_pixels:
                return Decoded(
                    None,
                    (f"image of {width}x{height} pixels exceeds {limits.max_pixels} (bomb guard)",),
                )
            if getattr(image, "n_frames", 1) > 1:
                notes.append("multi-frame image: first frame only")
                image.seek(0)
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except Image.DecompressionBombError as error:
        return Decoded(None, (f"image skipped by the bomb guard: {error}",))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        return Decoded(None, (f"image could not be decoded: {error.__class__.__name__}",))
    return Decoded(rgb, tuple(notes))


def _fit(image: Image.Image, longest: int, shortest: int = 0) -> Image.Image:
    """Downscale to `longest`, or upscale small images so text is big enough for OCR."""
    side = max(image.size)
    if side > longest:
        factor = longest / side
    elif shortest and side < shortest:
        factor = min(2.0, shortest / side)
    else:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _turned(image: Image.Image, turn: int) -> Image.Image:
    """The image turned clockwise by `turn` degrees."""
    return image.rotate(-turn, expand=True) if turn else image


def _first_turn(subject: Image.Image) -> int:
    """180 when a frontal face shows only upside down (the Haar cascade finds none that way)."""
    if faces.find_faces(subject).count:
        return 0
    return 180 if faces.find_faces(_turned(subject, 180)).count else 0


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
        first = _first_turn(subject)
        return [first, (first + 180) % 360]
    if layout.axis == "vertical":
        osd = osd_rotation(_fit(subject.convert("L"), _OSD_SIDE), timeout_s)
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
    psm, good = (_CARD_PSM, GOOD_SCORE) if card_like else (_PAGE_PSM, GOOD_PAGE_SCORE)

    def read(turn: int, mode: int = psm) -> tuple[Image.Image, OcrResult]:
        turned = _turned(subject, turn)
        return turned, ocr_image(
            turned.convert("L"), limits.ocr_languages, mode, limits.ocr_timeout_s
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
    if turn:
        notes.append(f"image read after turning it {turn}°")
    return best


def _settled(
    image: Image.Image, card: CardQuad | None
) -> tuple[CardQuad | None, Image.Image | None]:
    """A quad whose ratio lies between ID-3 and ID-1, where a photo's perspective blurs the two,
    is a card when its text runs along its long side and a page when along its short side.

    Also returns the card flattening made to judge it (reused when it is read as a card).
    """
    if card is None or card.corners is None or not between_kinds(card.ratio):
        return card, None
    flat = rectify(image, replace(card, kind="id1"), CARD_SIDE)
    direction = text_layout(flat).direction
    if card.kind == "id3" and direction == "rows":
        return replace(card, kind="id1"), flat
    if card.kind == "id1" and direction == "columns":
        return replace(card, kind="id3"), flat
    return card, flat


def _legibility(
    score: float, document_like: bool, problem: str | None
) -> tuple[Legibility, str | None]:
    """Read, poor, or unreadable: nothing legible where a card or text-like lines are is "could
    not tell", never clean; an image with neither (a photo, a texture) read nothing to worry."""
    if score >= _LEGIBLE:
        return Legibility.READ, None
    if not document_like:
        return Legibility.READ, None
    if problem is not None:
        return Legibility.UNREADABLE, problem
    if score < _ILLEGIBLE:
        return Legibility.UNREADABLE, "nothing legible on a card- or page-like image"
    return Legibility.POOR, "little legible on a card- or page-like image"


def _cues(image: Image.Image, card: CardQuad | None, found: faces.Faces, mrz: bool) -> ImageCues:
    return ImageCues(
        width=image.width,
        height=image.height,
        card_shape=card.kind if card else None,
        faces=found.count,
        face_side=found.side,
        mrz_band=mrz,
    )


def _page(
    image: Image.Image,
    upright: Image.Image,
    card: CardQuad | None,
    text_parts: list[str],
    mrz: tuple[str, ...],
    legibility: tuple[Legibility, str | None],
    source: str,
    mrz_seen: bool = False,
) -> Page:
    """The page record: text, typed MRZ lines and codes, cues of the upright subject."""
    codes = barcodes.read_codes(image)
    cues = _cues(image, card, faces.find_faces(upright), mrz_seen or len(mrz) >= 2)
    text = "\n".join(part for part in (*text_parts, *mrz) if part)
    return Page(text, source, cues, mrz, codes, legibility[0], legibility[1])


def _note_turn(turn: int, notes: list[str]) -> None:
    if turn:
        notes.append(f"image read after turning it {turn}°")


def _quick(upright: Image.Image, found: ppocr.Found, limits: ExtractLimits) -> OcrResult | None:
    """One Tesseract pass on the image turned upright (detection told the way up), kept when it
    reads most of what detection found with high confidence: clean scans and born-digital
    pages cost a fraction of deep recognition. None when the deep model must read it."""
    page = _fit(erase_rulings(upright), PAGE_SIDE, MIN_SIDE)
    quick = ocr_image(page.convert("L"), limits.ocr_languages, _PAGE_PSM, limits.ocr_timeout_s)
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
    # A card photographed on a table (its outline stands out all round) is read flattened: the
    # detector loses lines on a steeply tilted card. Anything else is read whole, since an
    # outline found around a photo box or a table on a page would cut its text off.
    on_table = card is not None and card.kind == "id1" and card.source == "quad" and card.outlined
    subject = rectify(image, card, CARD_SIDE) if on_table and card else _fit(image, PAGE_SIDE)
    card_like = tight or on_table
    found = ppocr.find_lines(subject, _DET_CARD_SIDE if card_like else _DET_SIDE)
    turn = upright_turn(found.angle)
    upright = _turned(subject, turn)
    document_like = bool(found.quads) or (card is not None and card.source == "quad")
    # Cards are what the deep model is for (small print on patterned grounds); Tesseract may
    # take text-heavy pages it reads confidently, where it costs a fraction of deep recognition.
    text_heavy = len(found.quads) >= _TEXT_HEAVY_LINES
    quick = _quick(upright, found, limits) if cascade and text_heavy and not card_like else None
    if quick is not None:
        few = len(found.quads) <= _MRZ_MAX_LINES  # an ID page, not a page of prose
        long_lines = [i for i, ratio in enumerate(found.ratios()) if few and ratio >= _MRZ_RATIO]
        mrz = lines.reading(ppocr.recognise(found.subset(long_lines))).mrz
        legible = _legibility(quick.score, document_like, None)
        _note_turn(turn, notes)
        return _page(image, upright, card, [quick.text], mrz, legible, source)
    read = lines.reading(ppocr.recognise(found))
    legible = _legibility(read.score, document_like, None)
    if read.turn != turn:  # recognition settled lines the classifier had turned wrongly
        upright = _turned(subject, read.turn)
    _note_turn(read.turn, notes)
    return _page(image, upright, card, [read.text], read.mrz, legible, source)


def analyse(
    image: Image.Image, limits: ExtractLimits, source: str = "ocr"
) -> tuple[Page, tuple[str, ...]]:
    """OCR (at the best orientation, by the chosen engine), card shape, faces, MRZ lines and
    barcodes of one image."""
    notes: list[str] = []
    card, flat = _settled(image, find_card(image))
    engine, cascade, problem = resolve(limits.ocr_engine)
    if engine is OcrEngine.PPOCR:
        return _deep_page(image, card, limits, cascade, source, notes), tuple(notes)
    return _tesseract_page(image, card, flat, limits, problem, source, notes), tuple(notes)


def _tesseract_page(
    image: Image.Image,
    card: CardQuad | None,
    flat: Image.Image | None,
    limits: ExtractLimits,
    problem: str | None,
    source: str,
    notes: list[str],
) -> Page:
    """Tesseract at the best of up to four turns, dark title bands, the MRZ band read apart."""
    if card is not None and card.kind == "id1":
        subject = flat if flat is not None else rectify(image, card, CARD_SIDE)
        if card.source == "frame":
            notes.append("card shape from the whole image (tight crop)")
    elif card is not None and card.corners is not None and card.outlined:  # ID-3 or A4 sheet
        side = min(PAGE_SIDE, max(MIN_SIDE, round(max(side_lengths(card.corners)))))
        # Tesseract drops text inside bordered tables (資格確認書, résumé forms): erase the rules.
        subject = erase_rulings(rectify(image, card, side, landscape=False))
    else:  # a page scanned on white, or no document outline found: the same for its tables
        subject = erase_rulings(_fit(image, PAGE_SIDE, MIN_SIDE))
    use_ocr = problem is None
    text_parts: list[str] = []
    layout = text_layout(subject)
    document_like = layout.has_text or (card is not None and card.source == "quad")
    score = 0.0
    if use_ocr and not layout.has_text:
        notes.append("OCR skipped: no text-like line structure in the image")
        subject = _turned(subject, _first_turn(subject))
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
        subject = _turned(subject, _first_turn(subject))
    box = mrz_band.find_band(subject)
    mrz: tuple[str, ...] = ()
    if box is not None and use_ocr:
        mrz = tuple(mrz_band.read_band(subject, box, limits.ocr_timeout_s))
    elif box is not None:
        notes.append("MRZ band located by shape only (not read)")
    legible = _legibility(score, document_like, problem)
    return _page(image, subject, card, text_parts, mrz, legible, source, box is not None)
