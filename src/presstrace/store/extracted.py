"""The extraction stage's tables: canonical entities, their mentions, quotes and claims, plus
the per-document raw results that let names be re-canonicalised without re-running spaCy.

Everything here is portable SQL (`?` placeholders) so SQLite and PostgreSQL behave alike.
`extract_docs` is the stage's memory: a document with a row there has been through spaCy;
`patched = 0` means its canonical names are not yet written into the Document.
Inserts tolerate a concurrent ingest that wrote the same rows first (ON CONFLICT): two
processes extracting the same new documents compute the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from presstrace.store.batched import sql_in
from presstrace.store.protocol import JsonValue, Store
from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "extract",
    (
        """
        CREATE TABLE entities (
            key {key} PRIMARY KEY, name {text} NOT NULL, type {text} NOT NULL,
            aliases {text} NOT NULL, documents {int} NOT NULL, mentions {int} NOT NULL,
            country {text}, lat {real}, lon {real}
        );
        CREATE INDEX entities_type ON entities (type, mentions);
        CREATE TABLE entity_mentions (
            doc_id {key} NOT NULL, entity_key {key} NOT NULL, count {int} NOT NULL,
            PRIMARY KEY (doc_id, entity_key)
        );
        CREATE INDEX entity_mentions_key ON entity_mentions (entity_key);
        CREATE TABLE quotes (
            doc_id {key} NOT NULL, n {int} NOT NULL, speaker_key {key}, speaker {text},
            text {text} NOT NULL, direct {int} NOT NULL, cue {text},
            start_offset {int}, end_offset {int}, PRIMARY KEY (doc_id, n)
        );
        CREATE INDEX quotes_speaker ON quotes (speaker_key);
        CREATE TABLE claims (
            doc_id {key} NOT NULL, n {int} NOT NULL, value {real} NOT NULL, unit {text},
            text {text} NOT NULL, PRIMARY KEY (doc_id, n)
        );
        CREATE TABLE extract_docs (
            doc_id {key} PRIMARY KEY, data {text} NOT NULL, patched {int} NOT NULL
        );
        CREATE INDEX extract_docs_patched ON extract_docs (patched);
        CREATE TABLE extract_surfaces (
            doc_id {key} NOT NULL, surface {key} NOT NULL, type {text} NOT NULL,
            count {int} NOT NULL, PRIMARY KEY (doc_id, surface, type)
        );
        CREATE INDEX extract_surfaces_surface ON extract_surfaces (surface);
        CREATE TABLE surface_map (
            surface {key} PRIMARY KEY, entity_key {key} NOT NULL, name {text} NOT NULL,
            type {text} NOT NULL
        );
        """,
        "ALTER TABLE quotes ADD COLUMN confidence {real} NOT NULL DEFAULT 0;",
        # The name merge's index (extract/incremental.py): label counts per surface kept up
        # to date by each batch (no GROUP BY over the corpus), each surface's index keys, and
        # the corpus-wide state of the last merge.
        """
        CREATE TABLE surface_stats (
            surface {key} NOT NULL, type {key} NOT NULL, mentions {int} NOT NULL,
            documents {int} NOT NULL, PRIMARY KEY (surface, type)
        ){without_rowid};
        INSERT INTO surface_stats (surface, type, mentions, documents)
            SELECT surface, type, sum(count), count(*) FROM extract_surfaces WHERE count > 0
            GROUP BY surface, type;
        CREATE TABLE name_keys (
            key {key} NOT NULL, surface {key} NOT NULL, PRIMARY KEY (key, surface)
        ){without_rowid};
        CREATE INDEX name_keys_surface ON name_keys (surface);
        CREATE TABLE name_state (name {key} PRIMARY KEY, value {text} NOT NULL);
        """,
    ),
)


SPEAKER = ""  # type of an extract_surfaces row with count 0: a quote speaker named in the
# document but not counted as its mention; its mapping still decides the quote's key, so a
# change to it must re-patch the document (docs_with_surfaces finds it)


@dataclass
class Mapped:
    """Where one surface form points now: its entity key, canonical name and type, and for a
    place where it is (a change of country set can move "Moscow" from Idaho to Russia)."""

    entity_key: str
    name: str
    type: str
    place: tuple | None = None


def entity_places(store: Store) -> dict[str, tuple]:
    """entity key -> (country, lat, lon) for the entities that have a place."""
    rows = store.sql("SELECT key, country, lat, lon FROM entities WHERE country IS NOT NULL")
    return {r["key"]: (r["country"], r["lat"], r["lon"]) for r in rows}


def unprocessed(store: Store, limit: int, after: str = "") -> list[tuple[str, str, str | None]]:
    """(doc_id, text, language) of stored documents spaCy has not seen yet, in id order,
    ids > after."""
    rows = store.sql(
        "SELECT d.id AS id, d.text AS text, d.language AS language FROM documents d "
        "LEFT JOIN extract_docs e ON e.doc_id = d.id WHERE e.doc_id IS NULL AND d.id > ? "
        "ORDER BY d.id LIMIT ?",
        (after, limit),
    )
    return [(row["id"], row["text"], row["language"]) for row in rows]


def count_unprocessed(store: Store) -> int:
    rows = store.sql(
        "SELECT count(*) AS n FROM documents d "
        "LEFT JOIN extract_docs e ON e.doc_id = d.id WHERE e.doc_id IS NULL"
    )
    return int(rows[0]["n"])


def save_raw(store: Store, results: Iterable[tuple[str, dict, dict[tuple[str, str], int]]]) -> None:
    """Keep each document's raw extraction (JSON) and its surface-form counts, unpatched.
    Caller holds the transaction."""
    results = list(results)
    done = {
        r["doc_id"]
        for r in sql_in(
            store,
            "SELECT doc_id FROM extract_docs WHERE doc_id IN ({marks})",
            [doc_id for doc_id, _, _ in results],
        )
    }  # written by a concurrent run: counted once
    store.sql_many(
        "INSERT INTO surface_stats (surface, type, mentions, documents) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (surface, type) DO UPDATE SET mentions = surface_stats.mentions + "
        "excluded.mentions, documents = surface_stats.documents + 1",
        [
            (surface, etype, n)
            for doc_id, _, counts in results
            if doc_id not in done
            for (surface, etype), n in counts.items()
            if n > 0
        ],
    )
    store.sql_many(
        "INSERT INTO extract_docs (doc_id, data, patched) VALUES (?, ?, 0) "
        "ON CONFLICT (doc_id) DO NOTHING",
        [(doc_id, json.dumps(data, ensure_ascii=False)) for doc_id, data, _ in results],
    )
    store.sql_many(
        "INSERT INTO extract_surfaces (doc_id, surface, type, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (doc_id, surface, type) DO NOTHING",
        [
            (doc_id, surface, etype, n)
            for doc_id, _, counts in results
            for (surface, etype), n in counts.items()
        ],
    )


def surface_totals(store: Store, surfaces: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every surface form in the corpus (or these) with its type, mention and document
    counts (a quote speaker a document only depends on, count 0, is not counted: SPEAKER)."""
    query = "SELECT surface, type, mentions, documents FROM surface_stats"
    if surfaces is None:
        return store.sql(query)
    return sql_in(store, query + " WHERE surface IN ({marks})", list(surfaces))


