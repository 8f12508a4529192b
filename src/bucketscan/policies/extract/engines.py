"""OCR engines a user can pick (`--ocr-engine`), and which one runs when it is "auto"."""

from __future__ import annotations

import functools

from bucketscan.policies.extract import ppocr
from bucketscan.policies.extract.ocr import ocr_available
from bucketscan.records.content import OcrEngine

ENGINES: tuple[str, ...] = tuple(engine.value for engine in OcrEngine)


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
