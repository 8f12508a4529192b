"""Detector benchmark on real public specimen documents (`../shared/real-docs`, never copied here).

Usage: python bench/bench_real.py [--docs DIR] [--ocr-engine NAME] [--verbose]
Prints per-class precision and recall, false alarms, every miss with its kind and notes, and CPU
seconds per image (this process and its OCR children, one thread). Skips with a message when the
folder is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from cpu import cpu_seconds

from bucketscan.policies.classify import examine
from bucketscan.policies.extract import ExtractLimits
from bucketscan.policies.extract.engines import ENGINES

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
CLASSES = ("id_document", "resume")


@dataclass(frozen=True)
class Outcome:
    """One document's label, prediction, cost and what extraction said."""

    name: str
    kind: str
    expected: str | None
    found: str | None
    document_type: str | None
    media_type: str
    cpu_seconds: float
    notes: tuple[str, ...]
    reasons: str


def run(docs: Path, engine: str, verbose: bool) -> list[Outcome]:
    """Extract and classify every labelled file, timing each."""
    labels = json.loads((docs / "labels.json").read_text(encoding="utf-8"))
    limits = ExtractLimits(ocr_engine=engine)
    outcomes = []
    for name in sorted(labels):
        label = labels[name]
        data = (docs / "files" / name).read_bytes()
        cpu = cpu_seconds()
        doc, result = examine(data, name, limits)
        outcomes.append(
            Outcome(
                name,
                label["kind"],
                None if label["label"] == "none" else label["label"],
                result.category.value if result.category else None,
                result.document_type,
                doc.media_type,
                cpu_seconds() - cpu,
                doc.notes,
                "; ".join(signal.reason for signal in result.evidence),
            )
        )
        if verbose:
            print(f"--- {name} ({label['kind']})\n{doc.text[:3000]}\n", file=sys.stderr)
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    """Per-class precision/recall, false alarms, misses and CPU cost."""
    for category in CLASSES:
        truth = [o for o in outcomes if o.expected == category]
        said = [o for o in outcomes if o.found == category]
        hits = [o for o in truth if o.found == category]
        precision = len(hits) / len(said) if said else 1.0
        print(
            f"{category:12} recall {len(hits)}/{len(truth)} = {len(hits) / max(1, len(truth)):.2f}"
            f"   precision {precision:.2f}"
        )
    alarms = [o for o in outcomes if o.expected is None and o.found is not None]
    print(f"false alarms: {len(alarms)} of {sum(o.expected is None for o in outcomes)} negatives")
    for outcome in outcomes:
        if outcome.found != outcome.expected:
            print(
                f"  MISS {outcome.name} {outcome.kind}: expected {outcome.expected}, got "
                f"{outcome.found} ({outcome.document_type}) {outcome.reasons} | "
                f"notes: {'; '.join(outcome.notes)}"
            )
    images = [o for o in outcomes if o.media_type.startswith("image/")]
    if images:
        costs = sorted(o.cpu_seconds for o in images)
        worst = max(images, key=lambda o: o.cpu_seconds)
        print(
            f"images: {len(images)}, CPU-s mean {sum(costs) / len(costs):.2f}, "
            f"median {costs[len(costs) // 2]:.2f}, worst {worst.cpu_seconds:.2f} ({worst.name})"
        )
    others = [o for o in outcomes if not o.media_type.startswith("image/")]
    if others:
        print(f"other files: {len(others)}, CPU-s total {sum(o.cpu_seconds for o in others):.2f}")
    print(f"total CPU-s {sum(o.cpu_seconds for o in outcomes):.1f}")


def main() -> None:
    """Run the benchmark, or explain why it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--ocr-engine", default="auto", choices=sorted(ENGINES))
    parser.add_argument("--verbose", action="store_true", help="print extracted text to stderr")
    args = parser.parse_args()
    if not (args.docs / "labels.json").is_file():
        print(f"skipped: {args.docs} not found (the real-docs set is not shipped here)")
        return
    start = time.perf_counter()
    report(run(args.docs, args.ocr_engine, args.verbose))
    print(f"wall {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
