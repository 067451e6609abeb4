"""The copies part of the store: the copy graph, and the sketches that let new documents
find their copies without re-reading the corpus.

- `copies`: one row per non-canonical document (the web UI reads it as is).
- `copy_sketches`: one row per document the copies step has processed (its presence is the
  step's bookmark), with its normalised-text hash, shingle count, MOD key count and MinHash.
- `copy_keys`: the persisted LSH index: each document's band keys and MOD keys, so that a
  new document's candidates are one indexed lookup, whatever the corpus size. A row holds
  the document's number (`copy_sketches.n`), not its 64-character id: the index stays small.
- `copy_shingles`: each document's fingerprint, its sorted distinct shingle hashes (uint32,
  4 bytes each), so that candidates are measured without re-reading and re-shingling texts
  (that was three quarters of the step on a corpus of reprinted wire copy).
- `copy_settings`: the thresholds the graph was built with (`duplicates --recompute`).

`copy_sketches` also keeps what choosing a group's canonical document needs (the date and
the text's length, as they were when the document was sketched), so the graph is updated
without reading documents: a stored group's canonical is the best of its members, so a new
document only has to be compared with the canonicals of the groups it joins.

All SQL is portable (`?` placeholders) and runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from presstrace.store import todo
from presstrace.store.batched import sql_in
from presstrace.store.protocol import Store
from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "copies",
    (
        """
        CREATE TABLE copies (
            copy_id {key} PRIMARY KEY,
            canonical_id {key} NOT NULL,
            similarity {real},
            containment {real},
            method {key} NOT NULL
        );
        CREATE INDEX copies_canonical ON copies(canonical_id);
        CREATE TABLE copy_sketches (
            doc_id {key} PRIMARY KEY,
            text_hash {key} NOT NULL,
            size {int} NOT NULL,
            mod_count {int} NOT NULL,
            minhash {blob} NOT NULL
        );
        CREATE INDEX copy_sketches_hash ON copy_sketches(text_hash);
        CREATE TABLE copy_keys (
            key {bigint} NOT NULL,
            doc_id {key} NOT NULL,
            PRIMARY KEY (key, doc_id)
        ){without_rowid};
        CREATE TABLE copy_settings (name {key} PRIMARY KEY, value {text} NOT NULL);
        """,
        # v2: copy_keys holds a document number (copy_sketches.n) instead of the 64-character
        # id: each row is a key and a small integer, so more of the index fits in the cache.
        # (PostgreSQL stores made before this step was written once for both backends got
        # `n` as an identity column added in place: same columns, other constraint names.)
        """
        CREATE TABLE copy_sketches_v2 (
            n {autokey},
            doc_id {key} NOT NULL UNIQUE,
            text_hash {key} NOT NULL,
            size {int} NOT NULL,
            mod_count {int} NOT NULL,
            minhash {blob} NOT NULL
        );
        INSERT INTO copy_sketches_v2 (doc_id, text_hash, size, mod_count, minhash)
            SELECT doc_id, text_hash, size, mod_count, minhash FROM copy_sketches ORDER BY doc_id;
        CREATE TABLE copy_keys_v2 (
            key {bigint} NOT NULL,
            n {bigint} NOT NULL,
            PRIMARY KEY (key, n)
        ){without_rowid};
        INSERT INTO copy_keys_v2 (key, n)
            SELECT k.key, s.n FROM copy_keys k JOIN copy_sketches_v2 s ON s.doc_id = k.doc_id
            ORDER BY k.key, s.n;
        DROP TABLE copy_keys;
        DROP TABLE copy_sketches;
        ALTER TABLE copy_sketches_v2 RENAME TO copy_sketches;
        ALTER TABLE copy_keys_v2 RENAME TO copy_keys;
        CREATE INDEX copy_sketches_hash ON copy_sketches(text_hash);
        """,
        # v3: stored fingerprints (shingle sets) and canonical-choice keys. Documents
        # sketched before have neither (length NULL, no copy_shingles row): the step reads
        # their texts once and fills both in.
        """
        CREATE TABLE copy_shingles (n {bigint} PRIMARY KEY, shingles {blob} NOT NULL);
        ALTER TABLE copy_sketches ADD COLUMN length {int};
        ALTER TABLE copy_sketches ADD COLUMN published {key};
        """,
    ),
)


@dataclass(frozen=True)
class SketchRow:
    doc_id: str
    text_hash: str
    size: int
    mod_count: int
    minhash: bytes
    length: int | None = None  # characters of cleaned text; None: sketched before v3
    published: str | None = None  # the publication date when sketched
    shingles: bytes | None = None  # the fingerprint (written to copy_shingles)


@dataclass(frozen=True)
class LinkRow:
    copy_id: str
    canonical_id: str
    similarity: float | None
    containment: float | None
    method: str


# -- the step's reads --------------------------------------------------------------------------
def queue(sketch_version: int) -> todo.Queue:
    """The step's queue (store/todo.py): documents with no sketch; a new sketch layout
    (which rebuilds every sketch) refills it."""
    return todo.Queue(
        "copies",
        str(sketch_version),
        "NOT EXISTS (SELECT 1 FROM copy_sketches s WHERE s.doc_id = d.id)",
    )


def pending_ids(store: Store, sketch_version: int) -> list[str]:
    """The documents (in id order) that have no sketch yet: the step's queue, read once per
    run."""
    return [r["id"] for r in todo.pending_rows(store, queue(sketch_version), "d.id AS id")]


def texts(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """id, text, published_date of documents, in id order."""
    query = "SELECT id, text, published_date FROM documents WHERE id IN ({marks})"
    return sorted(sql_in(store, query, ids), key=lambda r: r["id"])


def keyed_sketches(
    store: Store, keys: Sequence[int]
) -> tuple[dict[int, list[str]], dict[str, tuple[int, int]]]:
    """key -> ids of the documents holding it, and id -> (size, mod_count) of each: the
    matcher's prefilter needs both, and the join has them at hand."""
    out: dict[int, list[str]] = {}
    info: dict[str, tuple[int, int]] = {}
    query = (
        "SELECT k.key, s.doc_id, s.size, s.mod_count FROM copy_keys k "
        "JOIN copy_sketches s ON s.n = k.n WHERE k.key IN ({marks})"
    )
    for row in sql_in(store, query, keys):
        out.setdefault(int(row["key"]), []).append(row["doc_id"])
        info[row["doc_id"]] = (int(row["size"]), int(row["mod_count"]))
    return out, info


