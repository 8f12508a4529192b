"""How documents end up in storage: flatbed scans, phone photos, image-only PDFs."""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from bucketscan.synthetic.draw import png, rounded_card

_PHONES = (
    ("Apple", "iPhone 12"),
    ("Apple", "iPhone SE (3rd generation)"),
    ("Google", "Pixel 7"),
    ("SONY", "Xperia 10 IV"),
    ("SHARP", "SH-M24"),
    ("samsung", "SC-53C"),
)
# Surfaces under the document: (texture kind, base colour).
_SURFACES = (
    ("wood", (120, 85, 55)),
    ("wood", (168, 124, 84)),
    ("wood", (86, 58, 40)),
    ("laminate", (200, 200, 195)),
    ("laminate", (236, 234, 228)),
    ("laminate", (60, 60, 70)),
    ("fabric", (40, 90, 60)),
    ("fabric", (52, 62, 112)),
    ("fabric", (128, 44, 52)),
    ("fabric", (92, 92, 96)),
    ("paper", (225, 215, 190)),
    ("paper", (244, 244, 238)),
    ("stone", (182, 180, 176)),
    ("stone", (108, 108, 114)),
)
_SKIN = ((233, 196, 170), (222, 180, 150), (200, 160, 125), (170, 125, 95), (240, 210, 185))
# EXIF Orientation values: the raw pixels are rotated so that a viewer must apply the tag.
_EXIF_ROTATIONS = {6: 90, 3: 180, 8: 270}
_SCAN_TIME = dt.datetime(2023, 12, 28, 10, 30, 0)
_FRAME_ASPECTS = (4 / 3, 4 / 3, 4 / 3, 16 / 9, 3 / 2)
MAX_FRAME = 2400  # longest side of a photo: phone uploads are mostly downscaled to about this
MIN_FRAME = 320  # shortest side of any capture
# Apparent long side of the document in a photo, in pixels: (card, page).
PHOTO_SIZES = {
    "normal": ((650.0, 1500.0), (1300.0, 2300.0)),
    "low": ((300.0, 500.0), (800.0, 1100.0)),
}

Variant = Callable[[random.Random, Image.Image, bool], tuple[bytes, str]]
Pixels = NDArray[Any]  # float32, H x W x 3 (or H x W), 0..255 unless said otherwise
Points = NDArray[Any]  # float64, N x 2


def _f32(values: Any) -> Pixels:
    """Values as a float32 array (numpy and OpenCV results are loosely typed)."""
    return np.asarray(values, dtype=np.float32)


def soft(mask: Pixels, sigma: float) -> Pixels:
    """A wide Gaussian blur of a one-channel mask, done at a reduced scale (fast for any sigma)."""
    if sigma <= 4:
        return _f32(cv2.GaussianBlur(mask, (0, 0), max(0.5, sigma)))
    factor = sigma / 3
    height, width = mask.shape[:2]
    small = (max(2, round(width / factor)), max(2, round(height / factor)))
    reduced = cv2.GaussianBlur(cv2.resize(mask, small, interpolation=cv2.INTER_AREA), (0, 0), 3)
    return _f32(cv2.resize(reduced, (width, height), interpolation=cv2.INTER_LINEAR))


def _noise(rng: random.Random) -> np.random.Generator:
    """A numpy generator seeded from the Python rng (so one seed drives everything)."""
    return np.random.default_rng(rng.getrandbits(64))


def _exif(rng: random.Random, orientation: int | None) -> bytes:
    exif = Image.Exif()
    make, model = rng.choice(_PHONES)
    exif[0x010F] = make
    exif[0x0110] = model
    taken = _SCAN_TIME - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 900))
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if orientation is not None:
        exif[0x0112] = orientation
    return exif.tobytes()


# --- surfaces ------------------------------------------------------------------------------------


def _smooth(
    noise: np.random.Generator, size: tuple[int, int], cell: int, tall: int | None = None
) -> Pixels:
    """Smooth noise (one channel, about unit variance) with features cell x tall pixels."""
    width, height = size
    rows, columns = height // (tall or cell) + 2, width // cell + 2
    coarse = noise.standard_normal((rows, columns), dtype=np.float32)
    return _f32(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC))


