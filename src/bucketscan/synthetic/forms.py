"""A neutral model of a text document (résumé, article, invoice) and its renderers."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from bucketscan.synthetic.draw import (
    A4,
    GOTHIC,
    GREY,
    INK,
    MINCHO,
    canvas,
    font,
    paste_face,
    text,
    typefaces,
)

FIXED_TIME = dt.datetime(2024, 1, 1, 9, 0, 0)
_PDF_FONT = "IPAGothic"


@dataclass(frozen=True)
class Form:
    """Title, header fields, a dated table and free sections; `photo` adds a face box top-right."""

    title: str
    dated: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    table_title: str = ""
    table_head: tuple[str, ...] = ("年", "月", "学歴・職歴")
    table: tuple[tuple[str, ...], ...] = ()
    sections: tuple[tuple[str, str], ...] = ()
    photo: bool = False
    face_seed: int = 0
    notes: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        """The form as plain text lines, in reading order."""
        out = [self.title]
        if self.dated:
            out.append(self.dated)
        out += [f"{label}：{value}" if label else value for label, value in self.fields]
        if self.table:
            out += ["", self.table_title, "　".join(self.table_head)]
            out += ["　".join(cell for cell in row if cell) for row in self.table]
        for heading, body in self.sections:
            out += ["", heading, *body.split("\n")]
        out += list(self.notes)
        return out


def _wrap(draw: ImageDraw.ImageDraw, value: str, size: int, width: int) -> list[str]:
    """Greedy wrap: by words for Latin text, by characters otherwise."""
    face = font(size)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        tokens = paragraph.split(" ") if paragraph.isascii() else list(paragraph)
        joiner = " " if paragraph.isascii() else ""
        current = ""
        for token in tokens:
            candidate = f"{current}{joiner}{token}" if current else token
            if current and draw.textlength(candidate, font=face) > width:
                lines.append(current)
                current = token
            else:
                current = candidate
        lines.append(current)
    return lines


def render_image(form: Form, rng: random.Random | None = None) -> Image.Image:
    """Render the form on one A4 page at 150 dpi (fonts and paper picked from rng if given)."""
    if rng is None:
        return _render_page(form, (255, 255, 255))
    paper = rng.choice(((255, 255, 255), (252, 252, 249), (250, 250, 252)))
    with typefaces(rng, serif=rng.random() < 0.4):
        return _render_page(form, paper)


def _render_page(form: Form, paper: tuple[int, int, int]) -> Image.Image:
    """Lay the form out on an A4 page of the given paper colour."""
    image, draw = canvas(A4, paper)
    left, right = 90, A4[0] - 90
    text(draw, (left, 70), form.title, 52)
    if form.dated:
        text(draw, (left + 420, 96), form.dated, 22)
    y = 160
    field_right = right - 230 if form.photo else right
    if form.photo:
        box = (right - 190, 80, right, 330)
        if form.face_seed:
            paste_face(image, random.Random(form.face_seed), box)
        else:
            draw.rectangle(box, outline=GREY, width=2)
            text(draw, (box[0] + 20, 180), "写真をはる位置", 20, GREY)
    for label, value in form.fields:
        width = field_right if y < 340 else right
        lines = _wrap(draw, value, 26, width - left - 230) if value else [""]
        height = max(56, 34 * len(lines) + 22)
        draw.rectangle((left, y, width, y + height), outline=INK, width=2)
        draw.line((left + 210, y, left + 210, y + height), fill=INK, width=1)
        text(draw, (left + 12, y + 16), label, 20, GREY)
        for index, line in enumerate(lines):
            text(draw, (left + 225, y + 12 + index * 34), line, 26)
        y += height
        if y > A4[1] - 120:
            return image
    if form.table:
        y += 30
        text(draw, (left, y), form.table_title, 26)
        y += 40
        rows = (form.table_head, *form.table)
        columns = _columns(draw, rows, left, right)
        for row in rows:
            draw.rectangle((left, y, right, y + 42), outline=INK, width=1)
            for index, cell in enumerate(row):
                x = columns[min(index, 2)] + 10
                if index == len(row) - 1 and cell == "以上":
                    x = right - 80
                text(draw, (x, y + 9), cell, 22)
            for column in columns[1:3]:
                draw.line((column, y, column, y + 42), fill=INK, width=1)
            y += 42
            if y > A4[1] - 120:
                return image
    for heading, body in form.sections:
        y += 24
        text(draw, (left, y), heading, 26)
        y += 38
        for line in _wrap(draw, body, 22, right - left - 20):
            text(draw, (left + 10, y), line, 22)
            y += 30
            if y > A4[1] - 80:
                return image
    for note in form.notes:
        y += 30
        text(draw, (left, y), note, 18, GREY)
    return image


def _columns(
    draw: ImageDraw.ImageDraw, rows: tuple[tuple[str, ...], ...], left: int, right: int
) -> tuple[int, int, int, int]:
    """Column edges of a three-column table: the first two as wide as their longest cell."""
    face = font(22)
    first, second = (
        max((draw.textlength(row[index], font=face) for row in rows if len(row) > index), default=0)
        for index in (0, 1)
    )
    one = left + max(110, round(first) + 24)
    two = one + max(70, round(second) + 24)
    return left, one, min(two, right - 200), right


def _ensure_pdf_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        path = next((p for p in (GOTHIC, MINCHO) if p.exists()), GOTHIC)
        pdfmetrics.registerFont(TTFont(_PDF_FONT, str(path)))


def render_pdf(form: Form) -> bytes:
    """A text PDF (reportlab, IPA Gothic embedded), deterministic; the face is drawn as an image."""
    from reportlab.lib.pagesizes import A4 as PAGE
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    _ensure_pdf_font()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=PAGE, invariant=True)
    pdf.setTitle(form.title)
    width, height = PAGE
    margin = 50.0
    y = height - 60
    if form.photo and form.face_seed:
        from bucketscan.synthetic.faces import draw_face

        face = draw_face(random.Random(form.face_seed), 180, 240)
        pdf.drawImage(ImageReader(face), width - margin - 90, height - 170, 90, 120)
    for index, line in enumerate(form.lines()):
        size = 18 if index == 0 else 10
        pdf.setFont(_PDF_FONT, size)
        limit = width - 2 * margin - (100 if y > height - 180 and form.photo else 0)
        for part in _pdf_wrap(line, size, limit):
            if y < 50:
                pdf.showPage()
                pdf.setFont(_PDF_FONT, size)
                y = height - 60
            pdf.drawString(margin, y, part)
            y -= size * 1.6
    pdf.save()
    return buffer.getvalue()


def _pdf_wrap(line: str, size: int, limit: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    parts: list[str] = []
    current = ""
    for char in line:
        if stringWidth(current + char, _PDF_FONT, size) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    return [*parts, current]


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (DOCX) with fixed timestamps so the bytes depend on the content only."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def render_docx(form: Form) -> bytes:
    """A DOCX with a heading, a fields table, the history table and paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.core_properties.last_printed = FIXED_TIME
    document.core_properties.author = "synthetic"
    document.add_heading(form.title, level=1)
    if form.dated:
        document.add_paragraph(form.dated)
    if form.fields:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in form.fields:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    if form.table:
        document.add_paragraph(form.table_title)
        history = document.add_table(rows=0, cols=len(form.table_head))
        history.style = "Table Grid"
        for row in (form.table_head, *form.table):
            cells = history.add_row().cells
            for index, cell in enumerate(row[: len(cells)]):
                cells[index].text = cell
    for heading, body in form.sections:
        document.add_heading(heading, level=2)
        for paragraph in body.split("\n"):
            document.add_paragraph(paragraph)
    for note in form.notes:
        document.add_paragraph(note)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def render_txt(form: Form, encoding: str = "utf-8") -> bytes:
    """Plain text in UTF-8 or CP932 (Shift_JIS), CRLF for CP932 as Windows editors write it."""
    newline = "\r\n" if encoding == "cp932" else "\n"
    return newline.join(form.lines()).encode(encoding, errors="replace") + newline.encode()


def render_html(form: Form) -> bytes:
    """A simple HTML page (articles, recruiting pages)."""
    from html import escape

    parts = [
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">',
        f"<title>{escape(form.title)}</title></head><body>",
    ]
    parts.append(f"<h1>{escape(form.title)}</h1>")
    for label, value in form.fields:
        parts.append(f"<p><b>{escape(label)}</b> {escape(value)}</p>")
    for heading, body in form.sections:
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in body.split("\n")]
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