def docs_by_text_hash(store: Store, hashes: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    query = "SELECT text_hash, doc_id FROM copy_sketches WHERE text_hash IN ({marks})"
    for row in sql_in(store, query, hashes):
        out.setdefault(row["text_hash"], []).append(row["doc_id"])
    return out


def sketches(store: Store, ids: Sequence[str]) -> dict[str, SketchRow]:
    """Stored sketches (without their fingerprints) by document id."""
    query = (
        "SELECT doc_id, text_hash, size, mod_count, minhash, length, published "
        "FROM copy_sketches WHERE doc_id IN ({marks})"
    )
    return {
        r["doc_id"]: SketchRow(
            r["doc_id"],
            r["text_hash"],
            r["size"],
            r["mod_count"],
            bytes(r["minhash"]),
            None if r["length"] is None else int(r["length"]),
            r["published"],
        )
        for r in sql_in(store, query, ids)
    }


def fingerprints(store: Store, ids: Sequence[str]) -> dict[str, bytes]:
    """id -> stored shingle set (uint32 little-endian bytes), for the documents that have
    one (all but those sketched before fingerprints were stored, and empty texts)."""
    query = (
        "SELECT s.doc_id, f.shingles FROM copy_sketches s JOIN copy_shingles f ON f.n = s.n "
        "WHERE s.doc_id IN ({marks})"
    )
    return {r["doc_id"]: bytes(r["shingles"]) for r in sql_in(store, query, ids)}


def save_fingerprints(store: Store, rows: Sequence[tuple[str, bytes, int, str | None]]) -> None:
    """Fill in (id, shingles, length, published) of documents sketched before v3."""
    with store.transaction():
        store.sql_many(
            "UPDATE copy_sketches SET length = ?, published = ? WHERE doc_id = ?",
            [(length, published, doc_id) for doc_id, _, length, published in rows],
        )
        number = _numbers(store, [doc_id for doc_id, *_ in rows])
        store.sql_many(
            "INSERT INTO copy_shingles (n, shingles) VALUES (?, ?) ON CONFLICT DO NOTHING",
            sorted((number[doc_id], data) for doc_id, data, *_ in rows if doc_id in number),
        )


def _numbers(store: Store, ids: Sequence[str]) -> dict[str, int]:
    return {
        r["doc_id"]: int(r["n"])
        for r in sql_in(store, "SELECT doc_id, n FROM copy_sketches WHERE doc_id IN ({marks})", ids)
    }


def documents(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {text, published_date} of stored documents."""
    query = "SELECT id, text, published_date FROM documents WHERE id IN ({marks})"
    return {r["id"]: r for r in sql_in(store, query, ids)}


def doc_info(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {published_date, length} without reading the texts."""
    query = "SELECT id, published_date, length(text) AS length FROM documents WHERE id IN ({marks})"
    return {r["id"]: r for r in sql_in(store, query, ids)}


def canonicals(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """copy id -> its canonical, for those of `ids` that are copies."""
    query = "SELECT copy_id, canonical_id FROM copies WHERE copy_id IN ({marks})"
    return {r["copy_id"]: r["canonical_id"] for r in sql_in(store, query, ids)}


def links_of_groups(store: Store, canonical_ids: Sequence[str]) -> list[LinkRow]:
    query = (
        "SELECT copy_id, canonical_id, similarity, containment, method FROM copies "
        "WHERE canonical_id IN ({marks})"
    )
    return [LinkRow(**r) for r in sql_in(store, query, canonical_ids)]


# -- the step's writes -------------------------------------------------------------------------
def save_batch(
    store: Store,
    sketch_rows: Iterable[SketchRow],
    key_rows: Iterable[tuple[int, str]],
    links: Iterable[LinkRow],
    unlinked: Iterable[str],
) -> list[tuple[int, int]]:
    """One batch's sketches and changed links, all or nothing. `unlinked`: documents that
    were copies and are now canonical. Returns the batch's key rows as (key, document
    number): the step buffers them and writes them with flush_keys."""
    with store.transaction():
        sketch_rows = list(sketch_rows)
        store.sql_many(
            "INSERT INTO copy_sketches (doc_id, text_hash, size, mod_count, minhash, length, "
            "published) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                (s.doc_id, s.text_hash, s.size, s.mod_count, s.minhash, s.length, s.published)
                for s in sketch_rows
            ],
        )
        key_rows = list(key_rows)
        number = _numbers(
            store, sorted({doc_id for _, doc_id in key_rows} | {s.doc_id for s in sketch_rows})
        )
        store.sql_many(
            "INSERT INTO copy_shingles (n, shingles) VALUES (?, ?) ON CONFLICT DO NOTHING",
            sorted((number[s.doc_id], s.shingles) for s in sketch_rows if s.shingles),
        )
        numbered = sorted({(key, number[doc_id]) for key, doc_id in key_rows})
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
        todo.finish(store, "copies", [s.doc_id for s in sketch_rows])
    return numbered


# Buffered keys (steps/copies.py): the documents numbered up to `keys_through` have their keys
# in copy_keys; sketches above it were saved by a run that stopped before writing its keys.
_KEYS_THROUGH = "keys_through"


def keys_through(store: Store) -> int:
    """The highest document number whose keys are stored. A store without the mark (new, or
    written before keys were buffered) has every sketch's keys: the mark is set to that."""
    value = settings(store).get(_KEYS_THROUGH)
    if value is not None:
        return int(value)
    top = max_number(store)
    save_settings(store, {_KEYS_THROUGH: str(top)})
    return top


def flush_keys(store: Store, chunks: Iterable[list[tuple[int, int]]], through: int) -> None:
    """Write buffered key rows (sorted by key: one pass over the index) and move the mark."""
    with store.transaction():
        for rows in chunks:
            store.sql_many(
                "INSERT INTO copy_keys (key, n) VALUES (?, ?) ON CONFLICT DO NOTHING", rows
            )
        store.sql(
            "INSERT INTO copy_settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (_KEYS_THROUGH, str(through)),
        )


def max_number(store: Store) -> int:
    return int(store.sql("SELECT coalesce(max(n), 0) AS n FROM copy_sketches")[0]["n"])


def unkeyed(store: Store, through: int) -> list[dict[str, Any]]:
    """Documents sketched after the mark (their keys were lost with an interrupted run)."""
    return store.sql(
        "SELECT s.n, d.id, d.text FROM copy_sketches s JOIN documents d ON d.id = s.doc_id "
        "WHERE s.n > ? ORDER BY s.n",
        (through,),
    )


def ids_of_numbers(store: Store, numbers: Sequence[int]) -> dict[int, str]:
    query = "SELECT n, doc_id FROM copy_sketches WHERE n IN ({marks})"
    return {int(r["n"]): r["doc_id"] for r in sql_in(store, query, numbers)}


def clear(store: Store) -> list[str]:
    """Forget the copy graph and every sketch (to rebuild with other settings); returns the
    documents that were copies, whose duplicate_of must be cleared."""
    copies = [r["copy_id"] for r in store.sql("SELECT copy_id FROM copies ORDER BY copy_id")]
    with store.transaction():
        for table in ("copies", "copy_keys", "copy_shingles", "copy_sketches"):
            store.sql(f"DELETE FROM {table}")
        store.sql("DELETE FROM copy_settings WHERE name = ?", (_KEYS_THROUGH,))
        todo.forget(store, "copies")
    return copies


def settings(store: Store) -> dict[str, str]:
    return {r["name"]: r["value"] for r in store.sql("SELECT name, value FROM copy_settings")}


def save_settings(store: Store, values: dict[str, str]) -> None:
    with store.transaction():
        store.sql_many(
            "INSERT INTO copy_settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            sorted(values.items()),
        )


# -- reading for people and programs -----------------------------------------------------------
def groups(store: Store, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Copy groups, biggest first: canonical id, title, date, outlet and copy count."""
    return store.sql(
        "SELECT c.canonical_id, count(*) AS copies, d.title, d.published_date, d.outlet "
        "FROM copies c LEFT JOIN documents d ON d.id = c.canonical_id "
        "GROUP BY c.canonical_id, d.title, d.published_date, d.outlet "
        "ORDER BY count(*) DESC, c.canonical_id LIMIT ? OFFSET ?",
        (limit, offset),
    )


def group_copies(store: Store, canonical_id: str) -> list[dict[str, Any]]:
    """The copies of one canonical document with their overlap, title, date, outlet."""
    return store.sql(
        "SELECT c.copy_id, c.similarity, c.containment, c.method, d.title, d.published_date, "
        "d.outlet, d.source FROM copies c LEFT JOIN documents d ON d.id = c.copy_id "
        "WHERE c.canonical_id = ? ORDER BY d.published_date, c.copy_id",
        (canonical_id,),
    )


def link_of(store: Store, doc_id: str) -> LinkRow | None:
    rows = store.sql(
        "SELECT copy_id, canonical_id, similarity, containment, method FROM copies "
        "WHERE copy_id = ?",
        (doc_id,),
    )
    return LinkRow(**rows[0]) if rows else None


def counts(store: Store) -> dict[str, int]:
    row = store.sql(
        "SELECT count(*) AS copies, count(DISTINCT canonical_id) AS groups FROM copies"
    )[0]
    return {"copies": int(row["copies"]), "groups": int(row["groups"])}
