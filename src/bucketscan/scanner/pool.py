"""Worker processes with a budget per task: a task past its budget costs its worker, not the scan.

Each worker is a fresh interpreter (`scanner/worker.py`) leading its own process group, so a
terminal's Ctrl-C reaches only the scan, which decides, and killing a worker takes its OCR
children with it. Workers get SIGKILL when the thread that started them dies (PR_SET_PDEATHSIG):
every worker is started by the pool's dispatcher thread, so none outlives the scan, even one
killed with SIGKILL. The dispatcher also polices the budget: it reads each busy worker's CPU time
and resident memory from /proc and replaces a worker that went past either.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from bucketscan.scanner.worker import Reply, Setup

T = TypeVar("T")
MIB = 1024 * 1024
GIB = 1024 * MIB
_TICK_S = 0.1  # how often busy workers are measured; a fast allocation is RLIMIT_AS's to stop
_BOOT = "import sys; from bucketscan.scanner.worker import main; main(sys.argv)"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Budget:
    """What one task may cost its worker; past any bound the worker is killed and replaced."""

    cpu_seconds: float = 90.0  # the worker's CPU time and its finished OCR children's
    wall_seconds: float = 300.0
    rss_bytes: int = 1280 * MIB  # resident memory of the worker while it runs the task
    # RLIMIT_AS of each worker: stops an allocation at once, where the RSS check comes 0.1 s late.
    # A worker with both OCR engines loaded maps about 1.6 GiB (thread arenas, model files).
    address_space_bytes: int = 3 * GIB
    retire_rss_bytes: int = 1024 * MIB  # a worker this large after a task is replaced


class BudgetExceededError(Exception):
    """The task cost its worker more than the budget allows; the worker was replaced."""


class WorkerLostError(Exception):
    """The worker died while running the task (killed from outside, or crashed)."""


class TaskFailedError(Exception):
    """The task raised in its worker; the message is the worker's "Type: message"."""


@dataclass
class _Task:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...]


@dataclass
class _Worker:
    """One worker process, its end of the socket pair, and what it is running."""

    process: subprocess.Popen[bytes]
    connection: Connection
    task: _Task | None = None
    started: float = 0.0
    cpu_at_start: float = 0.0


