"""Where documents live: SQLite by default (one file); the URL scheme picks the backend.

Callers hold a `Store` (protocol.py), never a backend class: `open_store` picks the class,
`store.dialect` says the little SQL that differs.
"""

from __future__ import annotations

import os

from presstrace import settings
from presstrace.errors import StoreError
from presstrace.settings import DEFAULT_DB
from presstrace.store.protocol import Dialect, SearchHit, Store
from presstrace.store.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_DB",
    "Dialect",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoreError",
    "open_store",
    "resolve_db",
]


def resolve_db(option: str | None) -> str:
    """--db wins, then $PRESSTRACE_DB, then presstrace.db in the working directory."""
    return option or settings.current().db


def open_store(location: str) -> Store:
    """A store for a file path (or sqlite:///path), or a postgresql://user@host/db URL."""
    if location.startswith(("postgres://", "postgresql://")):
        # imported here: SQLite users never load the PostgreSQL driver
        from presstrace.store.postgres import PostgresStore

        return PostgresStore(location)
    if location.startswith("sqlite:///"):
        location = location.removeprefix("sqlite:///")
    if os.path.isdir(location):
        raise StoreError(f"{location}: is a directory, not a store file")
    return SQLiteStore(location)
