"""The worker pool: budgets per task, cancellation, and workers that die with their parent."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager

import pytest

from bucketscan.scanner.pool import (
    GIB,
    MIB,
    Budget,
    BudgetExceededError,
    TaskFailedError,
    WorkerPool,
)
from processes import alive, wait_until


@contextmanager
def closing_pool(pool: WorkerPool) -> Iterator[WorkerPool]:
    """The pool, closed whatever the test does."""
    try:
        yield pool
    finally:
        pool.close()


def test_a_task_past_its_cpu_budget_costs_its_worker_not_the_pool() -> None:
    with closing_pool(WorkerPool(1, Budget(cpu_seconds=0.5))) as pool:
        with pytest.raises(BudgetExceededError, match="CPU budget"):
            pool.submit(math.factorial, 10**8).result(timeout=120)
        assert pool.submit(abs, -3).result(timeout=60) == 3


def test_a_task_past_its_memory_budget_is_stopped_before_it_grows_much() -> None:
    with closing_pool(WorkerPool(1, Budget(rss_bytes=200 * MIB))) as pool:
        with pytest.raises(BudgetExceededError, match="memory budget"):
            pool.submit(bytearray, 2 * GIB).result(timeout=120)
        assert pool.peak_rss_bytes < 2 * GIB
        assert pool.submit(len, b"after").result(timeout=60) == 5


def test_an_allocation_past_the_address_space_limit_fails_at_once() -> None:
    with (
        closing_pool(WorkerPool(1, Budget(address_space_bytes=3 * GIB))) as pool,
        pytest.raises(BudgetExceededError, match="allocation passed 3 GiB"),
    ):
        pool.submit(bytearray, 8 * GIB).result(timeout=120)


def test_a_task_that_raises_fails_with_the_workers_message() -> None:
    with (
        closing_pool(WorkerPool(1)) as pool,
        pytest.raises(TaskFailedError, match="ValueError: invalid literal"),
    ):
        pool.submit(int, "not a number").result(timeout=60)


def test_cancel_drops_queued_tasks_and_stops_running_ones() -> None:
    with closing_pool(WorkerPool(1)) as pool:
        running = pool.submit(time.sleep, 60)
        queued = pool.submit(time.sleep, 60)
        assert wait_until(running.running, 60)
        pool.cancel(running=False)
        assert queued.cancelled() and running.running()
        pool.cancel(running=True)
        with pytest.raises(CancelledError):
            running.result(timeout=30)


PARENT = textwrap.dedent(
    """
    import time
    from bucketscan.scanner.pool import WorkerPool
    pool = WorkerPool(2)
    tasks = [pool.submit(time.sleep, 600) for _ in range(2)]
    while not all(task.running() for task in tasks):
        time.sleep(0.05)
    print(*(worker.process.pid for worker in pool._workers), flush=True)
    time.sleep(600)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(signum: signal.Signals) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        os.kill(parent.pid, signum)
        parent.wait(timeout=30)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 10)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
