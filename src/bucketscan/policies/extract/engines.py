"""OCR engines behind one protocol: a user picks one (`--ocr-engine`), "auto" takes the best
installed, and a caller may hand `images.analyse` a reader of its own."""

from __future__ import annotations

import functools
from typing import Protocol

from bucketscan.policies.extract import ppocr
from bucketscan.policies.extract.limits import ExtractLimits
from bucketscan.policies.extract.ocr import ocr_available
from bucketscan.policies.extract.pages import Subject
from bucketscan.policies.extract.read_deep import DeepReader
from bucketscan.policies.extract.read_tesseract import TesseractReader
from bucketscan.records.content import OcrEngine, Page

ENGINES: tuple[str, ...] = tuple(engine.value for engine in OcrEngine)


class PageReader(Protocol):
    """Reads one image (its card outline already found) into a page record and notes."""

    def read(self, subject: Subject, limits: ExtractLimits) -> tuple[Page, tuple[str, ...]]:
        """The page read from the subject, and notes on how it was read."""
        ...


@functools.cache
def _ppocr_missing() -> str | None:
    return ppocr.missing()


def resolve(requested: str) -> tuple[OcrEngine | None, bool, str | None]:
    """The engine to run, whether Tesseract may take text-heavy pages, and why none can run."""
    engine = OcrEngine(requested)
    if engine is OcrEngine.NONE:
        return None, False, "OCR disabled"
    deep_problem = _ppocr_missing()
    if engine is OcrEngine.TESSERACT or (engine is OcrEngine.AUTO and deep_problem):
        if ocr_available():
            return OcrEngine.TESSERACT, True, None
        problem = "tesseract not installed"
        return (
            None,
            False,
            problem if engine is OcrEngine.TESSERACT else f"{deep_problem}; {problem}",
        )
    if deep_problem:
        return None, False, deep_problem
    cascade = engine is OcrEngine.AUTO and ocr_available()
    return OcrEngine.PPOCR, cascade, None


def reader_for(requested: str) -> PageReader:
    """The page reader for an engine name; one that notes why when no engine can run."""
    engine, cascade, problem = resolve(requested)
    if engine is OcrEngine.PPOCR:
        return DeepReader(cascade)
    if engine is OcrEngine.TESSERACT:
        return TesseractReader()
    # The Tesseract reader without OCR still finds the card, faces, codes and the MRZ band.
    return TesseractReader(problem)
