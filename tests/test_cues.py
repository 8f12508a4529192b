"""Image cues: card shape, faces, MRZ band, barcodes."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bucketscan.policies.extract import ExtractLimits, extract, ocr_available
from bucketscan.policies.extract.cues import (
    TextLayout,
    card_kind,
    find_card,
    rectify,
    text_layout,
)
from bucketscan.policies.extract.faces import find_faces
from bucketscan.policies.extract.lines import lean
from bucketscan.policies.extract.mrz_band import find_band, line_height
from bucketscan.policies.extract.pages import page_record
from bucketscan.policies.extract.read_tesseract import dark_bands
from bucketscan.records.content import Code, Legibility
from bucketscan.synthetic.faces import draw_face

FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(1.586, "id1"), (1.52, "id1"), (1.66, "id1"), (1.42, "id3"), (1.0, None), (1.8, None)],
)
def test_card_kind_by_ratio(ratio: float, expected: str | None) -> None:
    assert card_kind(ratio) == expected


def _on_background(item: Image.Image, colour: tuple[int, int, int], angle: float) -> Image.Image:
    back = Image.new("RGB", (item.width * 3 // 2, item.height * 3 // 2), colour)
    rotated = item.convert("RGBA").rotate(angle, expand=True)
    back.paste(rotated, (item.width // 4, item.height // 4), rotated)
    return back


@pytest.mark.parametrize("angle", [0.0, 5.0, -7.0])
def test_id1_card_on_a_table_is_found(angle: float) -> None:
    card = Image.new("RGB", (856, 540), (200, 225, 245))
    card_quad = find_card(_on_background(card, (90, 70, 50), angle))
    assert card_quad is not None and card_quad.kind == "id1" and card_quad.source == "quad"


def test_a4_page_is_not_an_id1_card() -> None:
    page = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(page).text((100, 100), "Invoice", fill="black")
    found = find_card(_on_background(page, (90, 70, 50), 2.0))
    assert found is None or found.kind != "id1"


def test_tight_crop_counts_as_card_by_frame() -> None:
    found = find_card(Image.new("RGB", (1011, 638), (230, 230, 230)))
    assert found is not None and found.kind == "id1" and found.source == "frame"


@pytest.mark.parametrize(("left", "side"), [(620, "right"), (40, "left")])
def test_synthetic_face_is_detected_on_its_side(left: int, side: str) -> None:
    card = Image.new("RGB", (1011, 638), (245, 240, 235))
    card.paste(draw_face(random.Random(7), 300, 380), (left, 120))
    faces = find_faces(card)
    assert faces.count == 1 and faces.side == side


def test_blank_card_has_no_face() -> None:
    assert find_faces(Image.new("RGB", (1011, 638), (245, 240, 235))).count == 0


def _passport_page() -> Image.Image:
    page = Image.new("RGB", (1250, 880), (245, 245, 240))
    draw = ImageDraw.Draw(page)
    label = ImageFont.truetype(FONT, 30)
    mono = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 36)
    draw.text((420, 80), "PASSPORT  旅券", font=label, fill="black")
    draw.text((420, 180), "Surname  SAMPLE", font=label, fill="black")
    draw.text((40, 700), "P<JPNSAMPLE<<HANAKO<<<<<<<<<<<<<<<<<<<<<<<<<", font=mono, fill="black")
    draw.text((40, 770), "TR12345673JPN9001012F3001018<<<<<<<<<<<<<<06", font=mono, fill="black")
    return page


def test_mrz_band_is_located_at_the_bottom() -> None:
    box = find_band(_passport_page())
    assert box is not None
    _left, top, _right, bottom = box
    assert top > 600 and bottom <= 880


def test_no_mrz_band_on_plain_text_page() -> None:
    page = Image.new("RGB", (1250, 880), "white")
    ImageDraw.Draw(page).text((100, 100), "hello", fill="black")
    assert find_band(page) is None


@pytest.mark.ocr
@pytest.mark.skipif(not ocr_available(), reason="tesseract not installed")
@pytest.mark.parametrize("engine", ["tesseract", "ppocr"])
def test_mrz_band_is_read_into_typed_lines(engine: str) -> None:
    buffer = io.BytesIO()
    _passport_page().save(buffer, "PNG")
    document = extract(buffer.getvalue(), "passport.png", ExtractLimits(ocr_engine=engine))
    cues = document.pages[0].cues
    assert cues is not None and cues.mrz_band
    band = document.mrz_lines
    assert band[0].startswith("P<JPNSAMPLE<<HANAK")  # O/0 confusion is left to the MRZ detector
    assert "9001012F3001018" in band[1]


def test_qr_code_is_decoded_as_a_typed_code() -> None:
    import zxingcpp

    barcode = zxingcpp.create_barcode("123456789018", zxingcpp.BarcodeFormat.QRCode)
    symbol = Image.fromarray(barcode.to_image(scale=8)).convert("RGB")
    card = Image.new("RGB", (1011, 638), "white")
    card.paste(symbol, (600, 150))
    buffer = io.BytesIO()
    card.save(buffer, "PNG")
    document = extract(buffer.getvalue(), "back.png", ExtractLimits(ocr_engine="none"))
    assert Code("QR", "123456789018") in document.codes
    assert "123456789018" not in document.text


def _in_perspective(item: Image.Image, corners: list[tuple[float, float]]) -> Image.Image:
    """The item warped onto a dark table so its corners land on `corners` (TL, TR, BR, BL)."""
    size = (item.width * 3 // 2, item.height * 3 // 2)
    source = np.array(
        [[0, 0], [item.width, 0], [item.width, item.height], [0, item.height]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(source, np.array(corners, np.float32))
    warped = cv2.warpPerspective(np.asarray(item), matrix, size, borderValue=(70, 60, 50))
    return Image.fromarray(warped)


def test_card_in_strong_perspective_is_still_an_id1_quad() -> None:
    card = Image.new("RGB", (856, 540), (240, 242, 246))
    # The near edge is longer than the far one: the apparent ratio is about 1.72.
    photo = _in_perspective(card, [(250, 240), (1050, 200), (1080, 690), (220, 700)])
    found = find_card(photo)
    assert found is not None and found.kind == "id1" and found.source == "quad"


def test_page_keeps_its_portrait_way_up_when_flattened() -> None:
    page = Image.new("RGB", (620, 877), "white")
    photo = _in_perspective(page, [(160, 120), (770, 150), (760, 1010), (150, 990)])
    found = find_card(photo)
    assert found is not None and found.kind == "id3" and found.outlined
    flat = rectify(photo, found, 1000, landscape=False)
    assert flat.height > flat.width


def _text_page(lines: int = 14) -> Image.Image:
    """A white page with lines of mixed Japanese and Latin text."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    for row in range(lines):
        draw.text(
            (90, 120 + row * 90), f"職務経歴書 Experience 2019 – Present {row}", font=font, fill=0
        )
    return page


