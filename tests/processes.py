"""What a test sees of the processes a scan started: by session, by PID, with their memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

BUCKETSCAN = str(Path(sys.executable).with_name("bucketscan"))


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def in_session(sid: int) -> list[int]:
    """Live processes of a session: a scan started with start_new_session and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) == sid and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile
    return found


def workers_of(sid: int) -> list[int]:
    """The analysis workers among a session's processes."""
    found = []
    for pid in in_session(sid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"bucketscan.scanner.worker" in command:
            found.append(pid)
    return found


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def start_scan(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`bucketscan ARGS` in a session of its own, so everything it starts can be found."""
    return subprocess.Popen(
        [BUCKETSCAN, *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


class PeakMemory:
    """Samples the resident high-water mark (VmHWM) of every process of a session."""

    def __init__(self, sid: int) -> None:
        self.peaks: dict[int, int] = {}
        self.workers: set[int] = set()
        self._sid = sid
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            self.workers.update(workers_of(self._sid))
            for pid in in_session(self._sid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        size = int(line.split()[1]) * 1024
                        self.peaks[pid] = max(self.peaks.get(pid, 0), size)

    def stop(self) -> None:
        """Stop sampling."""
        self._done.set()
        self._thread.join()
