"""Table rulings: erase long thin printed lines so Tesseract reads the text inside form grids.

Tesseract's single-block mode (psm 6) drops the cell text of a bordered table entirely (it reads
the grid as one non-text region): a 資格確認書 or any other boxed form scanned to PDF came out as
its title and footnote only. Thick bands, photos and short strokes (characters) are kept.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

_MIN_LENGTH = 6  # a ruling spans at least 1/6 of the page side
_SEGMENT = 25  # scanned at a slight tilt, it is straight over 1/25 of the side (≥ 30 px)
_MAX_THICKNESS = 250  # and thinner than 1/250 of the page side (≥ 3 px): not a colour band
_MAX_SLOPE = 0.06  # up to ~3.4° of tilt
_BLOCK = 31  # adaptive-threshold neighbourhood (px) and offset: dark ink against its surroundings
_OFFSET = 15


def _lines(ink: NDArray[Any], side: int, thickness: int, horizontal: bool) -> NDArray[Any]:
    """Thin straight runs of ink that chain into a line at least 1/6 of `side` long."""
    segment = max(30, side // _SEGMENT)
    along = (segment, 1) if horizontal else (1, segment)
    across = (1, thickness + 1) if horizontal else (thickness + 1, 1)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
    thick = cv2.morphologyEx(
        runs, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across)
    )
    thin = cv2.subtract(runs, cv2.dilate(thick, np.ones((3, 3), np.uint8)))
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(thin, connectivity=8)
    length = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
    spread = stats[:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH]
    keep = (length >= max(40, side // _MIN_LENGTH)) & (spread <= thickness + _MAX_SLOPE * length)
    keep[0] = False  # background
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def ruling_mask(gray: NDArray[Any]) -> NDArray[Any]:
    """255 where a long thin (near-)horizontal or vertical ruling is (slightly widened), else 0."""
    height, width = gray.shape
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, _BLOCK, _OFFSET
    )
    thickness = max(3, min(height, width) // _MAX_THICKNESS)
    mask = cv2.bitwise_or(
        _lines(ink, width, thickness, horizontal=True),
        _lines(ink, height, thickness, horizontal=False),
    )
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))


def erase_rulings(image: Image.Image) -> Image.Image:
    """The image with table rulings painted white (unchanged when it has none)."""
    rgb = np.array(image.convert("RGB"))
    mask = ruling_mask(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    if not mask.any():
        return image
    rgb[mask > 0] = 255
    return Image.fromarray(rgb, "RGB")