def _texture(seed: int) -> Image.Image:
    """Smooth random noise like a table top or fabric, with no text."""
    coarse = np.random.default_rng(seed).normal(0, 1, (121, 161)).astype(np.float32)
    noise = cv2.resize(coarse, (1280, 960), interpolation=cv2.INTER_CUBIC)
    grey = np.clip(128 + noise * 25, 0, 255).astype(np.uint8)
    return Image.fromarray(np.dstack([grey, grey, grey]), "RGB")


@pytest.mark.parametrize(
    ("image", "has_text", "axis"),
    [
        (_text_page(), True, "horizontal"),
        (_text_page().rotate(90, expand=True), True, "vertical"),
        (_text_page().rotate(270, expand=True), True, "vertical"),
        (_text_page().rotate(180), True, "horizontal"),
        (_texture(1), False, None),
        (_texture(2), False, None),
        (Image.new("RGB", (800, 600), "white"), False, None),
    ],
)
def test_text_layout_finds_lines_and_their_axis(
    image: Image.Image, has_text: bool, axis: str | None
) -> None:
    layout = text_layout(image)
    assert layout.has_text is has_text
    if axis is not None:
        assert layout.axis == axis


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ([], 0),  # a plain card
        ([(0, 70)], 1),  # a title band at the top
        ([(0, 70), (590, 638)], 2),  # and a footer band
        ([(300, 305)], 0),  # a rule line is no band
    ],
)
def test_dark_bands_on_a_card(bands: list[tuple[int, int]], expected: int) -> None:
    card = Image.new("RGB", (1011, 638), (240, 240, 235))
    draw = ImageDraw.Draw(card)
    for top, bottom in bands:
        draw.rectangle((0, top, 1011, bottom - 1), fill=(200, 30, 30))
    found = dark_bands(card)
    assert len(found) == expected
    for (top, bottom), (want_top, want_bottom) in zip(found, bands, strict=False):
        assert abs(top - want_top) <= 1 and abs(bottom - want_bottom) <= 1


