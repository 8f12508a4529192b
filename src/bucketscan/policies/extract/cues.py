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
_PHOTO_TOLERANCE = 0.15  # a phone photo's perspective skews an ID-1 card's ratio up to ≈ 1.80
_OUTLINE_CONTRAST = 12.0  # grey levels (largest channel) between the inner and outer rings
_WORK_SIDE = 800
_MIN_AREA_SHARE = 0.10
_TIGHT_CROP_SHARE = 0.90
_QUAD_FILL = 0.92  # corner quad area / hull area: below this the outline is no quadrilateral
_OPENING = 41  # px at the work size
_FLATBED_WHITE = 235  # a background this bright in every channel is a scanner's lid
_SHADOW_HUE = 0.04  # largest channel share difference from the table's own that still is table
_ASKEW_DEGREES = 8.0  # a quad turned this far from the frame's axes is not printed on it
_EDGE_MARGIN = 0.005  # share of the frame: a corner this close to the edge lies on the frame
_SIDE_EPSILON = 0.01  # polygon approximation of an outline, as a share of its perimeter
_SIDE_SHARE = 0.08  # a straight run this long (share of the perimeter) may be a card's side
_SIDE_SPREAD = 30.0  # degrees: sides of one direction under a photo's perspective
_SIDED_FILL = 0.95  # share of a quad closed by side lines that the object must cover
_SIDED_SHARE = 0.6  # ... and the share of the object it must be (the rest: what crosses it)
_INSIDE_SHARE = 0.5  # of the frame: a quad larger than this is the document, not a box in it

Corners = NDArray[np.float32]


@dataclass(frozen=True)
class CardQuad:
    """Where a card-shaped object is: corners (TL, TR, BR, BL) in image pixels, its kind, why."""

    corners: Corners | None
    kind: str
    ratio: float
    source: str  # "quad": found inside the frame; "frame": the image itself is a tight crop
    outlined: bool = True  # it stands apart: its outline contrasts all round, or it lies askew


def card_kind(ratio: float, tolerance: float = RATIO_TOLERANCE) -> str | None:
    """Kind "id1" or "id3" for a long/short side ratio within tolerance (nearest wins)."""
    best: tuple[float, str] | None = None
    for kind, nominal in CARD_RATIOS:
        error = abs(ratio - nominal) / nominal
        if error <= tolerance and (best is None or error < best[0]):
            best = (error, kind)
    return best[1] if best else None


def _order(points: NDArray[np.float32]) -> Corners:
    """Corners clockwise from the top-left one (the smallest x + y).

    Ordering by angle around the centre holds at any rotation; sums and differences of the
    coordinates pick one corner twice when a card lies near 45 degrees.
    """
    centre = points.mean(axis=0)
    clockwise = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    start = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -start, axis=0).astype(np.float32)


def _tilt(corners: Corners) -> float:
    """Degrees between a quad's top side and the nearest axis of the frame."""
    (x0, y0), (x1, y1) = corners[0], corners[1]
    angle = float(np.degrees(np.arctan2(y1 - y0, x1 - x0))) % 90
    return min(angle, 90 - angle)


def side_lengths(corners: Corners) -> tuple[float, float]:
    """Mean lengths of the top/bottom and left/right sides (a light perspective estimate)."""
    tl, tr, br, bl = corners
    width = (float(np.linalg.norm(tr - tl)) + float(np.linalg.norm(br - bl))) / 2
    height = (float(np.linalg.norm(bl - tl)) + float(np.linalg.norm(br - tr))) / 2
    return width, height


def _shadow(pixels: NDArray[Any], background: NDArray[Any], threshold: float) -> NDArray[Any]:
    """Pixels that are the table in shadow: darker in every channel, with the table's hue.

    A document's cast shadow otherwise joins its outline and skews the measured ratio. A white
    flatbed casts none, and a pale card on it is darker than the white with the same grey hue.
    """
    if float(background.min()) >= _FLATBED_WHITE:
        return np.zeros(pixels.shape[:2], dtype=bool)
    darker: NDArray[np.bool_] = (pixels - background).max(axis=2) <= threshold / 2
    tone = pixels / np.maximum(pixels.sum(axis=2, keepdims=True), 1)
    table_tone = background / max(float(background.sum()), 1.0)
    same_hue: NDArray[np.bool_] = np.abs(tone - table_tone).max(axis=2) < _SHADOW_HUE
    return darker & same_hue