def usage(pid: int) -> tuple[float, int] | None:
    """CPU seconds (with reaped children) and resident bytes of a process, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / _CLOCK_TICKS, int(fields[21]) * _PAGE


def _gib(size: int) -> str:
    return f"{size / GIB:.2g} GiB"


class WorkerPool:
    """Runs picklable calls in up to `size` worker processes, started when work arrives."""

    def __init__(self, size: int, budget: Budget | None = None) -> None:
        self._size = max(1, size)
        self._budget = budget or Budget()
        self._env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per worker, OCR included
        self._lock = threading.Lock()
        self._queue: deque[_Task] = deque()
        self._closing = False
        self._kill_running = False
        self._woken = False
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._workers: list[_Worker] = []  # touched by the dispatcher thread only
        self.peak_rss_bytes = 0  # the largest resident size a busy worker was seen at
        self._thread = threading.Thread(target=self._dispatch, name="bucketscan-pool", daemon=True)
        self._thread.start()

    def submit(self, function: Callable[..., T], /, *args: Any) -> Future[T]:
        """Queue `function(*args)` for a worker; its future fails with BudgetExceededError,
        WorkerLostError or TaskFailedError when it does not return."""
        future: Future[T] = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the worker pool is closed")
            self._queue.append(_Task(future, function, args))
        self._wake()
        return future

    def cancel(self, *, running: bool) -> None:
        """Drop queued tasks (their futures are cancelled); with running, kill busy workers too."""
        with self._lock:
            queued, self._queue = list(self._queue), deque()
            self._kill_running = self._kill_running or running
        for task in queued:
            task.future.cancel()
        self._wake()

    def close(self) -> None:
        """Cancel queued tasks, let running ones finish, stop every worker."""
        with self._lock:
            self._closing = True
        self.cancel(running=False)
        self._thread.join()
        self._wake_r.close()
        self._wake_w.close()

    def _wake(self) -> None:
        with self._lock:
            if self._woken or self._wake_w.closed:
                return
            self._woken = True
            self._wake_w.send_bytes(b"")

    def _dispatch(self) -> None:
        try:
            while True:
                with self._lock:
                    closing, kill = self._closing, self._kill_running
                    self._kill_running = False
                if kill:
                    for worker in self._busy():
                        self._end(worker, CancelledError())
                self._assign()
                busy = self._busy()
                if closing and not busy:
                    return
                ready = wait([self._wake_r, *(worker.connection for worker in busy)], _TICK_S)
                if self._wake_r in ready:
                    with self._lock:
                        while self._wake_r.poll():
                            self._wake_r.recv_bytes()
                        self._woken = False
                for worker in busy:
                    if worker.connection in ready:
                        self._collect(worker)
                self._police()
        finally:
            with self._lock:
                self._closing = True
                queued, self._queue = list(self._queue), deque()
            for worker in list(self._workers):
                self._end(worker, WorkerLostError("the worker pool stopped"))
            for task in queued:
                if task.future.set_running_or_notify_cancel():
                    task.future.set_exception(WorkerLostError("the worker pool stopped"))

    def _busy(self) -> list[_Worker]:
        return [worker for worker in self._workers if worker.task is not None]

    def _assign(self) -> None:
        """Hand queued tasks to idle workers, starting workers up to the pool's size."""
        while True:
            idle = [worker for worker in self._workers if worker.task is None]
            if not idle and len(self._workers) >= self._size:
                return
            with self._lock:
                if not self._queue:
                    return
                task = self._queue.popleft()
            if not task.future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            try:
                worker = idle[0] if idle else self._spawn()
            except OSError as error:
                task.future.set_exception(WorkerLostError(f"worker could not start: {error}"))
                continue
            usage_now = usage(worker.process.pid)
            worker.task, worker.started = task, time.monotonic()
            worker.cpu_at_start = usage_now[0] if usage_now else 0.0
            try:
                worker.connection.send((task.function, task.args))
            except (OSError, EOFError):
                self._end(worker, WorkerLostError("the worker went away before the task came"))

    def _spawn(self) -> _Worker:
        ours, theirs = multiprocessing.Pipe()
        handle = theirs.fileno()
        try:
            process = subprocess.Popen(
                [sys.executable, "-P", "-c", _BOOT, str(handle), str(os.getpid())],
                pass_fds=(handle,),
                process_group=0,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # a library's print must not land in a report on stdout
                env=self._env,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        worker = _Worker(process, ours)
        self._workers.append(worker)
        ours.send(Setup(tuple(sys.path), self._budget.address_space_bytes))
        return worker

    def _collect(self, worker: _Worker) -> None:
        """Read a busy worker's reply (or learn that it died) and settle the task's future."""
        task = worker.task
        assert task is not None
        try:
            reply, payload = worker.connection.recv()
        except (EOFError, OSError):
            code = worker.process.wait()
            self._end(worker, WorkerLostError(f"analysis worker died (exit status {code})"))
            return
        worker.task = None
        if reply is Reply.OK:
            task.future.set_result(payload)
        elif reply is Reply.ERROR:
            task.future.set_exception(TaskFailedError(payload))
        else:
            limit = _gib(self._budget.address_space_bytes)
            reason = f"over the memory budget per object (an allocation passed {limit})"
            self._end(worker, None)
            task.future.set_exception(BudgetExceededError(reason))
            return
        measured = usage(worker.process.pid)
        if measured is not None and measured[1] > self._budget.retire_rss_bytes:
            self._end(worker, None)  # idle: nothing is lost, the next task gets a fresh worker

    def _police(self) -> None:
        """Replace each busy worker that went past its CPU, memory or time budget."""
        budget = self._budget
        for worker in self._busy():
            reason = None
            measured = usage(worker.process.pid)
            if measured is not None:
                cpu, rss = measured
                self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
                if rss > budget.rss_bytes:
                    reason = f"over the memory budget per object ({_gib(budget.rss_bytes)})"
                elif cpu - worker.cpu_at_start > budget.cpu_seconds:
                    reason = f"over the CPU budget per object ({budget.cpu_seconds:g} s)"
            if reason is None and time.monotonic() - worker.started > budget.wall_seconds:
                reason = f"over the time budget per object ({budget.wall_seconds:g} s)"
            if reason is not None:
                self._end(worker, BudgetExceededError(f"analysis stopped: {reason}"))

    def _end(self, worker: _Worker, error: BaseException | None) -> None:
        """Kill a worker and its process group; fail its task, if any, with `error`."""
        with contextlib.suppress(ProcessLookupError, PermissionError):  # gone, group and all
            os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
        worker.connection.close()
        self._workers.remove(worker)
        task, worker.task = worker.task, None
        if task is not None and error is not None and not task.future.done():
            task.future.set_exception(error)
