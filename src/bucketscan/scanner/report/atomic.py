"""Report files written whole or not at all: a temporary file beside the target, renamed onto it.

A reader never sees half a report, and a run that fails or is killed leaves the earlier report
(`-o keep.json`) as it was. The temporary file lives in the target's directory because a rename is
atomic only within one file system.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

_DEFAULT_UMASK = 0o022


def _umask() -> int:
    """The process umask, read without changing it (Linux); the usual default elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _DEFAULT_UMASK


def _mode_for(path: Path) -> int:
    """The mode the report gets: the old report's, else what open() would have given."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _open_temporary(directory: Path) -> tuple[int, Path | None]:
    """A file in `directory` with no name yet (Linux O_TMPFILE: nothing is left behind if the
    process is killed), else a hidden named one; returns its descriptor and name."""
    if hasattr(os, "O_TMPFILE"):
        with contextlib.suppress(OSError):  # a file system without unnamed files: named below
            return os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o600), None
    fd, name = tempfile.mkstemp(prefix=".bucketscan-", suffix=".partial", dir=directory)
    return fd, Path(name)


def _link(fd: int, directory: Path) -> Path:
    """A hidden name in `directory` for the unnamed file open as `fd`."""
    name = f".bucketscan-{secrets.token_hex(8)}.partial"
    directory_fd = os.open(directory, os.O_RDONLY)
    try:  # a directory descriptor makes os.link use linkat(), which can follow /proc/self/fd
        os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=directory_fd, follow_symlinks=True)
    finally:
        os.close(directory_fd)
    return directory / name


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream that becomes `path` when the block ends without an exception."""
    fd, named = _open_temporary(path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            yield stream
            stream.flush()
            os.fchmod(stream.fileno(), _mode_for(path))
            os.fsync(stream.fileno())
            if named is None:  # give the finished file a name, then rename it over the target
                named = _link(stream.fileno(), path.parent)
        named.replace(path)
    except BaseException:
        if named is not None:
            with contextlib.suppress(OSError):
                named.unlink()
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every system opens directories)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
