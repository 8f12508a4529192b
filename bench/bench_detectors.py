"""Detector benchmark on a freshly generated synthetic corpus: accuracy and throughput.

Usage: python bench/bench_detectors.py --seed 2 --per-type 4
Prints precision, recall, per-type misses, hard-negative alarms, text documents/s and seconds per
OCR'd image (single process, one Tesseract thread). Wall-clock seconds depend on what else the
machine runs; CPU seconds (this process and its Tesseract children) are the per-core figure.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from dataclasses import dataclass

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from cpu import cpu_seconds

from bucketscan.policies.classify import examine
from bucketscan.policies.extract import ExtractLimits
from bucketscan.synthetic.corpus import generate_corpus


@dataclass(frozen=True)
class Outcome:
    """One file's truth, prediction and cost."""

    name: str
    variant: str
    expected_category: str | None
    expected_type: str | None
    category: str | None
    document_type: str | None
    ocr: bool
    seconds: float
    cpu_seconds: float
    reasons: str
    unreadable: str | None  # "could not tell", and why: never reported as clean


def run(seed: int, per_type: int) -> list[Outcome]:
    """Extract and classify every generated file, timing each one."""
    outcomes = []
    limits = ExtractLimits()
    for file in generate_corpus(seed, per_type):
        start, cpu_start = time.perf_counter(), cpu_seconds()
        doc, result = examine(file.data, file.name, limits)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        outcomes.append(
            Outcome(
                file.name,
                file.variant,
                file.category,
                file.document_type,
                result.category.value if result.category else None,
                result.document_type,
                any(page.source == "ocr" for page in doc.pages),
                seconds,
                cpu,
                "; ".join(f"{s.kind}:{s.strength.value}" for s in result.evidence),
                result.unreadable,
            )
        )
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    """Print accuracy and throughput figures."""
    predicted = [o for o in outcomes if o.category is not None]
    actual = [o for o in outcomes if o.expected_category is not None]
    hits = [o for o in predicted if o.category == o.expected_category]
    precision = len(hits) / len(predicted) if predicted else 1.0
    recall = len(hits) / len(actual) if actual else 1.0
    typed = sum(o.document_type == o.expected_type for o in actual)
    print(
        f"files: {len(outcomes)} (positives {len(actual)}, negatives {len(outcomes) - len(actual)})"
    )
    print(f"precision (category): {precision:.3f}   recall (category): {recall:.3f}")
    print(f"document_type accuracy on positives: {typed / len(actual) if actual else 1:.3f}")
    misses = [o for o in actual if o.document_type != o.expected_type]
    print("per-type misses:", dict(Counter(o.expected_type for o in misses)) or "none")
    for o in misses:
        told = f"  (could not tell: {o.unreadable})" if o.unreadable else ""
        print(
            f"  MISS {o.expected_type:<22} {o.variant:<16} {o.name} -> {o.document_type}"
            f"  [{o.reasons}]{told}"
        )
    unsure = sum(o.unreadable is not None for o in misses)
    print(f"misses reported as could-not-tell (not clean): {unsure} of {len(misses)}")
    alarms = [o for o in outcomes if o.expected_category is None and o.category is not None]
    print(f"hard-negative alarms: {len(alarms)}")
    negatives = [o for o in outcomes if o.expected_category is None]
    negatives_unsure = sum(o.unreadable is not None for o in negatives)
    print(f"negatives reported as could-not-tell: {negatives_unsure}")
    for o in alarms:
        print(f"  ALARM {o.variant:<24} {o.name} -> {o.document_type}  [{o.reasons}]")
    text = [o for o in outcomes if not o.ocr]
    images = [o for o in outcomes if o.ocr]
    if text:
        wall = sum(o.seconds for o in text)
        cpu = sum(o.cpu_seconds for o in text)
        print(
            f"text documents/s: {len(text) / wall:.1f} wall, {len(text) / cpu:.1f} per CPU"
            f" ({len(text)} files)"
        )
    if images:
        wall_mean = sum(o.seconds for o in images) / len(images)
        cpu_mean = sum(o.cpu_seconds for o in images) / len(images)
        worst = max(images, key=lambda o: o.cpu_seconds)
        print(
            f"seconds per OCR'd image: {cpu_mean:.2f} CPU mean (per core),"
            f" {worst.cpu_seconds:.2f} CPU max ({worst.name}, {worst.variant}),"
            f" {wall_mean:.2f} wall mean ({len(images)} files)"
        )


def main() -> None:
    """Parse arguments, run, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--per-type", type=int, default=4)
    args = parser.parse_args()
    report(run(args.seed, args.per_type))


if __name__ == "__main__":
    main()