def surfaces_of(store: Store, doc_ids: Sequence[str]) -> set[str]:
    """The surfaces these documents mention or quote."""
    query = "SELECT DISTINCT surface FROM extract_surfaces WHERE doc_id IN ({marks})"
    return {r["surface"] for r in sql_in(store, query, list(doc_ids))}


def load_map(store: Store, surfaces: Sequence[str] | None = None) -> dict[str, Mapped]:
    """Where every surface (or these) points now."""
    query = "SELECT surface, entity_key, name, type FROM surface_map"
    if surfaces is None:
        rows = store.sql(query)
        places = entity_places(store)
    else:
        rows = sql_in(store, query + " WHERE surface IN ({marks})", list(surfaces))
        places = {
            r["key"]: (r["country"], r["lat"], r["lon"])
            for r in sql_in(
                store,
                "SELECT key, country, lat, lon FROM entities WHERE country IS NOT NULL "
                "AND key IN ({marks})",
                sorted({r["entity_key"] for r in rows}),
            )
        }
    return {
        r["surface"]: Mapped(r["entity_key"], r["name"], r["type"], places.get(r["entity_key"]))
        for r in rows
    }


def name_keys_of(store: Store, surfaces: Collection[str]) -> dict[str, set[str]]:
    """surface -> the index keys the last name merge stored for it."""
    out: dict[str, set[str]] = {}
    query = "SELECT key, surface FROM name_keys WHERE surface IN ({marks})"
    for r in sql_in(store, query, sorted(surfaces)):
        out.setdefault(r["surface"], set()).add(r["key"])
    return out


