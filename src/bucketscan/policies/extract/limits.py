"""Bounds on the work extraction may do for one object."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ExtractLimits:
    """Size, page, pixel and time bounds, and the OCR engine ("none": only the signals that need
    no OCR)."""

    max_bytes: int = 20 * MIB
    max_pixels: int = 40_000_000
    max_pages: int = 10
    max_decompressed_bytes: int = 50 * MIB  # inflated bytes of an archive's members, counted
    max_text_bytes: int = 2 * MIB  # of a text file: detection costs about 1.5 CPU-s per MiB
    ocr_engine: str = "auto"  # an OcrEngine value
    ocr_timeout_s: float = 20.0
    ocr_languages: str = "jpn+eng"
    magnify: float = 1.0  # images enlarged so before reading (a second look at a small photo)
