"""One store connection per server thread: SQLite connections may not cross threads, and
a PostgreSQL connection serves one statement at a time."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from presstrace.store import open_store


class StorePool:
    def __init__(self, location: str) -> None:
        self.location = location
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Any] = []

    def get(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.location)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            with contextlib.suppress(Exception):  # a connection owned by another thread
                store.close()
