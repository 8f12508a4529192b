"""Image-only PDF pages: render resolution from the embedded scan, and table rulings erased."""

from __future__ import annotations

import io
import random

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from bucketscan.policies.extract import ExtractLimits, extract
from bucketscan.policies.extract.ocr import ocr_available
from bucketscan.policies.extract.pdf import image_dpi, render_scale
from bucketscan.policies.extract.rulings import erase_rulings, ruling_mask
from bucketscan.synthetic import camera, cards, people


def _pdf(image: Image.Image, dpi: float) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=dpi)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("size", "dpi", "expected_dpi"),
    [
        ((850, 1100), 100.0, 150.0),  # a coarse scan is upsampled to 150 dpi
        ((1240, 1754), 150.0, 150.0),  # an A4 scan at 150 dpi renders at its own resolution
        ((1011, 638), 300.0, 300.0),  # a card scanned at 300 dpi keeps its detail
        ((2022, 1276), 600.0, 300.0),  # finer than 300 dpi adds pixels, not legibility
    ],
)
def test_render_follows_the_embedded_scan(
    size: tuple[int, int], dpi: float, expected_dpi: float
) -> None:
    document = pdfium.PdfDocument(_pdf(Image.new("RGB", size, "white"), dpi))
    page = document[0]
    assert image_dpi(page) == pytest.approx(dpi, rel=0.01)
    assert render_scale(page, ExtractLimits()) * 72 == pytest.approx(expected_dpi, rel=0.01)
    document.close()


def test_page_without_an_image_renders_at_200_dpi() -> None:
    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    assert image_dpi(page) is None
    assert render_scale(page, ExtractLimits()) * 72 == pytest.approx(200, rel=0.01)
    document.close()


def _table() -> Image.Image:
    image = Image.new("RGB", (1200, 1600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 300, 1100, 1200), outline="black", width=3)
    for y in range(400, 1200, 100):
        draw.line((100, y, 1100, y), fill="black", width=2)
    draw.line((450, 300, 450, 1200), fill="black", width=2)
    draw.rectangle((100, 1300, 1100, 1400), fill=(30, 60, 140))  # a colour band, not a ruling
    draw.text((150, 330), "LABEL 12345678", fill="black", font_size=40)
    return image


def test_rulings_are_erased_and_text_and_bands_kept() -> None:
    image = _table()
    erased = np.array(erase_rulings(image).convert("L"))
    assert erased[700, 100:1100].min() > 200  # the horizontal ruling at y=700 is gone
    assert erased[320:1180, 450].min() > 200  # the vertical one at x=450 too
    assert erased[1350, 300] < 100  # the band stays
    assert (erased[325:380, 150:440] < 128).sum() > 500  # the label's ink stays


def test_rulings_of_a_slightly_tilted_scan_are_erased() -> None:
    tilted = _table().rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor="white")
    mask = ruling_mask(np.array(tilted.convert("L")))
    assert mask[:, 600].astype(bool).sum() >= 9 * 2  # each of the 9 rulings crosses x=600
    assert not mask[1330:1370, 300:900].any()  # the band's inside is untouched


def test_a_page_without_rulings_is_untouched() -> None:
    image = Image.new("RGB", (800, 1000), "white")
    ImageDraw.Draw(image).text((100, 100), "no table here", fill="black", font_size=40)
    assert not ruling_mask(np.array(image.convert("L"))).any()
    assert erase_rulings(image) is image


@pytest.mark.skipif(not ocr_available(), reason="tesseract not installed")
def test_boxed_eligibility_letter_scanned_to_pdf_is_read_inside_its_table() -> None:
    rng = random.Random(4)
    letter = cards.eligibility_letter(rng, people.japanese_person(rng))
    data, _ = camera.pdf_image_only(rng, letter, False)
    doc = extract(data, "scan.pdf", ExtractLimits())
    assert "保険者番号" in doc.text
    assert "保険者名称" in doc.text
