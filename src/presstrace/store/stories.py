"""The stories part of the store: what the CLI and the web read, and what the stories step
needs to stay incremental without re-reading the corpus.

- `stories`: one row per story (the contract other parts read): label, size, first and last
  date (ISO, null when no member is dated).
- `story_state`: the running sums a new article is scored against: the sum of the members'
  text vectors (float32 bytes), how many members are in the sums (copies are not), and how
  many members mention each entity (JSON).
- `story_members`: one row per assigned document (its presence is the step's bookmark), how
  it joined and with which score.
- `story_settings`: the embedding model the sums were made with.

All SQL is portable (`?` placeholders) and runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from presstrace.store import todo
from presstrace.store.batched import batches, marks, sql_in
from presstrace.store.protocol import Row, Store
from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "stories",
    (
        """
        CREATE TABLE stories (
            story_id {key} PRIMARY KEY, label {text}, size {int} NOT NULL,
            first_date {text}, last_date {text}
        );
        CREATE INDEX stories_size ON stories (size, last_date);
        CREATE TABLE story_state (
            story_id {key} PRIMARY KEY, vector_sum {blob} NOT NULL, vectors {int} NOT NULL,
            entities {text} NOT NULL
        );
        CREATE TABLE story_members (
            doc_id {key} PRIMARY KEY, story_id {key} NOT NULL, how {text} NOT NULL,
            score {real}
        );
        CREATE INDEX story_members_story ON story_members (story_id);
        CREATE TABLE story_settings (name {key} PRIMARY KEY, value {text} NOT NULL);
        CREATE INDEX documents_story ON documents (story_id);
        """,
        # v2: the stories a batch of dated articles can join are read by date span (the step
        # no longer loads every story's centroid per ingest); undated ones by IS NULL
        "CREATE INDEX stories_span ON stories (last_date, first_date);",
    ),
)


# -- the step ---------------------------------------------------------------------------------
QUEUE = todo.Queue(  # store/todo.py: documents in no story yet
    "stories", "1", "NOT EXISTS (SELECT 1 FROM story_members m WHERE m.doc_id = d.id)"
)


def pending(store: Store) -> list[tuple[str, str | None, bool]]:
    """(id, published date, is a copy) of every document not in a story yet (the queue)."""
    rows = todo.pending_rows(
        store, QUEUE, "d.id AS id, d.published_date AS day, d.duplicate_of AS dup"
    )
    return [(r["id"], r["day"], r["dup"] is not None) for r in rows]


def documents_data(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The stored JSON record of each document."""
    found: dict[str, str] = {}
    for chunk in batches(ids):
        rows = store.sql(f"SELECT id, data FROM documents WHERE id IN ({marks(chunk)})", chunk)
        found.update((r["id"], r["data"]) for r in rows)
    return found


def setting(store: Store, name: str) -> str | None:
    rows = store.sql("SELECT value FROM story_settings WHERE name = ?", (name,))
    return rows[0]["value"] if rows else None


