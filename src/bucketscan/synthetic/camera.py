"""How documents end up in storage: flatbed scans, phone photos, image-only PDFs."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image, ImageFilter

from bucketscan.synthetic.draw import jpeg, png, rounded_card

_PHONES = (
    ("Apple", "iPhone 12"),
    ("Google", "Pixel 7"),
    ("SONY", "Xperia 10 IV"),
    ("SHARP", "SH-M24"),
)
_TABLES = (
    (120, 85, 55),
    (200, 200, 195),
    (60, 60, 70),
    (150, 110, 80),
    (225, 215, 190),
    (40, 90, 60),
)
# EXIF Orientation values: the raw pixels are rotated so that a viewer must apply the tag.
_EXIF_ROTATIONS = {6: 90, 3: 180, 8: 270}
_SCAN_TIME = dt.datetime(2023, 12, 28, 10, 30, 0)
_CARD_ZOOM = 2.0  # a card photo: ≈ 600 dpi on the card, as a 12 MP phone frames it
_PAGE_ZOOM = 1.6  # an A4 page photo: ≈ 240 dpi

Variant = Callable[[random.Random, Image.Image, bool], tuple[bytes, str]]


def _exif(rng: random.Random, orientation: int | None) -> bytes:
    exif = Image.Exif()
    make, model = rng.choice(_PHONES)
    exif[0x010F] = make
    exif[0x0110] = model
    if orientation is not None:
        exif[0x0112] = orientation
    return exif.tobytes()


def _on_white(rng: random.Random, document: Image.Image, card: bool) -> Image.Image:
    """A flatbed scan: the document on white with a slight tilt and a little noise."""
    margin = int(max(document.size) * (0.12 if card else 0.02))
    page = Image.new("RGB", (document.width + 2 * margin, document.height + 2 * margin), "white")
    item = rounded_card(document) if card else document.convert("RGBA")
    tilted = item.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, expand=True)
    page.paste(
        tilted,
        (margin - (tilted.width - item.width) // 2, margin - (tilted.height - item.height) // 2),
        tilted,
    )
    return page.filter(ImageFilter.GaussianBlur(0.5))


def texture(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A table or fabric surface: a base colour, grain lines and smooth noise."""
    width, height = size
    base = np.array(rng.choice(_TABLES), dtype=np.float32)
    coarse = np.random.default_rng(rng.getrandbits(32)).normal(
        0, 1, (height // 8 + 1, width // 8 + 1)
    )
    noise = cv2.resize(coarse.astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    grain = np.sin(np.linspace(0, rng.uniform(20, 60), height, dtype=np.float32))[:, None] * 6
    pixels = base[None, None, :] + (noise * 10 + grain)[:, :, None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _photo(rng: random.Random, document: Image.Image, card: bool) -> Image.Image:
    """A phone photo: the document in perspective on a textured surface, blurred and shaded."""
    # A phone sensor has far more pixels than a 300-dpi (card) or 150-dpi (page) rendering: the
    # document is drawn larger, so the camera blur below is small relative to the printed text.
    zoom = _CARD_ZOOM if card else _PAGE_ZOOM
    scale = (1.5 if card else 1.15) * zoom
    width, height = int(document.width * scale), int(document.height * scale)
    background = np.array(texture(rng, (width, height)))
    src = np.array(
        [[0, 0], [document.width, 0], [document.width, document.height], [0, document.height]],
        dtype=np.float32,
    )
    cx, cy = (
        width / 2 + rng.uniform(-0.04, 0.04) * width,
        height / 2 + rng.uniform(-0.04, 0.04) * height,
    )
    shrink = (rng.uniform(0.78, 0.9) if card else rng.uniform(0.84, 0.92)) * zoom
    half_w, half_h = document.width * shrink / 2, document.height * shrink / 2
    angle = np.deg2rad(rng.uniform(-8, 8))
    corners = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = dx * half_w, dy * half_h
        x, y = x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)
        jitter = document.width * zoom * 0.03
        corners.append(
            [cx + x + rng.uniform(-jitter, jitter), cy + y + rng.uniform(-jitter, jitter)]
        )
    matrix = cv2.getPerspectiveTransform(src, np.array(corners, dtype=np.float32))
    rgba = np.array(rounded_card(document) if card else document.convert("RGBA"))
    warped = cv2.warpPerspective(rgba, matrix, (width, height), flags=cv2.INTER_CUBIC)
    alpha = warped[:, :, 3].astype(np.float32) / 255
    offset = (round(14 * zoom), round(10 * zoom))
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 12 * zoom), offset, axis=(0, 1))[:, :, None]
    composed = background * (1 - 0.35 * shadow) * (1 - alpha[:, :, None])
    composed += warped[:, :, :3] * alpha[:, :, None]
    light = np.linspace(rng.uniform(0.85, 1.0), rng.uniform(1.0, 1.1), width, dtype=np.float32)
    composed = composed * light[None, :, None]
    image = Image.fromarray(np.clip(composed, 0, 255).astype(np.uint8), "RGB")
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))


def scan_jpeg(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A flatbed scan saved as JPEG."""
    return jpeg(_on_white(rng, document, card), quality=85), ".jpg"


def scan_png(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A flatbed scan saved as PNG (downscaled to keep files small)."""
    page = _on_white(rng, document, card)
    return png(page.resize((page.width * 2 // 3, page.height * 2 // 3))), ".png"


def photo_tilted(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo at a small angle with perspective, EXIF camera tags, no rotation tag."""
    return jpeg(_photo(rng, document, card), rng.randint(78, 88), _exif(rng, None)), ".jpg"


def photo_rotated(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo whose pixels are turned by 90, 180 or 270 degrees (no orientation tag)."""
    image = _photo(rng, document, card).rotate(rng.choice((90, 180, 270)), expand=True)
    return jpeg(image, rng.randint(78, 88), _exif(rng, None)), ".jpg"


def photo_exif(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo stored sideways with an EXIF Orientation tag that makes it upright."""
    orientation = rng.choice(sorted(_EXIF_ROTATIONS))
    raw = _photo(rng, document, card).rotate(_EXIF_ROTATIONS[orientation], expand=True)
    return jpeg(raw, rng.randint(78, 88), _exif(rng, orientation)), ".jpg"


def pdf_image_only(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A scan wrapped in a PDF with no text layer, as scanner software produces."""
    page = _on_white(rng, document, card)
    resolution = 150.0
    if card:  # a card scanned on an A4 bed sits in the top-left of a white page
        # The whole scan must fit on the sheet (a passport page is wider than A4 at 200 dpi):
        # a wider sheet in pixels is the same A4 sheet at a higher resolution.
        width = max(2480 * 2 // 3, page.width + 160)
        a4 = Image.new("RGB", (width, round(width * 3508 / 2480)), "white")
        a4.paste(page, (80, 80))
        page, resolution = a4, 200.0 * width / (2480 * 2 // 3)
    buffer = io.BytesIO()
    stamp = _SCAN_TIME.timetuple()
    page.save(
        buffer,
        "PDF",
        resolution=resolution,
        quality=80,
        creationDate=stamp,
        modDate=stamp,
        creator=rng.choice(("ScanSnap Manager", "Adobe Scan", "CamScanner")),
    )
    return buffer.getvalue(), ".pdf"


# Explicit registry: manifest variant name → renderer.
IMAGE_VARIANTS: dict[str, Variant] = {
    "scan-jpeg": scan_jpeg,
    "photo-tilted": photo_tilted,
    "photo-rotated": photo_rotated,
    "pdf-image-only": pdf_image_only,
    "photo-exif": photo_exif,
    "scan-png": scan_png,
}