def surfaces_with_keys(store: Store, keys: Collection[str]) -> dict[str, set[str]]:
    """key -> the surfaces that have it."""
    out: dict[str, set[str]] = {}
    query = "SELECT key, surface FROM name_keys WHERE key IN ({marks})"
    for r in sql_in(store, query, sorted(keys)):
        out.setdefault(r["key"], set()).add(r["surface"])
    return out


def name_keys_between(store: Store, low: str, high: str) -> set[str]:
    """The distinct index keys in [low, high) (a range of the primary key)."""
    rows = store.sql("SELECT DISTINCT key FROM name_keys WHERE key >= ? AND key < ?", (low, high))
    return {r["key"] for r in rows}


def entity_count(store: Store) -> int:
    return int(store.sql("SELECT count(*) AS n FROM entities")[0]["n"])


def mapped_count(store: Store) -> int:
    return int(store.sql("SELECT count(*) AS n FROM surface_map")[0]["n"])


def name_state(store: Store, name: str) -> JsonValue:
    rows = store.sql("SELECT value FROM name_state WHERE name = ?", (name,))
    return json.loads(rows[0]["value"]) if rows else None


def save_name_index(
    store: Store, keys: dict[str, set[str]], state: Mapping[str, JsonValue], everything: bool
) -> None:
    """Replace the index keys of these surfaces (of every surface: `everything`) and the
    merge's corpus-wide state. Caller holds the transaction."""
    if everything:
        store.sql("DELETE FROM name_keys")
    else:
        store.sql_many("DELETE FROM name_keys WHERE surface = ?", [(s,) for s in keys])
    store.sql_many(
        "INSERT INTO name_keys (key, surface) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(k, s) for s, own in keys.items() for k in sorted(own)],
    )
    store.sql_many(
        "INSERT INTO name_state (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [(name, json.dumps(value)) for name, value in sorted(state.items())],
    )


def save_map(store: Store, mapping: dict[str, Mapped], old: dict[str, Mapped]) -> None:
    """Write only the rows that changed. Caller holds the transaction."""
    gone = [(s,) for s in old if s not in mapping]
    if gone:
        store.sql_many("DELETE FROM surface_map WHERE surface = ?", gone)
    changed = [
        (s, m.entity_key, m.name, m.type)
        for s, m in mapping.items()
        if (o := old.get(s)) is None
        or (o.entity_key, o.name, o.type) != (m.entity_key, m.name, m.type)
    ]
    if changed:
        store.sql_many("DELETE FROM surface_map WHERE surface = ?", [(c[0],) for c in changed])
        store.sql_many(
            "INSERT INTO surface_map (surface, entity_key, name, type) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (surface) DO UPDATE SET entity_key = excluded.entity_key, "
            "name = excluded.name, type = excluded.type",
            changed,
        )


