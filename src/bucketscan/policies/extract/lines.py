"""Detected text lines into page text: reading direction, rows, MRZ lines and a quality score."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bucketscan.policies.extract.ppocr import OcrLine
from bucketscan.policies.extract.text import join_cjk, normalise
from bucketscan.policies.extract.variants import fold

_GOOD_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fffA-Za-z0-9]")
_CONFIDENT = 0.6  # line confidence from which its characters count towards the score
# Stand-ins OCR reads for the '<' filler; '>' is a run of fillers read upside down.
_MRZ_CHARS = str.maketrans(
    {"«": "<<", "‹": "<", "く": "<", "〈": "<", "<": "<", ">": "<", "»": "<<", " ": ""}
)
_MRZ_LINE = re.compile(r"^[A-Z0-9<]{25,46}$")
_MRZ_PIECE = re.compile(r"^[A-Z0-9<]+$")  # as read: lower case means words, not an MRZ
_ROW_OVERLAP = 0.5  # a line joins a row when its centre is this close (in line heights)


@dataclass(frozen=True)
class Reading:
    """What one OCR pass read: text in reading order, MRZ lines, and how well it read."""

    text: str
    mrz: tuple[str, ...]
    score: float  # confident legible characters
    turn: int  # clockwise degrees that make the image upright (0, 90, 180, 270)


def mrz_line(text: str) -> str | None:
    """The line as an MRZ line (common OCR stand-ins for '<' repaired), or None."""
    candidate = text.upper().translate(_MRZ_CHARS)
    if _MRZ_LINE.match(candidate) and candidate.count("<") >= 2:
        return candidate
    return None


def _mrz_pieces(row: Sequence[OcrLine]) -> list[str]:
    """MRZ lines of one row: runs of neighbouring pieces in the MRZ alphabet joined up (OCR
    splits a line at a gap in its fillers), other text on the row left out."""
    found: list[str] = []
    run: list[str] = []
    for piece in [*(line.text.translate(_MRZ_CHARS) for line in row), ""]:
        if piece and _MRZ_PIECE.match(piece):
            run.append(piece)
            continue
        if run and (joined := mrz_line("".join(run))):
            found.append(joined)
        run = []
    return found


def dominant_angle(lines: Sequence[OcrLine]) -> float:
    """The reading direction most text follows (circular mean weighted by length and
    confidence)."""
    x = y = 0.0
    for line in lines:
        weight = len(line.text) * line.confidence
        theta = math.radians(line.angle)
        x, y = x + weight * math.cos(theta), y + weight * math.sin(theta)
    return math.degrees(math.atan2(y, x)) % 360 if x or y else 0.0


def upright_turn(angle: float) -> int:
    """Clockwise turn (a multiple of 90°) that brings text read at `angle` to left-to-right."""
    return (360 - round(angle / 90) * 90) % 360


def lean(angle: float, turn: int) -> float:
    """Degrees (-90 to 90) text read at `angle` still leans once the image is turned `turn`
    clockwise: what `Image.rotate` takes to level it."""
    return (angle + turn + 90) % 180 - 90


def _frame(line: OcrLine, angle: float) -> tuple[float, float]:
    """The line's centre in a frame rotated so that `angle` reads left to right."""
    cx = sum(x for x, _ in line.quad) / 4
    cy = sum(y for _, y in line.quad) / 4
    theta = math.radians(angle)
    return cx * math.cos(theta) + cy * math.sin(theta), -cx * math.sin(theta) + cy * math.cos(theta)


def rows(lines: Sequence[OcrLine], angle: float) -> list[list[OcrLine]]:
    """Lines grouped into rows across the reading direction, each row left to right."""
    placed = sorted(((_frame(line, angle), line) for line in lines), key=lambda item: item[0][1])
    grouped: list[tuple[float, float, list[tuple[float, OcrLine]]]] = []
    for (x, y), line in placed:
        if grouped and abs(y - grouped[-1][0]) <= _ROW_OVERLAP * max(grouped[-1][1], line.height):
            grouped[-1][2].append((x, line))
        else:
            grouped.append((y, line.height, [(x, line)]))
    return [[line for _x, line in sorted(row, key=lambda item: item[0])] for _y, _h, row in grouped]


def reading(lines: Sequence[OcrLine]) -> Reading:
    """Page text row by row (same-row pieces joined by a space), MRZ lines, score, turn."""
    angle = dominant_angle(lines)
    text_rows: list[str] = []
    mrz: list[str] = []
    score = 0.0
    for row in rows(lines, angle):
        for line in row:
            good = len(_GOOD_CHAR.findall(line.text))
            if line.confidence >= _CONFIDENT:
                score += good * line.confidence
        mrz.extend(_mrz_pieces(row))
        text_rows.append(" ".join(line.text for line in row))
    text = join_cjk(normalise(fold("\n".join(text_rows))))
    return Reading(text, tuple(mrz), score, upright_turn(angle))
