"""What both OCR readers share: scaling, turning, legibility and the page record they build."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from bucketscan.policies.extract import barcodes, faces
from bucketscan.policies.extract.cues import CardQuad
from bucketscan.records.content import ImageCues, Legibility, Page

CARD_SIDE = 1000  # long side of a rectified ID-1 card for OCR (≈ 300 dpi)
PAGE_SIDE = 1800  # A4 at ≈ 150 dpi: body text 20-30 px high, what Tesseract reads best
MIN_SIDE = 1000
_LEVEL_FROM = 10.0  # degrees of lean from which faces are looked for on the levelled image
_LEGIBLE = 20.0  # confident characters: a reading with fewer says little
_ILLEGIBLE = 5.0  # ... and with fewer than this, nothing was legible


@dataclass(frozen=True)
class Subject:
    """What a page reader is given: the image, the card-shaped outline found in it (and that card
    already flattened, when judging its kind took one), and where the image came from."""

    image: Image.Image
    card: CardQuad | None
    flat: Image.Image | None
    source: str = "ocr"


def fit(image: Image.Image, longest: int, shortest: int = 0) -> Image.Image:
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


def turned(image: Image.Image, turn: int) -> Image.Image:
    """The image turned clockwise by `turn` degrees."""
    return image.rotate(-turn, expand=True) if turn else image


def first_turn(subject: Image.Image) -> int:
    """180 when a frontal face shows only upside down (the Haar cascade finds none that way)."""
    if faces.find_faces(subject).count:
        return 0
    return 180 if faces.find_faces(turned(subject, 180)).count else 0


def legibility(
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


def page_record(
    image: Image.Image,
    upright: Image.Image,
    card: CardQuad | None,
    text_parts: list[str],
    mrz: tuple[str, ...],
    legible: tuple[Legibility, str | None],
    source: str,
    mrz_seen: bool = False,
    roll: float = 0.0,
) -> Page:
    """The page record: text, typed MRZ lines and codes, cues of the upright subject (levelled
    by `roll`, the degrees its text still leans, for the face detector)."""
    codes = barcodes.read_codes(image)
    # The Haar cascade finds faces leaning up to about 15°; a card's photo leans as its text.
    level = upright.rotate(roll, expand=True) if abs(roll) >= _LEVEL_FROM else upright
    cues = _cues(image, card, faces.find_faces(level), mrz_seen or len(mrz) >= 2)
    text = "\n".join(part for part in (*text_parts, *mrz) if part)
    return Page(text, source, cues, mrz, codes, legible[0], legible[1])


def note_turn(turn: int, notes: list[str]) -> None:
    """Record that the image was read turned."""
    if turn:
        notes.append(f"image read after turning it {turn}°")
