"""`bucketscan classify`: the scan's content pipeline over local files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bucketscan.records.content import Classification
from bucketscan.scanner.analyzer import Analysis, ProcessAnalyzer
from bucketscan.scanner.options import DEFAULT_MAX_OBJECT_BYTES, default_workers
from bucketscan.scanner.report.serialize import signal_json


@dataclass(frozen=True)
class FileResult:
    """One local file's classification, or why it could not be classified."""

    path: Path
    classification: Classification | None
    error: str | None = None


def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Every regular file under the given files and directories, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def classify_paths(
    paths: Iterable[Path], *, workers: int = 0, ocr_engine: str = "auto"
) -> Iterator[FileResult]:
    """Classify files in parallel processes, yielding results in input order."""
    analyzer = ProcessAnalyzer(workers or default_workers(), ocr_engine=ocr_engine)
    try:
        queued: list[tuple[Path, Future[Analysis] | str]] = []
        for path in walk(paths):
            size = path.stat().st_size
            if size > DEFAULT_MAX_OBJECT_BYTES:
                queued.append((path, f"skipped: {size} bytes is over the size limit"))
            else:
                queued.append((path, analyzer.submit(path.read_bytes(), path.name)))
        for path, pending in queued:
            if isinstance(pending, str):
                yield FileResult(path, None, pending)
                continue
            try:
                yield FileResult(path, pending.result().classification)
            except Exception as error:  # noqa: BLE001 - a file that crashes a worker is reported
                yield FileResult(path, None, f"analysis failed: {type(error).__name__}: {error}")
    except BaseException:  # interrupted (Ctrl-C) or abandoned: stop the files in flight too
        analyzer.cancel(running=True)
        raise
    finally:
        analyzer.close()


def classification_rows(results: Iterable[FileResult]) -> list[dict[str, Any]]:
    """JSON-ready rows: path, category, document_type, confidence, unreadable, evidence, notes."""
    rows: list[dict[str, Any]] = []
    for result in results:
        found = result.classification
        rows.append(
            {
                "path": str(result.path),
                "category": found.category.value if found and found.category else None,
                "document_type": found.document_type if found else None,
                "confidence": round(found.confidence, 3) if found else None,
                "unreadable": found.unreadable if found and found.category is None else None,
                "evidence": [signal_json(s) for s in found.evidence] if found else [],
                "notes": list(found.notes) if found else [result.error],
            }
        )
    return rows
