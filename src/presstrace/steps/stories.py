"""Corpus step "stories": every document not yet in a story joins one (group/stories.py).

Runs after copies and extract, so a document's `duplicate_of` and canonical entities are
known. Pending documents are taken in the stage's processing order (originals, dated, by
date and id) in batches; each batch is written in one transaction after its documents'
`story_id` is patched, so an interrupted run resumes where it stopped (a document patched
but not recorded is simply assigned again, to the same story). A run with nothing new reads
one list of ids and writes nothing. Only the stories a batch's articles come near are read
from the store: the centroid index holds one vector per story, never the corpus.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from tqdm import tqdm

from presstrace.errors import StepError
from presstrace.group import embed
from presstrace.group import stories as stage
from presstrace.model import Document
from presstrace.store import stories as table
from presstrace.store.protocol import Store

NAME = "stories"
BATCH = 500


def run(
    store: Store, *, progress: bool = False, jobs: int = 1, settings: stage.Settings | None = None
) -> dict[str, int]:
    settings = settings or stage.Settings()
    todo = table.pending(store)
    if not todo:
        return {"assigned": 0, "new_stories": 0}
    try:
        model = embed.model_id()
        saved = table.setting(store, "model")
        if saved is not None and saved != model:
            raise StepError(
                f"stories: the stored stories were built with {saved}, not {model}; "
                "open a new store to cluster with this model"
            )
        if saved is None:
            with store.transaction():
                table.save_setting(store, "model", model)
        return _assign(store, stage.processing_order(todo), settings, progress)
    except embed.ModelError as exc:
        raise StepError(f"stories: {exc}") from None


def _assign(store: Store, order: list[str], settings: stage.Settings, progress: bool) -> dict:
    index = stage.CentroidIndex(stage.DIM, settings)
    for story_id, vector_sum, first, last in table.centroids(store):
        index.put(story_id, _unit(vector_sum), stage.ordinal(first), stage.ordinal(last))
    idf = stage.make_idf(table.entity_document_counts(store), table.document_count(store))
    assigned = founded = 0
    bar = tqdm(total=len(order), desc="stories", unit=" doc", disable=not progress, leave=False)
    try:
        for start in range(0, len(order), BATCH):
            ids = order[start : start + BATCH]
            result = _batch(store, ids, index, idf, settings)
            assigned += len(result)
            founded += sum(a.how == "founded" for a in result)
            bar.update(len(ids))
    finally:
        bar.close()
    return {"assigned": assigned, "new_stories": founded, "stories": table.story_count(store)}


def _batch(store: Store, ids: list[str], index, idf, settings) -> list[stage.Assignment]:
    data = table.documents_data(store, ids)
    docs = [Document.from_dict(json.loads(data[i])) for i in ids if i in data]
    vectors = stage.text_vectors(docs)
    articles = [stage.article(d, v) for d, v in zip(docs, vectors, strict=True)]
    canonicals = [a.duplicate_of for a in articles if a.duplicate_of]
    linked = table.stories_of(store, canonicals)
    linked.update(table.stories_of_copies(store, [a.id for a in articles if not a.duplicate_of]))
    nearby = index.nearby(articles)
    wanted = {s for near in nearby for s in near} | set(linked.values())
    stories = {row["id"]: _story(row) for row in table.states(store, sorted(wanted))}
    result = stage.assign_batch(articles, index, stories, idf, settings, linked, nearby)
    touched = sorted({a.story_id for a in result})
    store.patch([(a.doc_id, {"story_id": a.story_id}) for a in result])
    with store.transaction():
        table.save_batch(
            store,
            [_row(stories[s]) for s in touched],
            [(a.doc_id, a.story_id, a.how, a.score) for a in result],
        )
    return result


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = stage.padded(vector)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _story(row: dict[str, Any]) -> stage.Story:
    return stage.Story(
        id=row["id"],
        vector_sum=stage.padded(row["v"]),
        members=int(row["size"]),
        vectors=int(row["vectors"]),
        entities=row["entities"],
        first=stage.ordinal(row["first"]),
        last=stage.ordinal(row["last"]),
        label=row["label"],
    )


def _row(story: stage.Story) -> tuple:
    return (
        story.id,
        story.label,
        story.members,
        stage.iso_day(story.first),
        stage.iso_day(story.last),
        np.asarray(story.vector_sum, dtype=np.float32).tobytes(),
        story.vectors,
        json.dumps(story.entities, sort_keys=True),
    )