def _pattern(
    kind: str, noise: np.random.Generator, size: tuple[int, int], rng: random.Random
) -> Pixels:
    """The luminance variation of a surface kind (one channel, roughly -30..30)."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    fine = noise.standard_normal((height, width), dtype=np.float32)
    if kind == "wood":  # planks: grain lines along x or y, bending slowly along their length
        along_x = rng.random() < 0.5
        across = ys if along_x else xs
        long_cell, short_cell = max(8, max(size) // 3), 24
        cells = (long_cell, short_cell) if along_x else (short_cell, long_cell)
        warp = _smooth(noise, size, *cells) * rng.uniform(5, 14)
        period = rng.uniform(5, 16)
        phase = (across + warp) / period * 2 * math.pi
        rings = np.sin(phase) + 0.5 * np.sin(phase * 2.3 + 1.0)
        sigmas = (8.0, 0.6) if along_x else (0.6, 8.0)
        fibre = cv2.GaussianBlur(fine, (0, 0), sigmaX=sigmas[0], sigmaY=sigmas[1]) * 14
        planks = _smooth(noise, size, *cells) * 6
        return _f32(rings * rng.uniform(4, 9) + fibre + planks)
    if kind == "fabric":
        pitch = rng.uniform(2.5, 6)
        weave = np.sin(xs / pitch * math.pi) * np.sin(ys / pitch * math.pi)
        return _f32(weave * rng.uniform(6, 14) + fine * 5 + _smooth(noise, size, 60) * 4)
    if kind == "stone":
        wave = np.sin((xs + ys * 0.6 + _smooth(noise, size, 90) * 60) / rng.uniform(60, 160))
        veins = cv2.GaussianBlur(_f32(np.exp(-(wave**2) / 0.01)), (0, 0), 1.2) * -10
        grain = _smooth(noise, size, 5) * 6 + _smooth(noise, size, 18) * 5
        return _f32(veins + grain + fine * 6)
    if kind == "paper":
        return _smooth(noise, size, 24) * 5 + fine * 3
    return _f32(_smooth(noise, size, 80) * 4 + fine * rng.uniform(2, 6))  # laminate: speckled


def _surface(rng: random.Random, size: tuple[int, int]) -> Pixels:
    """A table, cloth or paper surface at `size` (computed at half scale, then enlarged)."""
    kind, base = rng.choice(_SURFACES)
    noise = _noise(rng)
    half = (max(8, size[0] // 2), max(8, size[1] // 2))
    variation = _pattern(kind, noise, half, rng)
    tint = np.array([c + rng.randint(-12, 12) for c in base], dtype=np.float32)
    pixels = tint[None, None, :] + variation[:, :, None] * (0.6 + tint / 400)[None, None, :]
    return cv2.resize(np.clip(pixels, 0, 255), size, interpolation=cv2.INTER_LINEAR)


def texture(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A table or fabric surface: wood, laminate, cloth, paper or stone."""
    return Image.fromarray(_surface(rng, size).astype(np.uint8), "RGB")


# --- the shot: one homography --------------------------------------------------------------------


def quad_area(corners: Points) -> float:
    """The area of a quadrilateral from its corners in order (half the diagonals' cross product)."""
    d1, d2 = corners[2] - corners[0], corners[3] - corners[1]
    return 0.5 * abs(float(d1[0] * d2[1] - d1[1] * d2[0]))


@dataclass(frozen=True, eq=False)
class Shot:
    """A phone shot: the frame size and the one homography from document pixels into it."""

    frame: tuple[int, int]
    matrix: NDArray[np.float64]

    def project(self, points: Points) -> Points:
        """Document points (N x 2) as frame points."""
        homogeneous = np.hstack([points, np.ones((len(points), 1))]) @ self.matrix.T
        return homogeneous[:, :2] / homogeneous[:, 2:3]

    def corners(self, size: tuple[int, int]) -> Points:
        """The document's four corners in the frame (TL, TR, BR, BL)."""
        width, height = size
        return self.project(np.array([[0, 0], [width, 0], [width, height], [0, height]], float))

    def apparent(self, size: tuple[int, int]) -> float:
        """The document's long side as it appears in the frame (area-equivalent), in pixels."""
        return max(size) * math.sqrt(quad_area(self.corners(size)) / (size[0] * size[1]))


def _rotation(pitch: float, yaw: float, roll: float) -> NDArray[np.float64]:
    """The 3-D rotation Rx(pitch) @ Ry(yaw) @ Rz(roll), angles in radians."""
    cx, sx = math.cos(pitch), math.sin(pitch)
    cy, sy = math.cos(yaw), math.sin(yaw)
    cz, sz = math.cos(roll), math.sin(roll)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    rotation: NDArray[np.float64] = rx @ ry @ rz
    return rotation


