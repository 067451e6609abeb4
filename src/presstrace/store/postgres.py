"""The shared store: PostgreSQL, for a corpus that several people or processes write at once.

Same interface and behaviour as SQLiteStore (one transaction per batch, ids are input
hashes so a re-ingest adds nothing, a full-text index that finds the same words), with what
a server adds: any number of concurrent writers. Two ingests of overlapping inputs store
each document once: inserts are `ON CONFLICT DO NOTHING`, and every batch takes its row
locks in id order, so two writers wait for each other instead of deadlocking. Every query
binds its values as parameters; no user text is ever formatted into SQL.
"""

from __future__ import annotations

import contextlib
import functools
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import RowFactory, dict_row, tuple_row

from presstrace.errors import StoreError
from presstrace.model import Document, RawDocument
from presstrace.store.base import StoreBase
from presstrace.store.columns import COLUMN_NAMES, document_columns
from presstrace.store.dialect import POSTGRESQL, Dialect
from presstrace.store.protocol import JsonValue, SqlValue

# pg_advisory_xact_lock key serialising schema upgrades between processes ("pres").
_MIGRATION_LOCK = 0x70726573
_CORPUS_LOCK = 0x70726574
# A batch that still meets a deadlock or serialization failure (a foreign writer) is retried.
_RETRIES = 3
_COLUMNS = ", ".join(COLUMN_NAMES)
# Each column's array type for the bulk insert's unnest (text but for the date confidence).
_ARRAYS = ", ".join(
    "%s::float8[]" if name == "date_confidence" else "%s::text[]" for name in COLUMN_NAMES
)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_line_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A lost connection or a refused statement becomes a StoreError naming the store, so
    the CLI prints one line, never a driver traceback."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except psycopg.Error as exc:
            raise StoreError(f"{args[0].path}: {reason(exc)}") from exc  # type: ignore[attr-defined]

    return wrapper