def _edge_maps(rgb: NDArray[np.uint8]) -> list[tuple[NDArray[Any], int, bool]]:
    """Three views of object outlines: colour difference from the border (as is, and with thin
    stripes opened away), and Canny edges; each with its contour mode and whether an outline
    another object joins may be closed from its sides."""
    blurred = cv2.GaussianBlur(rgb, (7, 7), 0).astype(np.int16)
    border = np.concatenate([blurred[0], blurred[-1], blurred[:, 0], blurred[:, -1]])
    background = np.median(border, axis=0)
    # Colour, not grey: a white card on a beige table differs mostly in the blue channel.
    distance = np.abs(blurred - background).max(axis=2)
    border_distance = np.abs(border - background).max(axis=1)
    # A clean flatbed white needs a low threshold, a textured table a high one.
    threshold = float(np.clip(3 * np.std(border_distance) + 4, 6, 40))
    raw = ((distance > threshold) & ~_shadow(blurred, background, threshold)).astype(np.uint8) * 255
    closing = np.ones((15, 15), np.uint8)
    mask = cv2.morphologyEx(raw, cv2.MORPH_CLOSE, closing)
    # Grain or lighting stripes on a table can touch the document and spoil its outline; an
    # opening wider than a stripe is thick cuts them off and leaves the document whole.
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_OPENING, _OPENING))
    opened = cv2.morphologyEx(cv2.morphologyEx(raw, cv2.MORPH_OPEN, disk), cv2.MORPH_CLOSE, closing)
    gray = cv2.cvtColor(blurred.astype(np.uint8), cv2.COLOR_RGB2GRAY)
    edges = cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8), iterations=2)
    # Only the mask as is may close a card from its sides (see `_sided`): the opening breaks a
    # pale page on a pale table into straight-edged pieces.
    return [
        (mask, cv2.RETR_EXTERNAL, True),
        (opened, cv2.RETR_EXTERNAL, False),
        (edges, cv2.RETR_LIST, False),
    ]


def outlined(rgb: NDArray[np.uint8], corners: Corners) -> bool:
    """Whether the quad stands out from what surrounds it along each of its four sides (a sheet
    on a table does; the block of text on a page scanned on a white bed does not, nor the lower
    part of a page cut off by a ruled line across it)."""
    ring = max(3, round(0.02 * min(rgb.shape[:2])))
    pixels = rgb.astype(np.int16)
    centre = corners.mean(axis=0)
    for start, end in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        along = end - start
        normal = np.array([-along[1], along[0]]) / max(1e-6, float(np.linalg.norm(along)))
        if float(np.dot(centre - start, normal)) < 0:
            normal = -normal  # pointing into the quad
        colours = []
        for offset in (normal * ring, -normal * ring):
            band = np.zeros(rgb.shape[:2], np.uint8)
            polygon = np.array([start, end, end + offset, start + offset], dtype=np.int32)
            cv2.fillConvexPoly(band, polygon, 1)
            if not band.any():
                return False
            colours.append(np.median(pixels[band > 0], axis=0))
        if float(np.abs(colours[0] - colours[1]).max()) < _OUTLINE_CONTRAST:
            return False
    return True


def _corners(hull: NDArray[Any]) -> NDArray[np.float32]:
    """The four hull points farthest along the diagonals of the hull's minimum-area rectangle.

    Unlike a polygon approximation this keeps the true corners of a card with rounded corners
    under perspective, at any rotation.
    """
    (_cx, _cy), _size, angle = cv2.minAreaRect(hull)
    theta = np.deg2rad(angle)
    axes = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    points = hull.reshape(-1, 2).astype(np.float32)
    local = points @ axes.T
    sums, diffs = local.sum(axis=1), local[:, 0] - local[:, 1]
    picks = [np.argmin(sums), np.argmax(diffs), np.argmax(sums), np.argmin(diffs)]
    return points[picks]


Side = tuple[NDArray[Any], NDArray[Any]]


def _meet(side: Side, other: Side) -> tuple[float, float] | None:
    """Where the lines through two sides cross; None for parallel ones."""
    first, second = (np.cross([*start, 1.0], [*end, 1.0]) for start, end in (side, other))
    x, y, w = np.cross(first, second)
    return None if abs(w) < 1e-9 else (float(x / w), float(y / w))