def roll_angle(rng: random.Random, upright: bool) -> float:
    """The document's in-plane rotation in degrees: near 0 when upright, else any (0-360)."""
    if upright or rng.random() < 0.55:
        return max(-14.0, min(14.0, rng.gauss(0, 6)))
    return rng.uniform(0, 360)


def _projected(rng: random.Random, size: tuple[int, int], upright: bool) -> Points:
    """The document's corners seen by a pinhole camera: rolled, pitched and yawed, at a distance."""
    width, height = size
    roll = math.radians(roll_angle(rng, upright))
    tilt = math.radians(32 * rng.random() ** 1.4)
    direction = rng.uniform(0, 2 * math.pi)
    rotation = _rotation(tilt * math.cos(direction), tilt * math.sin(direction), roll)
    distance = max(size) * rng.uniform(1.3, 3.2)  # nearer means stronger perspective
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    plane = np.hstack([corners - (width / 2, height / 2), np.zeros((4, 1))])
    camera = plane @ rotation.T + (0, 0, distance)
    quad: Points = distance * camera[:, :2] / camera[:, 2:3]
    return quad


def _framed(rng: random.Random, quad: Points, card: bool) -> tuple[tuple[int, int], Points]:
    """A phone frame around the quad (4:3, 3:2 or 16:9, turned as the quad is) and its place."""
    span = quad.max(axis=0) - quad.min(axis=0)
    fill = rng.uniform(0.55, 0.9) if card else rng.uniform(0.72, 0.94)
    aspect = rng.choice(_FRAME_ASPECTS)
    long_side = max(span) / fill
    short_side = max(long_side / aspect, min(span) / 0.96, MIN_FRAME)
    long_side = max(long_side, short_side * aspect)
    shrink = min(1.0, MAX_FRAME / long_side)
    quad, span = quad * shrink, span * shrink
    frame = (math.ceil(long_side * shrink), math.ceil(max(MIN_FRAME, short_side * shrink)))
    if span[0] < span[1]:
        frame = (frame[1], frame[0])
    room = np.maximum(np.array(frame, float) - span - 4, 0)
    share = [min(1.0, max(0.0, rng.gauss(0.5, 0.22))) for _ in room]  # mostly near the centre
    placed: Points = quad + (2 + room * share - quad.min(axis=0))
    return frame, placed


def plan_shot(
    rng: random.Random,
    size: tuple[int, int],
    card: bool,
    *,
    upright: bool = False,
    quality: str = "normal",
) -> Shot:
    """Place a width x height document in a phone frame as one homography (a true perspective)."""
    quad = _projected(rng, size, upright)
    low, high = PHOTO_SIZES[quality][0 if card else 1]
    apparent = max(size) * math.sqrt(quad_area(quad) / (size[0] * size[1]))
    frame, placed = _framed(rng, quad * (rng.uniform(low, high) / apparent), card)
    src = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, placed.astype(np.float32))
    return Shot(frame, np.asarray(matrix, dtype=np.float64))


# --- photo effects -------------------------------------------------------------------------------


def _shadow(alpha: Pixels, rng: random.Random, reach: float) -> Pixels:
    """A soft drop shadow of the document's alpha, offset away from the light."""
    blurred = soft(alpha, reach)
    angle = rng.uniform(0, 2 * math.pi)
    dx, dy = reach * math.cos(angle), reach * math.sin(angle)
    moved = cv2.warpAffine(
        blurred, np.array([[1, 0, dx], [0, 1, dy]], np.float32), alpha.shape[::-1]
    )
    return moved * rng.uniform(0.25, 0.55)


