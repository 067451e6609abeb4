"""Statements over many values at once: `IN (…)` lists cut into batches, so that no
statement grows with its input and every one stays under the backends' caps on bound values
(SQLite 3.32+: 32,766; PostgreSQL's protocol: 65,535). Every store module and the query
layer use these instead of each writing the loop again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, TypeVar

from presstrace.store.protocol import SqlValue, Store

# Values per `IN (…)` list: well under both caps, with room for the few values a statement
# binds besides the list; one list is one statement's index lookups, so larger batches save
# only round trips.
BATCH = 500

_T = TypeVar("_T")


def batches(values: Iterable[_T], size: int = BATCH) -> Iterator[list[_T]]:
    """`values` in lists of at most `size`, in order."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(values: Sized) -> str:
    """`?,?,…`: one placeholder per value, for an `IN (…)` list."""
    return ",".join("?" * len(values))


def sql_in(
    store: Store, query: str, values: Iterable[SqlValue], extra: Sequence[SqlValue] = ()
) -> list[dict[str, Any]]:
    """Run `query`, whose one `{marks}` is an `IN (…)` list, over `values` in batches; the
    rows of every batch (`extra` is bound after each batch's values)."""
    rows: list[dict[str, Any]] = []
    for batch in batches(values):
        rows += store.sql(query.format(marks=marks(batch)), [*batch, *extra])
    return rows
