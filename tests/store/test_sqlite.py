"""What only the SQLite store has: a file (refusals of what is not a store, schema from a newer
presstrace). Behaviour shared with PostgreSQL is checked in test_backends.py on both."""

from __future__ import annotations

import sqlite3

import pytest

from presstrace.store import StoreError, open_store
from presstrace.store.migrations import SCHEMA_VERSION


def test_store_from_a_newer_presstrace_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this presstrace"):
        open_store(str(path))


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert "\n" not in str(info.value) and "notes.db" in str(info.value)
    assert path.read_text().startswith("these are my notes")  # never overwritten


def test_directory_given_as_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))
