"""End to end: extract + classify on a freshly generated synthetic corpus (needs Tesseract)."""

from __future__ import annotations

import shutil

import pytest

from bucketscan.policies.classify import classify_bytes
from bucketscan.synthetic.corpus import generate_corpus

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed"),
]

TEXT_VARIANTS = {"pdf-text", "docx", "txt", "txt-sjis"}


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[str | None, str | None, str, str | None]]:
    """(expected type, expected category, variant, predicted type) for seed 3, one per type."""
    rows = []
    for file in generate_corpus(seed=3, per_type=1):
        result = classify_bytes(file.data, file.name)
        predicted = result.document_type
        rows.append((file.document_type, file.category, file.variant, predicted))
    return rows


def test_hard_negatives_stay_quiet(
    outcomes: list[tuple[str | None, str | None, str, str | None]],
) -> None:
    alarms = [(variant, got) for want, _, variant, got in outcomes if want is None and got]
    assert alarms == []


def test_text_resumes_are_all_found(
    outcomes: list[tuple[str | None, str | None, str, str | None]],
) -> None:
    text_rows = [(want, got) for want, cat, variant, got in outcomes if variant in TEXT_VARIANTS]
    assert text_rows
    assert all(want == got for want, got in text_rows)


def test_recall_on_all_documents(
    outcomes: list[tuple[str | None, str | None, str, str | None]],
) -> None:
    positives = [(want, got) for want, _, _, got in outcomes if want is not None]
    found = sum(want == got for want, got in positives)
    # A regression floor, not the 0.98 target (not met yet: OCR of photo variants loses the
    # labels); bench/bench_detectors.py measures the target on larger corpora.
    assert found / len(positives) >= 0.7