def _hand(rng: random.Random, pixels: Pixels, corners: Points, alpha: Pixels, card: bool) -> None:
    """A thumb over the document near a corner, the rest of the hand behind it."""
    height, width = pixels.shape[:2]
    side = rng.randrange(4)
    start, end = corners[side], corners[(side + 1) % 4]
    along = rng.uniform(0.06, 0.2) if rng.random() < 0.5 else rng.uniform(0.8, 0.94)
    point = start + (end - start) * along
    tangent = (end - start) / max(1e-6, _length(end - start))
    normal = np.array([tangent[1], -tangent[0]])
    if float(np.dot(normal, point - corners.mean(axis=0))) < 0:
        normal = -normal
    short = min(_length(corners[1] - corners[0]), _length(corners[3] - corners[0]))
    thumb = short * (rng.uniform(0.2, 0.28) if card else rng.uniform(0.08, 0.11))
    lean = math.radians(rng.uniform(-30, 30))
    pointing = normal * math.cos(lean) + tangent * math.sin(lean)
    tip = point - pointing * short * rng.uniform(0.03, 0.09)
    base = tip + pointing * thumb * rng.uniform(2.2, 3.0)
    finger = np.zeros((height, width), np.float32)
    cv2.line(finger, _pt(tip), _pt(base), 1.0, max(2, round(thumb)), cv2.LINE_AA)
    palm = np.zeros((height, width), np.float32)
    middle = point + normal * short * 0.5 - tangent * short * 0.2 * math.copysign(1, along - 0.5)
    axes = _pt((short * rng.uniform(0.5, 0.65), short * rng.uniform(0.38, 0.5)))
    angle = math.degrees(math.atan2(tangent[1], tangent[0]))
    cv2.ellipse(palm, _pt(middle), axes, angle, 0, 360, 1.0, -1)
    cover = np.maximum(finger, palm * (1 - alpha))  # the fingers are behind the card
    edge = soft(cover, thumb * 0.03)
    shade = 0.68 + 0.32 * soft(cover, thumb * 0.35)
    skin = np.array([c + rng.randint(-10, 10) for c in rng.choice(_SKIN)], np.float32)
    hand = skin[None, None, :] * shade[:, :, None]
    nail = np.zeros((height, width), np.float32)
    nail_at = tip + pointing * thumb * 0.45
    nail_axes = _pt((thumb * 0.26, thumb * 0.2))
    cv2.ellipse(nail, _pt(nail_at), nail_axes, angle, 0, 360, 1.0, -1, cv2.LINE_AA)
    hand += (np.array((240, 205, 200), np.float32) - hand) * (0.3 * soft(nail, 1.5))[:, :, None]
    shadow = soft(
        np.roll(finger, (round(thumb * 0.15), round(thumb * 0.1)), axis=(0, 1)), thumb * 0.2
    )
    pixels *= (1 - 0.35 * shadow)[:, :, None]
    pixels[:] = pixels * (1 - edge[:, :, None]) + hand * edge[:, :, None]


def _pt(xy: tuple[float, float] | Points) -> tuple[int, int]:
    return round(float(xy[0])), round(float(xy[1]))


def _length(vector: Points) -> float:
    return float(np.hypot(vector[0], vector[1]))


