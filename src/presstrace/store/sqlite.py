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
from presstrace.store.protocol import SearchHit

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
    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
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
    def sql(self, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement with `?` placeholders; rows as dicts. Write SQL that both
        SQLite and PostgreSQL accept (PostgresStore.sql takes the same text)."""
        return [dict(row) for row in self.conn.execute(query, tuple(params)).fetchall()]

    def sql_many(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement for many parameter rows (inside the caller's transaction if any)."""
        self.conn.executemany(query, (tuple(row) for row in rows))

    # -- reading ----------------------------------------------------------------------------
    def search(
        self, query: str, limit: int = 20, language: str | None = None
    ) -> list[SearchHit]:
        """BM25-ranked full-text search (title words weigh 5 times text words); plain words
        are matched as words, not FTS syntax; `language` keeps that language's documents.

        In two steps: rank every match by bm25 alone, then build snippets for the top
        `limit` only. In one statement SQLite computes the snippet of every matching row
        before sorting (a word in 30% of 100k articles: 30,000 snippets for 20 hits);
        bench/serve.py measured p95 71 -> 18 ms at 100k."""
        match = fts_query(query)
        if language:
            top = self.conn.execute(
                "SELECT f.rowid, bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts f "
                "JOIN documents d ON d.rowid = f.rowid "
                "WHERE documents_fts MATCH ? AND d.language = ? ORDER BY score LIMIT ?",
                (match, language, limit),
            ).fetchall()
        else:
            top = self.conn.execute(
                "SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts "
                "WHERE documents_fts MATCH ? ORDER BY score LIMIT ?",
                (match, limit),
            ).fetchall()
        if not top:
            return []
        marks = ",".join("?" * len(top))
        rows = self.conn.execute(
            "SELECT d.rowid AS rowid, d.id, d.title, d.source, d.published_date, "
            "snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snip "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            f"WHERE documents_fts MATCH ? AND documents_fts.rowid IN ({marks})",
            (match, *(row[0] for row in top)),
        ).fetchall()
        by_rowid = {row["rowid"]: row for row in rows}
        return [
            SearchHit(r["id"], r["title"], r["source"], r["published_date"], r["snip"], score)
            for rowid, score in top
            if (r := by_rowid.get(rowid)) is not None
        ]


def fts_query(query: str) -> str:
    """Turn user words into an FTS5 query: each word quoted (so `-`, `:` or `AND` in a word
    is text, not syntax), all words required; a trailing `*` keeps prefix search."""
    terms = []
    for word in query.replace("\x00", " ").split():  # a NUL would end the quoted string
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms) or '""'


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
