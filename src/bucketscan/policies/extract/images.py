"""Images: safe decoding (pixel bound, first frame, EXIF orientation) and the OCR + cues pass."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from bucketscan.policies.extract import barcodes, faces, mrz_band
from bucketscan.policies.extract.cues import CardQuad, find_card, rectify, side_lengths
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.ocr import OcrResult, ocr_available, ocr_image, osd_rotation
from bucketscan.records.content import ImageCues, Page

CARD_SIDE = 1000  # long side of a rectified ID-1 card for OCR (≈ 300 dpi)
PAGE_SIDE = 1800  # A4 at ≈ 150 dpi: body text 20-30 px high, what Tesseract reads best
MIN_SIDE = 1000
GOOD_SCORE = 30.0  # confident characters on a card: below this it is probably upside down
GOOD_PAGE_SCORE = 100.0  # the same for a page, where a wrong turn still yields some junk
_TEXTLESS = 8.0  # confident characters: below this (and no orientation found) there is no text
_CARD_PSM = 6  # one uniform block: label/value lines stay together
_PAGE_PSM = 6  # forms and tables read far better as one block than segmented
_OSD_SIDE = 1200


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


def _best_reading(
    subject: Image.Image, card: CardQuad | None, limits: ExtractLimits, notes: list[str]
) -> tuple[Image.Image, OcrResult]:
    """OCR the likeliest way up; only a poor reading pays for orientation detection and more.

    A rectified ID-1 card is landscape, so it is upright or upside down. Anything else asks
    Tesseract's orientation detection (on a small copy), and only when the first reading is poor:
    most scans and photos are stored upright.
    """
    card_like = card is not None and card.kind == "id1"
    psm, good = (_CARD_PSM, GOOD_SCORE) if card_like else (_PAGE_PSM, GOOD_PAGE_SCORE)

    def read(turn: int) -> tuple[Image.Image, OcrResult]:
        turned = _turned(subject, turn)
        return turned, ocr_image(
            turned.convert("L"), limits.ocr_languages, psm, limits.ocr_timeout_s
        )

    first = _first_turn(subject)
    best, best_turn = read(first), first
    if best[1].score >= good or (best[1].note and "timeout" in best[1].note):
        return _noted(best, best_turn, notes)
    if card_like:
        turns = [(first + 180) % 360]
    else:
        osd = osd_rotation(_fit(subject.convert("L"), _OSD_SIDE), limits.ocr_timeout_s)
        if osd is None and best[1].score < _TEXTLESS:
            return _noted(best, best_turn, notes)  # no text to turn upright
        base = first if osd is None else osd
        turns = [t for t in (base, (base + 180) % 360) if t != first]
    for turn in turns:
        reading = read(turn)
        if reading[1].score > best[1].score:
            best, best_turn = reading, turn
        if best[1].score >= good:
            break
    return _noted(best, best_turn, notes)


def _noted(
    best: tuple[Image.Image, OcrResult], turn: int, notes: list[str]
) -> tuple[Image.Image, OcrResult]:
    if turn:
        notes.append(f"image read after turning it {turn}°")
    return best


def analyse(
    image: Image.Image, limits: ExtractLimits, source: str = "ocr"
) -> tuple[Page, tuple[str, ...]]:
    """OCR (at the best orientation), card shape, faces, MRZ band and barcodes of one image."""
    notes: list[str] = []
    card = find_card(image)
    if card is not None and card.kind == "id1":
        subject = rectify(image, card, CARD_SIDE)
        if card.source == "frame":
            notes.append("card shape from the whole image (tight crop)")
    elif card is not None and card.corners is not None and card.outlined:  # ID-3 or A4 sheet
        side = min(PAGE_SIDE, max(MIN_SIDE, round(max(side_lengths(card.corners)))))
        subject = rectify(image, card, side, landscape=False)
    else:
        subject = _fit(image, PAGE_SIDE, MIN_SIDE)
    use_ocr = limits.ocr and ocr_available()
    text_parts: list[str] = []
    if use_ocr:
        subject, reading = _best_reading(subject, card, limits, notes)
        text_parts.append(reading.text)
        if reading.note:
            notes.append(reading.note)
    else:
        notes.append("OCR skipped: " + ("disabled" if not limits.ocr else "tesseract absent"))
        subject = _turned(subject, _first_turn(subject))
    found = faces.find_faces(subject)
    box = mrz_band.find_band(subject)
    mrz = False
    if box is not None and use_ocr:
        lines = mrz_band.read_band(subject, box, limits.ocr_timeout_s)
        mrz = len(lines) >= 2
        if lines:
            text_parts.append("[mrz]\n" + "\n".join(lines))
    elif box is not None:
        mrz = True
        notes.append("MRZ band located by shape only (not read)")
    text_parts.extend(barcodes.read_codes(image))
    cues = ImageCues(
        width=image.width,
        height=image.height,
        card_shape=card.kind if card else None,
        faces=found.count,
        face_side=found.side,
        mrz_band=mrz,
    )
    text = "\n".join(part for part in text_parts if part)
    return Page(text=text, source=source, cues=cues), tuple(notes)