@pytest.mark.parametrize(
    ("layout", "sparse", "has_text"),
    [
        (TextLayout(746, 57, 35), True, True),  # a texture whose blobs line up by chance
        (TextLayout(295, 43, 16), False, True),  # a photographed card
        (TextLayout(420, 380, 10), False, True),  # a page
        (TextLayout(300, 40, 38), False, False),  # no preferred direction
    ],
)
def test_sparse_alignment_marks_clutter(layout: TextLayout, sparse: bool, has_text: bool) -> None:
    assert layout.sparse is sparse
    assert layout.has_text is has_text


def _striped_table(size: tuple[int, int]) -> Image.Image:
    """A table whose grain runs in pale stripes thick enough to survive the mask's closing."""
    table = Image.new("RGB", size, (200, 190, 160))
    draw = ImageDraw.Draw(table)
    for top in range(0, size[1], 48):
        draw.rectangle((0, top, size[0], top + 14), fill=(232, 226, 205))
    return table


def test_card_touching_table_stripes_is_still_found() -> None:
    photo = _striped_table((1300, 900))
    card = Image.new("RGB", (856, 540), (246, 246, 250))
    photo.paste(card, (220, 180))
    found = find_card(photo)
    assert found is not None and found.kind == "id1" and found.source == "quad"


