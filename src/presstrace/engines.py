"""Where per-document work runs: in this process, in a local process pool, or on Dask.

The stages are pure functions of one document, so an engine only has to map a function
over a batch and hand the results back in order; the store stays in the calling process.
Dask is the engine for big batches and clusters (`--dask` starts a local cluster,
`--dask tcp://scheduler:8786` joins an existing one): presstrace has no scheduler of its own.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

from presstrace.errors import EngineError

__all__ = ["Engine", "EngineError", "make_engine"]

LOCAL_DASK = "local"


class Engine(Protocol):
    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterable[Any]: ...

    def close(self) -> None: ...


class InProcess:
    """One process, one core: no start-up cost, the right choice for small inputs."""

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterable[Any]:
        return map(fn, items)

    def close(self) -> None:
        pass


class ProcessPool:
    """Worker processes on this machine (`--jobs N`)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, initializer=_ignore_interrupts)

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterable[Any]:
        chunk = max(1, len(items) // (4 * self.workers))
        return self.pool.map(fn, items, chunksize=chunk)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskEngine:
    """A Dask cluster: a LocalCluster of `workers` processes, or the scheduler at `address`."""

    def __init__(self, address: str, workers: int) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise EngineError("Dask is not installed: pip install 'presstrace[dask]'") from None
        self.cluster = None
        try:
            if address == LOCAL_DASK:
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            self.close()
            raise EngineError(f"{address}: cannot reach the Dask scheduler ({exc})") from None

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterable[Any]:
        futures = self.client.map(fn, items, pure=False)
        return self.client.gather(futures)

    def close(self) -> None:
        if getattr(self, "client", None) is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(jobs: int = 1, dask: str | None = None) -> Engine:
    """`dask` is None (no Dask), "local" (a LocalCluster of `jobs` workers) or an address."""
    if dask:
        return DaskEngine(dask, max(1, jobs))
    if jobs > 1:
        return ProcessPool(jobs)
    return InProcess()


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which rolls back the open batch and says
    how to resume; otherwise every worker would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
