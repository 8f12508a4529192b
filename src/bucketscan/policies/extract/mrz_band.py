"""MRZ band: 2–3 lines of dense monospace text near the bottom (morphology, then OCR to confirm)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from bucketscan.policies.extract.ocr import ocr_mrz

_WORK_WIDTH = 500
_EDGE_SHARE = 0.02
# Line heights (px, ink rows of a text line) to read the band at. Tesseract's English model reads
# monospace MRZ text best at about 24 px; a second scale catches most of what the first misreads.
_READ_HEIGHTS = (24, 32)
_MIN_INK_SHARE = 0.02  # a row with ink across this share of the band belongs to a text line


def find_band(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Box (left, top, right, bottom) in image pixels of an MRZ-like band in the lower half."""
    scale = _WORK_WIDTH / image.width
    height = max(1, round(image.height * scale))
    gray: NDArray[Any] = np.asarray(image.convert("L").resize((_WORK_WIDTH, height)))
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(0, (13, 5)))
    gradient = np.absolute(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    span = float(gradient.max() - gradient.min()) or 1.0
    gradient_u8 = (255 * (gradient - gradient.min()) / span).astype(np.uint8)
    closed = cv2.morphologyEx(gradient_u8, cv2.MORPH_CLOSE, cv2.getStructuringElement(0, (13, 5)))
    _, binary = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(0, (21, 21)))
    binary = cv2.erode(binary, np.ones((3, 3), np.uint8), iterations=2)
    # A sliver of table left at the edge of a straightened photo would join the band to the
    # text above it: nothing touching the edges counts.
    edge = round(_EDGE_SHARE * _WORK_WIDTH)
    binary[:edge], binary[-edge:], binary[:, :edge], binary[:, -edge:] = 0, 0, 0, 0
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[int, int, int, int] | None = None
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < 0.6 * _WORK_WIDTH or w / max(h, 1) < 4 or y + h / 2 < 0.5 * height:
            continue
        if best is None or y > best[1]:
            best = (x, y, w, h)
    if best is None:
        return None
    x, y, w, h = best
    pad = int(0.03 * _WORK_WIDTH)
    return (
        max(0, round((x - pad) / scale)),
        max(0, round((y - pad) / scale)),
        min(image.width, round((x + w + pad) / scale)),
        min(image.height, round((y + h + pad) / scale)),
    )


def line_height(band: Image.Image) -> float | None:
    """Median height in pixels of the band's text lines (rows with ink, Otsu-binarised)."""
    gray = np.asarray(band.convert("L"), dtype=np.uint8)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    inked = ink.sum(axis=1) > _MIN_INK_SHARE * gray.shape[1]
    heights, start = [], None
    for row, on in enumerate([*inked.tolist(), False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            if row - start >= 3:
                heights.append(row - start)
            start = None
    return float(np.median(heights)) if heights else None


def read_band(image: Image.Image, box: tuple[int, int, int, int], timeout_s: float) -> list[str]:
    """MRZ lines read from the band (A-Z, 0-9, '<' only) at each of two line heights; lines with
    few '<' are dropped. The detector keeps whichever reading passes the check digits."""
    band = image.crop(box).convert("L")
    height = line_height(band) or band.height / 4  # three lines and their gaps
    readings: list[list[str]] = []
    for target in _READ_HEIGHTS:
        factor = target / height
        size = (max(1, round(band.width * factor)), max(1, round(band.height * factor)))
        scaled = band.resize(size, Image.Resampling.LANCZOS)
        read = [line for line in ocr_mrz(scaled, timeout_s).splitlines() if line.count("<") >= 2]
        if read not in readings:
            readings.append(read)
    return [line for read in readings for line in read]
