"""The scan's event source for `--executor`: None (the local engine) or a DaskSweep on a cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bucketscan.metering import Meter
from bucketscan.providers.base import Provider
from bucketscan.providers.sweep import SweepProvider
from bucketscan.scanner.distributed import ExecutorKind
from bucketscan.scanner.failures import ScanError
from bucketscan.scanner.interrupt import Stop
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import EventSource
from bucketscan.scanner.stats import ScanStats


@dataclass(frozen=True)
class ExecutorChoice:
    """--executor, --scheduler, --dask-workers and --account-concurrency."""

    kind: ExecutorKind = ExecutorKind.LOCAL
    scheduler: str | None = None
    workers: int = 2
    account_concurrency: int = 4


def executor_choice(kwargs: dict[str, Any]) -> ExecutorChoice:
    """The choice the shared click options make."""
    return ExecutorChoice(
        ExecutorKind(kwargs["executor"]),
        kwargs["scheduler"],
        kwargs["dask_workers"],
        kwargs["account_concurrency"],
    )


def check_choice(choice: ExecutorChoice, options: ScanOptions, *, state: bool = False) -> None:
    """What the dask executor cannot do yet is refused before anything starts."""
    if choice.kind is ExecutorKind.LOCAL:
        if choice.scheduler is not None:
            raise ScanError("--scheduler needs --executor dask")
        return
    if state:
        raise ScanError("--executor dask does not keep a --state file yet: use --executor local")
    if options.verify_anonymous and options.key_splits:
        raise ScanError("--executor dask cannot --verify-anonymous buckets cut by --key-split")


@contextmanager
def event_source(
    choice: ExecutorChoice,
    provider: Provider,
    options: ScanOptions,
    *,
    meter: Meter,
    stats: ScanStats,
    stop: Stop,
) -> Iterator[EventSource | None]:
    """None for the local engine; for dask, a DaskSweep over the provider's targets."""
    if choice.kind is ExecutorKind.LOCAL:
        yield None
        return
    if not isinstance(provider, SweepProvider):
        raise ScanError(f"--executor dask cannot scan {provider.name} yet: use --executor local")
    from bucketscan.scanner.distributed.cluster import dask_client
    from bucketscan.scanner.distributed.coordinator import DaskSweep

    with dask_client(choice.scheduler, choice.workers) as client:
        yield DaskSweep(
            client,
            provider.targets,
            options,
            meter=meter,
            stats=stats,
            stop=stop,
            account_concurrency=choice.account_concurrency,
        )