def _lined(size: tuple[int, int], rows: int, colour: tuple[int, int, int]) -> Image.Image:
    """A document with `rows` lines of text across its width."""
    sheet = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(FONT, max(12, size[1] // (rows * 2)))
    for row in range(rows):
        y = size[1] * (row + 0.5) / rows
        draw.text(
            (size[0] // 14, y), "氏名 山田 太郎 住所 東京都 2024年 第123号" * 2, font=font, fill=0
        )
    return sheet


def _photographed(sheet: Image.Image, squeeze: float) -> Image.Image:
    """The sheet on a dark table, its height stretched by `squeeze` as a tilted camera does."""
    squeezed = sheet.resize((sheet.width, round(sheet.height * squeeze)))
    table = Image.new("RGB", (squeezed.width * 3 // 2, squeezed.height * 3 // 2), (70, 60, 50))
    table.paste(squeezed, (squeezed.width // 4, squeezed.height // 4))
    return table


def _card_shape(photo: Image.Image) -> str | None:
    buffer = io.BytesIO()
    photo.save(buffer, "PNG")
    cues = extract(buffer.getvalue(), "photo.png", ExtractLimits(ocr_engine="none")).pages[0].cues
    return cues.card_shape if cues else None


def test_card_skewed_towards_the_id3_ratio_is_read_as_a_card() -> None:
    card = _photographed(_lined((856, 540), 6, (246, 246, 250)), 1.586 / 1.47)
    assert card_kind(1.47, 0.12) == "id3"  # the ratio alone would say ID-3
    assert _card_shape(card) == "id1"


def test_page_skewed_towards_the_id1_ratio_stays_a_page() -> None:
    page = _photographed(_lined((620, 877), 24, (250, 250, 250)), 1.52 / 1.414)
    assert card_kind(1.52, 0.12) == "id1"
    assert _card_shape(page) == "id3"


def test_mrz_line_height_is_measured_from_the_band() -> None:
    band = _passport_page().crop((0, 680, 1250, 840))
    height = line_height(band)
    assert height is not None and 22 <= height <= 40  # 36-px DejaVu Sans Mono capitals
    assert line_height(Image.new("L", (600, 100), 255)) is None


def test_a_face_on_a_leaning_card_is_found_once_the_card_is_levelled() -> None:
    card = Image.new("RGB", (1011, 638), (245, 240, 235))
    card.paste(draw_face(random.Random(7), 300, 380), (620, 120))
    leaning = card.rotate(35, expand=True, fillcolor=(120, 90, 60))
    # Text on the card reads at -35° (up to the right): the card leans as its text does.
    roll = lean(-35.0, 0)
    page = page_record(leaning, leaning, None, ["x"], (), (Legibility.READ, None), "s", roll=roll)
    assert find_faces(leaning).count == 0
    assert page.cues is not None and page.cues.faces == 1


@pytest.mark.parametrize(
    ("angle", "turn", "expected"), [(146.5, 180, -33.5), (10.0, 0, 10.0), (265.0, 90, -5.0)]
)
def test_lean_is_what_is_left_after_the_turn(angle: float, turn: int, expected: float) -> None:
    assert lean(angle, turn) == pytest.approx(expected)


@pytest.mark.parametrize("angle", [30.0, 45.0, 60.0])
def test_a_card_at_any_angle_keeps_four_distinct_corners(angle: float) -> None:
    card = Image.new("RGB", (856, 540), (200, 225, 245)).convert("RGBA").rotate(angle, expand=True)
    table = Image.new("RGB", (card.width + 400, card.height + 400), (90, 70, 50))
    table.paste(card, (200, 200), card)
    found = find_card(table)
    assert found is not None and found.kind == "id1" and found.corners is not None
    assert len({tuple(np.round(corner)) for corner in found.corners}) == 4


def test_a_page_lying_askew_in_a_photo_of_card_ratio_is_the_page() -> None:
    page = _lined((620, 877), 24, (250, 250, 250)).convert("RGBA").rotate(20, expand=True)
    photo = Image.new("RGB", (1650, 1100), (215, 210, 200))  # 3:2, the ratio of an ID-1 card
    photo.paste(page, (400, 40), page)
    found = find_card(photo)
    assert found is not None and found.kind == "id3" and found.source == "quad" and found.outlined
    square = Image.new("RGB", (1650, 1100), (215, 210, 200))
    square.paste(_lined((620, 877), 24, (250, 250, 250)), (500, 110))
    inside = find_card(square)  # a square box inside a card-shaped crop is one of its fields
    assert inside is not None and inside.source == "frame"


def test_a_page_filling_most_of_a_photo_of_card_ratio_is_the_page_though_it_lies_square() -> None:
    page = _lined((880, 1245), 24, (250, 250, 250)).convert("RGBA").rotate(4, expand=True)
    photo = Image.new("RGB", (1100, 1650), (215, 210, 200))  # 2:3, an ID-1 card's ratio
    photo.paste(page, (80, 190), page)
    found = find_card(photo)
    assert found is not None and found.kind == "id3" and found.source == "quad"


@pytest.mark.parametrize("angle", [0.0, 6.0, -9.0])
def test_a_card_a_thumb_crosses_from_the_frame_edge_is_found_by_its_sides(angle: float) -> None:
    card = Image.new("RGB", (428, 270), (238, 240, 246))
    photo = _on_background(card, (60, 40, 40), angle)
    # The thumb comes in from the top edge and covers part of the card's top side; as pale as
    # the card and blurred with it, nothing outlines the card where it lies.
    draw = ImageDraw.Draw(photo)
    draw.ellipse((0, -150, 300, 110), (225, 180, 150))
    draw.rectangle((120, 40, 220, 190), (225, 180, 150))
    found = find_card(photo.filter(ImageFilter.GaussianBlur(2)))
    assert found is not None and found.kind == "id1" and found.source == "quad"
    assert found.corners is not None
    width = float(np.linalg.norm(found.corners[1] - found.corners[0]))
    assert abs(width - 428) < 0.1 * 428  # the card's own top side, not the thumb's outline


def test_a_blob_with_no_straight_sides_is_no_card() -> None:
    photo = Image.new("RGB", (640, 480), (60, 40, 40))
    draw = ImageDraw.Draw(photo)
    draw.ellipse((100, 80, 540, 400), fill=(238, 240, 246))
    draw.ellipse((60, -100, 260, 160), fill=(225, 180, 150))
    assert find_card(photo) is None
