"""The default store: one SQLite file with WAL and an FTS5 index (schema: migrations.py).

Every batch of documents is written in one transaction, so an interrupted ingest leaves the
store as it was after the last full batch, and re-running the same ingest skips what is
already there (documents are keyed by the hash of their input bytes).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock

from presstrace.errors import StoreError
from presstrace.model import Document, RawDocument
from presstrace.store.base import StoreBase
from presstrace.store.columns import COLUMN_NAMES, document_columns
from presstrace.store.dialect import SQLITE, Dialect
from presstrace.store.protocol import SqlValue

_INSERT = (
    f"INSERT OR IGNORE INTO documents ({', '.join(COLUMN_NAMES)}, ingested_at) "
    f"VALUES ({', '.join('?' * (len(COLUMN_NAMES) + 1))})"
)

# SQLite reads the file through a memory map of up to this many bytes instead of a read()
# call per page: the pages are the OS page cache itself, shared by every connection (the
# server's pool of 8 costs no more memory than one), and a search that walks 60,000 postings
# and 500 article records makes no system calls. bench/serve.py's Python-API search at 100k
# documents (60 queries, load average 11): CPU p50 / p95 28 / 80-105 ms without, 19-22 /
# 45-60 ms with. 1 GiB holds the 100k-document store whole; past it reads fall back to read().
MMAP_BYTES = 1 << 30


class SQLiteStore(StoreBase):
    """Documents, their raw inputs and a full-text index in one SQLite file."""

    dialect: Dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self._enable_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open store ({exc})") from None

    def _enable_wal(self) -> None:
        """Switch to WAL. The switch needs the file to itself and SQLite does not wait for
        that (no busy handler), so when several processes open a new store at once, retry."""
        for _ in range(300):
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.1)
        self.conn.execute("PRAGMA journal_mode=WAL")

    # -- schema -----------------------------------------------------------------------------
    def _rows(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        return [tuple(row) for row in self.conn.execute(query, tuple(params)).fetchall()]

    def _script(self, script: str) -> None:
        for statement in _split_sql(script):
            self.conn.execute(statement)

    def _schema_transaction(self) -> _Transaction:
        return self.transaction()  # BEGIN IMMEDIATE: the write lock excludes other processes

    def _core_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _set_core_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")

    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def close(self) -> None:
        self.conn.close()

    def read_only(self) -> None:
        """Reopen the file `mode=ro` with `query_only`. The thread check is lifted: a server
        checks the store out to one request at a time, whose thread may change."""
        uri = "file:" + quote(str(Path(self.path).resolve())) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30,
                               check_same_thread=False)  # fmt: skip
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only=ON")
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        self.conn.close()
        self.conn = conn

    # -- writing ----------------------------------------------------------------------------
    def add_batch(self, pairs: list[tuple[RawDocument, Document]]) -> int:
        """Store documents with their raw input, all or nothing. Returns how many were new."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added = 0
        with self.transaction():
            for raw, doc in pairs:
                cursor = self.conn.execute(_INSERT, (*document_columns(doc), now))
                if cursor.rowcount:
                    added += 1
                    self.conn.execute(
                        "INSERT OR IGNORE INTO raw_inputs (id, content) VALUES (?, ?)",
                        (raw.id, zlib.compress(raw.content.encode("utf-8"), 1)),
                    )
                    if self.queues:  # one row per open step queue (store/todo.py)
                        self.conn.execute(
                            "INSERT OR IGNORE INTO step_todo (step, doc_id) "
                            "SELECT step, ? FROM step_queues",
                            (doc.id,),
                        )
        return added

    @contextlib.contextmanager
    def corpus_lock(self) -> Iterator[None]:
        """Held while corpus steps run, across processes: an OS lock on a file beside the
        store (`<store>.lock`; `filelock`, so it works on Windows too), released when the
        process ends even if it is killed. Document writes do not take it, so ingests still
        run side by side. A new FileLock each time: two stores in one process exclude each
        other as two processes do."""
        with FileLock(self.path + ".lock", thread_local=False):
            yield

    # -- any stage's own tables ---------------------------------------------------------------
    def sql(self, query: str, params: Sequence[SqlValue] = ()) -> list[dict[str, Any]]:
        """Run one statement with `?` placeholders; rows as dicts. Write SQL that both
        SQLite and PostgreSQL accept (PostgresStore.sql takes the same text)."""
        return [dict(row) for row in self.conn.execute(query, tuple(params)).fetchall()]

    def sql_tuples(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        """`sql` with rows as plain tuples in the SELECT's column order, for statements of
        hundreds of rows: a dict per row was 0.7 of the 2 ms of reading a search's 500
        facet rows (bench/serve.py's 100k store)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(query, tuple(params)).fetchall()

    def sql_many(self, query: str, rows: Iterable[Sequence[SqlValue]]) -> None:
        """One statement for many parameter rows (inside the caller's transaction if any)."""
        self.conn.executemany(query, (tuple(row) for row in rows))

    # reading: StoreBase, through `sql`; full-text search: store/queries/search.py (the one
    # search, over the FTS5 table the core migration makes)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which hold `;`) whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
