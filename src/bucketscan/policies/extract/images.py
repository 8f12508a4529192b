"""Images: safe decoding (pixel bound, first frame, EXIF orientation) and the OCR + cues pass."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from bucketscan.policies.extract import barcodes, faces, mrz_band
from bucketscan.policies.extract.cues import CardQuad, find_card, rectify
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.ocr import OcrResult, ocr_available, ocr_image, osd_rotation
from bucketscan.records.content import ImageCues, Page

CARD_SIDE = 900  # long side of a rectified card for OCR (≈ 270 dpi on an ID-1 card)
PAGE_SIDE = 2200
MIN_SIDE = 1000
GOOD_SCORE = 30.0  # confident characters: below this the orientation is probably wrong
_OCR_PSM = 3


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


def _best_reading(
    subject: Image.Image, card: CardQuad | None, limits: ExtractLimits, notes: list[str]
) -> tuple[Image.Image, OcrResult]:
    """OCR once; only when the reading is poor try the other plausible orientations."""
    gray = subject.convert("L")
    first = ocr_image(gray, limits.ocr_languages, _OCR_PSM, limits.ocr_timeout_s)
    best = (subject, first)
    if first.score >= GOOD_SCORE or (first.note and "timeout" in first.note):
        return best
    if card is not None and card.kind == "id1":
        turns = [180]  # a rectified card is landscape: upright or upside down
    else:
        rotation = osd_rotation(gray, limits.ocr_timeout_s)
        turns = [rotation] if rotation else []
    for turn in turns:
        turned = subject.rotate(-turn, expand=True)
        reading = ocr_image(
            turned.convert("L"), limits.ocr_languages, _OCR_PSM, limits.ocr_timeout_s
        )
        if reading.score > best[1].score:
            best = (turned, reading)
            notes.append(f"image read after turning it {turn}°")
    return best


def _upright_by_face(subject: Image.Image, card: CardQuad | None) -> Image.Image:
    """Without OCR, pick the orientation in which a frontal face shows."""
    for turn in (0, 180) if card is not None and card.kind == "id1" else (0, 90, 180, 270):
        turned = subject.rotate(turn, expand=True) if turn else subject
        if faces.find_faces(turned).count:
            return turned
    return subject


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
        subject = _upright_by_face(subject, card)
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
