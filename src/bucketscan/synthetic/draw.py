"""Drawing helpers shared by the card, passport, résumé and negative renderers."""

from __future__ import annotations

import io
import math
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bucketscan.synthetic.faces import draw_face

GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
MINCHO = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ID1 = (1011, 638)  # 85.60 x 53.98 mm at 300 dpi
ID3 = (1476, 1039)  # 125 x 88 mm at 300 dpi
A4 = (1240, 1754)  # 210 x 297 mm at 150 dpi
INK = (25, 25, 30)
GREY = (95, 95, 105)

Font = ImageFont.FreeTypeFont


@lru_cache(maxsize=64)
def font(size: int, kind: str = "gothic") -> Font:
    """A cached font: gothic (IPA Gothic), mincho, mono (MRZ) or latin; falls back to gothic."""
    path = {"gothic": GOTHIC, "mincho": MINCHO, "mono": MONO, "latin": LATIN}[kind]
    if not path.exists():
        path = GOTHIC
    return ImageFont.truetype(str(path), size)


def canvas(
    size: tuple[int, int], color: tuple[int, int, int]
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A new RGB image and its drawing context."""
    image = Image.new("RGB", size, color)
    return image, ImageDraw.Draw(image)


def security_pattern(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    size: tuple[int, int],
    color: tuple[int, int, int],
) -> None:
    """Faint guilloche-like wavy lines behind the printed fields."""
    width, height = size
    step = rng.randint(14, 22)
    phase = rng.random() * 6.28
    for y0 in range(-height, height * 2, step):
        points = [
            (x, y0 + 18 * math.sin(x / 45 + phase) + x * 0.15) for x in range(0, width + 20, 20)
        ]
        draw.line(points, fill=color, width=1)


def text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    value: str,
    size: int,
    fill: tuple[int, int, int] = INK,
    kind: str = "gothic",
) -> float:
    """Draw text with its top-left at xy; returns the x just after it."""
    face = font(size, kind)
    draw.text(xy, value, font=face, fill=fill)
    return xy[0] + draw.textlength(value, font=face)


def vertical_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    value: str,
    size: int,
    fill: tuple[int, int, int] = INK,
) -> None:
    """Draw text top to bottom, one character per line (as 運転免許証 is printed)."""
    x, y = xy
    for char in value:
        draw.text((x, y), char, font=font(size), fill=fill)
        y += size * 1.05


def paste_face(image: Image.Image, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """Paste a synthetic ID photo into box (left, top, right, bottom)."""
    left, top, right, bottom = box
    image.paste(draw_face(rng, right - left, bottom - top), (left, top))


def rounded_card(image: Image.Image, radius: int = 38) -> Image.Image:
    """The card with rounded corners as an RGBA image (transparent outside)."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *image.size), radius=radius, fill=255)
    card = image.convert("RGBA")
    card.putalpha(mask)
    return card


def jpeg(image: Image.Image, quality: int = 85, exif: bytes | None = None) -> bytes:
    """Encode as baseline JPEG (optionally with an EXIF block)."""
    buffer = io.BytesIO()
    rgb = image.convert("RGB")
    if exif is None:
        rgb.save(buffer, "JPEG", quality=quality, optimize=True)
    else:
        rgb.save(buffer, "JPEG", quality=quality, optimize=True, exif=exif)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    """Encode as PNG."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
