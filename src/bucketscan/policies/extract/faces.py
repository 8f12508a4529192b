"""Frontal faces with OpenCV's bundled Haar cascade (loaded once per process, lazily)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

_WORK_SIDE = 640
_SMALLEST = 0.07  # of the shorter side: a card photo on a scanned A4 page still counts


@dataclass(frozen=True)
class Faces:
    """How many frontal faces, and where the largest one sits ("left", "center", "right")."""

    count: int
    side: str | None


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    folder: str = cv2.data.haarcascades  # type: ignore[attr-defined]
    return cv2.CascadeClassifier(folder + "haarcascade_frontalface_default.xml")


def find_faces(image: Image.Image) -> Faces:
    """Frontal faces of a plausible photo size (7–80% of the shorter side) in an upright image."""
    scale = min(1.0, _WORK_SIDE / max(image.size))
    small = image.convert("L").resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    )
    raw = np.asarray(small, dtype=np.uint8)
    shorter = min(raw.shape)
    smallest = max(20, int(shorter * _SMALLEST))
    boxes: list[tuple[int, ...]] = []
    # As captured first; equalised only if that finds nothing (it helps dim photos but can wash
    # out a face printed on a tinted card).
    for gray in (raw, cv2.equalizeHist(raw)):
        found = _cascade().detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=4, minSize=(smallest, smallest)
        )
        boxes = [tuple(int(v) for v in box) for box in found if box[2] <= shorter * 0.8]
        if boxes:
            break
    if not boxes:
        return Faces(0, None)
    x, _y, w, _h = max(boxes, key=lambda box: box[2] * box[3])
    centre = (x + w / 2) / raw.shape[1]
    side = "left" if centre < 0.4 else "right" if centre > 0.6 else "center"
    return Faces(len(boxes), side)
