"""Card shape: the largest convex quadrilateral and its perspective-corrected side ratio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

# ISO/IEC 7810 formats: long side / short side, and the tolerance we accept.
CARD_RATIOS: tuple[tuple[str, float], ...] = (("id1", 85.60 / 53.98), ("id3", 125.0 / 88.0))
RATIO_TOLERANCE = 0.06
_WORK_SIDE = 800
_MIN_AREA_SHARE = 0.10
_TIGHT_CROP_SHARE = 0.90

Corners = NDArray[np.float32]


@dataclass(frozen=True)
class CardQuad:
    """Where a card-shaped object is: corners (TL, TR, BR, BL) in image pixels, its kind, why."""

    corners: Corners | None
    kind: str
    ratio: float
    source: str  # "quad": found inside the frame; "frame": the image itself is a tight crop


def card_kind(ratio: float) -> str | None:
    """Kind "id1" or "id3" for a long/short side ratio within tolerance (nearest wins)."""
    best: tuple[float, str] | None = None
    for kind, nominal in CARD_RATIOS:
        error = abs(ratio - nominal) / nominal
        if error <= RATIO_TOLERANCE and (best is None or error < best[0]):
            best = (error, kind)
    return best[1] if best else None


def _order(points: NDArray[np.float32]) -> Corners:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(diffs)],
            points[np.argmax(sums)],
            points[np.argmax(diffs)],
        ],
        dtype=np.float32,
    )


def side_lengths(corners: Corners) -> tuple[float, float]:
    """Mean lengths of the top/bottom and left/right sides (a light perspective estimate)."""
    tl, tr, br, bl = corners
    width = (float(np.linalg.norm(tr - tl)) + float(np.linalg.norm(br - bl))) / 2
    height = (float(np.linalg.norm(bl - tl)) + float(np.linalg.norm(br - tr))) / 2
    return width, height


def _edge_maps(gray: NDArray[np.uint8]) -> list[tuple[NDArray[Any], int]]:
    """Two views of object outlines: difference from the border colour, and Canny edges."""
    blurred = cv2.GaussianBlur(gray, (7, 7), 0)
    border = np.concatenate([blurred[0], blurred[-1], blurred[:, 0], blurred[:, -1]])
    background = float(np.median(border))
    # A clean flatbed white needs a low threshold, a textured table a high one.
    threshold = float(np.clip(4 * np.std(border), 6, 40))
    mask = (np.abs(blurred.astype(np.int16) - background) > threshold).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    edges = cv2.dilate(cv2.Canny(blurred, 40, 120), np.ones((3, 3), np.uint8), iterations=2)
    return [(mask, cv2.RETR_EXTERNAL), (edges, cv2.RETR_LIST)]


def _quads(gray: NDArray[np.uint8]) -> list[NDArray[np.float32]]:
    """Convex four-corner outlines of large objects, largest first."""
    frame_area = gray.shape[0] * gray.shape[1]
    found: list[tuple[float, NDArray[np.float32]]] = []
    for binary, mode in _edge_maps(gray):
        contours, _ = cv2.findContours(binary, mode, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            area = cv2.contourArea(contour)
            if area < _MIN_AREA_SHARE * frame_area:
                continue
            hull = cv2.convexHull(contour)
            approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(approx) == 4 and cv2.isContourConvex(approx):
                found.append((area, approx.reshape(4, 2).astype(np.float32)))
                continue
            rect = cv2.minAreaRect(hull)  # rounded corners: accept a near-rectangular hull
            rect_area = rect[1][0] * rect[1][1]
            if rect_area > 0 and cv2.contourArea(hull) / rect_area > 0.95:
                found.append((area, cv2.boxPoints(rect).astype(np.float32)))
        if found:
            break
    found.sort(key=lambda item: -item[0])
    return [points for _, points in found]


def find_card(image: Image.Image) -> CardQuad | None:
    """The card-shaped quadrilateral in the image, or the image itself when tightly cropped."""
    scale = min(1.0, _WORK_SIDE / max(image.size))
    small = image.convert("L").resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    )
    gray = np.asarray(small, dtype=np.uint8)
    frame_area = float(gray.shape[0] * gray.shape[1])
    for points in _quads(gray)[:4]:
        corners = _order(points)
        width, height = side_lengths(corners)
        if min(width, height) < 1 or width * height > _TIGHT_CROP_SHARE * frame_area:
            continue
        ratio = max(width, height) / min(width, height)
        kind = card_kind(ratio)
        if kind is not None:
            return CardQuad(corners / scale, kind, ratio, "quad")
    ratio = max(image.size) / max(1, min(image.size))
    if card_kind(ratio) == "id1":  # a passport page and an A4 sheet share the ratio: id1 only
        return CardQuad(None, "id1", ratio, "frame")
    return None


def rectify(image: Image.Image, card: CardQuad, long_side: int) -> Image.Image:
    """The card warped flat to `long_side` pixels, landscape (long side horizontal)."""
    if card.corners is None:
        turned = image.rotate(90, expand=True) if image.height > image.width else image
        scale = long_side / max(turned.size)
        return turned.resize((round(turned.width * scale), round(turned.height * scale)))
    width, height = side_lengths(card.corners)
    portrait = height > width
    short_side = round(long_side / card.ratio)
    out_w, out_h = (short_side, long_side) if portrait else (long_side, short_side)
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(card.corners.astype(np.float32), target)
    pixels = np.asarray(image.convert("RGB"))
    warped = cv2.warpPerspective(pixels, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    flat = Image.fromarray(warped)
    return flat.rotate(90, expand=True) if portrait else flat