def _sided(contour: NDArray[Any], mask: NDArray[Any]) -> NDArray[np.float32] | None:
    """The card of an outline another object joins (a thumb over its edge): the four lines
    through the outline's longest straight runs, two roughly parallel pairs, intersected; None
    unless the quad they close lies within the mask.

    A card's sides stay straight where a finger or a strap crosses them; the intruder's outline
    is curved and breaks into short runs."""
    perimeter = cv2.arcLength(contour, True)
    polygon = cv2.approxPolyDP(contour, _SIDE_EPSILON * perimeter, True).reshape(-1, 2)
    polygon = polygon.astype(np.float64)
    sides: list[Side] = [
        (start, end)
        for start, end in zip(polygon, np.roll(polygon, -1, axis=0), strict=True)
        if float(np.linalg.norm(end - start)) >= _SIDE_SHARE * perimeter
        and not _on_edge(np.array([start, end]), mask.shape, every=True)  # the frame's own
    ]
    if len(sides) < 4:
        return None
    angles = [float(np.degrees(np.arctan2(*(end - start)[::-1]))) % 180 for start, end in sides]
    # Two families of sides by direction: the first side's, and the rest.
    near = [abs((angle - angles[0] + 90) % 180 - 90) < _SIDE_SPREAD for angle in angles]
    opposite: list[tuple[Side, Side]] = []
    for family in (True, False):
        members = [side for side, close in zip(sides, near, strict=True) if close is family]
        if len(members) < 2:
            return None
        # The two sides of a family farthest apart are the card's opposite sides.
        start, end = members[0]
        normal = np.array([start[1] - end[1], end[0] - start[0]])
        offsets = [float(np.dot((a + b) / 2, normal)) for a, b in members]
        opposite.append((members[int(np.argmin(offsets))], members[int(np.argmax(offsets))]))
    (top, bottom), (left, right) = opposite
    corners = [_meet(top, left), _meet(left, bottom), _meet(bottom, right), _meet(right, top)]
    if None in corners:
        return None
    quad = _order(np.array(corners, dtype=np.float32))
    area = float(cv2.contourArea(quad))
    if area <= 0 or not cv2.isContourConvex(quad.astype(np.int32)):
        return None
    inside = np.zeros(mask.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 1)
    covered = float(np.count_nonzero(mask[inside > 0])) / max(1, int(inside.sum()))
    # Most of the outline is the card: a quad closed by lines inside a page is a part of it.
    most = area >= _SIDED_SHARE * float(cv2.contourArea(contour))
    return quad if covered >= _SIDED_FILL and most else None


def _quads(rgb: NDArray[np.uint8]) -> list[NDArray[np.float32]]:
    """Four-corner outlines of large, nearly quadrilateral objects from both edge maps, largest
    first."""
    frame_area = rgb.shape[0] * rgb.shape[1]
    found: list[tuple[float, NDArray[np.float32]]] = []
    for binary, mode, sided in _edge_maps(rgb):
        contours, _ = cv2.findContours(binary, mode, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            # An edge map's outline may be open where a pale card meets a pale table: its
            # hull, not its own (near-zero) area, is what it encloses.
            enclosed = hull if mode == cv2.RETR_LIST else contour
            if cv2.contourArea(enclosed) < _MIN_AREA_SHARE * frame_area:
                continue
            corners = _corners(hull)
            area = float(cv2.contourArea(corners))
            quad_like = area >= _QUAD_FILL * float(cv2.contourArea(hull))
            if quad_like:
                found.append((area, corners))
            # An outline that is no quad, or runs into the frame's edge, may be a card joined by
            # what came in from outside the frame (a thumb): its sides may still close it.
            joined = not quad_like or _on_edge(corners, rgb.shape)
            if sided and joined and (closed := _sided(contour, binary)) is not None:
                found.append((float(cv2.contourArea(closed)), closed))
    found.sort(key=lambda item: -item[0])
    return [points for _, points in found]


def _on_edge(points: NDArray[Any], shape: tuple[int, ...], every: bool = False) -> bool:
    """Whether a corner lies on the frame's edge (with `every`, all of them on one edge)."""
    height, width = shape[:2]
    margin = _EDGE_MARGIN * max(height, width)
    xs, ys = points[:, 0], points[:, 1]
    sides = (xs <= margin, ys <= margin, xs >= width - 1 - margin, ys >= height - 1 - margin)
    return any(bool(side.all() if every else side.any()) for side in sides)


def find_card(image: Image.Image) -> CardQuad | None:
    """The card-shaped quadrilateral in the image, or the image itself when tightly cropped."""
    scale = min(1.0, _WORK_SIDE / max(image.size))
    small = image.convert("RGB").resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    )
    rgb = np.asarray(small, dtype=np.uint8)
    frame_area = float(rgb.shape[0] * rgb.shape[1])
    # An outline running into the frame's edge is usually the document merged with a strip of
    # unevenly lit background: outlines clear of the edge are tried first.
    frame_ratio = max(image.size) / max(1, min(image.size))
    tight_card = card_kind(frame_ratio) == "id1"
    for points in sorted(_quads(rgb)[:6], key=lambda quad: _on_edge(quad, rgb.shape)):
        corners = _order(points)
        width, height = side_lengths(corners)
        if min(width, height) < 1 or width * height > _TIGHT_CROP_SHARE * frame_area:
            continue
        ratio = max(width, height) / min(width, height)
        # A photo's perspective stretches the apparent ratio: a wider tolerance inside a frame.
        kind = card_kind(ratio, _PHOTO_TOLERANCE)
        # A smaller outline square with a card-shaped crop is its photo or a field box, not a
        # sheet; one lying askew is a document on a table in a photo of the card's ratio (3:2).
        inside = (
            tight_card
            and kind != "id1"
            and _tilt(corners) < _ASKEW_DEGREES
            and width * height < _INSIDE_SHARE * frame_area
        )
        if kind is not None and not inside:
            # A quad lying askew is an object on a surface even where its outline is faint
            # (a pale card on a pale table): text blocks and rulings on a scan lie square.
            apart = _tilt(corners) >= _ASKEW_DEGREES or outlined(rgb, corners)
            return CardQuad(corners / scale, kind, ratio, "quad", apart)
    if tight_card:  # a passport page and an A4 sheet share the ratio: id1 only
        return CardQuad(None, "id1", frame_ratio, "frame")
    return None


