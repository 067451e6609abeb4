"""What both backends do the same way, written once over three primitives each backend
gives: `_rows` (one statement, `?` placeholders, rows as tuples, driver errors as they are),
`sql`/`sql_many` (the same, for callers) and `transaction()`.

The backend classes (sqlite.py, postgres.py) keep only what really differs: connecting,
where the core schema version is recorded, bulk inserts, the corpus lock, and full-text
search. The one migration runner here renders every step for the backend
(`Dialect.render`); portable SQL reads `self.dialect` for the rest (ingest order, row locks).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from presstrace.errors import StoreError
from presstrace.model import Document
from presstrace.store import migrations
from presstrace.store.batched import batches, marks
from presstrace.store.columns import (
    COLUMN_NAMES,
    PATCHED_COLUMNS,
    UPDATE_COLUMNS,
    document_columns,
)
from presstrace.store.dialect import Dialect
from presstrace.store.protocol import JsonValue, SqlValue
from presstrace.store.schema import SchemaPart, registered_parts

_UPDATE = f"UPDATE documents SET {', '.join(f'{c}=?' for c in UPDATE_COLUMNS)} WHERE id=?"


class StoreBase:
    """The shared half of SQLiteStore and PostgresStore (see the module docstring)."""

    path: str
    dialect: Dialect

    # -- what each backend gives ------------------------------------------------------------
    def _rows(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        raise NotImplementedError

    def _script(self, script: str) -> None:
        """Run a migration step (several statements)."""
        raise NotImplementedError

    def _schema_transaction(self) -> AbstractContextManager[Any]:
        """A transaction that also excludes other processes upgrading the schema."""
        raise NotImplementedError

    def _columns(self, doc: Document) -> tuple:
        """The column values stored for a document (document_columns, cleaned for the
        backend where it must be)."""
        return document_columns(doc)

    def transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def sql(self, query: str, params: Sequence[SqlValue] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def sql_tuples(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]:
        raise NotImplementedError

    def sql_many(self, query: str, rows: Iterable[Sequence[SqlValue]]) -> None:
        raise NotImplementedError

    # -- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Bring the schema up to date: the core steps, then each stage's own part. Versions
        are read again under the schema lock, so two processes opening a new store at once
        create the schema once."""
        self._migrate_core()
        for part in registered_parts():
            self._migrate_part(part)

    def _core_version(self) -> int:
        """The core schema version the store records (0: a new store)."""
        raise NotImplementedError

    def _set_core_version(self, version: int) -> None:
        raise NotImplementedError

    def _migrate_core(self) -> None:
        """Apply the missing core steps (migrations.py) under the schema lock, all or
        nothing. A store already at the current version is only read (no lock, no DDL: a
        read-only role can open it)."""
        steps = migrations.MIGRATIONS
        if self._core_version() == len(steps):
            return
        with self._schema_transaction():
            version = self._core_version()
            if version > len(steps):
                raise self._newer(version, len(steps))
            for number in range(version, len(steps)):
                self._script(self.dialect.render(steps[number]))
                self._set_core_version(number + 1)

    @property
    def schema_version(self) -> int:
        return self._core_version()

    @property
    def queues(self) -> bool:
        """Whether the schema has the steps' queues (store/todo.py), read once: add_batch
        writes to them only then (a store opened at an older version, as the migration
        tests do, has none; its steps fill their queues when they first list)."""
        if self._queues is None:
            self._queues = self._core_version() >= migrations.QUEUES_VERSION
        return self._queues

    _queues: bool | None = None

    def _migrate_part(self, part: SchemaPart) -> None:
        if self._part_version(part) == part.version:
            return
        with self._schema_transaction():
            version = self._part_version(part)
            if version > part.version:
                raise StoreError(
                    f"{self.path}: the {part.name} tables are v{version}, newer than this "
                    f"presstrace (v{part.version}); upgrade presstrace"
                )
            for number in range(version, part.version):
                self._script(part.steps(self.dialect)[number])
            self._rows(
                "INSERT INTO schema_parts (name, version) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                (part.name, part.version),
            )

    def _part_version(self, part: SchemaPart) -> int:
        rows = self._rows("SELECT version FROM schema_parts WHERE name = ?", (part.name,))
        return rows[0][0] if rows else 0

    def _newer(self, version: int, supported: int) -> StoreError:
        return StoreError(
            f"{self.path}: store schema v{version} is newer than this presstrace "
            f"(v{supported}); upgrade presstrace"
        )

    # -- writing ----------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for chunk in batches(ids):
            rows = self.sql(f"SELECT id FROM documents WHERE id IN ({marks(chunk)})", chunk)
            found.update(row["id"] for row in rows)
        return found

    def update(self, docs: Iterable[Document]) -> None:
        """Rewrite stored documents after a corpus-level stage changed them (in id order,
        the lock order every writer shares: no deadlocks between writers)."""
        rows = sorted(((*cols[1:], cols[0]) for cols in map(self._columns, docs)),
                      key=lambda row: row[-1])  # fmt: skip
        if not rows:
            return
        with self.transaction():
            self.sql_many(_UPDATE, rows)

    def patch(self, changes: Iterable[tuple[str, dict[str, JsonValue]]]) -> int:
        """Set a few top-level Document fields (e.g. duplicate_of, entities) of stored
        documents, in one transaction, without rewriting their text (the full-text index is
        left alone). Returns how many documents were found and changed. Rows are taken in
        id order (a stable sort: one document's changes keep their order)."""
        changed = 0
        with self.transaction():
            for doc_id, fields in sorted(changes, key=lambda change: change[0]):
                rows = self.sql(
                    f"SELECT data FROM documents WHERE id = ?{self.dialect.row_lock}", [doc_id]
                )
                if not rows:
                    continue
                doc = Document.from_dict({**json.loads(rows[0]["data"]), **fields})
                cols = dict(zip(COLUMN_NAMES, self._columns(doc), strict=True))
                sets = [c for f, cs in PATCHED_COLUMNS.items() if f in fields for c in cs]
                sets.append("data")
                self.sql(
                    f"UPDATE documents SET {', '.join(f'{n}=?' for n in sets)} WHERE id=?",
                    [*(cols[n] for n in sets), doc_id],
                )
                changed += 1
        return changed

    # -- reading ----------------------------------------------------------------------------
    def get(self, id_or_prefix: str) -> Document | None:
        """A document by id, or by a unique id prefix of at least 6 characters (a range
        scan of the primary key: ids compare bytewise on both backends)."""
        rows = self.sql("SELECT data FROM documents WHERE id = ?", [id_or_prefix])
        if not rows and len(id_or_prefix) >= 6:
            rows = self.sql(
                "SELECT data FROM documents WHERE id >= ? AND id < ? LIMIT 2",
                [id_or_prefix, id_or_prefix + "\uffff"],
            )
            rows = rows if len(rows) == 1 else []
        return Document.from_dict(json.loads(rows[0]["data"])) if rows else None

    def raw_content(self, doc_id: str) -> str | None:
        rows = self.sql("SELECT content FROM raw_inputs WHERE id = ?", [doc_id])
        return zlib.decompress(rows[0]["content"]).decode("utf-8") if rows else None

    def iter_documents(self, batch: int = 500, language: str | None = None) -> Iterator[Document]:
        """All documents (in `language` only, when given) in ingest order, streamed so
        memory stays flat on big stores (keyset pagination: each page is one short query, no
        open transaction, so a batch another writer commits meanwhile may or may not be
        seen)."""
        order = self.dialect.ingest_order
        only = " AND language = ?" if language else ""
        last = 0
        while True:
            rows = self.sql(
                f"SELECT {order} AS n, data FROM documents WHERE {order} > ?{only} "
                f"ORDER BY {order} LIMIT ?",
                [last, *([language] if language else []), batch],
            )
            if not rows:
                return
            for row in rows:
                yield Document.from_dict(json.loads(row["data"]))
            last = rows[-1]["n"]

    def list(
        self, limit: int = 50, offset: int = 0, language: str | None = None
    ) -> list[dict[str, Any]]:
        """Documents in ingest order (in `language` only, when given)."""
        only = " WHERE language = ?" if language else ""
        return self.sql(
            "SELECT id, source, title, published_date, outlet, language, duplicate_of, "
            f"length(text) AS chars FROM documents{only} "
            f"ORDER BY {self.dialect.ingest_order} LIMIT ? OFFSET ?",
            [*([language] if language else []), limit, offset],
        )

    def count(self) -> int:
        return int(self.sql("SELECT count(*) AS n FROM documents")[0]["n"])

    def stats(self) -> dict[str, Any]:
        head = self.sql(
            "SELECT count(*) AS docs, count(published_date) AS dated, "
            "min(published_date) AS earliest, max(published_date) AS latest, "
            "coalesce(sum(length(text)), 0) AS chars FROM documents"
        )[0]
        return {
            "store": self.path,
            "schema_version": self.schema_version,
            "documents": int(head["docs"]),
            "dated": int(head["dated"]),
            "earliest": head["earliest"],
            "latest": head["latest"],
            "text_chars": int(head["chars"]),
            "languages": self._counts("language"),
            "outlets": self._counts("outlet"),
            "kinds": self._counts("kind"),
            "abstained": self.abstentions(),
        }

    def abstentions(self) -> dict[str, dict[str, int]]:
        """How many documents each stage abstained on, per language: {stage: {language: n}}
        (Document.abstained, kept in the stored JSON; "und" for no language)."""
        query = (
            "SELECT j.key AS stage, coalesce(d.language, 'und') AS lang, count(*) AS n "
            f"FROM documents d, {self.dialect.ddl['abstained_each']} "
            "WHERE d.data LIKE '%\"abstained\": {\"%' GROUP BY 1, 2"
        )
        out: dict[str, dict[str, int]] = {}
        for row in self.sql(query):
            out.setdefault(row["stage"], {})[row["lang"]] = int(row["n"])
        return {
            stage: dict(sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])))
            for stage, langs in sorted(out.items())
        }

    def _counts(self, column: str, top: int = 10) -> dict[str, int]:
        # `column` is one of ours, never user text
        rows = self.sql(
            f"SELECT {column} AS k, count(*) AS n FROM documents WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY n DESC, k LIMIT ?",
            [top],
        )
        return {row["k"]: int(row["n"]) for row in rows}
