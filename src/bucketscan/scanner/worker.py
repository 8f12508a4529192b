"""An analysis worker process: runs the tasks its WorkerPool sends, and dies with its parent.

Started by `scanner/pool.py` as a fresh interpreter that calls `main([_, FD, PARENT_PID])`; FD is
its end of a socket pair. It never writes object contents anywhere but back through that socket.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any

_PR_SET_PDEATHSIG = 1
_PARENT_POLL_S = 0.5


class Reply(StrEnum):
    """How a task ended, as the worker tells its pool."""

    OK = "ok"
    ERROR = "error"  # the task raised: the payload is "Type: message"
    MEMORY = "memory"  # the address-space limit stopped an allocation: the worker then exits


@dataclass(frozen=True)
class Setup:
    """What the pool tells a new worker before its first task."""

    sys_path: tuple[str, ...]
    address_space_bytes: int


def die_with_parent(parent: int) -> None:
    """Get SIGKILL when the parent dies (Linux), else watch the parent from a thread."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_S)
    os.killpg(0, signal.SIGKILL)  # the worker leads its own group: its OCR children go too


def _limit_address_space(limit: int) -> None:
    """A runaway allocation fails with MemoryError instead of swelling the machine."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _run(task: tuple[Any, tuple[Any, ...]]) -> tuple[Reply, Any]:
    function, args = task
    try:
        return Reply.OK, function(*args)
    except MemoryError:
        return Reply.MEMORY, None
    except Exception as error:  # noqa: BLE001 - every failure goes back to the pool as a reply
        return Reply.ERROR, f"{type(error).__name__}: {str(error)[:200]}"


def serve(connection: Connection) -> None:
    """Answer tasks until the pool sends None or goes away."""
    setup: Setup = connection.recv()
    sys.path[:] = setup.sys_path
    _limit_address_space(setup.address_space_bytes)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        reply, payload = _run(task)
        try:
            connection.send((reply, payload))
        except MemoryError:
            reply = Reply.MEMORY
            connection.send((reply, None))
        except Exception as error:  # noqa: BLE001 - an unpicklable result is still an answer
            connection.send((Reply.ERROR, f"result could not be sent: {type(error).__name__}"))
        if reply is Reply.MEMORY:
            return  # after MemoryError the heap may be fragmented: a fresh worker takes over


def main(argv: list[str]) -> None:
    """Entry point of the worker process."""
    handle, parent = int(argv[1]), int(argv[2])
    die_with_parent(parent)
    # The parent decides when work stops: Ctrl-C and SIGTERM reach it, and it stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(handle))
