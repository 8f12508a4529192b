"""`python -m bucketscan.synthetic DIR --seed N --per-type K`: write a synthetic corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from bucketscan.synthetic.corpus import write_corpus


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, write the corpus, print the manifest path."""
    parser = argparse.ArgumentParser(prog="python -m bucketscan.synthetic", description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-type", type=int, default=4)
    args = parser.parse_args(argv)
    print(write_corpus(args.directory, args.seed, args.per_type))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
