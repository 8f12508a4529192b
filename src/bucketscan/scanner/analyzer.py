"""Content analysis off the I/O threads: worker processes, one per core, budgeted per object."""

from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from bucketscan.records.content import Classification
from bucketscan.scanner.pool import Budget, WorkerPool


@dataclass(frozen=True)
class Analysis:
    """A classification and where its worker's seconds went."""

    classification: Classification
    seconds: float
    stage: str = "extraction"  # "extraction" or "extraction_with_ocr": the costly part
    detection_seconds: float = 0.0

    @property
    def timings(self) -> dict[str, float]:
        """Seconds by stage, for the scan's time breakdown."""
        return {
            self.stage: self.seconds - self.detection_seconds,
            "detection": self.detection_seconds,
        }


class Analyzer(Protocol):
    """Classifies file contents asynchronously."""

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        """Queue one file for classification."""
        ...

    def cancel(self, *, running: bool) -> None:
        """Drop queued work (futures cancelled); with running, stop work in progress too."""
        ...

    def close(self) -> None:
        """Stop the workers."""
        ...


def analyse(data: bytes, name: str, ocr_engine: str) -> Analysis:
    """Extract and classify one file (runs in a worker process)."""
    from bucketscan.policies.classify import classify_document, look_again, second_look
    from bucketscan.policies.extract import ExtractLimits, extract

    started = time.perf_counter()
    limits = ExtractLimits(max_bytes=max(len(data), 1), ocr_engine=ocr_engine)
    document = extract(data, name, limits)
    extracted = time.perf_counter()
    result = classify_document(document)
    detected = time.perf_counter()
    if second_look(document, result):  # mostly reading again: counted as extraction
        document, result = look_again(data, name, limits, (document, result))
    finished = time.perf_counter()
    ocr_used = any(page.source == "ocr" for page in document.pages)
    return Analysis(
        result,
        finished - started,
        "extraction_with_ocr" if ocr_used else "extraction",
        detected - extracted,
    )


class ProcessAnalyzer:
    """Worker processes with a budget per object (see `scanner/pool.py`): an object that costs
    more fails with BudgetExceededError and its worker is replaced; the scan goes on."""

    def __init__(self, workers: int, *, ocr_engine: str = "auto", budget: Budget | None = None):
        self._ocr_engine = ocr_engine
        self._pool = WorkerPool(workers, budget)

    @property
    def peak_rss_bytes(self) -> int:
        """The largest resident size a busy worker was measured at."""
        return self._pool.peak_rss_bytes

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        """Queue one file for a worker."""
        return self._pool.submit(analyse, data, name, self._ocr_engine)

    def cancel(self, *, running: bool) -> None:
        """Drop queued files; with running, stop the files being analysed too."""
        self._pool.cancel(running=running)

    def close(self) -> None:
        """Let running analyses finish and stop the workers."""
        self._pool.close()


class InlineAnalyzer:
    """Classifies in the calling thread: for one-file runs and tests."""

    def __init__(self, *, ocr_engine: str = "auto") -> None:
        self._ocr_engine = ocr_engine

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        """Classify now and return a finished future."""
        future: Future[Analysis] = Future()
        try:
            future.set_result(analyse(data, name, self._ocr_engine))
        except Exception as error:  # noqa: BLE001 - the caller records it as a skipped object
            future.set_exception(error)
        return future

    def cancel(self, *, running: bool) -> None:
        """Nothing is ever queued."""

    def close(self) -> None:
        """Nothing to stop."""
