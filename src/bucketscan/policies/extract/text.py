"""Text files: encoding detection (UTF-8, Shift_JIS/CP932, EUC-JP, ...), HTML and JSON to text."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import charset_normalizer

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_JAPANESE_FALLBACKS = ("cp932", "euc_jp")
_CJK_GAP = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff]) (?=[\u3040-\u30ff\u3400-\u9fff])")
_SKIPPED_TAGS = {"script", "style", "noscript", "template"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII) without NULs or trailing spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.splitlines())


def join_cjk(text: str) -> str:
    """Drop the single spaces OCR puts between Japanese characters (labels read as one word)."""
    return _CJK_GAP.sub("", text)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as text; returns (text, encoding name) and never raises."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding in {"cp932", "shift_jis", "euc_jp", "utf_8"}:
        return data.decode(best.encoding, errors="replace"), best.encoding
    for encoding in _JAPANESE_FALLBACKS:  # short Japanese samples confuse the detector
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    if best is not None:
        return data.decode(best.encoding, errors="replace"), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacements)"


class _TextCollector(HTMLParser):
    """Collects visible text and attribute-free content of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page (scripts and styles dropped)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def json_to_text(raw: str) -> str:
    """JSON with escapes resolved (\\u65e5 becomes 日); the raw text when it does not parse."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return raw
    return json.dumps(value, ensure_ascii=False, indent=1)


def clipped(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes of text, cut after a line end when one is near the limit."""
    if len(data) <= limit:
        return data
    head = data[:limit]
    cut = head.rfind(b"\n", max(0, limit - 65536))
    return head[: cut + 1] if cut >= 0 else head


def text_of(data: bytes, media_type: str) -> tuple[str, str]:
    """Readable text of a text-like file; returns (text, encoding)."""
    raw, encoding = decode(data)
    if media_type == "text/html":
        raw = html_to_text(raw)
    elif media_type == "application/json":
        raw = json_to_text(raw)
    return normalise(raw), encoding
