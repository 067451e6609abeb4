"""Whole tables for export: quotes, entities, mentions, claims, copies, stories, threads and
narrative labels as rows of plain values, for the corpus or for a selection of documents.

A selection is what `presstrace search` finds for a query (the one search in search.py,
every hit, not one page) and/or a language; each table is then read for those documents
only (an entity's counts are counted within the selection). The exporter (exports.py) only
formats these rows; each table declares its columns with their types (`Table.columns`), so
the Parquet writer can give nested values their real list and struct types and the CSV
writer knows which columns it must flatten.

Reads go in chunks of documents (`_CHUNK` ids a query), so a table of a 100k-document
corpus never sits in memory whole and no statement grows past the backends' parameter caps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from presstrace.model import Document
from presstrace.store.batched import batches, marks
from presstrace.store.protocol import Row, Store
from presstrace.store.queries.corpus import DocumentFilter, parts
from presstrace.store.queries.search import hits

# Documents per read: two lists of this many (copies look ids up on both sides of a pair)
# stay under SQLite's 999 bound values, the cap of SQLite builds before 3.32.
_CHUNK = 450
# The most hits a query selects for an export: more than any corpus this tool is measured on
# (100k documents), so "every hit" in practice, and still a bound on one request's memory.
MAX_SELECTED = 1_000_000
_T = TypeVar("_T")
_R = TypeVar("_R", bound=Row)  # a row type that _in_order hands back as it got it

# Column types, in plain terms (no pyarrow at import): "string", "int", "float", "bool",
# ("list", T), ("struct", ((name, T), ...)).
ColumnType = Any
STRINGS: ColumnType = ("list", "string")
EVIDENCE: ColumnType = ("list", ("struct", (("doc_id", "string"), ("sentence", "string"))))


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, ColumnType], ...]
    about: str  # one line for --help and the README

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]


_DOC = (("title", "string"), ("published", "string"), ("outlet", "string"),
        ("language", "string"))  # fmt: skip

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "quotes",
            (("doc_id", "string"), ("n", "int"), ("speaker", "string"),
             ("speaker_key", "string"), ("text", "string"), ("direct", "bool"),
             ("cue", "string"), ("confidence", "float"), ("start", "int"), ("end", "int"),
             *_DOC),  # fmt: skip
            "one row per quote, with its document's title, date, outlet and language",
        ),
        Table(
            "entities",
            (("key", "string"), ("name", "string"), ("type", "string"),
             ("aliases", STRINGS), ("documents", "int"), ("mentions", "int"),
             ("country", "string"), ("lat", "float"), ("lon", "float")),  # fmt: skip
            "one row per entity; documents and mentions counted in the selection",
        ),
        Table(
            "mentions",
            (("doc_id", "string"), ("entity_key", "string"), ("name", "string"),
             ("type", "string"), ("count", "int"), *_DOC),  # fmt: skip
            "one row per entity and document that mentions it",
        ),
        Table(
            "claims",
            (("doc_id", "string"), ("n", "int"), ("value", "float"), ("unit", "string"),
             ("text", "string"), *_DOC),  # fmt: skip
            "one row per figure (value, unit, sentence)",
        ),
        Table(
            "copies",
            (("copy_id", "string"), ("canonical_id", "string"), ("similarity", "float"),
             ("containment", "float"), ("method", "string"), ("copy_outlet", "string"),
             ("copy_published", "string"), ("copy_title", "string"),
             ("canonical_outlet", "string"), ("canonical_published", "string"),
             ("canonical_title", "string")),  # fmt: skip
            "the copy graph: one row per copy and the original it copies",
        ),
        Table(
            "stories",
            (("story_id", "string"), ("label", "string"), ("size", "int"),
             ("first", "string"), ("last", "string"), ("outlets", STRINGS),
             ("doc_ids", STRINGS)),  # fmt: skip
            "one row per story, with its outlets and documents",
        ),
        Table(
            "threads",
            (("thread_id", "string"), ("label", "string"), ("size", "int"),
             ("first", "string"), ("last", "string"), ("terms", STRINGS),
             ("evidence", EVIDENCE), ("doc_ids", STRINGS)),  # fmt: skip
            "one row per narrative thread, with its evidence sentences and documents",
        ),
        Table(
            "narratives",
            (("doc_id", "string"), ("label", "string"), ("score", "float"),
             ("evidence", STRINGS), *_DOC),  # fmt: skip
            "one row per narrative label a document carries, with its evidence sentences",
        ),
    )
}


class UnknownTable(ValueError):
    pass


# -- the selection ---------------------------------------------------------------------------
@dataclass
class Narrow:
    """What a web list was narrowed by besides the documents it shows: quotes by one
    speaker (an entity's page), entities by name and type (the entities page)."""

    speaker: str | None = None
    name: str | None = None
    type: str | None = None


def selected_ids(
    store: Store,
    query: str | None,
    language: str | None,
    filt: DocumentFilter | None = None,
    doc: str | None = None,
) -> list[str] | None:
    """The ids a query (and language, document filters, one document) select, best hit
    first; None when nothing narrows the corpus (every document)."""
    chosen: list[str] | None = None
    if query and query.strip():
        chosen = [h.id for h in hits(store, query, limit=MAX_SELECTED, language=language)]
    elif language:
        filt = DocumentFilter(**{**vars(filt or DocumentFilter()), "language": language})
    if filt is not None and any(vars(filt).values()):
        keep = _filtered_ids(store, filt)
        chosen = sorted(keep) if chosen is None else [i for i in chosen if i in keep]
    if doc:
        chosen = [doc] if chosen is None or doc in chosen else []
    return chosen


def _filtered_ids(store: Store, filt: DocumentFilter) -> set[str]:
    """Every id the documents list shows for these filters (all pages)."""
    have = parts(store)
    where, values = filt.where(have)
    if not filt.narrative or "narratives" in have:
        return {r["id"] for r in store.sql(f"SELECT id FROM documents{where}", values)}
    return {  # the JSON prefilter may over-match: check the labels exactly
        r["id"]
        for r in store.sql(f"SELECT id, data FROM documents{where}", values)
        if any(n.get("label") == filt.narrative
               for n in _json(r["data"], {}).get("narratives") or [])
    }  # fmt: skip


def documents(
    store: Store,
    query: str | None = None,
    language: str | None = None,
    filt: DocumentFilter | None = None,
    doc: str | None = None,
) -> Iterator[Document]:
    """The selected documents: every one in ingest order without a query, else the hits
    best first."""
    if not (query and query.strip()) and not doc and not (filt and any(vars(filt).values())):
        yield from store.iter_documents(language=language)
        return
    for doc_id in selected_ids(store, query, language, filt, doc) or []:
        found = store.get(doc_id)
        if found is not None:
            yield found


def rows(
    store: Store,
    table: str,
    query: str | None = None,
    language: str | None = None,
    filt: DocumentFilter | None = None,
    doc: str | None = None,
    narrow: Narrow | None = None,
) -> Iterator[dict[str, Any]]:
    """One table's rows (Table.columns, in that order) for the selection."""
    if table not in TABLES:
        raise UnknownTable(f"no table {table!r}; one of: {', '.join(TABLES)}")
    have = parts(store)
    ids = selected_ids(store, query, language, filt, doc)
    read = _READERS[table]
    names = TABLES[table].names
    narrow = narrow or Narrow()
    if narrow.speaker and table == "quotes" and "extract" in have:  # the speaker's documents
        said = [r["doc_id"] for r in store.sql(
            "SELECT DISTINCT doc_id FROM quotes WHERE speaker_key = ? ORDER BY doc_id",
            [narrow.speaker])]  # fmt: skip
        ids = said if ids is None else [i for i in ids if i in set(said)]
    for row in read(store, have, ids):
        if narrow.speaker and table == "quotes" and row.get("speaker_key") != narrow.speaker:
            continue
        if table == "entities" and not _entity_matches(row, narrow):
            continue
        yield {name: row.get(name) for name in names}


def _entity_matches(row: Row, narrow: Narrow) -> bool:
    """As the entities list filters: a part of the name, case-insensitive, and the type."""
    if narrow.type and row.get("type") != narrow.type:
        return False
    return not narrow.name or narrow.name.lower() in str(row.get("name") or "").lower()


def _chunks(store: Store, ids: list[str] | None) -> Iterator[list[str]]:
    """The selection in chunks; every document id (sorted) when there is no selection."""
    if ids is None:
        ids = [r["id"] for r in store.sql("SELECT id FROM documents ORDER BY id")]
    return batches(ids, _CHUNK)


def _json(text: str | None, default: _T) -> _T:
    try:
        value = json.loads(text) if text else default
    except (TypeError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


_DOC_COLUMNS = "d.title, d.published_date AS published, d.outlet, d.language"


# -- readers ---------------------------------------------------------------------------------
def _extract_rows(
    store: Store, have: set[str], ids: list[str] | None, select: str
) -> Iterator[dict[str, Any]]:
    """The rows of one extraction table for the selection, in its order (best hit first),
    each document's rows together. `select` holds `{marks}` where the chunk's ids go."""
    if "extract" not in have:
        return
    for chunk in _chunks(store, ids):
        found = store.sql(select.format(marks=marks(chunk)), chunk)
        yield from _in_order(found, chunk, "doc_id")


def _quotes(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    for row in _extract_rows(
        store, have, ids,
        "SELECT q.doc_id, q.n, q.speaker, q.speaker_key, q.text, q.direct, q.cue, "
        "q.confidence, q.start_offset AS start, q.end_offset AS \"end\", "
        f"{_DOC_COLUMNS} FROM quotes q JOIN documents d ON d.id = q.doc_id "
        "WHERE q.doc_id IN ({marks}) ORDER BY q.doc_id, q.n",
    ):  # fmt: skip
        row["direct"] = bool(row["direct"])
        yield row


def _mentions(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    return _extract_rows(
        store, have, ids,
        f"SELECT m.doc_id, m.entity_key, e.name, e.type, m.count, {_DOC_COLUMNS} "
        "FROM entity_mentions m JOIN entities e ON e.key = m.entity_key "
        "JOIN documents d ON d.id = m.doc_id WHERE m.doc_id IN ({marks}) "
        "ORDER BY m.doc_id, m.count DESC, m.entity_key",
    )  # fmt: skip


def _claims(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    return _extract_rows(
        store, have, ids,
        f"SELECT c.doc_id, c.n, c.value, c.unit, c.text, {_DOC_COLUMNS} FROM claims c "
        "JOIN documents d ON d.id = c.doc_id WHERE c.doc_id IN ({marks}) "
        "ORDER BY c.doc_id, c.n",
    )  # fmt: skip


def _in_order(found: list[_R], chunk: list[str], key: str) -> list[_R]:
    """Rows in the selection's order (best hit first), each document's rows together."""
    rank = {doc_id: i for i, doc_id in enumerate(chunk)}
    return sorted(found, key=lambda r: rank.get(r[key], len(rank)))


_ENTITY = "key, name, type, aliases, documents, mentions, country, lat, lon"


def mention_counts(store: Store, ids: list[str], located: bool = False) -> dict[str, list[int]]:
    """entity key -> [documents of `ids` that mention it, its mentions in them]; `located`:
    only the entities with coordinates (the places a map shows)."""
    join = ("JOIN entities e ON e.key = m.entity_key WHERE e.lat IS NOT NULL "
            "AND e.lon IS NOT NULL AND" if located else "WHERE")  # fmt: skip
    counts: dict[str, list[int]] = {}
    for chunk in _chunks(store, ids):
        for row in store.sql(
            f"SELECT m.entity_key, m.count FROM entity_mentions m {join} "
            f"m.doc_id IN ({marks(chunk)})",
            chunk,
        ):
            c = counts.setdefault(row["entity_key"], [0, 0])
            c[0] += 1
            c[1] += int(row["count"])
    return counts


def counted_entities(
    store: Store, counts: dict[str, list[int]], columns: str, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The entities of `counts` (mention_counts), most documents first, then mentions, then
    key: `columns` of each as stored, with `documents` and `mentions` from `counts`."""
    ranked = sorted(counts, key=lambda k: (-counts[k][0], -counts[k][1], k))[:limit]
    for keys in batches(ranked, _CHUNK):
        found = {
            r["key"]: r
            for r in store.sql(f"SELECT {columns} FROM entities WHERE key IN ({marks(keys)})",
                               keys)  # fmt: skip
        }
        for key in keys:
            if key in found:
                docs, mentions = counts[key]
                yield {**found[key], "documents": docs, "mentions": mentions}


def _entities(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    if "extract" not in have:
        return
    if ids is None:
        rows: Iterable[dict[str, Any]] = store.sql(
            f"SELECT {_ENTITY} FROM entities ORDER BY documents DESC, mentions DESC, key"
        )
    else:
        rows = counted_entities(store, mention_counts(store, ids), _ENTITY)
    for row in rows:
        yield {**row, "aliases": _json(row["aliases"], [])}


_COPY = (
    "SELECT c.copy_id, c.canonical_id, c.similarity, c.containment, c.method, "
    "a.outlet AS copy_outlet, a.published_date AS copy_published, a.title AS copy_title, "
    "b.outlet AS canonical_outlet, b.published_date AS canonical_published, "
    "b.title AS canonical_title FROM copies c JOIN documents a ON a.id = c.copy_id "
    "JOIN documents b ON b.id = c.canonical_id"
)


def _copies(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    """Every pair with a selected document on either side, once."""
    if "copies" not in have:
        return
    if ids is None:
        yield from store.sql(f"{_COPY} ORDER BY c.canonical_id, c.copy_id")
        return
    seen: set[str] = set()
    for chunk in _chunks(store, ids):
        both = marks(chunk)
        for row in store.sql(
            f"{_COPY} WHERE c.copy_id IN ({both}) OR c.canonical_id IN ({both}) "
            "ORDER BY c.canonical_id, c.copy_id",
            [*chunk, *chunk],
        ):
            if row["copy_id"] not in seen:
                seen.add(row["copy_id"])
                yield row


def _members(store: Store, column: str, ids: list[str] | None) -> dict[str, list[dict]]:
    """group id -> its documents (id, outlet), date order, for the groups the selection
    touches (every group without a selection)."""
    if ids is None:
        rows = store.sql(
            f"SELECT {column} AS g, id, outlet FROM documents WHERE {column} IS NOT NULL "
            "ORDER BY published_date ASC NULLS LAST, id"
        )
    else:
        groups: set[str] = set()
        for chunk in _chunks(store, ids):
            groups.update(
                r["g"]
                for r in store.sql(
                    f"SELECT DISTINCT {column} AS g FROM documents WHERE id IN ({marks(chunk)}) "
                    f"AND {column} IS NOT NULL",
                    chunk,
                )
            )
        rows = []
        for some in batches(sorted(groups), _CHUNK):
            rows += store.sql(
                f"SELECT {column} AS g, id, outlet FROM documents WHERE {column} IN "
                f"({marks(some)}) ORDER BY published_date ASC NULLS LAST, id",
                some,
            )
    members: dict[str, list[dict]] = {}
    for row in rows:
        members.setdefault(row["g"], []).append(row)
    return members


def _group_rows(
    store: Store, have: set[str], ids: list[str] | None, kind: str
) -> Iterator[dict[str, Any]]:
    column, table = f"{kind}_id", {"story": "stories", "thread": "threads"}[kind]
    members = _members(store, column, ids)
    stored: dict[str, dict[str, Any]] = {}
    if table in have and members:
        extra = ", terms, evidence" if kind == "thread" else ""
        for some in batches(sorted(members), _CHUNK):
            for r in store.sql(
                f"SELECT {column} AS id, label, size, first_date, last_date{extra} FROM {table} "
                f"WHERE {column} IN ({marks(some)})",
                some,
            ):
                stored[r["id"]] = r
    out = []
    for group_id, docs in members.items():
        row = stored.get(group_id, {})
        outlets: list[str] = []
        for d in docs:
            if d["outlet"] and d["outlet"] not in outlets:
                outlets.append(d["outlet"])
        item = {
            column: group_id,
            "label": row.get("label"),
            "size": int(row.get("size") or len(docs)),
            "first": row.get("first_date"),
            "last": row.get("last_date"),
            "outlets": outlets,
            "doc_ids": [d["id"] for d in docs],
        }
        if kind == "thread":
            item["terms"] = [str(t) for t in _json(row.get("terms"), [])]
            item["evidence"] = [
                {"doc_id": e.get("doc_id"), "sentence": e.get("sentence")}
                for e in _json(row.get("evidence"), [])
                if isinstance(e, dict)
            ]
        out.append(item)
    missing = [item[column] for item in out if item[column] not in stored]
    if missing:  # no step table (yet): the span from the members' dates
        spans = _spans(store, column, missing)
        for item in out:
            if item[column] in spans:
                item["first"], item["last"] = spans[item[column]]
    out.sort(key=lambda r: (-r["size"], r[column]))
    yield from out


def _spans(store: Store, column: str, groups: list[str]) -> dict[str, tuple[Any, Any]]:
    spans: dict[str, tuple[Any, Any]] = {}
    for some in batches(groups, _CHUNK):
        for r in store.sql(
            f"SELECT {column} AS g, min(published_date) AS first, max(published_date) AS last "
            f"FROM documents WHERE {column} IN ({marks(some)}) GROUP BY {column}",
            some,
        ):
            spans[r["g"]] = (r["first"], r["last"])
    return spans


def _stories(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    return _group_rows(store, have, ids, "story")


def _threads(store: Store, have: set[str], ids: list[str] | None) -> Iterator[dict[str, Any]]:
    return _group_rows(store, have, ids, "thread")


def _narratives(
    store: Store, have: set[str], ids: list[str] | None
) -> Iterator[dict[str, Any]]:
    """From the narratives step's label table; a store without it keeps the labels in each
    document's JSON, read from there."""
    for chunk in _chunks(store, ids):
        if "narratives" in have:
            found = store.sql(
                f"SELECT n.doc_id, n.label, n.score, n.evidence, {_DOC_COLUMNS} "
                "FROM narrative_labels n JOIN documents d ON d.id = n.doc_id "
                f"WHERE n.doc_id IN ({marks(chunk)}) ORDER BY n.doc_id, n.score DESC, n.label",
                chunk,
            )
            for row in _in_order(found, chunk, "doc_id"):
                yield {**row, "evidence": [str(e) for e in _json(row["evidence"], [])]}
            continue
        for row in store.sql(
            f"SELECT d.id AS doc_id, d.data, {_DOC_COLUMNS} FROM documents d "
            f"WHERE d.id IN ({marks(chunk)})",
            chunk,
        ):
            for n in _json(row.pop("data"), {}).get("narratives") or []:
                yield {**row, "label": n.get("label"), "score": n.get("score"),
                       "evidence": [str(e) for e in n.get("evidence") or []]}  # fmt: skip


_READERS = {
    "quotes": _quotes,
    "entities": _entities,
    "mentions": _mentions,
    "claims": _claims,
    "copies": _copies,
    "stories": _stories,
    "threads": _threads,
    "narratives": _narratives,
}
