"""Real public specimen documents (../shared/real-docs, never copied here): recall and no false
alarms. Skips when the folder is absent; bench/bench_real.py prints the full figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bucketscan.policies.classify import classify_bytes
from bucketscan.policies.extract import ppocr

DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(not (DOCS / "labels.json").is_file(), reason="real-docs not present"),
    pytest.mark.skipif(ppocr.missing() is not None, reason="PP-OCRv5 not installed"),
]


def test_real_documents_are_found_without_false_alarms() -> None:
    labels = json.loads((DOCS / "labels.json").read_text(encoding="utf-8"))
    hits = {"id_document": 0, "resume": 0}
    totals = {"id_document": 0, "resume": 0}
    alarms = []
    for name, label in sorted(labels.items()):
        found = classify_bytes((DOCS / "files" / name).read_bytes(), name).category
        expected = None if label["label"] == "none" else label["label"]
        if expected is None and found is not None:
            alarms.append(name)
        elif expected is not None:
            totals[expected] += 1
            hits[expected] += found == expected
    assert alarms == []
    for category, total in totals.items():
        assert hits[category] >= 0.95 * total, f"{category}: {hits[category]} of {total}"
