"""Office Open XML: DOCX (body, tables, headers, footers, images) and XLSX (cell values)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator

from PIL import Image

from bucketscan.policies.extract.images import decode
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.sniff import sniff
from bucketscan.policies.extract.text import normalise
from bucketscan.records.content import Page

ImagePass = Callable[[Image.Image, ExtractLimits], tuple[Page, tuple[str, ...]]]
MAX_ROWS = 5000
MAX_IMAGES = 4
_MIN_IMAGE_SIDE = 200  # logos and icons are not scans


def zip_guard(data: bytes, limits: ExtractLimits) -> str | None:
    """Why the archive must not be opened (bomb, corrupt), judged from its directory; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return f"zip container unreadable: {error}"
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_decompressed_bytes:
        return (
            f"zip container declares {total} uncompressed bytes, over the "
            f"{limits.max_decompressed_bytes} limit (zip bomb guard): not opened"
        )
    return None


def _paragraph_texts(document: object) -> Iterator[str]:
    from docx.document import Document as DocxDocument

    assert isinstance(document, DocxDocument)
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield "\t".join(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                yield paragraph.text
            for table in part.tables:
                for row in table.rows:
                    yield "\t".join(cell.text for cell in row.cells)


def extract_docx(
    data: bytes, limits: ExtractLimits, image_pass: ImagePass
) -> tuple[list[Page], list[str]]:
    """Text of a Word file as one page, then one page per embedded photo (OCR and cues)."""
    import docx

    notes: list[str] = []
    try:
        document = docx.Document(io.BytesIO(data))
        text = normalise("\n".join(line for line in _paragraph_texts(document) if line.strip()))
    except Exception as error:  # noqa: BLE001 - python-docx raises many types on hostile XML
        return [], [f"DOCX could not be read: {error.__class__.__name__}"]
    pages = [Page(text=text, source="text")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        for name in media[:MAX_IMAGES]:
            blob = archive.read(name)
            decoded = decode(blob, sniff(blob), limits)
            notes.extend(f"{name}: {note}" for note in decoded.notes)
            if decoded.image is None or min(decoded.image.size) < _MIN_IMAGE_SIDE:
                continue
            page, image_notes = image_pass(decoded.image, limits)
            pages.append(page)
            notes.extend(f"{name}: {note}" for note in image_notes)
        if len(media) > MAX_IMAGES:
            notes.append(f"DOCX has {len(media)} images: only the first {MAX_IMAGES} read")
    return pages, notes


def extract_xlsx(data: bytes, limits: ExtractLimits) -> tuple[list[Page], list[str]]:
    """Cell values of each sheet (read-only, bounded rows), one page per sheet."""
    import openpyxl

    notes: list[str] = []
    pages: list[Page] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in workbook.worksheets[: limits.max_pages]:
            lines = []
            for index, row in enumerate(sheet.iter_rows(values_only=True)):
                if index >= MAX_ROWS:
                    notes.append(f"sheet {sheet.title}: only the first {MAX_ROWS} rows read")
                    break
                cells = [str(value) for value in row if value is not None]
                if cells:
                    lines.append("\t".join(cells))
            pages.append(Page(text=normalise("\n".join(lines)), source="text"))
        workbook.close()
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on hostile XML
        notes.append(f"XLSX could not be read: {error.__class__.__name__}")
    return pages, notes
