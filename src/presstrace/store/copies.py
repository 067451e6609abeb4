"""The copies part of the store: the copy graph, and the sketches that let new documents
find their copies without re-reading the corpus.

- `copies`: one row per non-canonical document (the web UI reads it as is).
- `copy_sketches`: one row per document the copies step has processed (its presence is the
  step's bookmark), with its normalised-text hash, shingle count, MOD key count and MinHash.
- `copy_keys`: the persisted LSH index: each document's band keys and MOD keys, so that a
  new document's candidates are one indexed lookup, whatever the corpus size.
- `copy_settings`: the thresholds the graph was built with (`duplicates --recompute`).

All SQL is portable (`?` placeholders) and runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "copies",
    sqlite=(
        """
        CREATE TABLE copies (
            copy_id TEXT PRIMARY KEY,
            canonical_id TEXT NOT NULL,
            similarity REAL,
            containment REAL,
            method TEXT NOT NULL
        );
        CREATE INDEX copies_canonical ON copies(canonical_id);
        CREATE TABLE copy_sketches (
            doc_id TEXT PRIMARY KEY,
            text_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            mod_count INTEGER NOT NULL,
            minhash BLOB NOT NULL
        );
        CREATE INDEX copy_sketches_hash ON copy_sketches(text_hash);
        CREATE TABLE copy_keys (
            key INTEGER NOT NULL,
            doc_id TEXT NOT NULL,
            PRIMARY KEY (key, doc_id)
        ) WITHOUT ROWID;
        CREATE TABLE copy_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    postgres=(
        """
        CREATE TABLE copies (
            copy_id text COLLATE "C" PRIMARY KEY,
            canonical_id text COLLATE "C" NOT NULL,
            similarity double precision,
            containment double precision,
            method text COLLATE "C" NOT NULL
        );
        CREATE INDEX copies_canonical ON copies(canonical_id);
        CREATE TABLE copy_sketches (
            doc_id text COLLATE "C" PRIMARY KEY,
            text_hash text COLLATE "C" NOT NULL,
            size integer NOT NULL,
            mod_count integer NOT NULL,
            minhash bytea NOT NULL
        );
        CREATE INDEX copy_sketches_hash ON copy_sketches(text_hash);
        CREATE TABLE copy_keys (
            key bigint NOT NULL,
            doc_id text COLLATE "C" NOT NULL,
            PRIMARY KEY (key, doc_id)
        );
        CREATE TABLE copy_settings (name text COLLATE "C" PRIMARY KEY, value text NOT NULL);
        """,
    ),
)

_CHUNK = 500  # values per IN (...) list


@dataclass(frozen=True)
class SketchRow:
    doc_id: str
    text_hash: str
    size: int
    mod_count: int
    minhash: bytes


@dataclass(frozen=True)
class LinkRow:
    copy_id: str
    canonical_id: str
    similarity: float | None
    containment: float | None
    method: str


def _in(store: Any, query: str, values: Sequence[Any]) -> list[dict[str, Any]]:
    """Run `query` (with one `{marks}` for an IN list) over `values` in chunks."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(values), _CHUNK):
        chunk = list(values[start : start + _CHUNK])
        rows += store.sql(query.format(marks=",".join("?" * len(chunk))), chunk)
    return rows


# -- the step's reads --------------------------------------------------------------------------
def pending(store: Any, after: str, limit: int) -> list[dict[str, Any]]:
    """The next documents (in id order, after `after`) that have no sketch yet."""
    return store.sql(
        "SELECT d.id, d.text, d.published_date FROM documents d WHERE d.id > ? AND NOT EXISTS "
        "(SELECT 1 FROM copy_sketches s WHERE s.doc_id = d.id) ORDER BY d.id LIMIT ?",
        (after, limit),
    )


def docs_by_keys(store: Any, keys: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in _in(store, "SELECT key, doc_id FROM copy_keys WHERE key IN ({marks})", keys):
        out.setdefault(int(row["key"]), []).append(row["doc_id"])
    return out


def docs_by_text_hash(store: Any, hashes: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    query = "SELECT text_hash, doc_id FROM copy_sketches WHERE text_hash IN ({marks})"
    for row in _in(store, query, hashes):
        out.setdefault(row["text_hash"], []).append(row["doc_id"])
    return out


def sketches(store: Any, ids: Sequence[str]) -> dict[str, SketchRow]:
    query = (
        "SELECT doc_id, text_hash, size, mod_count, minhash FROM copy_sketches "
        "WHERE doc_id IN ({marks})"
    )
    return {
        r["doc_id"]: SketchRow(
            r["doc_id"], r["text_hash"], r["size"], r["mod_count"], bytes(r["minhash"])
        )
        for r in _in(store, query, ids)
    }


def documents(store: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {text, published_date} of stored documents."""
    query = "SELECT id, text, published_date FROM documents WHERE id IN ({marks})"
    return {r["id"]: r for r in _in(store, query, ids)}


