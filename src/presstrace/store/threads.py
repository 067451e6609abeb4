"""The threads part of the store: narrative threads, and what keeps them incremental.

- `threads`: one row per thread (the contract: id, label, size, first/last date, evidence as
  a JSON list of {"doc_id", "sentence"}), plus its key terms and the stories it covers.
- `thread_docs`: one row per document the threads step has seen (its presence is the
  step's bookmark): its argument sentences, argument vector (float32 bytes, null when the
  article argues too little), the actor keys those sentences name, and its component root.
  Components are the connected groups of linked articles; a component is a thread when it
  spans two stories or more.
- `thread_links`: the links between articles (pairs, cosine), so a component can be
  rebuilt or inspected without recomputing similarities.
- `thread_terms`: in how many argument-bearing articles each word occurs (c-TF-IDF labels).
- `thread_settings`: the embedding model the stored vectors come from (a new model means
  the vectors cannot be compared with new ones: the step then rebuilds everything).

All SQL is portable (`?` placeholders) and runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from presstrace.store import todo
from presstrace.store.batched import sql_in
from presstrace.store.protocol import Row, Store
from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "threads",
    (
        """
        CREATE TABLE threads (
            thread_id {key} PRIMARY KEY, label {text}, size {int},
            first_date {text}, last_date {text}, evidence {text},
            terms {text}, stories {int}, root {key}
        );
        CREATE TABLE thread_docs (
            doc_id {key} PRIMARY KEY, component {key} NOT NULL, sentences {text} NOT NULL,
            actors {text} NOT NULL, vector {blob}
        );
        CREATE INDEX thread_docs_component ON thread_docs (component);
        CREATE TABLE thread_links (
            a {key} NOT NULL, b {key} NOT NULL, similarity {real} NOT NULL, PRIMARY KEY (a, b)
        );
        CREATE INDEX thread_links_b ON thread_links (b);
        CREATE TABLE thread_terms (term {key} PRIMARY KEY, docs {int} NOT NULL);
        """,
        # v2: which embedding model the stored argument vectors come from
        "CREATE TABLE thread_settings (name {key} PRIMARY KEY, value {text} NOT NULL);",
        # v3: actor -> arguing article, so a batch reads the stored articles sharing one of
        # its actors (the only ones a link can reach), not every arguing article per ingest.
        # Filled by the step from thread_docs once (`fill_actors`): no JSON in SQL here.
        """
        CREATE TABLE thread_actors (
            actor {key} NOT NULL, doc_id {key} NOT NULL, PRIMARY KEY (actor, doc_id)
        ){without_rowid};
        """,
    ),
)


@dataclass
class DocRow:
    """One processed document as the step stores it."""

    doc_id: str
    component: str
    sentences: list[tuple[str, int, float, str]]
    actors: list[str]
    vector: np.ndarray | None


@dataclass
class ThreadRow:
    thread_id: str
    label: str
    size: int
    first_date: str | None
    last_date: str | None
    evidence: list[dict[str, str]]
    terms: list[str]
    stories: int
    root: str


def _vector(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(bytes(blob), dtype=np.float32).copy()


def _doc_row(r: Row) -> DocRow:
    return DocRow(
        r["doc_id"],
        r["component"],
        [tuple(s) for s in json.loads(r["sentences"])],
        json.loads(r["actors"]),
        _vector(r["vector"]),
    )


# -- reading --------------------------------------------------------------------------------
QUEUE = todo.Queue(  # store/todo.py: documents the step has not seen
    "threads", "1", "NOT EXISTS (SELECT 1 FROM thread_docs t WHERE t.doc_id = d.id)"
)


def pending_count(store: Store) -> int:
    return todo.pending_count(store, QUEUE)


def pending(store: Store, after: str, limit: int) -> list[dict[str, Any]]:
    """Documents the step has not seen, in id order after `after`: id and stored record."""
    return todo.pending_rows(store, QUEUE, "d.id AS id, d.data AS data", after, limit)


def arguing_with(store: Store, actors: Sequence[str]) -> list[tuple[str, np.ndarray, list[str]]]:
    """(doc_id, vector, actors) of the processed articles that argue about one of these
    actors (`thread_actors`; the only ones a link from an article naming them can reach), in
    id order."""
    rows = sql_in(
        store,
        f"SELECT {_ARGUING} WHERE doc_id IN "
        "(SELECT doc_id FROM thread_actors WHERE actor IN ({marks}))",
        actors,
    )
    found = {r["doc_id"]: r for r in rows}  # a batch of actors each: an article once
    return [(d, _vector(r["vector"]), json.loads(r["actors"])) for d, r in sorted(found.items())]


_ARGUING = "doc_id, vector, actors FROM thread_docs"
_ARGUES = "vector IS NOT NULL AND actors <> '[]'"
ACTORS_FILLED = "actors_filled"  # thread_settings: thread_actors holds every arguing article


def fill_actors(store: Store) -> None:
    """Fill `thread_actors` from the stored articles, once (a store threaded before v3);
    caller's transaction."""
    store.sql("DELETE FROM thread_actors")
    after = ""
    while rows := store.sql(
        f"SELECT doc_id, actors FROM thread_docs WHERE {_ARGUES} AND doc_id > ? "
        "ORDER BY doc_id LIMIT 5000",
        (after,),
    ):
        _save_actors(store, [(r["doc_id"], json.loads(r["actors"])) for r in rows])
        after = rows[-1]["doc_id"]
    save_setting(store, ACTORS_FILLED, "1")


