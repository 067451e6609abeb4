"""The narratives part of the store: taxonomy labels per document, and what the labelling
learned from a user's examples.

- `narrative_labels`: one row per label a document carries (narrative and sub-narrative
  level), its score and its evidence sentences (JSON list); the contract other parts read.
- `narrative_docs`: the documents the step has labelled and with which model version (a hash
  of the taxonomy, the settings, the embedding model and the training). A document whose row
  is missing or carries another version is pending: training or a changed taxonomy re-labels
  the whole corpus, an ingest only the new documents.
- `narrative_examples`: the labelled documents training kept (gold labels, gated domains),
  and `narrative_example_sentences`: their sentence vectors, each with the labels it is an
  example of (group/narrative_training.py says how they are used).
- `narrative_settings`: name -> value (the taxonomy files in use, the training digest).
- `narrative_heads`: the learned heads fitted from the training, under a key hashing the
  training, the label columns and the fitting code (group/narrative_head.py): an ingest
  reads them back instead of fitting them again. Only the latest fit is kept.

Portable SQL (`?` placeholders) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from presstrace.store.batched import sql_in
from presstrace.store.protocol import Record, Row, Store
from presstrace.store.schema import SchemaPart

PART = SchemaPart(
    "narratives",
    (
        """
        CREATE TABLE narrative_labels (
            doc_id {key} NOT NULL, label {key} NOT NULL, score {real} NOT NULL,
            evidence {text} NOT NULL, PRIMARY KEY (doc_id, label)
        );
        CREATE INDEX narrative_labels_label ON narrative_labels (label);
        CREATE TABLE narrative_docs (doc_id {key} PRIMARY KEY, version {key} NOT NULL);
        CREATE INDEX narrative_docs_version ON narrative_docs (version);
        CREATE TABLE narrative_examples (
            n {int} PRIMARY KEY, labels {text} NOT NULL, domains {text} NOT NULL
        );
        CREATE TABLE narrative_example_sentences (
            n {int} PRIMARY KEY, example {int} NOT NULL, example_of {text} NOT NULL,
            vector {blob} NOT NULL
        );
        CREATE TABLE narrative_settings (name {key} PRIMARY KEY, value {text} NOT NULL);
        """,
        """
        CREATE TABLE narrative_heads (key {key} PRIMARY KEY, heads {blob} NOT NULL);
        """,
    ),
)


@dataclass(frozen=True)
class LabelRow:
    doc_id: str
    label: str
    score: float
    evidence: list[str]


# -- the step ----------------------------------------------------------------------------------
def pending_count(store: Store, version: str) -> int:
    return int(
        store.sql(
            "SELECT count(*) AS n FROM documents d WHERE NOT EXISTS (SELECT 1 FROM "
            "narrative_docs x WHERE x.doc_id = d.id AND x.version = ?)",
            (version,),
        )[0]["n"]
    )


def pending(store: Store, version: str, after: str, limit: int) -> list[dict[str, Any]]:
    """The next documents (id order, ids > after) not labelled with this version, with their
    language and stored data (the step merges its abstention into the stored dict)."""
    return store.sql(
        "SELECT d.id, d.text, d.language, d.data FROM documents d WHERE d.id > ? AND NOT "
        "EXISTS (SELECT 1 FROM narrative_docs x WHERE x.doc_id = d.id AND x.version = ?) "
        "ORDER BY d.id LIMIT ?",
        (after, version, limit),
    )


def labels_of(store: Store, ids: Sequence[str]) -> dict[str, list[LabelRow]]:
    out: dict[str, list[LabelRow]] = {}
    query = (
        "SELECT doc_id, label, score, evidence FROM narrative_labels WHERE doc_id IN ({marks}) "
        "ORDER BY doc_id, label"
    )
    for r in sql_in(store, query, ids):
        out.setdefault(r["doc_id"], []).append(
            LabelRow(r["doc_id"], r["label"], float(r["score"]), json.loads(r["evidence"]))
        )
    return out


def save(store: Store, labelled: dict[str, list[LabelRow]], version: str) -> None:
    """Replace the labels of these documents and mark them labelled, all or nothing."""
    ids = sorted(labelled)
    with store.transaction():
        store.sql_many("DELETE FROM narrative_labels WHERE doc_id = ?", [(i,) for i in ids])
        store.sql_many(
            "INSERT INTO narrative_labels (doc_id, label, score, evidence) VALUES (?, ?, ?, ?)",
            [
                (r.doc_id, r.label, r.score, json.dumps(r.evidence, ensure_ascii=False))
                for i in ids
                for r in labelled[i]
            ],
        )
        store.sql_many(
            "INSERT INTO narrative_docs (doc_id, version) VALUES (?, ?) "
            "ON CONFLICT (doc_id) DO UPDATE SET version = excluded.version",
            [(i, version) for i in ids],
        )


# -- what was learned --------------------------------------------------------------------------
@dataclass
class StoredTraining:
    labels: list[list[str]]  # per example document
    domains: list[list[str]]
    sentences: list[tuple[int, list[str], bytes]]  # (example, labels it exemplifies, vector)


def training(store: Store) -> StoredTraining:
    docs = store.sql("SELECT labels, domains FROM narrative_examples ORDER BY n")
    rows = store.sql(
        "SELECT example, example_of, vector FROM narrative_example_sentences ORDER BY n"
    )
    return StoredTraining(
        [json.loads(r["labels"]) for r in docs],
        [json.loads(r["domains"]) for r in docs],
        [(int(r["example"]), json.loads(r["example_of"]), bytes(r["vector"])) for r in rows],
    )


def replace_training(store: Store, kept: StoredTraining) -> None:
    """Forget the previous training, keep this one."""
    with store.transaction():
        store.sql("DELETE FROM narrative_examples")
        store.sql("DELETE FROM narrative_example_sentences")
        store.sql_many(
            "INSERT INTO narrative_examples (n, labels, domains) VALUES (?, ?, ?)",
            [
                (n, json.dumps(labels, ensure_ascii=False), json.dumps(domains))
                for n, (labels, domains) in enumerate(zip(kept.labels, kept.domains, strict=True))
            ],
        )
        store.sql_many(
            "INSERT INTO narrative_example_sentences (n, example, example_of, vector) "
            "VALUES (?, ?, ?, ?)",
            [
                (n, example, json.dumps(labels, ensure_ascii=False), vector)
                for n, (example, labels, vector) in enumerate(kept.sentences)
            ],
        )


def heads(store: Store, key: str) -> bytes | None:
    """The fitted heads kept under this key, or None."""
    rows = store.sql("SELECT heads FROM narrative_heads WHERE key = ?", (key,))
    return bytes(rows[0]["heads"]) if rows else None


def save_heads(store: Store, key: str, blob: bytes) -> None:
    """Keep these heads, forgetting any other fit (a new training makes the old one stale)."""
    with store.transaction():
        store.sql("DELETE FROM narrative_heads")
        store.sql("INSERT INTO narrative_heads (key, heads) VALUES (?, ?)", (key, blob))


def settings(store: Store) -> dict[str, str]:
    return {r["name"]: r["value"] for r in store.sql("SELECT name, value FROM narrative_settings")}


def save_settings(store: Store, values: dict[str, str]) -> None:
    with store.transaction():
        store.sql_many(
            "INSERT INTO narrative_settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            sorted(values.items()),
        )


# -- reading for people and programs -----------------------------------------------------------
def parent_of(label: str) -> str | None:
    """ "URW: Narrative: Sub-narrative" -> "URW: Narrative"; None for a narrative or "Other"
    (taxonomy names hold no ": ", the loader's label format guarantees the three parts)."""
    pieces = label.split(": ")
    return ": ".join(pieces[:2]) if len(pieces) > 2 else None


def nested(rows: Iterable[Row], count: str = "documents") -> list[dict[str, Any]]:
    """Label rows ordered so that every sub-narrative comes right after its own narrative
    (narratives by count, then their sub-narratives by count), each with its `parent`; a
    sub-narrative whose narrative has no row of its own gets that row (count 0), so no list
    ever shows it under another narrative. "Other" comes last."""
    by_label = {r["label"]: {**r, "parent": parent_of(r["label"])} for r in rows}
    for r in list(by_label.values()):
        parent = r["parent"]
        if parent and parent not in by_label:
            by_label[parent] = {"label": parent, count: 0, "parent": None}
    children: dict[str, list[dict[str, Any]]] = {}
    for r in by_label.values():
        if r["parent"]:
            children.setdefault(r["parent"], []).append(r)

    def order(r: Record) -> tuple:
        return (r["label"] == "Other", -int(r.get(count) or 0), r["label"])

    out = []
    for top in sorted((r for r in by_label.values() if not r["parent"]), key=order):
        out.append(top)
        out += sorted(children.get(top["label"], []), key=order)
    return out


def label_counts(store: Store, min_score: float = 0.0) -> list[dict[str, Any]]:
    """Each label with its document count, first/last publication dates and parent, every
    sub-narrative right after its narrative. `min_score`: count only labels scored at least
    this (scores are calibrated probabilities of being right, so this picks a precision)."""
    return nested(
        store.sql(
            "SELECT n.label, count(*) AS documents, min(d.published_date) AS first_date, "
            "max(d.published_date) AS last_date FROM narrative_labels n "
            "LEFT JOIN documents d ON d.id = n.doc_id WHERE n.score >= ? "
            "GROUP BY n.label ORDER BY n.label",
            (min_score,),
        )
    )


def documents_with(
    store: Store, label: str, limit: int, offset: int = 0, min_score: float = 0.0
) -> list[dict[str, Any]]:
    rows = store.sql(
        "SELECT n.doc_id, n.score, n.evidence, d.title, d.published_date, d.outlet, d.source "
        "FROM narrative_labels n LEFT JOIN documents d ON d.id = n.doc_id "
        "WHERE n.label = ? AND n.score >= ? "
        "ORDER BY n.score DESC, n.doc_id LIMIT ? OFFSET ?",
        (label, min_score, limit, offset),
    )
    return [{**r, "evidence": json.loads(r["evidence"])} for r in rows]


def texts(store: Store, ids: Sequence[str]) -> dict[str, str]:
    query = "SELECT id, text FROM documents WHERE id IN ({marks})"
    return {r["id"]: r["text"] for r in sql_in(store, query, list(ids))}
