"""Mistakes and failures turned into one line naming what to fix, checked before a scan starts."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from bucketscan.policies.keys import visible

MAX_MESSAGE = 300


class ScanError(Exception):
    """A scan that cannot run, or could not finish; the message is one line naming the fix."""


def one_line(message: str) -> str:
    """A message on one line: whitespace runs collapsed, controls shown, long text cut."""
    flat = visible(" ".join(message.split()))
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"


def check_endpoint_url(url: str | None, source: str, *, scheme_optional: bool = False) -> None:
    """An endpoint must be http(s)://host[:port][/path]; `source` names where it came from."""
    if not url:
        return
    if "://" not in url:
        if scheme_optional:
            return
        raise ScanError(f"{source} {url} has no scheme: write http://{url} or https://{url}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ScanError(f"{source} {url} must start with http:// or https://")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        raise ScanError(f"{source} {url} has a bad port ({error})") from error
    if not parts.hostname:
        raise ScanError(f"{source} {url} has no host: write http://HOST:PORT")


def check_output(path: Path | None) -> None:
    """The report's directory must exist and be writable, and the report must not be a folder."""
    if path is None:
        return
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise ScanError(f"--output {path} is a directory: name a file in it")
    if not folder.is_dir():
        raise ScanError(f"--output {path}: directory {folder} does not exist: create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScanError(f"--output {path}: directory {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise ScanError(f"--output {path} exists and is not writable")


def check_output_dir(directory: Path | None) -> None:
    """The reports' directory must exist and be writable."""
    if directory is None:
        return
    if not directory.is_dir():
        raise ScanError(f"--output-dir {directory} is not a directory: create it first")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ScanError(f"--output-dir {directory} is not writable")


def _named(error: BaseException, *names: str) -> bool:
    """Whether the error is (a subclass of) an exception class of one of these names."""
    return any(kind.__name__ in names for kind in type(error).__mro__)


def failure_message(error: BaseException, endpoint: str | None = None) -> str:
    """What to fix, in one line, for an error that escaped a provider or a writer."""
    where = f" at {endpoint}" if endpoint else ""
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if _named(error, "PartialCredentialsError"):
        return one_line(
            f"incomplete AWS credentials ({first}): set both AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or use --profile"
        )
    if _named(error, "ResponseParserError"):
        return one_line(
            f"the endpoint{where} does not answer like S3 (its response could not be parsed): "
            "check --endpoint-url"
        )
    if _named(error, "NoCredentialsError"):
        return one_line(f"no credentials found ({first})")
    if isinstance(error, OSError):
        target = f" {error.filename}" if error.filename else ""
        return one_line(f"cannot write{target}: {error.strerror or first}")
    return one_line(
        f"unexpected {type(error).__name__}: {first} (set BUCKETSCAN_DEBUG=1 for the traceback)"
    )
