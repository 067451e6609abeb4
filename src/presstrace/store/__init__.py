"""Where documents live: SQLite by default (one file); the URL scheme picks the backend."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

from presstrace import settings
from presstrace.errors import StoreError
from presstrace.settings import DEFAULT_DB
from presstrace.store.sqlite import SearchHit, SQLiteStore

if TYPE_CHECKING:
    from presstrace.store.postgres import PostgresStore

# What the pipeline and the interfaces write to and read from: either backend, one behaviour
# (tests/store/test_backends.py runs the same checks on both).
Store: TypeAlias = "SQLiteStore | PostgresStore"

__all__ = [
    "DEFAULT_DB",
    "SQLiteStore",
    "Store",
    "SearchHit",
    "StoreError",
    "open_store",
    "resolve_db",
]


def resolve_db(option: str | None) -> str:
    """--db wins, then $PRESSTRACE_DB, then presstrace.db in the working directory."""
    return option or settings.current().db


def open_store(location: str) -> SQLiteStore | PostgresStore:
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