def save_setting(store: Store, name: str, value: str) -> None:
    store.sql(
        "INSERT INTO story_settings (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


def entity_document_counts(store: Store, keys: Sequence[str]) -> dict[str, int]:
    """Documents per canonical entity for these keys, from the extraction tables (empty when
    there are none); keys the table does not hold are left out."""
    have = {r["name"] for r in store.sql("SELECT name FROM schema_parts")}
    if "extract" not in have:
        return {}
    rows = sql_in(store, "SELECT key, documents FROM entities WHERE key IN ({marks})", keys)
    return {r["key"]: int(r["documents"]) for r in rows}


def document_count(store: Store) -> int:
    return int(store.sql("SELECT count(*) AS n FROM documents")[0]["n"])


Centroid = tuple[str, np.ndarray, str | None, str | None]


def centroids(store: Store) -> Iterator[Centroid]:
    """(story id, vector sum, first date, last date) of every story, for the centroid index."""
    after = ""
    while True:
        rows = store.sql(
            f"SELECT {_CENTROID} WHERE s.story_id > ? ORDER BY s.story_id LIMIT ?", (after, 5000)
        )
        if not rows:
            return
        yield from map(_centroid, rows)
        after = rows[-1]["id"]


def centroids_between(store: Store, first: str, last: str) -> list[Centroid]:
    """The same for the dated stories whose span meets [first, last] (ISO days): a range of
    the `stories_span` index, so the cost follows the stories of those days."""
    rows = store.sql(  # no ORDER BY: SQLite would walk the primary key instead of the span
        f"SELECT {_CENTROID} WHERE s.last_date >= ? AND s.first_date <= ?", (first, last)
    )
    return sorted(map(_centroid, rows), key=lambda c: c[0])


def undated_centroids(store: Store) -> list[Centroid]:
    """The same for the stories without a date (the date gate never keeps an article out)."""
    rows = store.sql(f"SELECT {_CENTROID} WHERE s.last_date IS NULL ORDER BY s.story_id")
    return [_centroid(r) for r in rows]


_CENTROID = (
    "s.story_id AS id, s.first_date AS first, s.last_date AS last, t.vector_sum AS v "
    "FROM stories s JOIN story_state t ON t.story_id = s.story_id"
)


def _centroid(r: Row) -> Centroid:
    return r["id"], np.frombuffer(bytes(r["v"]), dtype=np.float32), r["first"], r["last"]


def states(store: Store, story_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Everything about these stories the step needs to score and extend them."""
    out: list[dict[str, Any]] = []
    for chunk in batches(sorted(set(story_ids))):
        rows = store.sql(
            "SELECT s.story_id AS id, s.label AS label, s.size AS size, s.first_date AS first, "
            "s.last_date AS last, t.vector_sum AS v, t.vectors AS vectors, "
            "t.entities AS entities FROM stories s JOIN story_state t "
            f"ON t.story_id = s.story_id WHERE s.story_id IN ({marks(chunk)})",
            chunk,
        )
        for r in rows:
            r["v"] = np.frombuffer(bytes(r["v"]), dtype=np.float32).copy()
            r["entities"] = json.loads(r["entities"])
            out.append(r)
    return out


def stories_of(store: Store, doc_ids: Sequence[str]) -> dict[str, str]:
    """The story each of these documents is in (those that are in one)."""
    found: dict[str, str] = {}
    for chunk in batches(sorted(set(doc_ids))):
        rows = store.sql(
            f"SELECT doc_id, story_id FROM story_members WHERE doc_id IN ({marks(chunk)})", chunk
        )
        found.update((r["doc_id"], r["story_id"]) for r in rows)
    return found


def stories_of_copies(store: Store, canonical_ids: Sequence[str]) -> dict[str, str]:
    """For documents whose copies are already in a story: that story (the smallest id when
    the copies differ, so the choice is reproducible)."""
    found: dict[str, str] = {}
    for chunk in batches(sorted(set(canonical_ids))):
        rows = store.sql(  # the copies table, indexed by canonical (documents is not)
            "SELECT c.canonical_id AS canonical, min(m.story_id) AS story FROM copies c "
            f"JOIN story_members m ON m.doc_id = c.copy_id WHERE c.canonical_id IN "
            f"({marks(chunk)}) GROUP BY c.canonical_id",
            chunk,
        )
        found.update((r["canonical"], r["story"]) for r in rows)
    return found


def save_batch(
    store: Store,
    stories: Sequence[tuple[str, str | None, int, str | None, str | None, bytes, int, str]],
    members: Sequence[tuple[str, str, str, float | None]],
) -> None:
    """Upsert the changed stories ((id, label, size, first, last, vector sum, vectors,
    entities JSON)) and add the members ((doc id, story id, how, score)). Caller holds the
    transaction."""
    store.sql_many(
        "INSERT INTO stories (story_id, label, size, first_date, last_date) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET label = excluded.label, "
        "size = excluded.size, first_date = excluded.first_date, last_date = excluded.last_date",
        [s[:5] for s in stories],
    )
    store.sql_many(
        "INSERT INTO story_state (story_id, vector_sum, vectors, entities) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (story_id) DO UPDATE SET vector_sum = excluded.vector_sum, "
        "vectors = excluded.vectors, entities = excluded.entities",
        [(s[0], *s[5:]) for s in stories],
    )
    store.sql_many(
        "INSERT INTO story_members (doc_id, story_id, how, score) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (doc_id) DO NOTHING",
        members,
    )
    todo.finish(store, QUEUE.step, [m[0] for m in members])


def story_count(store: Store) -> int:
    return int(store.sql("SELECT count(*) AS n FROM stories")[0]["n"])


# -- reading, for the CLI -----------------------------------------------------------------------
def has_stories(store: Store) -> bool:
    return any(r["name"] == "stories" for r in store.sql("SELECT name FROM schema_parts"))


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    rows = store.sql(
        "SELECT story_id, label, size, first_date, last_date FROM stories WHERE story_id = ?",
        (story_id,),
    )
    return rows[0] if rows else None


def members(store: Store, story_id: str, limit: int = 100_000) -> list[dict[str, Any]]:
    """The story's documents in date order (undated last) with outlet and title."""
    return store.sql(
        "SELECT d.id AS id, d.published_date AS published, d.outlet AS outlet, "
        "d.title AS title, d.source AS source, d.duplicate_of AS duplicate_of, m.how AS how, "
        "m.score AS score FROM story_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE m.story_id = ? ORDER BY (d.published_date IS NULL), d.published_date, d.id "
        "LIMIT ?",
        (story_id, limit),
    )


def membership(store: Store, doc_id: str) -> dict[str, Any] | None:
    rows = store.sql("SELECT story_id, how, score FROM story_members WHERE doc_id = ?", (doc_id,))
    return rows[0] if rows else None
