"""Images: safe decoding (pixel bound, first frame, EXIF orientation) and the OCR + cues pass."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from bucketscan.policies.extract.cues import (
    CardQuad,
    between_kinds,
    find_card,
    ink_box,
    rectify,
    side_lengths,
    text_layout,
)
from bucketscan.policies.extract.engines import PageReader, reader_for
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.pages import CARD_SIDE, Subject
from bucketscan.records.content import Page

_FILLING = 0.4  # share of a page's content box a card found in it must cover
_BODY_LONG = 0.9  # a card's body between its bands spans at least this share of its long side
_BODY_SHORT = 0.9  # ... and less than this share of its short side


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
            rgb = _magnified(upright.convert("RGB"), limits)
    except Image.DecompressionBombError as error:
        return Decoded(None, (f"image skipped by the bomb guard: {error}",))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        return Decoded(None, (f"image could not be decoded: {error.__class__.__name__}",))
    return Decoded(rgb, tuple(notes))


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


def _filling(card: CardQuad | None, content: Image.Image) -> CardQuad | None:
    """The card found in a page's content box, unless it fills little of it: then it is a box
    inside the content (a photo, a table) and the card's own outline was lost at the crop."""
    if card is None or card.corners is None:  # no corners: the content box is the card
        return card
    along, across = side_lengths(card.corners)
    return card if along * across >= _FILLING * content.width * content.height else None


def _whole_card(
    outer: CardQuad | None, inner: CardQuad | None, box: tuple[int, int, int, int]
) -> CardQuad | None:
    """The card found before cropping, moved into the crop, when the one found in the crop is
    its body alone: as long, less high (a pale field between coloured bands at top and bottom,
    whose outer edges the crop brought too close to its own)."""
    if outer is None or outer.corners is None or inner is None or inner.corners is None:
        return inner
    long_out, short_out = sorted(side_lengths(outer.corners), reverse=True)
    long_in, short_in = sorted(side_lengths(inner.corners), reverse=True)
    if _BODY_LONG <= long_in / long_out <= 1 / _BODY_LONG and short_in < _BODY_SHORT * short_out:
        return replace(outer, corners=outer.corners - np.array(box[:2], dtype=np.float32))
    return inner


def _magnified(image: Image.Image, limits: ExtractLimits) -> Image.Image:
    """The image enlarged `limits.magnify` times (Lanczos), within the pixel bound."""
    factor = min(limits.magnify, (limits.max_pixels / max(1, image.width * image.height)) ** 0.5)
    if factor <= 1.0:
        return image
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


def analyse(
    image: Image.Image, limits: ExtractLimits, source: str = "ocr", reader: PageReader | None = None
) -> tuple[Page, tuple[str, ...]]:
    """OCR (at the best orientation, by the chosen engine or `reader`), card shape, faces, MRZ
    lines and barcodes of one image."""
    notes: list[str] = []
    size = image.size
    found = find_card(image)
    # A card or a receipt scanned on a sheet: the sheet's blank is no help. A card whose outline
    # stands out all round is read flattened as it is (a crop would cut its outline off).
    box = None if found is not None and found.outlined else ink_box(image)
    if box is not None:
        image = image.crop(box)
        notes.append("read the part of the page that has content")
        found = _whole_card(found, _filling(find_card(image), image), box)
    card, flat = _settled(image, found)
    page, more = (reader or reader_for(limits.ocr_engine)).read(
        Subject(image, card, flat, source), limits
    )
    if page.cues is not None and box is not None:  # the image's own size, not the part read
        page = replace(page, cues=replace(page.cues, width=size[0], height=size[1]))
    return page, (*notes, *more)
