"""What every store offers, typed: the `Store` protocol that the pipeline, the steps, the
query layer and the interfaces are written against. `Dialect` (dialect.py) says, once,
everything that differs between SQLite and PostgreSQL outside the two connection classes.

Two classes implement `Store` (sqlite.py, postgres.py): connection, transactions, locking,
bulk inserts. Full-text search is no store method: queries/search.py is the one search,
over the index each backend's core migration makes (dialect.py). Everything else (every
table, written once as a template; every read query) is portable SQL with `?` placeholders
run through `Store.sql`, and asks `store.dialect` for the few expressions that differ.
tests/store/test_backends.py holds both classes to one behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from presstrace.model import Document, RawDocument
from presstrace.store.dialect import POSTGRESQL, SQLITE, Dialect

__all__ = ["POSTGRESQL", "SQLITE", "Dialect", "JsonValue", "Record", "Row", "RowValue", "SearchHit",
           "SqlValue", "Store"]

# A value bound to a `?` placeholder: what both drivers store in a column as it is.
SqlValue = str | int | float | bytes | None
# A value of a Document field as its JSON record holds it (`Store.patch` merges these in).
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
# A value in a row `Store.sql` returns: what SQLite gives back is a SqlValue; PostgreSQL's
# driver also gives its own types (a comparison -> bool, sum() of integers -> Decimal,
# timestamptz -> datetime).
RowValue = SqlValue | bool | Decimal | datetime
# One result row of `Store.sql`, by column name (`sql` itself says `dict[str, Any]` so that
# its callers need not narrow every value they know the type of).
Row = Mapping[str, RowValue]
# A row made ready for people and programs: its JSON columns decoded (lists, objects), as
# the query layer hands rows to the CLI, API, web UI and report.
Record = Mapping[str, JsonValue | RowValue]


@dataclass
class SearchHit:
    """One ranked hit of the one search (queries/search.py `hits`; `presstrace.search`)."""

    id: str
    title: str | None
    source: str
    published: str | None
    snippet: str
    score: float  # lower is better on both backends (bm25; the negated ts_rank)


@runtime_checkable
class Store(Protocol):
    """A presstrace store, whichever database holds it."""

    path: str  # for messages: the file, or the URL without its password
    dialect: Dialect

    @property
    def schema_version(self) -> int: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def close(self) -> None: ...

    def read_only(self) -> None:
        """From now on refuse every write (serving opens its connections so)."""
        ...

    # writing
    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_batch(self, pairs: list[tuple[RawDocument, Document]]) -> int: ...

    def update(self, docs: Iterable[Document]) -> None: ...

    def patch(self, changes: Iterable[tuple[str, dict[str, JsonValue]]]) -> int: ...

    def corpus_lock(self) -> AbstractContextManager[None]: ...

    # any stage's own tables: portable SQL, `?` placeholders
    def sql(self, query: str, params: Sequence[SqlValue] = ()) -> list[dict[str, Any]]: ...

    def sql_tuples(self, query: str, params: Sequence[SqlValue] = ()) -> list[tuple]: ...

    def sql_many(self, query: str, rows: Iterable[Sequence[SqlValue]]) -> None: ...

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

    def stats(self) -> dict[str, Any]: ...

    def abstentions(self) -> dict[str, dict[str, int]]: ...
