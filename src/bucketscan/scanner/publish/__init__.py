"""After the report: webhooks told (`--notify`) and the metrics file written (`--metrics-file`).

Neither can fail the scan: a failure is one warning line, and the exit status stays the scan's.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.publish.notify import TIMEOUT_S, NotifyError, host_of, payload, send
from bucketscan.scanner.runner import ScanOutcome

METRICS_EXTRA = "pip install 'bucketscan[metrics]'"


def check_notify_url(url: str) -> None:
    """A webhook must be an http(s) URL with a host (checked before the scan starts)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScanError(f"--notify needs an http:// or https:// URL, got {parts.scheme or 'none'}")


def check_metrics_file(path: Path | None) -> None:
    """The metrics file's directory must be writable, and prometheus-client installed."""
    if path is None:
        return
    if importlib.util.find_spec("prometheus_client") is None:
        raise ScanError(f"--metrics-file needs prometheus-client: {METRICS_EXTRA}")
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise ScanError(f"--metrics-file {path} is a directory: name a file in it")
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise ScanError(f"--metrics-file {path}: directory {folder} is missing or not writable")


def publish(
    outcome: ScanOutcome,
    *,
    notify: Sequence[str],
    metrics_file: Path | None,
    warn: Callable[[str], None],
    timeout: float = TIMEOUT_S,
) -> None:
    """Write the metrics file and tell every webhook; each failure is one `warn` line."""
    if metrics_file is not None:
        from bucketscan.scanner.publish.metrics import write_metrics

        try:
            write_metrics(metrics_file, outcome, time.time())
        except OSError as error:
            warn(f"metrics file {metrics_file} not written: {error.strerror or error}")
    if not notify:
        return
    body = payload(outcome)
    for url in notify:
        try:
            send(url, body, timeout=timeout)
        except NotifyError as error:
            warn(f"notification not sent: {error}")
        except Exception as error:  # noqa: BLE001 - a notification never fails the scan
            warn(f"notification to {host_of(url)} not sent: {type(error).__name__}")