def _save_actors(store: Store, docs: Iterable[tuple[str, Iterable[str]]]) -> None:
    store.sql_many(
        "INSERT INTO thread_actors (actor, doc_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(actor, doc_id) for doc_id, actors in docs for actor in sorted(set(actors))],
    )


def components_of(store: Store, ids: Sequence[str]) -> dict[str, str]:
    rows = sql_in(store, "SELECT doc_id, component FROM thread_docs WHERE doc_id IN ({marks})", ids)
    return {r["doc_id"]: r["component"] for r in rows}


def members(store: Store, root: str) -> list[dict[str, Any]]:
    """A component's articles with their stored argument and current story and date."""
    rows = store.sql(
        "SELECT t.doc_id, t.component, t.sentences, t.actors, t.vector, d.story_id, "
        "d.published_date, d.thread_id FROM thread_docs t JOIN documents d ON d.id = t.doc_id "
        "WHERE t.component = ? ORDER BY t.doc_id",
        (root,),
    )
    return [{**r, "row": _doc_row(r)} for r in rows]


def term_docs(store: Store, terms: Sequence[str]) -> dict[str, int]:
    rows = sql_in(store, "SELECT term, docs FROM thread_terms WHERE term IN ({marks})", terms)
    return {r["term"]: int(r["docs"]) for r in rows}


def arguing_docs(store: Store) -> int:
    rows = store.sql("SELECT count(*) AS n FROM thread_docs WHERE vector IS NOT NULL")
    return int(rows[0]["n"])


def thread_for_root(store: Store, roots: Sequence[str]) -> dict[str, str]:
    rows = sql_in(store, "SELECT root, thread_id FROM threads WHERE root IN ({marks})", roots)
    return {r["root"]: r["thread_id"] for r in rows}