def docs_with_surfaces(store: Store, surfaces: Sequence[str]) -> set[str]:
    found: set[str] = set()
    surfaces = list(surfaces)
    for start in range(0, len(surfaces), 500):
        chunk = surfaces[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.sql(
            f"SELECT DISTINCT doc_id FROM extract_surfaces WHERE surface IN ({marks})", chunk
        )
        found.update(r["doc_id"] for r in rows)
    return found


def unpatched(store: Store) -> set[str]:
    return {r["doc_id"] for r in store.sql("SELECT doc_id FROM extract_docs WHERE patched = 0")}


def raw_results(store: Store, doc_ids: Sequence[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    doc_ids = list(doc_ids)
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.sql(f"SELECT doc_id, data FROM extract_docs WHERE doc_id IN ({marks})", chunk)
        found.update((r["doc_id"], json.loads(r["data"])) for r in rows)
    return found


@dataclass
class DocRows:
    """What one document contributes to the query tables, with canonical names applied."""

    doc_id: str
    mentions: dict[str, int]
    quotes: list[tuple]  # (speaker_key, speaker, text, direct, cue, start, end, confidence)
    claims: list[tuple]  # (value, unit, text)


def write_doc_rows(store: Store, docs: Sequence[DocRows]) -> None:
    """Replace the mention/quote/claim rows of these documents and mark them patched.
    Caller holds the transaction."""
    ids = [(d.doc_id,) for d in docs]
    for table in ("entity_mentions", "quotes", "claims"):
        store.sql_many(f"DELETE FROM {table} WHERE doc_id = ?", ids)
    store.sql_many(
        "INSERT INTO entity_mentions (doc_id, entity_key, count) VALUES (?, ?, ?) "
        "ON CONFLICT (doc_id, entity_key) DO NOTHING",
        [(d.doc_id, key, n) for d in docs for key, n in d.mentions.items()],
    )
    store.sql_many(
        "INSERT INTO quotes (doc_id, n, speaker_key, speaker, text, direct, cue, "
        "start_offset, end_offset, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (doc_id, n) DO NOTHING",
        [(d.doc_id, n, *q) for d in docs for n, q in enumerate(d.quotes)],
    )
    store.sql_many(
        "INSERT INTO claims (doc_id, n, value, unit, text) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (doc_id, n) DO NOTHING",
        [(d.doc_id, n, *c) for d in docs for n, c in enumerate(d.claims)],
    )
    store.sql_many("UPDATE extract_docs SET patched = 1 WHERE doc_id = ?", ids)


def rebuild_entities(
    store: Store, rows: Iterable[tuple], keys: Sequence[str] | None = None
) -> None:
    """Replace the entities table (or its rows of these keys): (key, name, type, aliases,
    country, lat, lon); document and mention counts come from entity_mentions. Caller holds
    the transaction."""
    query = (
        "SELECT entity_key, count(*) AS documents, sum(count) AS mentions "
        "FROM entity_mentions {where} GROUP BY entity_key"
    )
    if keys is None:
        store.sql("DELETE FROM entities")
        found = store.sql(query.format(where=""))
    else:
        store.sql_many("DELETE FROM entities WHERE key = ?", [(k,) for k in keys])
        found = sql_in(store, query.format(where="WHERE entity_key IN ({marks})"), list(keys))
    counts = {r["entity_key"]: (int(r["documents"]), int(r["mentions"])) for r in found}
    store.sql_many(
        "INSERT INTO entities (key, name, type, aliases, documents, mentions, country, lat, "
        "lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        [
            (key, name, etype, json.dumps(aliases, ensure_ascii=False), *counts[key], c, la, lo)
            for key, name, etype, aliases, c, la, lo in rows
            if key in counts
        ],
    )


# -- reading, for the CLI and the web UI -------------------------------------------------------
def top_entities(store: Store, etype: str | None = None, limit: int = 30) -> list[dict[str, Any]]:
    where, params = ("WHERE type = ?", [etype.upper()]) if etype else ("", [])
    rows = store.sql(
        f"SELECT key, name, type, aliases, documents, mentions, country, lat, lon FROM entities "
        f"{where} ORDER BY documents DESC, mentions DESC, key LIMIT ?",
        (*params, limit),
    )
    for row in rows:
        row["aliases"] = json.loads(row["aliases"])
    return rows


def find_quotes(
    store: Store,
    speaker: str | None = None,
    text: str | None = None,
    limit: int = 50,
    min_confidence: float = 0.0,
) -> list[dict[str, Any]]:
    """Quotes whose speaker name or key contains `speaker` and whose text contains `text`
    (case-insensitive), attributed with at least `min_confidence`."""
    clauses: list[str] = []
    params: list[Any] = []
    if min_confidence > 0:
        clauses.append("q.confidence >= ?")
        params.append(min_confidence)
    if speaker:
        clauses.append("(lower(q.speaker) LIKE ? OR q.speaker_key LIKE ?)")
        params += [f"%{speaker.lower()}%", f"%{speaker.lower()}%"]
    if text:
        clauses.append("lower(q.text) LIKE ?")
        params.append(f"%{text.lower()}%")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return store.sql(
        "SELECT q.doc_id, q.n, q.speaker_key, q.speaker, q.text, q.direct, q.cue, "
        "q.start_offset, q.end_offset, q.confidence "
        f"FROM quotes q {where} ORDER BY q.doc_id, q.n LIMIT ?",
        (*params, limit),
    )


def find_claims(store: Store, unit: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    where, params = ("WHERE lower(unit) LIKE ?", [f"%{unit.lower()}%"]) if unit else ("", [])
    return store.sql(
        f"SELECT doc_id, n, value, unit, text FROM claims {where} ORDER BY doc_id, n LIMIT ?",
        (*params, limit),
    )
