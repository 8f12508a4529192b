"""Office Open XML: DOCX (body, tables, headers, footers, images) and XLSX (cell values).

The archive is never handed to a library as it came: every member is inflated here, in bounded
steps, up to the size its header declares and the archive-wide cap, and the archive rebuilt with
stored members. A header that lies about sizes (the 4.5 KB file that inflates to 10 GiB) is
refused after inflating what it declared, not after the machine runs out of memory.
"""

from __future__ import annotations

import bz2
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

from PIL import Image

from bucketscan.policies.extract.images import decode
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.sniff import DOCX, sniff
from bucketscan.policies.extract.text import normalise
from bucketscan.records.content import Legibility, Page

ImagePass = Callable[[Image.Image, ExtractLimits], tuple[Page, tuple[str, ...]]]
MAX_ROWS = 5000
MAX_IMAGES = 4
MAX_MEMBERS = 5000
_MIN_IMAGE_SIDE = 200  # logos and icons are not scans
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a member's local file header (30 bytes)
_ENCRYPTED = 0x1


class ZipRefusedError(Exception):
    """The archive must not be opened; the message says why, for the report."""


def _inflate(raw: bytes, method: int, limit: int) -> bytes | None:
    """A member's data inflated in bounded steps; None once it would pass `limit` bytes."""
    if method == zipfile.ZIP_STORED:
        return raw if len(raw) <= limit else None
    if method == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        out = bytearray(inflater.decompress(raw, limit + 1))  # max_length: never past the cap
        while inflater.unconsumed_tail and len(out) <= limit:
            out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
    elif method == zipfile.ZIP_BZIP2:
        unbzip = bz2.BZ2Decompressor()
        out = bytearray(unbzip.decompress(raw, limit + 1))
        while not unbzip.eof and not unbzip.needs_input and len(out) <= limit:
            out += unbzip.decompress(b"", limit + 1 - len(out))
    else:
        raise ZipRefusedError(f"zip member compressed with method {method}: not opened")
    return bytes(out) if len(out) <= limit else None


def _member(data: bytes, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """One member's bytes, inflated to at most `limit`; raises ZipRefusedError."""
    if entry.flag_bits & _ENCRYPTED:
        raise ZipRefusedError("zip member is encrypted: not opened")
    start = entry.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ZipRefusedError("zip container unreadable: a member's header is missing")
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    content = _inflate(data[begin : begin + entry.compress_size], entry.compress_type, limit)
    if content is None:
        declared = "its declared size" if limit == entry.file_size else "the cap"
        raise ZipRefusedError(
            f"zip member inflates past {declared} of {limit} bytes (zip bomb guard): not opened"
        )
    if zlib.crc32(content) != entry.CRC:
        raise ZipRefusedError("zip member fails its CRC check: zip container corrupt")
    return content


def unpacked(data: bytes, limits: ExtractLimits) -> bytes:
    """The archive rebuilt with stored members of their real sizes, each inflated here under
    the caps whatever its header declares; raises ZipRefusedError."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ZipRefusedError(f"zip container unreadable: {error}") from error
    cap = limits.max_decompressed_bytes
    declared = sum(entry.file_size for entry in entries)
    if declared > cap:
        raise ZipRefusedError(
            f"zip container declares {declared} uncompressed bytes, over the "
            f"{cap} limit (zip bomb guard): not opened"
        )
    if len(entries) > MAX_MEMBERS:
        raise ZipRefusedError(f"zip container has {len(entries)} members (zip bomb guard)")
    members: dict[str, bytes] = {}  # a repeated name: the last wins, as zipfile reads it
    for entry in entries:
        content = _member(data, entry, min(entry.file_size, cap))
        cap -= len(content)
        members[entry.filename] = content
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return rebuilt.getvalue()


def extract_office(
    data: bytes, media_type: str, limits: ExtractLimits, image_pass: ImagePass
) -> tuple[list[Page], list[str]]:
    """A DOCX or XLSX, opened only once every member was inflated under the caps; a refused
    archive is one unreadable page (could not tell), with the reason."""
    try:
        archive = unpacked(data, limits)
    except ZipRefusedError as refusal:
        reason = str(refusal)
        page = Page("", "text", legibility=Legibility.UNREADABLE, legibility_reason=reason)
        return [page], [reason]
    if media_type == DOCX:
        return extract_docx(archive, limits, image_pass)
    return extract_xlsx(archive, limits)


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
