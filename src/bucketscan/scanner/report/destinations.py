"""Where each report goes: one format to --output or standard output, or several to --output-dir."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.report.atomic import atomic_text
from bucketscan.scanner.report.registry import EXTENSIONS, WRITERS
from bucketscan.scanner.report.writer import ReportWriter

REPORT_STEM = "bucketscan-report"


@dataclass(frozen=True)
class Destination:
    """One report: its format and its file (None: standard output)."""

    fmt: str
    path: Path | None


def report_name(fmt: str) -> str:
    """The file a format gets in --output-dir: bucketscan-report.<extension>."""
    return f"{REPORT_STEM}.{EXTENSIONS.get(fmt, fmt)}"


def destinations(
    formats: tuple[str, ...], output: Path | None, output_dir: Path | None
) -> tuple[Destination, ...]:
    """The reports a run writes; several formats need a directory, a file takes only one."""
    chosen = tuple(dict.fromkeys(formats)) or ("json",)
    if output_dir is not None:
        if output is not None:
            raise ScanError("pass --output FILE or --output-dir DIR, not both")
        return tuple(Destination(fmt, output_dir / report_name(fmt)) for fmt in chosen)
    if len(chosen) > 1:
        raise ScanError(
            f"{len(chosen)} formats ({', '.join(chosen)}) need --output-dir DIR: "
            "one file or standard output holds one report"
        )
    return (Destination(chosen[0], output),)


@contextmanager
def open_writers(planned: tuple[Destination, ...]) -> Iterator[tuple[ReportWriter, ...]]:
    """A writer per destination; each file appears whole when the block ends without an error,
    and none does otherwise (earlier reports stay as they were)."""
    with ExitStack() as stack:
        writers = tuple(
            WRITERS[item.fmt](
                sys.stdout if item.path is None else stack.enter_context(atomic_text(item.path))
            )
            for item in planned
        )
        yield writers
