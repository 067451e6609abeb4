"""A bounded pool of read-only store connections, one checked out per request.

FastAPI runs a sync dependency and the endpoint using it in different threads of its pool,
so a connection opened "for this thread" ends up used in another one (SQLite refuses that:
every concurrent request failed with HTTP 500). A request therefore checks a connection out
for its whole life and gives it back at the end: only one thread uses it at a time, which is
what SQLite needs (its thread check is then lifted) and what a PostgreSQL connection needs
(one statement at a time). A request waits for a free connection in the event loop, never in
one of the worker threads that the requests holding connections need to finish. Serving
never writes, so connections are read-only: an SQLite file opened `mode=ro` (plus
`query_only`), a PostgreSQL session in read-only transactions.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Iterator

import anyio
import anyio.to_thread

from presstrace.store import Store, StoreError, open_store

# Connections held open at most: 4 per core of the 2-core machine it was measured on (SQLite
# readers in WAL mode never block each other, but each keeps its own page cache, and a
# request holds one only while it runs). Not tuned further: bench/serve.py --clients 1 5 20
# gives 0 errors and 0 5xx with it.
POOL_SIZE = 8
# Seconds a request waits for a free connection before it is answered 503 (overload, not a
# crash); far above the slowest page (bench/serve.py p95 at 20 clients).
WAIT_SECONDS = 60.0


class StorePool:
    def __init__(self, location: str, size: int | None = None) -> None:
        self.location = location
        self.size = size or POOL_SIZE
        self._slots = threading.BoundedSemaphore(self.size)
        self._waiting: anyio.Semaphore | None = None  # made in the server's event loop
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._opened: list[Store] = []
        self._closed = False

    @contextlib.asynccontextmanager
    async def checkout(self) -> AsyncIterator[Store]:
        """connection() for a request: waits for a free connection in the event loop, not in
        a worker thread. A sync dependency would wait holding one of the thread pool's 40
        tokens, and the requests holding the connections need tokens to finish: past 40
        waiting requests, the server would deadlock until WAIT_SECONDS ran out."""
        if self._waiting is None:
            self._waiting = anyio.Semaphore(self.size)
        try:
            with anyio.fail_after(WAIT_SECONDS):
                await self._waiting.acquire()
        except TimeoutError:
            raise StoreError("server busy: every connection is in use") from None
        try:
            store = self._take_idle()
            if store is None:
                store = await anyio.to_thread.run_sync(self._open)
            with self._lent(store):
                yield store
        finally:
            self._waiting.release()

    @contextlib.contextmanager
    def connection(self) -> Iterator[Store]:
        """A read-only store for code outside the server's event loop (scripts, tests); given
        back (or closed, if it broke) after."""
        if not self._slots.acquire(timeout=WAIT_SECONDS):
            raise StoreError("server busy: every connection is in use")
        try:
            store = self._take_idle()
            if store is None:
                store = self._open()
            with self._lent(store):
                yield store
        finally:
            self._slots.release()

    @contextlib.contextmanager
    def _lent(self, store: Store) -> Iterator[Store]:
        """`store` for the caller's block, then back to the idle ones, or closed when the
        block failed with a store error: its state is then unknown (an HTTP error such as a
        404 is no store error)."""
        try:
            yield store
        except BaseException as exc:
            if hasattr(exc, "status_code"):
                self._idle.put(store)
            else:
                self._discard(store)
            raise
        self._idle.put(store)

    def _take_idle(self) -> Store | None:
        """An idle connection, or None when every open one is in use."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return None

    def _open(self) -> Store:
        store = open_store(self.location)  # brings the schema up to date once, as a writer
        try:
            store.read_only()
        except Exception as exc:
            with contextlib.suppress(Exception):
                store.close()
            raise StoreError(f"cannot open a read-only connection ({exc})") from None
        with self._lock:
            self._opened.append(store)
        return store

    def _discard(self, store: Store) -> None:
        with self._lock:
            if store in self._opened:
                self._opened.remove(store)
        with contextlib.suppress(Exception):
            store.close()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            with contextlib.suppress(Exception):
                store.close()

