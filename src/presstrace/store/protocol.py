"""What every store offers, typed: the `Store` protocol that the pipeline, the steps, the
query layer and the interfaces are written against, and `Dialect`, where everything that
differs between SQLite and PostgreSQL outside the two connection classes is said once.

Two classes implement `Store` (sqlite.py, postgres.py): connection, transactions, locking,
migrations runner, full-text search. Everything else (every stage's tables, every read
query) is portable SQL with `?` placeholders run through `Store.sql`, and asks
`store.dialect` for the few expressions that differ. tests/store/test_backends.py holds both
classes to one behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from presstrace.model import Document, RawDocument


@dataclass
class SearchHit:
    id: str
    title: str | None
    source: str
    published: str | None
    snippet: str
    score: float  # lower is better on both backends (bm25; the negated ts_rank)


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between the backends, for code outside the two store classes.

    - `date_confidence`: a document's (`d`) date confidence. SQLite has a generated column
      (core migration 4) held in the timeline indexes; PostgreSQL reads it from the stored
      JSON by pattern (Document.to_json writes `"published": {…, "confidence": 0.42, …}`;
      no brace can come before it inside that object; a json cast would refuse texts that
      hold \\u0000).
    - `index_hints`: SQLite's planner, without statistics, takes the plain date index or the
      primary key's and reads every article row (2.8 s instead of 0.03 s for a timeline at
      100k documents), so the timeline names its covering index; PostgreSQL plans well.
    - `ingest_order`: the column that numbers documents in the order they were stored.
    - `row_lock`: the clause that locks a row read for an update in the same transaction
      (SQLite's write transaction already holds the whole file).
    - `bulk_tuning`: statements for a step that reads and writes an index at random places
      (the copies step's LSH keys): SQLite's page cache of 256 MB instead of 2 MB keeps a
      million-document index off the disk path.
    """

    name: str
    date_confidence: str
    index_hints: bool
    ingest_order: str
    row_lock: str = ""
    bulk_tuning: tuple[str, ...] = ()

    def documents(self, index: str) -> str:
        """`documents d`, naming `index` where the backend needs it told."""
        return f"documents d INDEXED BY {index}" if self.index_hints else "documents d"


SQLITE = Dialect(
    name="sqlite",
    date_confidence="d.published_confidence",
    index_hints=True,
    ingest_order="rowid",
    bulk_tuning=("PRAGMA cache_size = -262144",),
)
POSTGRESQL = Dialect(
    name="postgresql",
    date_confidence=(
        'CAST(substring(d.data from \'"published": [{][^{}]*"confidence": ([-0-9.eE+]+)\') '
        "AS double precision)"
    ),
    index_hints=False,
    ingest_order="seq",
    row_lock=" FOR UPDATE",
)


@runtime_checkable
class Store(Protocol):
    """A presstrace store, whichever database holds it."""

    path: str  # for messages: the file, or the URL without its password
    dialect: Dialect

    @property
    def schema_version(self) -> int: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def close(self) -> None: ...

    # writing
    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_batch(self, pairs: list[tuple[RawDocument, Document]]) -> int: ...

    def update(self, docs: Iterable[Document]) -> None: ...

    def patch(self, changes: Iterable[tuple[str, dict[str, Any]]]) -> int: ...

    def corpus_lock(self) -> AbstractContextManager[None]: ...

    # any stage's own tables: portable SQL, `?` placeholders
    def sql(self, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def sql_many(self, query: str, rows: Iterable[Sequence[Any]]) -> None: ...

    # reading
    def get(self, id_or_prefix: str) -> Document | None: ...

    def raw_content(self, doc_id: str) -> str | None: ...

    def iter_documents(
        self, batch: int = 500, language: str | None = None
    ) -> Iterator[Document]: ...

    def list(
        self, limit: int = 50, offset: int = 0, language: str | None = None
    ) -> list[dict[str, Any]]: ...

    def count(self) -> int: ...

    def search(
        self, query: str, limit: int = 20, language: str | None = None
    ) -> list[SearchHit]: ...

    def stats(self) -> dict[str, Any]: ...

    def abstentions(self) -> dict[str, dict[str, int]]: ...
