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
from collections.abc import Iterable
from datetime import date
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
LAST_DAY = date.max.toordinal()


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
    stored = _StoredStories(store, index, settings)
    counts: dict[str, int] = {}  # entity -> documents, filled per batch (_Counts)
    idf = stage.make_idf(counts, table.document_count(store))
    known = _Counts(store, counts)
    assigned = founded = 0
    bar = tqdm(total=len(order), desc="stories", unit=" doc", disable=not progress, leave=False)
    try:
        for start in range(0, len(order), BATCH):
            ids = order[start : start + BATCH]
            result = _batch(store, ids, stored, known, idf, settings)
            assigned += len(result)
            founded += sum(a.how == "founded" for a in result)
            bar.update(len(ids))
    finally:
        bar.close()
    return {"assigned": assigned, "new_stories": founded, "stories": table.story_count(store)}


def _batch(
    store: Store, ids: list[str], stored: _StoredStories, known: _Counts, idf, settings
) -> list[stage.Assignment]:
    data = table.documents_data(store, ids)
    docs = [Document.from_dict(json.loads(data[i])) for i in ids if i in data]
    vectors = stage.text_vectors(docs)
    articles = [stage.article(d, v) for d, v in zip(docs, vectors, strict=True)]
    canonicals = [a.duplicate_of for a in articles if a.duplicate_of]
    linked = table.stories_of(store, canonicals)
    linked.update(table.stories_of_copies(store, [a.id for a in articles if not a.duplicate_of]))
    # a copy follows its canonical's story (in the store, or earlier in this batch:
    # processing_order puts originals first), an original its copies': no search for them
    follows = {a.id for a in articles} | linked.keys()
    stored.load_for([a for a in articles if a.id not in linked and a.duplicate_of not in follows])
    index = stored.index
    nearby = index.nearby(articles)
    wanted = {s for near in nearby for s in near} | set(linked.values())
    stories = {row["id"]: _story(row) for row in table.states(store, sorted(wanted))}
    known.load(
        {k for a in articles for k in a.entities}
        | {k for s in stories.values() for k in s.entities}
    )
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


class _StoredStories:
    """The stored stories a batch of articles can join, put into the centroid index as the
    batches need them: the date gate (`Settings.max_gap_days`) keeps a dated article out of
    every story whose span is further away, so only the stories of the batch's days (through
    the `stories_span` index) and the undated ones are read, not one centroid per story of
    the corpus on every ingest. An undated article meets every story: a batch holding one
    reads them all (once per run). A copy that follows its canonical's story (or an original
    its copies' story) is scored against none. The index then holds a superset of the stories each
    article may join, and `CentroidIndex.nearby` picks the same ones as over all of them.
    Stories the run founded or changed are in the index already and never read back."""

    def __init__(self, store: Store, index: stage.CentroidIndex, settings: stage.Settings):
        self.store = store
        self.index = index
        self.gap = settings.max_gap_days
        self.spans: list[tuple[int, int]] = []  # the days whose stories are read (disjoint)
        self.undated = False  # the undated stories are read
        self.everything = False

    def load_for(self, articles: list[stage.Article]) -> None:
        if self.everything:
            return
        spans = [_span(a) for a in articles]
        if any(s is None for s in spans):
            self._put(table.centroids(self.store))
            self.everything = True
            return
        if not self.undated:
            self._put(table.undated_centroids(self.store))
            self.undated = True
        if not spans:
            return
        days = [(max(s[0] - self.gap, 1), min(s[1] + self.gap, LAST_DAY)) for s in spans if s]
        for lo, hi in _uncovered(_merged(days), self.spans):
            self._put(table.centroids_between(self.store, stage.iso_day(lo), stage.iso_day(hi)))
        self.spans = _merged([*self.spans, *days])

    def _put(self, rows: Iterable[table.Centroid]) -> None:
        for story_id, vector_sum, first, last in rows:
            if story_id not in self.index.row:  # the run's own version is newer
                self.index.put(
                    story_id, _unit(vector_sum), stage.ordinal(first), stage.ordinal(last)
                )


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The same days as disjoint spans, in order."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _uncovered(wanted: list[tuple[int, int]], have: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The days of the disjoint spans `wanted` that the disjoint spans `have` leave out."""
    out = []
    for lo, hi in wanted:
        for a, b in have:
            if b < lo or a > hi:
                continue
            if a > lo:
                out.append((lo, a - 1))
            lo = max(lo, b + 1)
        if lo <= hi:
            out.append((lo, hi))
    return out


def _span(art: stage.Article) -> tuple[int, int] | None:
    """The article's date interval as the date gate reads it (None: undated)."""
    lo = art.earliest if art.earliest is not None else art.day
    hi = art.latest if art.latest is not None else art.day
    return None if lo is None or hi is None else (lo, hi)


class _Counts:
    """Documents per entity, read for the entities a batch's articles and the stories they
    meet hold (what idf is asked about), not for every entity of the corpus."""

    def __init__(self, store: Store, counts: dict[str, int]) -> None:
        self.store = store
        self.counts = counts
        self.asked: set[str] = set()

    def load(self, keys: set[str]) -> None:
        wanted = sorted(keys - self.asked)
        if wanted:
            self.counts.update(table.entity_document_counts(self.store, wanted))
            self.asked.update(wanted)


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