def _lighting(rng: random.Random, size: tuple[int, int]) -> Pixels:
    """Uneven light as a per-pixel, per-channel gain: a ramp, vignetting, a colour cast."""
    width, height = size
    small = (max(4, width // 16), max(4, height // 16))
    ys, xs = np.mgrid[0 : small[1], 0 : small[0]].astype(np.float32)
    xs, ys = xs / small[0] - 0.5, ys / small[1] - 0.5
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) * rng.uniform(0.05, 0.45)
    vignette = (xs**2 + ys**2) * rng.uniform(0, 0.7)
    gain = rng.uniform(0.82, 1.08) * (1 + ramp - vignette)
    gain = cv2.resize(gain.astype(np.float32), size, interpolation=cv2.INTER_CUBIC)
    warmth = rng.uniform(-1, 1)
    cast = np.array(
        [1 + 0.06 * warmth, 1 + rng.uniform(-0.02, 0.02), 1 - 0.08 * warmth], np.float32
    )
    return _f32(gain[:, :, None] * cast[None, None, :])


def _glare(rng: random.Random, pixels: Pixels, corners: Points, alpha: Pixels, card: bool) -> None:
    """A bright elliptical highlight where the light reflects off the document."""
    weights = np.array([rng.random() for _ in range(4)]) ** 2
    center = (corners * (weights / weights.sum())[:, None]).sum(axis=0)
    longest = max(_length(corners[1] - corners[0]), _length(corners[3] - corners[0]))
    major = longest * rng.uniform(0.06, 0.28)
    minor = major * rng.uniform(0.3, 0.8)
    mask: Pixels = np.zeros(alpha.shape, np.float32)
    cv2.ellipse(mask, _pt(center), _pt((major, minor)), rng.uniform(0, 180), 0, 360, 1.0, -1)
    mask = soft(mask, minor * 0.45)
    strength = rng.uniform(0.35, 0.85) if card else rng.uniform(0.15, 0.45)
    mask *= strength * (0.15 + 0.85 * alpha)
    pixels += (255 - pixels) * mask[:, :, None]


def _kernel_blur(rng: random.Random, pixels: Pixels, scale: float) -> Pixels:
    """Camera blur: a little defocus (disk), hand shake (a line) or plain softness."""
    kind = rng.choice(("gauss", "gauss", "motion", "defocus"))
    if kind == "gauss":
        return cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.35, 1.2) * scale)
    if kind == "motion":
        length = rng.uniform(1.5, 5.5) * scale
        size = 2 * math.ceil(length / 2) + 1
        kernel = np.zeros((size, size), np.float32)
        angle = rng.uniform(0, math.pi)
        half = length / 2
        c = size // 2
        start = (c - half * math.cos(angle), c - half * math.sin(angle))
        stop = (c + half * math.cos(angle), c + half * math.sin(angle))
        cv2.line(kernel, _pt(start), _pt(stop), 1.0, 1, cv2.LINE_AA)
    else:
        radius = rng.uniform(0.8, 2.4) * scale
        size = 2 * math.ceil(radius) + 1
        kernel = np.zeros((size, size), np.float32)
        cv2.circle(kernel, (size // 2, size // 2), max(1, round(radius)), 1.0, -1, cv2.LINE_AA)
    return cv2.filter2D(pixels, -1, kernel / max(1e-6, float(kernel.sum())))


def _sensor(rng: random.Random, pixels: Pixels, strength: float) -> Pixels:
    """Phone processing: optional sharpening halo, then shot noise with some chroma noise."""
    if rng.random() < 0.5:
        amount = rng.uniform(0.2, 0.9)
        pixels = pixels + amount * (pixels - cv2.GaussianBlur(pixels, (0, 0), 1.4))
    noise = _noise(rng)
    height, width = pixels.shape[:2]
    sigma = rng.uniform(1.2, 4.5) * strength
    luma = noise.standard_normal((height, width), dtype=np.float32) * sigma
    chroma_size = (max(2, width // 3), max(2, height // 3))
    chroma = noise.standard_normal((chroma_size[1], chroma_size[0], 3), dtype=np.float32)
    chroma = cv2.resize(chroma, (width, height)) * (sigma * 0.5)
    grey = cv2.cvtColor(np.clip(pixels, 0, 255), cv2.COLOR_RGB2GRAY)
    level = cv2.sqrt(grey * (1 / 255) + 0.15)  # brighter pixels carry more shot noise
    chroma += luma[:, :, None]
    chroma *= level[:, :, None]
    pixels += chroma
    return pixels


def _prepare(document: Image.Image, card: bool, shot: Shot) -> tuple[NDArray[Any], NDArray[Any]]:
    """The document as RGBA pixels, pre-shrunk when the shot makes it much smaller."""
    rgba: NDArray[Any] = np.asarray(rounded_card(document) if card else document.convert("RGBA"))
    matrix = shot.matrix
    scale = shot.apparent(document.size) / max(document.size)
    if scale < 0.75:
        factor = min(1.0, scale * 1.3)
        shrunk = (max(2, round(document.width * factor)), max(2, round(document.height * factor)))
        rgba = cv2.resize(rgba, shrunk, interpolation=cv2.INTER_AREA)
        ratio = np.diag([document.width / shrunk[0], document.height / shrunk[1], 1.0])
        matrix = matrix @ ratio
    return rgba, matrix


def photograph(
    rng: random.Random,
    document: Image.Image,
    card: bool,
    *,
    upright: bool = False,
    quality: str = "normal",
) -> Image.Image:
    """A phone photo: the document in perspective on a surface, lit unevenly, blurred, noisy."""
    shot = plan_shot(rng, document.size, card, upright=upright, quality=quality)
    rgba, matrix = _prepare(document, card, shot)
    warped = cv2.warpPerspective(rgba, matrix, shot.frame, flags=cv2.INTER_LINEAR)
    alpha = warped[:, :, 3].astype(np.float32) / 255
    corners = shot.corners(document.size)
    longest = float(max(np.ptp(corners[:, 0]), np.ptp(corners[:, 1])))
    pixels = _surface(rng, shot.frame)
    pixels *= (1 - _shadow(alpha, rng, longest * rng.uniform(0.006, 0.025)))[:, :, None]
    paper = warped[:, :, :3].astype(np.float32)
    pixels = _f32(cv2.blendLinear(paper, pixels, alpha, 1 - alpha))
    if rng.random() < (0.3 if card else 0.1):
        _hand(rng, pixels, corners, alpha, card)
    pixels *= _lighting(rng, shot.frame)
    if rng.random() < (0.55 if card else 0.3):
        _glare(rng, pixels, corners, alpha, card)
    blur_scale = 0.6 if quality == "low" else 1.0
    pixels = _kernel_blur(rng, pixels, blur_scale)
    pixels = _sensor(rng, pixels, 1.4 if quality == "low" else 1.0)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def recompress(
    rng: random.Random,
    image: Image.Image,
    qualities: tuple[int, int],
    *,
    passes: int,
    exif: bytes | None = None,
    resize: bool = False,
) -> bytes:
    """JPEG-encode `passes` times (as apps re-save uploads), optionally shrinking in between."""
    data = b""
    for index in range(passes):
        if index and resize and rng.random() < 0.5:
            factor = rng.uniform(0.75, 0.95)
            size = (round(image.width * factor), round(image.height * factor))
            if min(size) >= MIN_FRAME:
                image = image.resize(size, Image.Resampling.BILINEAR)
        quality = rng.randint(*qualities) if index == 0 else rng.randint(50, qualities[1])
        buffer = io.BytesIO()
        last = index == passes - 1
        if last and exif is not None:
            image.save(buffer, "JPEG", quality=quality, exif=exif)
        else:
            image.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if not last:
            image = Image.open(io.BytesIO(data)).convert("RGB")
    return data


def _passes(rng: random.Random) -> int:
    return rng.choice((1, 1, 2, 3))


# --- scans ---------------------------------------------------------------------------------------


def _placement(
    rng: random.Random, size: tuple[int, int], card: bool, sheet: tuple[int, int] | None
) -> tuple[tuple[int, int], tuple[float, float]]:
    """The scan's frame and where the document's centre lies on it."""
    width, height = size
    if sheet is not None:  # a card near the top-left corner of an A4 bed
        x = rng.uniform(40 + width / 2, max(40 + width / 2, min(sheet[0] - width / 2 - 40, 420)))
        y = rng.uniform(40 + height / 2, max(40 + height / 2, sheet[1] / 3))
        return sheet, (x, y)
    spread = rng.uniform(0.06, 0.2) if card else rng.uniform(0.005, 0.03)
    margin = round(max(width, height) * spread)
    frame = (width + 2 * margin, height + 2 * margin)
    jitter = (rng.uniform(-0.4, 0.4) * margin, rng.uniform(-0.4, 0.4) * margin)
    return frame, (frame[0] / 2 + jitter[0], frame[1] / 2 + jitter[1])


def scanned(
    rng: random.Random,
    document: Image.Image,
    card: bool,
    scale: float,
    sheet: tuple[int, int] | None = None,
) -> Image.Image:
    """A flatbed scan at `scale`: slight tilt on an off-white bed, tone, blur, sensor noise."""
    size = (round(document.width * scale), round(document.height * scale))
    bed = round(rng.uniform(242, 254))
    rgba = rounded_card(document) if card else document.convert("RGBA")
    flat = Image.new("RGB", document.size, (bed, bed, bed))
    flat.paste(rgba, (0, 0), rgba)
    shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    rgb = cv2.resize(np.asarray(flat), size, interpolation=shrink)
    frame, center = _placement(rng, size, card, sheet)
    angle = rng.uniform(-2.5, 2.5) if card else rng.uniform(-1.2, 1.2)
    matrix = np.asarray(cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), angle, 1.0), float)
    matrix[:, 2] += np.array(center) - (size[0] / 2, size[1] / 2)
    border = (bed, bed, bed)
    pixels = _f32(cv2.warpAffine(rgb, matrix, frame, borderValue=border))
    if card:  # a card's edge throws a thin shadow under the scanner lamp
        mask = cv2.resize(np.asarray(rgba.getchannel("A")), size, interpolation=shrink)
        alpha = _f32(cv2.warpAffine(mask, matrix, frame)) / 255
        matrix[:, 2] += (rng.uniform(-3, 3), rng.uniform(1, 4))
        edge = soft(_f32(cv2.warpAffine(mask, matrix, frame)) / 255, 2.0)
        pixels *= (1 - 0.3 * edge * (1 - alpha))[:, :, None]
    if rng.random() < 0.25:  # the bed's edge or the lid's shadow along one side
        band = rng.randint(4, max(5, min(frame) // 40))
        side = rng.randrange(4)
        view = (pixels[:band], pixels[-band:], pixels[:, :band], pixels[:, -band:])[side]
        view *= rng.uniform(0.35, 0.8)
    pixels = _f32(cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.4, 0.9)))
    sigma = rng.uniform(0.6, 2.2)
    pixels += _noise(rng).standard_normal(pixels.shape[:2], dtype=np.float32)[:, :, None] * sigma
    return Image.fromarray(_tone(rng, pixels), "RGB")


def _tone(rng: random.Random, pixels: Pixels) -> NDArray[np.uint8]:
    """Eight bits through a scanner's tone curve: a gamma and a faint colour balance."""
    gamma = rng.uniform(0.85, 1.15)
    levels = np.arange(256, dtype=np.float32) / 255
    curves = [255 * levels**gamma * (1 + rng.uniform(-0.012, 0.012)) for _ in range(3)]
    table = np.clip(np.stack(curves, axis=1), 0, 255).astype(np.uint8).reshape(256, 1, 3)
    eight = np.clip(pixels, 0, 255).astype(np.uint8)
    return np.asarray(cv2.LUT(eight, table), dtype=np.uint8)


def scan_jpeg(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A flatbed scan saved as JPEG (at 200-300 dpi for cards, once or twice compressed)."""
    scale = rng.uniform(0.72, 1.0) if card else rng.uniform(0.85, 1.0)
    page = scanned(rng, document, card, scale)
    return recompress(rng, page, (70, 95), passes=rng.choice((1, 1, 2))), ".jpg"


def scan_png(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A flatbed scan saved as PNG (at a lower resolution, to keep files small)."""
    scale = rng.uniform(0.55, 0.8) if card else rng.uniform(0.6, 0.75)
    return png(scanned(rng, document, card, scale)), ".png"


def photo_tilted(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo at any angle and tilt, EXIF camera tags, no rotation tag."""
    image = photograph(rng, document, card)
    return recompress(rng, image, (78, 95), passes=_passes(rng), exif=_exif(rng, None)), ".jpg"


def photo_rotated(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo whose pixels are turned by 90, 180 or 270 degrees (no orientation tag)."""
    image = photograph(rng, document, card, upright=True)
    image = image.rotate(rng.choice((90, 180, 270)), expand=True)
    return recompress(rng, image, (78, 95), passes=_passes(rng), exif=_exif(rng, None)), ".jpg"


def photo_exif(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A phone photo stored sideways with an EXIF Orientation tag that makes it upright."""
    orientation = rng.choice(sorted(_EXIF_ROTATIONS))
    raw = photograph(rng, document, card, upright=True)
    raw = raw.rotate(_EXIF_ROTATIONS[orientation], expand=True)
    exif = _exif(rng, orientation)
    return recompress(rng, raw, (80, 95), passes=1, exif=exif), ".jpg"


def photo_lowres(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A small photo as a chat app forwards it: a card 300-500 px wide, recompressed, no EXIF."""
    image = photograph(rng, document, card, quality="low")
    return recompress(rng, image, (60, 85), passes=rng.choice((2, 3)), resize=True), ".jpg"


def pdf_image_only(rng: random.Random, document: Image.Image, card: bool) -> tuple[bytes, str]:
    """A scan wrapped in a PDF with no text layer, as scanner software produces."""
    scale = rng.uniform(0.8, 1.0)
    resolution = 150.0
    sheet = None
    if card:  # a card scanned on an A4 bed sits near a corner of the page
        # The whole card must fit on the sheet (a passport page is wider than A4 at 200 dpi):
        # a wider sheet in pixels is the same A4 sheet at a higher resolution.
        width = max(2480 * 2 // 3, round(document.width * scale * 1.1) + 160)
        sheet = (width, round(width * 3508 / 2480))
        resolution = 200.0 * width / (2480 * 2 // 3)
    page = scanned(rng, document, card, scale, sheet)
    buffer = io.BytesIO()
    stamp = _SCAN_TIME.timetuple()
    page.save(
        buffer,
        "PDF",
        resolution=resolution,
        quality=rng.randint(65, 90),
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
    "photo-lowres": photo_lowres,
}