class PostgresStore(StoreBase):
    """Documents, their raw inputs and a full-text index in one PostgreSQL database."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, url: str) -> None:
        self.path = redact(url)
        try:
            given = conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: not a valid PostgreSQL URL ({reason(exc)})") from None
        defaults = {"connect_timeout": 10, "application_name": "presstrace"}
        extra = {k: v for k, v in defaults.items() if k not in given}
        try:
            self.conn: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True, **extra)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect ({reason(exc)})") from None
        try:
            self.conn.execute("SET client_min_messages TO warning")  # no NOTICE chatter
            self._migrate()
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: cannot open store ({reason(exc)})") from None
        except BaseException:
            self.conn.close()
            raise

    # -- schema -----------------------------------------------------------------------------
    def _rows(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        cur = self.conn.execute(_placeholders(query), tuple(params))
        return cur.fetchall() if cur.description else []

    def _script(self, script: str) -> None:
        self.conn.execute(script)

    @contextlib.contextmanager
    def _schema_transaction(self) -> Iterator[None]:
        """A transaction holding the migration advisory lock until it ends. It makes the
        version table first: besides being needed, that DDL takes a catalog lock, which makes
        this session see what another one committed while it waited (the name lookup cache
        is refreshed on a lock, not on an advisory lock)."""
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            yield

    @_one_line_errors
    def _core_version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('schema_version')").fetchone()
        if exists is None or exists[0] is None:
            return 0
        row = self.conn.execute("SELECT coalesce(max(version), 0) FROM schema_version")
        return int(row.fetchone()[0])  # type: ignore[index]

    def _set_core_version(self, version: int) -> None:
        """One row per step applied, with its time."""
        self.conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def transaction(self) -> psycopg.Transaction:
        return self.conn.transaction()

    def close(self) -> None:
        self.conn.close()

    @_one_line_errors
    def read_only(self) -> None:
        self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    # -- writing ----------------------------------------------------------------------------
    @_one_line_errors
    def add_batch(self, pairs: list[tuple[RawDocument, Document]]) -> int:
        """Store documents with their raw input, all or nothing. Returns how many were new."""
        if not pairs:
            return 0
        rows = [_columns(doc) for _, doc in pairs]  # serialise first: a bad record writes nothing
        raws: dict[str, tuple[str, bytes]] = {}
        for raw, doc in pairs:
            if doc.id not in raws:
                raws[doc.id] = (raw.id, zlib.compress(raw.content.encode("utf-8"), 1))
        for attempt in range(_RETRIES):
            try:
                with self.conn.transaction():
                    return self._insert(rows, raws)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _insert(self, rows: list[tuple], raws: dict[str, tuple[str, bytes]]) -> int:
        # Ingest order is the order of the batch, taken from the sequence up front; rows are
        # then inserted in id order, the lock order every writer shares.
        seqs = [
            r[0]
            for r in self.conn.execute(
                "SELECT nextval(pg_get_serial_sequence('documents', 'seq')) "
                "FROM generate_series(1, %s) ORDER BY 1",
                (len(rows),),
            )
        ]
        ordered = sorted(zip(seqs, rows, strict=True), key=lambda pair: pair[1][0])
        arrays = [list(col) for col in zip(*((seq, *row) for seq, row in ordered), strict=True)]
        new_ids = [
            r[0]
            for r in self.conn.execute(
                f"INSERT INTO documents (seq, {_COLUMNS}) "
                f"SELECT seq, {_COLUMNS} FROM unnest(%s::bigint[], {_ARRAYS}) WITH ORDINALITY "
                f"AS u(seq, {_COLUMNS}, ord) ORDER BY ord "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                arrays,
            )
        ]
        if new_ids:
            new_ids.sort()
            self.conn.execute(
                "INSERT INTO raw_inputs (id, content) "
                "SELECT * FROM unnest(%s::text[], %s::bytea[]) ON CONFLICT (id) DO NOTHING",
                ([raws[i][0] for i in new_ids], [raws[i][1] for i in new_ids]),
            )
            if self.queues:  # one statement: see store/todo.py on opening a queue
                self.conn.execute(
                    "INSERT INTO step_todo (step, doc_id) SELECT q.step, u.id "
                    "FROM step_queues q CROSS JOIN unnest(%s::text[]) AS u(id) "
                    "ON CONFLICT DO NOTHING",
                    (new_ids,),
                )
        return len(new_ids)

    # update, patch: StoreBase, through `sql` (one-line errors) and `_columns`
    def _columns(self, doc: Document) -> tuple:
        return _columns(doc)

    @_one_line_errors
    def update(self, docs: Iterable[Document]) -> None:
        super().update(docs)

    @_one_line_errors
    def patch(self, changes: Iterable[tuple[str, dict[str, JsonValue]]]) -> int:
        return super().patch(changes)

    @contextlib.contextmanager
    def corpus_lock(self) -> Iterator[None]:
        """Held while corpus steps run, across processes and machines: a session-level
        advisory lock, released by the server if this connection dies."""
        self.conn.execute("SELECT pg_advisory_lock(%s)", (_CORPUS_LOCK,))
        try:
            yield
        finally:
            if not self.conn.closed:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (_CORPUS_LOCK,))

    # -- any stage's own tables ---------------------------------------------------------------
    @_one_line_errors
    def sql(self, query: str, params: Sequence[SqlValue] = ()) -> list[dict[str, Any]]:
        """Run one statement written for SQLite-and-PostgreSQL with `?` placeholders; rows
        as dicts."""
        return self._fetch(query, params, dict_row)

    @_one_line_errors
    def sql_tuples(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        """`sql` with rows as tuples in the SELECT's column order (SQLiteStore.sql_tuples)."""
        return self._fetch(query, params, tuple_row)

    def _fetch(self, query: str, params: Sequence[SqlValue], rows: RowFactory) -> list:
        """One statement's rows, shaped by `rows` ([] for a statement that returns none)."""
        with self.conn.cursor(row_factory=rows) as cur:
            cur.execute(_placeholders(query), tuple(params))
            return cur.fetchall() if cur.description else []

    @_one_line_errors
    def sql_many(self, query: str, rows: Iterable[Sequence[SqlValue]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_placeholders(query), [tuple(row) for row in rows])

    # reading: StoreBase, through `sql`; full-text search: store/queries/search.py (the one
    # search, over the generated tsvector the core migration makes)


def redact(url: str) -> str:
    """The URL without its password (in the user part or as a `password=` parameter), for
    messages, `path` and stats."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, hosts = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{hosts}"
    params = [p for p in parts.query.split("&") if p and "password" not in p.split("=")[0].lower()]
    query = "?" + "&".join(params) if params else ""
    return f"{parts.scheme}://{netloc}{parts.path}{query}"  # urlunsplit drops an empty host


def reason(exc: BaseException) -> str:
    """One line from a driver error: the server's own message, or libpq's without the
    'connection to server at …' preamble (the URL is already in the message)."""
    diag = getattr(exc, "diag", None)
    text = (diag.message_primary if diag is not None else None) or str(exc)
    text = text.removeprefix("connection failed: ").removeprefix("connection is bad: ")
    text = re.sub(r'connection to server (at|on socket) "[^"]*"( \([^)]*\))?(, port \d+)? failed: ',
                  "", text)  # fmt: skip
    lines: list[str] = []
    for line in text.replace("FATAL:  ", "").splitlines():
        line = " ".join(line.split())
        if line and line not in lines:
            lines.append(line)
    return "; ".join(lines) or type(exc).__name__


def _placeholders(query: str) -> str:
    """`?` placeholders (the SQLite style every stage writes) to psycopg's `%s`; a literal
    `%` is doubled. Stage SQL never puts `?` inside a string literal."""
    return query.replace("%", "%%").replace("?", "%s")


def _text(value: str | float | None) -> str | float | None:
    """PostgreSQL text cannot hold NUL; the JSON copy in `data` keeps it (escaped)."""
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


def _columns(doc: Document) -> tuple:
    *scalars, data = document_columns(doc)
    return (*(_text(v) for v in scalars), data)
