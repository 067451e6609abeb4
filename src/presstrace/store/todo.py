"""Which documents each corpus step still has to do, as an index: `step_todo (step, doc_id)`.

Listing a step's pending documents used to be an anti-join of every document with the
step's own table: a scan of the whole documents index on every ingest, even of one document
(0.3 s per step at 40k documents, growing with the corpus). Now the ingest writes one row per
new document and open queue (`add_batch` on both backends, in the documents' transaction),
and a step reads its queue by primary key: the cost is the queue's, i.e. the new documents'.

- `step_queues (step, tag)`: the queues open. A step opens its queue the first time it
  lists (`open_queue`): the queue is then filled from the step's own "not done" condition,
  the old anti-join, once. That is how stores made before this table upgrade in place
  (core migration 7 only creates the two tables), and how a step that changes what "done"
  means re-queues: a new `tag` (the copies' sketch version, the narratives' classifier
  version) refills the queue; `forget` (a step clearing its tables) closes it.
- A queued document the step has done (a run stopped after saving a batch, before clearing
  its rows) is never listed: the listing keeps the "not done" condition, checked by primary
  key on the queued rows only (steps clear a batch's rows in the transaction that saves it,
  so only documents a step passes over, such as extraction's unread languages, stay).

Opening a queue while another process stores documents: on PostgreSQL the fill takes
`step_todo` in EXCLUSIVE mode (Dialect.queue_lock) and `add_batch` writes its rows in one
statement reading `step_queues`, so either the fill sees the new documents or the ingest sees
the new queue; SQLite's writes are serialised anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from presstrace.store.protocol import SqlValue, Store


@dataclass(frozen=True)
class Queue:
    """A step's queue: its name, what opens it (`tag`), and when a document `d` is not done
    (an SQL condition over `documents d`, with its parameters)."""

    step: str
    tag: str
    undone: str
    params: tuple[SqlValue, ...] = ()


def open_queue(store: Store, queue: Queue) -> None:
    """Open (or with another tag, refill) the queue; nothing to do when it is open."""
    rows = store.sql("SELECT tag FROM step_queues WHERE step = ?", (queue.step,))
    if rows and rows[0]["tag"] == queue.tag:
        return
    with store.transaction():
        for statement in store.dialect.queue_lock:
            store.sql(statement)
        store.sql("DELETE FROM step_todo WHERE step = ?", (queue.step,))
        store.sql(
            f"INSERT INTO step_todo (step, doc_id) SELECT ?, d.id FROM documents d "
            f"WHERE {queue.undone}",
            (queue.step, *queue.params),
        )
        store.sql(
            "INSERT INTO step_queues (step, tag) VALUES (?, ?) "
            "ON CONFLICT (step) DO UPDATE SET tag = excluded.tag",
            (queue.step, queue.tag),
        )


def forget(store: Store, step: str) -> None:
    """Close the queue: the step's tables were cleared, its next listing refills it."""
    store.sql("DELETE FROM step_queues WHERE step = ?", (step,))
    store.sql("DELETE FROM step_todo WHERE step = ?", (step,))


def pending_rows(
    store: Store, queue: Queue, columns: str, after: str = "", limit: int | None = None
) -> list[dict]:
    """`columns` (over `documents d`) of the queued documents not done, ids > after, in id
    order; the queue is opened first."""
    open_queue(store, queue)
    tail = " LIMIT ?" if limit is not None else ""
    return store.sql(
        f"SELECT {columns} FROM step_todo q JOIN documents d ON d.id = q.doc_id "
        f"WHERE q.step = ? AND q.doc_id > ? AND {queue.undone} ORDER BY q.doc_id{tail}",
        (queue.step, after, *queue.params, *((limit,) if limit is not None else ())),
    )


def pending_count(store: Store, queue: Queue) -> int:
    open_queue(store, queue)
    rows = store.sql(
        "SELECT count(*) AS n FROM step_todo q JOIN documents d ON d.id = q.doc_id "
        f"WHERE q.step = ? AND {queue.undone}",
        (queue.step, *queue.params),
    )
    return int(rows[0]["n"])


def finish(store: Store, step: str, ids: Sequence[str]) -> None:
    """These documents are done (caller's transaction, beside the step's own writes)."""
    store.sql_many("DELETE FROM step_todo WHERE step = ? AND doc_id = ?", [(step, i) for i in ids])


def waiting(store: Store, step: str) -> int:
    """Rows in a step's queue (the tests' and benchmarks' view)."""
    rows = store.sql("SELECT count(*) AS n FROM step_todo WHERE step = ?", (step,))
    return int(rows[0]["n"])
