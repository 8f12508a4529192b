"""Extraction: content type from bytes, text of every supported format, hostile inputs."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from PIL import Image, ImageDraw

from bucketscan.policies.extract import ExtractLimits, extract
from bucketscan.policies.extract.sniff import DOCX, XLSX

FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
NO_OCR = ExtractLimits(ocr_engine="none")
JAPANESE = "氏名 山田太郎 個人番号 1234"


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("職務経歴書")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "氏名"
    table.cell(0, 1).text = "山田太郎"
    document.sections[0].header.paragraphs[0].text = "社外秘ヘッダー"
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(picture, "PNG")
    picture.seek(0)
    document.add_picture(picture)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["氏名", "個人番号"])
    sheet.append(["山田太郎", "123456789018"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAGothic", FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("IPAGothic", 14)
    pdf.drawString(72, 720, "履歴書 氏名 山田太郎 生年月日 1990年1月2日")
    pdf.save()
    return buffer.getvalue()


def _image(fmt: str, **options: object) -> bytes:
    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 120, 80), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _image_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF", resolution=100.0)
    return buffer.getvalue()


def _exif_rotated_jpeg() -> bytes:
    """Pixels stored 200x100 (landscape) with Orientation 6: upright it is 100x200 (portrait)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


TEXT_CASES: list[tuple[str, Callable[[], bytes], str, str, tuple[str, ...]]] = [
    ("utf8.txt", lambda: JAPANESE.encode("utf-8"), "text/plain", "氏名", ()),
    ("sjis.dat", lambda: (JAPANESE * 3).encode("cp932"), "text/plain", "個人番号", ()),
    ("eucjp.dat", lambda: (JAPANESE * 3).encode("euc_jp"), "text/plain", "山田太郎", ()),
    ("full.txt", lambda: "個人番号 １２３４ ５６７８".encode(), "text/plain", "1234 5678", ()),
    (
        "page.bin",
        lambda: (
            b"<!DOCTYPE html><html><style>x{}</style><body><p>\xe6\xb0\x8f\xe5\x90\x8d</p>"
            b"<script>secret()</script></body></html>"
        ),
        "text/html",
        "氏名",
        ("secret", "<p>"),
    ),
    ("rows.csv", lambda: "code,name\n1,山田\n".encode(), "text/csv", "1,山田", ()),
    ("notes.md", lambda: b"# Title\n\n- item", "text/markdown", "# Title", ()),
    (
        "data.json",
        lambda: json.dumps({"name": "山田"}).encode(),
        "application/json",
        "山田",
        ("\\u5c71",),
    ),
    ("resume.bin", _docx, DOCX, "山田太郎", ()),
    ("sheet.bin", _xlsx, XLSX, "123456789018", ()),
    ("cv.txt", _text_pdf, "application/pdf", "生年月日 1990年1月2日", ()),
]


@pytest.mark.parametrize(("name", "make", "media_type", "expected", "absent"), TEXT_CASES)
def test_text_formats(
    name: str, make: Callable[[], bytes], media_type: str, expected: str, absent: tuple[str, ...]
) -> None:
    document = extract(make(), name, NO_OCR)
    assert document.media_type == media_type
    assert expected in document.text
    for fragment in absent:
        assert fragment not in document.text


def test_docx_reads_header_and_embedded_image() -> None:
    document = extract(_docx(), "x.docx", NO_OCR)
    assert "社外秘ヘッダー" in document.text
    image_pages = [page for page in document.pages if page.cues is not None]
    assert len(image_pages) == 1
    assert image_pages[0].cues is not None and image_pages[0].cues.width == 400


@pytest.mark.parametrize(
    ("fmt", "media_type", "options"),
    [
        ("PNG", "image/png", {}),
        ("JPEG", "image/jpeg", {}),
        ("WEBP", "image/webp", {}),
        ("TIFF", "image/tiff", {}),
        ("GIF", "image/gif", {}),
    ],
)
def test_images_are_sniffed_and_measured(
    fmt: str, media_type: str, options: dict[str, object]
) -> None:
    document = extract(_image(fmt, **options), "opaque-name.pdf", NO_OCR)
    assert document.media_type == media_type
    cues = document.pages[0].cues
    assert cues is not None and (cues.width, cues.height) == (320, 200)
    assert any("OCR skipped" in note for note in document.notes)


def test_exif_orientation_is_applied() -> None:
    cues = extract(_exif_rotated_jpeg(), "IMG_0001.jpg", NO_OCR).pages[0].cues
    assert cues is not None and (cues.width, cues.height) == (100, 200)


def test_image_only_pdf_page_is_rendered() -> None:
    document = extract(_image_pdf(), "scan.pdf", NO_OCR)
    assert document.media_type == "application/pdf"
    assert document.pages[0].source == "ocr" and document.pages[0].cues is not None
    assert any("no text layer" in note for note in document.notes)


def _zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def _pixel_bomb_png() -> bytes:
    """A valid PNG header claiming 100,000 x 100,000 pixels, followed by no real image data."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("cut.pdf", lambda: _text_pdf()[:300], "PDF"),
    ("random.pdf", lambda: bytes(range(256)) * 40, "not supported"),
    ("bomb.docx", _zip_bomb_docx, "zip bomb"),
    ("huge.png", _pixel_bomb_png, "bomb guard"),
    ("empty.jpg", lambda: b"", "empty file"),
    ("broken.jpg", lambda: _image("JPEG")[:40], "could not be decoded"),
]


@pytest.mark.parametrize(("name", "make", "expected_note"), HOSTILE)
def test_hostile_inputs_yield_notes(
    name: str, make: Callable[[], bytes], expected_note: str
) -> None:
    document = extract(make(), name)
    assert any(expected_note in note for note in document.notes), document.notes
    assert not document.text.strip()


def test_byte_limit_truncates_and_says_so() -> None:
    document = extract(b"a" * 1000, "a.txt", ExtractLimits(max_bytes=100))
    assert len(document.text) == 100
    assert any("first 100 of 1000 bytes" in note for note in document.notes)


def test_page_limit_is_noted() -> None:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (50, 50), "white") for _ in range(3)]
    frames[0].save(buffer, "PDF", save_all=True, append_images=frames[1:])
    document = extract(buffer.getvalue(), "x.pdf", ExtractLimits(max_pages=2, ocr_engine="none"))
    assert len(document.pages) == 2
    assert any("only the first 2" in note for note in document.notes)
