"""The copies step: sketch the documents not seen yet, find their copies among themselves and
the stored ones, and update the copy graph and `duplicate_of` of the groups they touch.

Batches of BATCH documents in id order; each batch is committed on its own (its sketches
are the bookmark), so an interrupted run resumes, and a run with nothing new reads one count
and writes nothing. Only groups a new document joins are re-examined, never the corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from tqdm import tqdm

from presstrace.dedup import SKETCH_VERSION, CopyLink, Member, Sketch, Thresholds, sketch_texts
from presstrace.dedup.graph import build_links
from presstrace.dedup.keybuffer import KeyBuffer
from presstrace.dedup.matcher import Pair, StoredSketch, find_pairs, keys_to_index
from presstrace.dedup.shingles import shingle_set
from presstrace.dedup.sketch import minhash_bytes
from presstrace.store import Store
from presstrace.store import copies as table

NAME = "copies"
BATCH = 1000
# Key rows held in memory before one sorted write into copy_keys (16 bytes each: 128 MB).
# About 24 rows a document, so a million-document first run writes its index 3 times.
FLUSH_ROWS = 8_000_000


class StoreIndex:
    """The matcher's KeyIndex over the store's copy tables, plus the keys this run has not
    written yet (`buffer`)."""

    def __init__(self, store: Store, buffer: KeyBuffer | None = None) -> None:
        self.store = store
        self.buffer = buffer
        self.sizes: dict[int, int] = {}  # bucket sizes seen by the lookup

    def by_keys(self, keys: list[int]) -> dict[int, list[str]]:
        found = table.docs_by_keys(self.store, keys)
        if self.buffer is not None and len(self.buffer):
            buffered = self.buffer.lookup(keys)
            names = table.ids_of_numbers(
                self.store, sorted({n for v in buffered.values() for n in v})
            )
            for key, numbers in buffered.items():
                found.setdefault(key, []).extend(names[n] for n in numbers if n in names)
        self.sizes.update((key, len(ids)) for key, ids in found.items())
        return found

    def by_text_hash(self, hashes: list[str]) -> dict[str, list[str]]:
        return table.docs_by_text_hash(self.store, hashes)

    def stored(self, ids: list[str]) -> dict[str, StoredSketch]:
        rows = table.sketches(self.store, ids)
        return {i: StoredSketch(r.size, r.mod_count) for i, r in rows.items()}

    def shingles(self, ids: list[str]) -> dict[str, np.ndarray]:
        docs = table.documents(self.store, ids)
        return {i: shingle_set(d["text"]) for i, d in docs.items()}


def thresholds(store: Store) -> Thresholds:
    saved = table.settings(store)
    default = Thresholds()
    return Thresholds(
        near=float(saved.get("near", default.near)),
        containment=float(saved.get("containment", default.containment)),
        min_shingles=int(saved.get("min_shingles", default.min_shingles)),
    )


def rebuild(store: Store, new: Thresholds | None = None) -> None:
    """Forget the graph and sketches (and every duplicate_of), keep `new` thresholds; the next
    run rebuilds everything with them."""
    was_copy = table.clear(store)
    store.patch([(doc_id, {"duplicate_of": None}) for doc_id in was_copy])
    if new is not None:
        table.save_settings(
            store,
            {
                "near": str(new.near),
                "containment": str(new.containment),
                "min_shingles": str(new.min_shingles),
            },
        )


def run(store: Store, *, progress: bool = False, jobs: int = 1) -> dict[str, int]:
    for statement in store.dialect.bulk_tuning:  # the LSH key index is read at random places
        store.sql(statement)
    saved = table.settings(store).get("sketch_version")
    if saved is not None and saved != str(SKETCH_VERSION):
        rebuild(store)  # sketches of an older layout cannot be compared with new ones
    todo = table.pending_count(store)
    if todo:
        table.save_settings(store, {"sketch_version": str(SKETCH_VERSION)})
    limits = thresholds(store)
    bar = tqdm(total=todo, desc="copies", unit=" doc", disable=not progress or not todo)
    done = 0
    buffer = KeyBuffer()
    _rekey_interrupted(store, buffer)
    try:
        for rows, sketches in _sketched_batches(store, jobs):
            process_batch(store, rows, limits, sketches, buffer)
            done += len(rows)
            bar.update(len(rows))
            if len(buffer) >= FLUSH_ROWS:
                _flush(store, buffer)
    finally:
        bar.close()
    _flush(store, buffer)  # not on Ctrl-C: the next run re-keys what was not written
    return {"new_documents": done, **table.counts(store)}


def _flush(store: Store, buffer: KeyBuffer) -> None:
    if not len(buffer):
        return  # a run with nothing new writes nothing
    through = table.max_number(store)
    table.flush_keys(store, buffer.drain(), through)


def _rekey_interrupted(store: Store, buffer: KeyBuffer) -> None:
    """Documents a stopped run sketched but whose buffered keys it never wrote: sketch them
    again and buffer their keys, before any new document looks them up."""
    rows = table.unkeyed(store, table.keys_through(store))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        sketches = sketch_texts((r["id"], r["text"]) for r in chunk)
        index = StoreIndex(store, buffer)
        index.by_keys(sorted({k for s in sketches for k in (*s.band_keys, *s.mod_keys)}))
        number = {r["id"]: int(r["n"]) for r in chunk}
        buffer.add(
            (key, number[s.id]) for s in sketches if s.size for key in keys_to_index(s, index.sizes)
        )


def _sketched_batches(
    store: Store, jobs: int
) -> Iterator[tuple[list[dict[str, Any]], list[Sketch] | None]]:
    """Pending batches in id order, with their sketches. With jobs > 1, jobs - 1 worker
    processes sketch the next batches while this process matches and writes (sketching is
    pure; this process is busy too, so jobs workers would oversubscribe the cores)."""
    after = ""
    if jobs <= 1:
        while rows := table.pending(store, after, BATCH):
            after = rows[-1]["id"]
            yield rows, None
        return
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        ahead: deque = deque()
        exhausted = False
        while True:
            while not exhausted and len(ahead) < jobs:
                rows = table.pending(store, after, BATCH)
                if not rows:
                    exhausted = True
                    break
                after = rows[-1]["id"]
                items = [(r["id"], r["text"]) for r in rows]
                ahead.append((rows, pool.submit(sketch_texts, items)))
            if not ahead:
                return
            rows, future = ahead.popleft()
            yield rows, future.result()


def process_batch(
    store: Store,
    rows: list[dict[str, Any]],
    limits: Thresholds,
    sketches: list[Sketch] | None,
    buffer: KeyBuffer,
) -> None:
    """Match one batch and save it; its LSH keys go to `buffer` (the caller writes them
    into the index later, sorted)."""
    if sketches is None:
        sketches = sketch_texts((r["id"], r["text"]) for r in rows)
    by_id = {s.id: s for s in sketches}
    index = StoreIndex(store, buffer)
    pairs = find_pairs(sketches, index, limits)
    old = sorted({i for p in pairs for i in (p.a, p.b) if i not in by_id})
    canonical_of = table.canonicals(store, old)
    roots = sorted({canonical_of.get(i, i) for i in old})
    existing = table.links_of_groups(store, roots)
    known = {
        x.copy_id: CopyLink(
            x.copy_id, x.canonical_id, x.similarity or 0.0, x.containment or 0.0, x.method
        )
        for x in existing
    }
    joined = pairs + [Pair(x.copy_id, x.canonical_id, x.method, 0.0, 0.0) for x in existing]
    members = _members(store, {i for p in joined for i in (p.a, p.b)}, by_id, rows)

    def sets(ids: list[str]) -> dict[str, np.ndarray]:
        out = StoreIndex(store).shingles([i for i in ids if i not in by_id])
        out.update({i: by_id[i].shingles for i in ids if i in by_id})
        return out

    links = build_links(members, joined, sets, limits, known)
    linked = {x.copy_id for x in links}
    unlinked = [x.copy_id for x in existing if x.copy_id not in linked]
    changed = [x for x in links if known.get(x.copy_id) != x]
    store.patch(
        [(x.copy_id, {"duplicate_of": x.canonical_id}) for x in changed]
        + [(doc_id, {"duplicate_of": None}) for doc_id in unlinked]
    )
    numbered = table.save_batch(
        store,
        [_sketch_row(s) for s in sketches],
        [(key, s.id) for s in sketches if s.size for key in keys_to_index(s, index.sizes)],
        [
            table.LinkRow(x.copy_id, x.canonical_id, x.similarity, x.containment, x.method)
            for x in changed
        ],
        unlinked,
    )
    buffer.add(numbered)


def _members(
    store: Store, ids: set[str], new: dict[str, Sketch], rows: list[dict[str, Any]]
) -> dict[str, Member]:
    fresh = {r["id"]: r for r in rows}
    old = sorted(ids - set(new))
    info = table.doc_info(store, old)
    stored = table.sketches(store, old)
    members = {}
    for doc_id in ids:
        if doc_id in new:
            s, row = new[doc_id], fresh[doc_id]
            members[doc_id] = Member(
                doc_id, row["published_date"], s.size, len(row["text"]), s.text_hash
            )
        else:
            d, s = info.get(doc_id, {}), stored.get(doc_id)
            members[doc_id] = Member(
                doc_id,
                d.get("published_date"),
                s.size if s else 0,
                int(d.get("length") or 0),
                s.text_hash if s else None,
            )
    return members


def _sketch_row(s: Sketch) -> table.SketchRow:
    return table.SketchRow(s.id, s.text_hash, s.size, len(s.mod_keys), minhash_bytes(s.minhash))