def doc_info(store: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {published_date, length} without reading the texts."""
    query = "SELECT id, published_date, length(text) AS length FROM documents WHERE id IN ({marks})"
    return {r["id"]: r for r in _in(store, query, ids)}


def pending_count(store: Any) -> int:
    return int(
        store.sql(
            "SELECT count(*) AS n FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM copy_sketches s WHERE s.doc_id = d.id)"
        )[0]["n"]
    )


def canonicals(store: Any, ids: Sequence[str]) -> dict[str, str]:
    """copy id -> its canonical, for those of `ids` that are copies."""
    query = "SELECT copy_id, canonical_id FROM copies WHERE copy_id IN ({marks})"
    return {r["copy_id"]: r["canonical_id"] for r in _in(store, query, ids)}


def links_of_groups(store: Any, canonical_ids: Sequence[str]) -> list[LinkRow]:
    query = (
        "SELECT copy_id, canonical_id, similarity, containment, method FROM copies "
        "WHERE canonical_id IN ({marks})"
    )
    return [LinkRow(**r) for r in _in(store, query, canonical_ids)]


# -- the step's writes -------------------------------------------------------------------------
def save_batch(
    store: Any,
    sketch_rows: Iterable[SketchRow],
    key_rows: Iterable[tuple[int, str]],
    links: Iterable[LinkRow],
    unlinked: Iterable[str],
) -> None:
    """One batch's sketches, keys and changed links, all or nothing. `unlinked`: documents
    that were copies and are now canonical."""
    with store.transaction():
        store.sql_many(
            "INSERT INTO copy_sketches (doc_id, text_hash, size, mod_count, minhash) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(s.doc_id, s.text_hash, s.size, s.mod_count, s.minhash) for s in sketch_rows],
        )
        store.sql_many(
            "INSERT INTO copy_keys (key, doc_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            sorted(key_rows),
        )
        store.sql_many("DELETE FROM copies WHERE copy_id = ?", [(i,) for i in sorted(unlinked)])
        store.sql_many(
            "INSERT INTO copies (copy_id, canonical_id, similarity, containment, method) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (copy_id) DO UPDATE SET "
            "canonical_id = excluded.canonical_id, similarity = excluded.similarity, "
            "containment = excluded.containment, method = excluded.method",
            sorted(
                (x.copy_id, x.canonical_id, x.similarity, x.containment, x.method) for x in links
            ),
        )


def clear(store: Any) -> list[str]:
    """Forget the copy graph and every sketch (to rebuild with other settings); returns the
    documents that were copies, whose duplicate_of must be cleared."""
    copies = [r["copy_id"] for r in store.sql("SELECT copy_id FROM copies ORDER BY copy_id")]
    with store.transaction():
        for table in ("copies", "copy_keys", "copy_sketches"):
            store.sql(f"DELETE FROM {table}")
    return copies


def settings(store: Any) -> dict[str, str]:
    return {r["name"]: r["value"] for r in store.sql("SELECT name, value FROM copy_settings")}


def save_settings(store: Any, values: dict[str, str]) -> None:
    with store.transaction():
        store.sql_many(
            "INSERT INTO copy_settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            sorted(values.items()),
        )


# -- reading for people and programs -----------------------------------------------------------
def groups(store: Any, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Copy groups, biggest first: canonical id, title, date, outlet and copy count."""
    return store.sql(
        "SELECT c.canonical_id, count(*) AS copies, d.title, d.published_date, d.outlet "
        "FROM copies c LEFT JOIN documents d ON d.id = c.canonical_id "
        "GROUP BY c.canonical_id, d.title, d.published_date, d.outlet "
        "ORDER BY count(*) DESC, c.canonical_id LIMIT ? OFFSET ?",
        (limit, offset),
    )


def group_copies(store: Any, canonical_id: str) -> list[dict[str, Any]]:
    """The copies of one canonical document with their overlap, title, date, outlet."""
    return store.sql(
        "SELECT c.copy_id, c.similarity, c.containment, c.method, d.title, d.published_date, "
        "d.outlet, d.source FROM copies c LEFT JOIN documents d ON d.id = c.copy_id "
        "WHERE c.canonical_id = ? ORDER BY d.published_date, c.copy_id",
        (canonical_id,),
    )


def link_of(store: Any, doc_id: str) -> LinkRow | None:
    rows = store.sql(
        "SELECT copy_id, canonical_id, similarity, containment, method FROM copies "
        "WHERE copy_id = ?",
        (doc_id,),
    )
    return LinkRow(**rows[0]) if rows else None


def counts(store: Any) -> dict[str, int]:
    row = store.sql(
        "SELECT count(*) AS copies, count(DISTINCT canonical_id) AS groups FROM copies"
    )[0]
    return {"copies": int(row["copies"]), "groups": int(row["groups"])}
