"""Printed card backgrounds: tinted gradients, guilloche lines, rosettes, microtext, holograms."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from bucketscan.synthetic.draw import text

Color = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """A card family's print colours: the two gradient ends, the guilloche ink, an accent."""

    start: Color
    end: Color
    line: Color
    accent: Color


def jitter(rng: random.Random, color: Color, spread: int = 6) -> Color:
    """The colour shifted a little per channel (print runs differ)."""
    r, g, b = (min(255, max(0, c + rng.randint(-spread, spread))) for c in color)
    return (r, g, b)


def _mix(a: Color, b: Color, t: float) -> Color:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def gradient(rng: random.Random, size: tuple[int, int], start: Color, end: Color) -> Image.Image:
    """A linear colour gradient at a random angle with a soft off-centre glow."""
    full = size
    width, height = max(4, size[0] // 4), max(4, size[1] // 4)  # smooth: drawn small, enlarged
    angle = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    along = xs / width * math.cos(angle) + ys / height * math.sin(angle)
    along = (along - along.min()) / max(1e-6, float(along.max() - along.min()))
    cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    glow = np.exp(-(((xs - cx) / width) ** 2 + ((ys - cy) / height) ** 2) * rng.uniform(3, 8))
    first, last = np.array(start, np.float32), np.array(end, np.float32)
    pixels = first + (last - first) * along[:, :, None]
    pixels += (255 - pixels) * (glow[:, :, None] * rng.uniform(0.1, 0.45))
    pixels = cv2.resize(pixels, full, interpolation=cv2.INTER_LINEAR)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def waves(
    draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], color: Color
) -> None:
    """Two crossing families of sinusoidal lines, as guilloche backgrounds are engraved."""
    width, height = size
    step = rng.randint(7, 16)
    for family in range(2):
        amplitude = rng.uniform(6, 26)
        period = rng.uniform(50, 160)
        slope = rng.uniform(-0.25, 0.25)
        phase = rng.uniform(0, 2 * math.pi) + family * math.pi
        xs = np.arange(0, width + 12, 12, dtype=np.float64)
        for y0 in range(-height // 2, height + height // 2, step):
            shift = y0 / step * rng.uniform(0.05, 0.12) if family else 0.0
            ys = y0 + slope * xs + amplitude * np.sin(xs / period * 2 * math.pi + phase + shift)
            points = list(zip(xs.tolist(), ys.tolist(), strict=True))
            draw.line(points, fill=color, width=1)


def rosette(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    center: tuple[float, float],
    radius: float,
    color: Color,
) -> None:
    """Concentric wavy rings whose lobes drift with the radius: a guilloche rosette."""
    lobes = rng.randint(8, 24)
    rings = rng.randint(6, 14)
    cx, cy = center
    for ring in range(rings):
        base = radius * (0.35 + 0.65 * ring / max(1, rings - 1))
        amplitude = radius * rng.uniform(0.04, 0.09)
        phase = ring * rng.uniform(0.15, 0.4)
        points = []
        for step in range(0, 361, 3):
            theta = math.radians(step)
            r = base + amplitude * math.sin(lobes * theta + phase)
            points.append((cx + r * math.cos(theta), cy + r * math.sin(theta)))
        draw.line(points, fill=color, width=1)


def microtext(
    draw: ImageDraw.ImageDraw, y: float, width: int, phrase: str, color: Color, size: int = 9
) -> None:
    """A line of tiny repeated text (a copy turns it into a grey rule)."""
    line = (phrase + " ") * (width // max(1, size * len(phrase) // 2) + 2)
    text(draw, (0, y), line, size, color, kind="latin" if phrase.isascii() else "gothic")


def watermark(rng: random.Random, image: Image.Image, color: Color, emblem: str) -> None:
    """A faint large emblem: a five-petal flower, a seal ring or a word, over the background."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    sketch = ImageDraw.Draw(overlay)
    width, height = image.size
    cx, cy = rng.uniform(0.25, 0.75) * width, rng.uniform(0.3, 0.7) * height
    radius = rng.uniform(0.22, 0.36) * height
    ink = (*color, rng.randint(18, 40))
    if emblem == "flower":
        for petal in range(5):
            theta = math.radians(petal * 72 + rng.uniform(0, 72))
            px, py = cx + radius * 0.55 * math.cos(theta), cy + radius * 0.55 * math.sin(theta)
            sketch.ellipse(
                (px - radius * 0.42, py - radius * 0.42, px + radius * 0.42, py + radius * 0.42),
                outline=ink,
                width=3,
            )
    elif emblem == "seal":
        for scale in (1.0, 0.8):
            r = radius * scale
            sketch.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=4)
    else:
        text(sketch, (cx - radius * 1.4, cy - radius * 0.4), emblem, int(radius * 0.8), ink[:3])
        overlay.putalpha(overlay.getchannel("A").point(lambda a: min(a, ink[3])))
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def hologram(rng: random.Random, image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """A rainbow, angle-dependent shimmer in a soft oval inside box (left, top, right, bottom)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    if width < 4 or height < 4:
        return
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, math.pi)
    period = rng.uniform(40, 140)
    hue = (xs * math.cos(angle) + ys * math.sin(angle)) / period + rng.uniform(0, 1)
    rainbow = np.stack(
        [0.5 + 0.5 * np.sin(2 * math.pi * (hue + shift)) for shift in (0.0, 1 / 3, 2 / 3)], axis=2
    )
    mask = np.exp(-(((xs / width - 0.5) / 0.32) ** 2 + ((ys / height - 0.5) / 0.32) ** 2))
    alpha = (mask * rng.uniform(0.12, 0.3))[:, :, None]
    region = np.asarray(image.crop(box), dtype=np.float32)
    blended = region * (1 - alpha) + rainbow * 255 * alpha
    image.paste(Image.fromarray(np.clip(blended, 0, 255).astype(np.uint8), "RGB"), (left, top))


def printed(
    rng: random.Random,
    size: tuple[int, int],
    palette: Palette,
    *,
    phrase: str = "",
    emblem: str = "",
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A card's printed background: gradient, guilloche, rosette, microtext and watermark."""
    start, end = jitter(rng, palette.start), jitter(rng, palette.end)
    image = gradient(rng, size, start, end)
    draw = ImageDraw.Draw(image)
    line = jitter(rng, palette.line, 4)
    waves(draw, rng, size, _mix(line, start, rng.uniform(0.2, 0.55)))
    if rng.random() < 0.75:
        center = (rng.uniform(0.15, 0.85) * size[0], rng.uniform(0.25, 0.75) * size[1])
        rosette(draw, rng, center, rng.uniform(0.2, 0.42) * size[1], _mix(line, start, 0.3))
    if phrase:
        for y in rng.sample(range(20, size[1] - 20, 14), k=2):
            microtext(draw, y, size[0], phrase, _mix(line, start, 0.35))
    if emblem:
        watermark(rng, image, palette.accent, emblem)
    softened = cv2.GaussianBlur(np.asarray(image), (0, 0), 0.6)
    image.paste(Image.fromarray(softened, "RGB"))
    return image, ImageDraw.Draw(image)


def tint(
    rng: random.Random, size: tuple[int, int], color: Color
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A paper or card stock of one tint, barely uneven."""
    image = gradient(rng, size, color, jitter(rng, color, 4))
    return image, ImageDraw.Draw(image)
