"""Tesseract through stdin/stdout: no temporary files, one thread, a hard time bound."""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image

from bucketscan.policies.extract.text import join_cjk, normalise

_LOG = logging.getLogger(__name__)
_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")
_GOOD_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fffA-Za-z0-9]")
MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


@dataclass(frozen=True)
class OcrResult:
    """Text read from one image, a quality score (confident characters), and any problem."""

    text: str
    score: float
    note: str | None = None
    confidence: float = 0.0  # mean word confidence weighted by characters (0-100)


@functools.cache
def tesseract_path() -> str | None:
    """Where the tesseract binary is, or None (warned about once)."""
    path = shutil.which("tesseract")
    if path is None:
        _LOG.warning("tesseract not found: images are judged without OCR (shape, face, codes)")
    return path


def ocr_available() -> bool:
    """Whether Tesseract can be run (cached; logs one warning when absent)."""
    return tesseract_path() is not None


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def run_tesseract(image: Image.Image, args: list[str], timeout_s: float) -> tuple[str, str | None]:
    """Run tesseract on the image fed as PNG on stdin; returns (stdout, problem or None)."""
    path = tesseract_path()
    if path is None:
        return "", "OCR skipped: tesseract not installed"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        completed = subprocess.run(
            [path, "stdin", "stdout", *args],
            input=_png(image),
            capture_output=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child already
        return "", f"OCR stopped after {timeout_s:g} s timeout"
    except OSError as error:
        return "", f"OCR failed to start: {error.__class__.__name__}"
    if completed.returncode != 0:
        return completed.stdout.decode("utf-8", "replace"), "OCR found too little to read"
    return completed.stdout.decode("utf-8", "replace"), None


def _from_tsv(tsv: str) -> tuple[str, float, float]:
    """Text (line by line), a score (characters of words read with confidence ≥ 60) and the
    character-weighted mean confidence."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    score = weighted = characters = 0.0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
        except ValueError:
            continue
        word = cells[11].strip()
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(word)
        good = len(_GOOD_CHAR.findall(word))
        characters += len(word)
        weighted += len(word) * max(confidence, 0.0)
        if confidence >= 60:
            score += good * confidence / 100
    text = "\n".join(" ".join(words) for words in lines.values())
    return join_cjk(normalise(text)), score, weighted / characters if characters else 0.0


def ocr_image(image: Image.Image, languages: str, psm: int, timeout_s: float) -> OcrResult:
    """Read the image's text with Tesseract (TSV output, scored by confident characters)."""
    out, problem = run_tesseract(image, ["-l", languages, "--psm", str(psm), "tsv"], timeout_s)
    text, score, confidence = _from_tsv(out)
    return OcrResult(text, score, problem if problem and not text else None, confidence)


def ocr_mrz(image: Image.Image, timeout_s: float) -> str:
    """Read a cropped MRZ band with the character set restricted to A-Z, 0-9 and '<'."""
    args = ["-l", "eng", "--psm", "6", "-c", f"tessedit_char_whitelist={MRZ_WHITELIST}"]
    out, _problem = run_tesseract(image, args, timeout_s)
    lines = [re.sub(r"\s+", "", line) for line in out.splitlines()]
    return "\n".join(line for line in lines if len(line) >= 20)


def osd_rotation(image: Image.Image, timeout_s: float) -> int | None:
    """Clockwise degrees Tesseract's OSD says to turn the image upright; None if unsure."""
    out, problem = run_tesseract(image, ["--psm", "0"], timeout_s)
    rotate, confidence = _OSD_ROTATE.search(out), _OSD_CONFIDENCE.search(out)
    if problem or rotate is None or confidence is None or float(confidence.group(1)) < 1.0:
        return None
    return int(rotate.group(1))
