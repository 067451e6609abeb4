"""The steps' queues of documents to do (store/todo.py), on SQLite and PostgreSQL: written at
ingest, emptied as the step saves, refilled when a step clears its tables, filled in place
for stores made before the queues existed, and read through an index, not a scan."""

from __future__ import annotations

import hashlib

import pg_server as server
import pytest
from dedup.helpers import example_texts

from presstrace.model import Document, Published, RawDocument
from presstrace.steps import copies as copies_step
from presstrace.store import copies as copies_table
from presstrace.store import open_store, todo

pg_server = server.pg_server
pg_url = server.pg_url
location = server.location  # a fresh store on each backend


@pytest.fixture
def store(location):
    opened = open_store(location)
    yield opened
    opened.close()


def pair(text: str) -> tuple[RawDocument, Document]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    raw = RawDocument(id=digest, source=f"{digest[:8]}.txt", content=text)
    return raw, Document(id=digest, source=raw.source, text=text, published=Published())


def graph(store) -> list[tuple]:
    rows = store.sql("SELECT copy_id, canonical_id, method FROM copies")
    return sorted(tuple(r.values()) for r in rows)


def docs() -> list[tuple[RawDocument, Document]]:
    texts = list(example_texts().values())
    return [pair(t) for t in texts] + [pair(t[: len(t) // 2]) for t in texts]


def test_ingest_queues_new_documents_for_open_queues_only(store):
    first, rest = docs()[:4], docs()[4:]
    store.add_batch(first)  # no queue open yet: nothing queued
    assert todo.waiting(store, "copies") == 0
    assert copies_step.run(store)["new_documents"] == 4  # opening fills from copy_sketches
    assert todo.waiting(store, "copies") == 0
    store.add_batch(rest)
    assert todo.waiting(store, "copies") == len(rest)
    assert copies_step.run(store)["new_documents"] == len(rest)
    assert todo.waiting(store, "copies") == 0
    before = graph(store)
    assert store.add_batch(rest) == 0  # the same ingest again: nothing queued, nothing done
    assert todo.waiting(store, "copies") == 0
    assert copies_step.run(store)["new_documents"] == 0
    assert graph(store) == before and len(before) >= 3


def test_clearing_the_step_refills_its_queue(store):
    store.add_batch(docs())
    copies_step.run(store)
    before = graph(store)
    copies_step.rebuild(store)
    assert todo.waiting(store, "copies") == 0  # closed: the next listing refills it
    assert copies_step.run(store)["new_documents"] == store.count()
    assert graph(store) == before


def test_a_store_made_before_the_queues_upgrades_in_place(location, tmp_path):
    """Queues dropped and the schema set back to v6 (what a store of the last release is):
    reopening adds the tables; the step then does exactly the documents it had not done."""
    all_docs = docs()
    old = open_store(location)
    old.add_batch(all_docs[:6])
    copies_step.run(old)
    old.sql("DROP TABLE step_todo")
    old.sql("DROP TABLE step_queues")
    if old.dialect.name == "sqlite":
        old.sql("PRAGMA user_version = 6")
    else:
        old.sql("DELETE FROM schema_version WHERE version >= 7")  # 7 and the steps after it
    old.close()
    old = open_store(location)  # migration 6
    old.add_batch(all_docs[6:])
    assert copies_step.run(old)["new_documents"] == len(all_docs) - 6
    fresh = open_store(str(tmp_path / "fresh.db"))
    fresh.add_batch(all_docs)
    copies_step.run(fresh)
    assert graph(old) == graph(fresh)
    assert copies_step.run(old)["new_documents"] == 0
    old.close()
    fresh.close()


def test_sqlite_lists_pending_documents_through_the_queue_index(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    store.add_batch(docs())
    queue = copies_table.queue(copies_step.SKETCH_VERSION)
    todo.open_queue(store, queue)
    plan = " ".join(
        str(tuple(r.values()))
        for r in store.sql(
            "EXPLAIN QUERY PLAN SELECT d.id FROM step_todo q JOIN documents d "
            f"ON d.id = q.doc_id WHERE q.step = ? AND q.doc_id > ? AND {queue.undone} "
            "ORDER BY q.doc_id",
            (queue.step, ""),
        )
    )
    assert "SEARCH q USING PRIMARY KEY" in plan and "SCAN d" not in plan
    store.close()