def thread_list(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Threads, biggest first (then most stories, then id)."""
    query = (
        "SELECT thread_id, label, size, first_date, last_date, evidence, terms, stories "
        "FROM threads ORDER BY size DESC, stories DESC, thread_id"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [_thread(r) for r in store.sql(query)]


def thread(store: Store, thread_id: str) -> dict[str, Any] | None:
    """One thread by id or unique id prefix."""
    rows = store.sql(
        "SELECT thread_id, label, size, first_date, last_date, evidence, terms, stories "
        "FROM threads WHERE thread_id = ?",
        (thread_id,),
    )
    if not rows and len(thread_id) >= 4:
        rows = store.sql(
            "SELECT thread_id, label, size, first_date, last_date, evidence, terms, stories "
            "FROM threads WHERE thread_id LIKE ? ORDER BY thread_id LIMIT 2",
            (thread_id.replace("%", "") + "%",),
        )
        rows = rows if len(rows) == 1 else []
    return _thread(rows[0]) if rows else None


def thread_documents(store: Store, thread_id: str) -> list[dict[str, Any]]:
    """A thread's articles in date order (undated last)."""
    return store.sql(
        "SELECT id, title, published_date, outlet, source, story_id FROM documents "
        "WHERE thread_id = ? "
        "ORDER BY CASE WHEN published_date IS NULL THEN 1 ELSE 0 END, published_date, id",
        (thread_id,),
    )


def _thread(r: Row) -> dict[str, Any]:
    return {
        **r,
        "evidence": json.loads(r["evidence"] or "[]"),
        "terms": json.loads(r["terms"] or "[]"),
    }


def doc_argument(store: Store, doc_id: str) -> DocRow | None:
    rows = store.sql(
        "SELECT doc_id, component, sentences, actors, vector FROM thread_docs WHERE doc_id = ?",
        (doc_id,),
    )
    return _doc_row(rows[0]) if rows else None


def setting(store: Store, name: str) -> str | None:
    rows = store.sql("SELECT value FROM thread_settings WHERE name = ?", (name,))
    return rows[0]["value"] if rows else None


def threaded_docs(store: Store) -> list[str]:
    return [r["id"] for r in store.sql("SELECT id FROM documents WHERE thread_id IS NOT NULL")]


# -- writing (inside the caller's transaction) -----------------------------------------------
def save_setting(store: Store, name: str, value: str) -> None:
    store.sql(
        "INSERT INTO thread_settings (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


def clear(store: Store) -> None:
    """Forget every thread and argument (the documents' thread_id is the caller's)."""
    for name in ("thread_docs", "thread_links", "threads", "thread_terms", "thread_actors"):
        store.sql(f"DELETE FROM {name}")
    todo.forget(store, QUEUE.step)


def save_docs(store: Store, rows: Iterable[DocRow]) -> None:
    """Mark these documents seen (with their arguments); caller's transaction."""
    rows = list(rows)
    store.sql_many(
        "INSERT INTO thread_docs (doc_id, component, sentences, actors, vector) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO NOTHING",
        [
            (
                r.doc_id,
                r.component,
                json.dumps(r.sentences, ensure_ascii=False),
                json.dumps(r.actors, ensure_ascii=False),
                None if r.vector is None else np.asarray(r.vector, dtype=np.float32).tobytes(),
            )
            for r in rows
        ],
    )
    _save_actors(store, [(r.doc_id, r.actors) for r in rows if r.vector is not None])
    todo.finish(store, QUEUE.step, [r.doc_id for r in rows])


def save_links(store: Store, links: Iterable[tuple[str, str, float]]) -> None:
    store.sql_many(
        "INSERT INTO thread_links (a, b, similarity) VALUES (?, ?, ?) "
        "ON CONFLICT (a, b) DO NOTHING",
        list(links),
    )


def add_terms(store: Store, counts: dict[str, int]) -> None:
    store.sql_many(
        "INSERT INTO thread_terms (term, docs) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET docs = thread_terms.docs + excluded.docs",
        sorted(counts.items()),
    )


def relabel(store: Store, moves: dict[str, str]) -> None:
    """Point every article of a merged component at the component that absorbed it."""
    store.sql_many(
        "UPDATE thread_docs SET component = ? WHERE component = ?",
        [(new, old) for old, new in sorted(moves.items())],
    )


def save_threads(store: Store, rows: Iterable[ThreadRow], gone: Iterable[str]) -> None:
    gone = sorted(set(gone))
    if gone:
        store.sql_many("DELETE FROM threads WHERE thread_id = ?", [(t,) for t in gone])
    store.sql_many(
        "INSERT INTO threads (thread_id, label, size, first_date, last_date, evidence, terms, "
        "stories, root) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id) DO UPDATE SET "
        "label = excluded.label, size = excluded.size, first_date = excluded.first_date, "
        "last_date = excluded.last_date, evidence = excluded.evidence, "
        "terms = excluded.terms, stories = excluded.stories, root = excluded.root",
        [
            (
                r.thread_id,
                r.label,
                r.size,
                r.first_date,
                r.last_date,
                json.dumps(r.evidence, ensure_ascii=False),
                json.dumps(r.terms, ensure_ascii=False),
                r.stories,
                r.root,
            )
            for r in rows
        ],
    )
