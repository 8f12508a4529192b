"""Content analysis off the I/O threads: a process pool sized to the cores."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from bucketscan.records.content import Classification


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

    def close(self) -> None:
        """Stop the workers."""
        ...


def analyse(data: bytes, name: str, ocr_engine: str) -> Analysis:
    """Extract and classify one file (runs in a worker process)."""
    from bucketscan.policies.classify import classify_document
    from bucketscan.policies.extract import ExtractLimits, extract

    started = time.perf_counter()
    document = extract(
        data, name, ExtractLimits(max_bytes=max(len(data), 1), ocr_engine=ocr_engine)
    )
    extracted = time.perf_counter()
    result = classify_document(document)
    finished = time.perf_counter()
    ocr_used = any(page.source == "ocr" for page in document.pages)
    return Analysis(
        result,
        finished - started,
        "extraction_with_ocr" if ocr_used else "extraction",
        finished - extracted,
    )


def _init_worker() -> None:
    """Keep Tesseract to one thread per process: the pool already uses every core."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


class ProcessAnalyzer:
    """A pool of worker processes; a crashed worker (hostile file) restarts the pool."""

    def __init__(self, workers: int, *, ocr_engine: str = "auto") -> None:
        self._workers = workers
        self._ocr_engine = ocr_engine
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: never fork a process whose I/O threads may hold locks mid-call.
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(self._workers, mp_context=context, initializer=_init_worker)

    def submit(self, data: bytes, name: str) -> Future[Analysis]:
        """Queue one file; restart the pool once if a worker died."""
        try:
            return self._pool.submit(analyse, data, name, self._ocr_engine)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(analyse, data, name, self._ocr_engine)

    def close(self) -> None:
        """Stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=True)


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

    def close(self) -> None:
        """Nothing to stop."""
