"""Object keys as untrusted text: masked for sharing (`--redact-keys`) and safe inside URLs.

A key is masked part by part, as evidence is: numbers keep their last digits (`mask_number`),
words that are not known document or folder words are replaced, so a name never survives.
Separators, extensions, short counters and random identifiers (UUIDs, hashes) stay, so a reader
still sees the shape of the key and which findings share a folder.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from bucketscan.policies.detectors.filename import TOKENS
from bucketscan.policies.redact import mask_number

MASK = "***"
_PARTS = re.compile(r"([/_\-\s.,()（）【】\[\]+=@#&~]+)")
_DIGITS = re.compile(r"[0-9]+")
_UUID = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
# Hex runs with letters and digits (hashes, object ids); all-digit runs are numbers, masked.
_IDENTIFIER = re.compile(r"(?=.*[a-f])(?=.*[0-9])[0-9a-f]{8,}|(?=.*[A-F])(?=.*[0-9])[0-9A-F]{8,}")
# Dates (a birth date next to a name is the classic leak) are masked whole, every digit.
_DATE = re.compile(r"(?<![0-9])[0-9]{2,4}([-./年])[0-9]{1,2}([-./月])[0-9]{1,2}日?(?![0-9])")
_SHORT_NUMBER = 3  # page and sequence counters ("001") identify nobody
# Folder and file words common in upload buckets, besides the document words detectors know.
_COMMON = frozenset(
    {
        "upload", "uploads", "scan", "scans", "photo", "photos", "image", "images", "img",
        "file", "files", "doc", "docs", "document", "documents", "data", "public", "private",
        "shared", "share", "backup", "backups", "tmp", "temp", "export", "exports", "import",
        "archive", "old", "new", "copy", "final", "draft", "front", "back", "omote", "ura",
        "表", "裏", "表面", "裏面", "写真", "画像", "書類", "提出", "提出書類", "応募", "社員",
        "employee", "employees", "staff", "hr", "jinji", "人事", "applicant", "applicants",
        "candidate", "candidates", "entry", "users", "user", "media", "static", "assets",
        "page", "pages", "web", "www", "html", "index", "jpg", "jpeg", "png", "pdf",
        "gif", "tif", "tiff", "webp", "heic", "docx", "xlsx", "csv", "txt", "json", "md",
    }
)  # fmt: skip
_KNOWN = _COMMON | frozenset(token for tokens in TOKENS.values() for token in tokens)


def _masked_part(part: str) -> str:
    """One part between separators, masked unless it is a known word or a random identifier."""
    folded = unicodedata.normalize("NFKC", part).lower()
    if not part or folded in _KNOWN or _IDENTIFIER.fullmatch(part):
        return part
    if part.isdigit():
        return part if len(part) <= _SHORT_NUMBER else mask_number(part, group=0)
    if _DIGITS.search(part) and not any(char.isalpha() for char in part.strip("0123456789")):
        return mask_number(part, group=0)
    return MASK


def redact_key(key: str) -> str:
    """A key with its names and numbers masked: `uploads/職務経歴書_***.jpg`."""
    return "".join(
        chunk if index % 2 else _masked_chunk(chunk) for index, chunk in enumerate(_UUID.split(key))
    )


def _masked_chunk(chunk: str) -> str:
    """A stretch of a key between UUIDs, masked part by part."""
    chunk = _DATE.sub(lambda date: _DIGITS.sub(lambda run: "*" * len(run[0]), date[0]), chunk)
    return "".join(
        piece if index % 2 else _masked_part(piece)
        for index, piece in enumerate(_PARTS.split(chunk))
    )


def scrub(text: str, key: str, shown: str) -> str:
    """Text (an SDK error message) with every spelling of a key replaced by how it is shown."""
    if key == shown or not key:
        return text
    for spelling in {key, quote(key, safe="/"), quote(key, safe="")}:
        text = text.replace(spelling, shown)
    return text


_DOT_SEGMENT = {".": "%2E", "..": "%2E%2E"}


def safe_url(url: str) -> str:
    """A URL whose `.` and `..` path segments are percent-encoded: nothing normalises them away.

    Keys are quoted by each provider; `../` survives quoting and a browser or curl would resolve
    it to a different object than the one the report names.
    """
    parts = urlsplit(url)
    segments = parts.path.split("/")
    if not any(segment in _DOT_SEGMENT for segment in segments):
        return url
    path = "/".join(_DOT_SEGMENT.get(segment, segment) for segment in segments)
    return urlunsplit(parts._replace(path=path))


_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def visible(text: str) -> str:
    """Text with control, format and separator characters shown as escapes (`\\x1b`, `\\u202e`).

    Keys come from whoever uploaded the file: an ESC would drive the terminal, a CR or LF would
    forge a line, a bidi override would show the name backwards.
    """
    if all(char == " " or unicodedata.category(char) not in _INVISIBLE for char in text):
        return text
    return "".join(
        char
        if char == " " or unicodedata.category(char) not in _INVISIBLE
        else (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in text
    )
