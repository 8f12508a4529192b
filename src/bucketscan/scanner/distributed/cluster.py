"""A Dask client: on the named scheduler, or on a LocalCluster of worker processes started here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from bucketscan.scanner.failures import ScanError

CONNECT_TIMEOUT_S = 10


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of `scheduler`, or of a LocalCluster of `workers` processes of one thread each."""
    try:
        import distributed
    except ImportError as error:
        raise ScanError(
            "--executor dask needs the distributed extra: bucketscan[distributed]"
        ) from error
    dask = cast(Any, distributed)  # distributed ships no type hints
    if scheduler is not None:
        try:
            client = dask.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as error:
            raise ScanError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
        with client:
            yield client
        return
    with (
        dask.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        dask.Client(cluster) as client,
    ):
        yield client
