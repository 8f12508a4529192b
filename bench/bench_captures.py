"""Capture stress benchmark: every ID document and résumé form as phone photos or as scans.

Usage: python bench/bench_captures.py --seeds 1000-1007 --captures photos
Prints recall per capture variant and per document type, and the misses. The corpus benchmark
(bench_detectors.py) spreads variants over types; this one puts every type through each capture,
which is where image handling (card outline, orientation, MRZ reading) shows its weak spots.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bucketscan.policies.classify import classify_document
from bucketscan.policies.extract import ExtractLimits, extract
from bucketscan.synthetic.corpus import generate_captures

CAPTURES = {
    "photos": ("photo-tilted", "photo-rotated", "photo-exif", "photo-lowres"),
    "scans": ("scan-jpeg", "scan-png", "pdf-image-only"),
}


def seed_range(text: str) -> range:
    """'1000-1007' or '1000' as a range of seeds."""
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main() -> None:
    """Run every capture of every document for each seed; print recall and misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_range, default=seed_range("1000-1003"))
    parser.add_argument("--captures", choices=sorted(CAPTURES), default="photos")
    args = parser.parse_args()
    limits = ExtractLimits()
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for seed in args.seeds:
        for file in generate_captures(seed, CAPTURES[args.captures]):
            result = classify_document(extract(file.data, file.name, limits))
            total[file.variant] += 1
            total[str(file.document_type)] += 1
            if result.document_type == file.document_type:
                found[file.variant] += 1
                found[str(file.document_type)] += 1
            else:
                print(f"  MISS seed {seed} {file.name} -> {result.document_type}", flush=True)
    files = sum(total[variant] for variant in CAPTURES[args.captures])
    hits = sum(found[variant] for variant in CAPTURES[args.captures])
    print(f"seeds {args.seeds.start}-{args.seeds.stop - 1}: {hits}/{files} = {hits / files:.3f}")
    for key in sorted(total):
        print(f"  {key:<24} {found[key]:>4}/{total[key]:<4} {found[key] / total[key]:.3f}")


if __name__ == "__main__":
    main()
