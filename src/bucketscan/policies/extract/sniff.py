"""Content type from the leading bytes (magic numbers), never from the file name."""

from __future__ import annotations

import io
import zipfile

_ZIP_MEMBERS = (
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_TEXT_SUFFIXES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}

DOCX = _ZIP_MEMBERS[0][1]
XLSX = _ZIP_MEMBERS[1][1]
BINARY = "application/octet-stream"


def sniff(data: bytes) -> str:
    """The media type of `data` from its magic numbers; "text/plain" for text-like bytes."""
    head = data[:16]
    if data[:1024].find(b"%PDF-") != -1:
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/x-ole-storage"
    return _text_kind(data)


def _zip_kind(data: bytes) -> str:
    """Office Open XML flavour from the zip directory, or plain zip."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "application/zip"
    for member, media_type in _ZIP_MEMBERS:
        if member in names:
            return media_type
    return "application/zip"


def _text_kind(data: bytes) -> str:
    """Text flavour from the first bytes; binary when control bytes abound."""
    sample = data[:4096]
    if not sample:
        return "application/x-empty"
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return BINARY
    if controls > len(sample) // 20:
        return BINARY
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")) or b"<body" in stripped[:2048]:
        return "text/html"
    if stripped[:1] in (b"{", b"["):
        return "application/json"
    return "text/plain"


def refine_text(media_type: str, name: str) -> str:
    """Plain text named .csv/.md is CSV/Markdown: the name only refines, never decides, the type."""
    if media_type != "text/plain":
        return media_type
    lowered = name.lower()
    for suffix, refined in _TEXT_SUFFIXES.items():
        if lowered.endswith(suffix):
            return refined
    return media_type
