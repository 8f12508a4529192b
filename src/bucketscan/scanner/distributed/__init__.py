"""Scanning on a Dask cluster: work units and account specs travel, events come back.

Nothing here imports dask at import time: the base install runs without the distributed extra.
"""

from __future__ import annotations

from enum import StrEnum


class ExecutorKind(StrEnum):
    """Where the work units of a scan run."""

    LOCAL = "local"  # threads of this process, content analysis in worker processes
    DASK = "dask"  # tasks on a Dask cluster (a LocalCluster when no scheduler is named)