def between_kinds(ratio: float) -> bool:
    """Whether a ratio lies between the ID-3 and ID-1 ratios, where a photo's perspective leaves
    open which of the two it is (ID-1 cards measure down to ≈ 1.44, A4 pages up to ≈ 1.50)."""
    id3, id1 = sorted(nominal for _kind, nominal in CARD_RATIOS)
    return id3 < ratio < id1


def rectify(
    image: Image.Image, card: CardQuad, long_side: int, landscape: bool = True
) -> Image.Image:
    """The card warped flat to `long_side` pixels, landscape (long side horizontal) unless
    `landscape` is False, which keeps the way the quad stands in the image (a page)."""
    if card.corners is None:
        turned = image.rotate(90, expand=True) if image.height > image.width else image
        scale = long_side / max(turned.size)
        return turned.resize((round(turned.width * scale), round(turned.height * scale)))
    width, height = side_lengths(card.corners)
    portrait = height > width
    # The nominal ratio, not the measured one: perspective skews the measurement.
    short_side = round(long_side / dict(CARD_RATIOS).get(card.kind, card.ratio))
    out_w, out_h = (short_side, long_side) if portrait else (long_side, short_side)
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(card.corners.astype(np.float32), target)
    pixels = np.asarray(image.convert("RGB"))
    warped = cv2.warpPerspective(pixels, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    flat = Image.fromarray(warped)
    return flat.rotate(90, expand=True) if portrait and landscape else flat


_INK_SIDE = 600  # work size for finding a page's content
_INK_CONTRAST = 40  # grey levels from the page's own background that count as content
_INK_ROW = 0.01  # share of a row (column) that must be content for it to count
_INK_EDGE = 0.02  # outermost share of the page ignored (scanner shadows, lid edges)
_INK_PAD = 0.03  # margin kept around the content, as a share of the page's long side
_INK_SHARE = 0.5  # content covering more of the page than this is the page itself


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) holding a page's content when it fills a small part
    of it, as a card scanned on an A4 sheet does; None when the content is the page."""
    scale = min(1.0, _INK_SIDE / max(image.size))
    small = image.convert("L").resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    )
    gray = np.asarray(small, dtype=np.int16)
    height, width = gray.shape
    edge_y, edge_x = max(1, round(height * _INK_EDGE)), max(1, round(width * _INK_EDGE))
    inner = gray[edge_y : height - edge_y, edge_x : width - edge_x]
    if inner.size == 0:
        return None
    ring = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]])
    ink = np.abs(inner - int(np.median(ring))) > _INK_CONTRAST
    rows = np.nonzero(ink.sum(axis=1) >= max(2, _INK_ROW * inner.shape[1]))[0]
    columns = np.nonzero(ink.sum(axis=0) >= max(2, _INK_ROW * inner.shape[0]))[0]
    if not len(rows) or not len(columns):
        return None
    pad = _INK_PAD * max(height, width)
    left = max(0.0, columns[0] + edge_x - pad) / scale
    top = max(0.0, rows[0] + edge_y - pad) / scale
    right = min(float(width), columns[-1] + 1 + edge_x + pad) / scale
    bottom = min(float(height), rows[-1] + 1 + edge_y + pad) / scale
    if (right - left) * (bottom - top) > _INK_SHARE * image.width * image.height:
        return None
    return round(left), round(top), round(right), round(bottom)


# --- text-line structure (cheap, before any OCR) --------------------------------------------

_LAYOUT_SIDE = 1000
_LAYOUT_SAMPLE = 1200  # character-like components compared pairwise (memory ≈ 17 MB)
_MIN_ALIGNED = 15  # neighbour pairs along one axis: fewer and there is no line of text
_AXIS_DOMINANCE = 1.4  # text lines: one axis beats the other by this factor (texture: ≈ 1)
_CLEAR_AXIS = 2.0  # a dominance this clear leaves no doubt about the line direction
_ALIGNED_SHARE = 0.30  # share of components with a neighbour along the dominant axis
_SPARSE_SHARE = 0.11  # documents, even photographed cards, line up ≥ 14% of their blobs


@dataclass(frozen=True)
class TextLayout:
    """Character-like blobs and how many have their nearest neighbour along rows or columns."""

    characters: int
    along_rows: int
    along_columns: int

    @property
    def axis(self) -> str:
        """ "vertical" when lines run up/down (a page turned 90°), else "horizontal"."""
        return "vertical" if self.direction == "columns" else "horizontal"

    @property
    def direction(self) -> str | None:
        """ "rows" or "columns" when neighbours line up along one clearly more (by 1.4×)."""
        if self.along_rows > _AXIS_DOMINANCE * self.along_columns:
            return "rows"
        if self.along_columns > _AXIS_DOMINANCE * self.along_rows:
            return "columns"
        return None

    @property
    def clear_axis(self) -> bool:
        """Whether one axis dominates clearly (by a factor of 2)."""
        high, low = sorted((self.along_rows, self.along_columns), reverse=True)
        return high >= _CLEAR_AXIS * max(1, low)

    @property
    def sparse(self) -> bool:
        """Whether few blobs line up (< 11%): clutter with some text at most, worth one reading."""
        return max(self.along_rows, self.along_columns) < _SPARSE_SHARE * self.characters

    @property
    def has_text(self) -> bool:
        """Whether blobs line up like text (a texture's blobs have no preferred direction)."""
        high, low = sorted((self.along_rows, self.along_columns), reverse=True)
        if high < _MIN_ALIGNED:
            return False
        return high >= _AXIS_DOMINANCE * low or high >= _ALIGNED_SHARE * self.characters


def text_layout(image: Image.Image) -> TextLayout:
    """Connected components of local ink, sized like characters, and their neighbour directions.

    In text, a character's nearest similar-sized neighbour sits on the same line (letter spacing
    is tighter than line spacing), so neighbour directions pile up along one axis.
    """
    scale = min(1.0, _LAYOUT_SIDE / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    gray = np.asarray(image.convert("L").resize(size), dtype=np.uint8)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    _count, _labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    width, height, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    keep = (
        (height >= 5)
        & (height <= 45)
        & (width >= 2)
        & (width <= 60)
        & (area >= 0.12 * width * height)
        & (width <= 6 * height)
        & (height <= 8 * width)
    )
    points = centroids[1:][keep].astype(np.float32)
    heights = height[keep].astype(np.float32)
    if len(points) > _LAYOUT_SAMPLE:
        pick = np.random.default_rng(0).choice(len(points), _LAYOUT_SAMPLE, replace=False)
        points, heights = points[pick], heights[pick]
    if len(points) < 2:
        return TextLayout(len(points), 0, 0)
    delta = points[:, None, :] - points[None, :, :]
    distance = np.hypot(delta[..., 0], delta[..., 1])
    np.fill_diagonal(distance, np.inf)
    taller = np.maximum(heights[:, None], heights[None, :])
    shorter = np.minimum(heights[:, None], heights[None, :])
    distance[(distance > 2.5 * taller) | (taller > 1.5 * shorter)] = np.inf
    rows = np.arange(len(points))
    nearest = distance.argmin(axis=1)
    linked = np.isfinite(distance[rows, nearest])
    dx = np.abs(delta[rows, nearest, 0])[linked]
    dy = np.abs(delta[rows, nearest, 1])[linked]
    return TextLayout(len(points), int((dx > 4 * dy).sum()), int((dy > 4 * dx).sum()))
