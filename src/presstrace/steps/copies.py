"""The copies step: sketch the documents not seen yet, find their copies among themselves and
the stored ones, and update the copy graph and `duplicate_of` of the groups they touch.

Batches of BATCH documents in id order; each batch is committed on its own (its sketches
are the bookmark), so an interrupted run resumes, and a run with nothing new lists the
pending documents once and writes nothing. Candidates are measured on stored fingerprints
(each document's shingle set, kept in `copy_shingles`; the last FINGERPRINT_CACHE of them
also in memory), never by re-reading texts, and a group a new document joins is read only
when its canonical changes: the work per new document does not grow with the corpus.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from tqdm import tqdm

from presstrace.dedup import SKETCH_VERSION, CopyLink, Member, Sketch, Thresholds, sketch_texts
from presstrace.dedup.graph import update_links
from presstrace.dedup.keybuffer import KeyBuffer
from presstrace.dedup.matcher import StoredSketch, find_pairs, keys_to_index
from presstrace.dedup.shingles import shingle_set
from presstrace.dedup.sketch import minhash_bytes
from presstrace.store import Store
from presstrace.store import copies as table

NAME = "copies"
BATCH = 1000
# Key rows held in memory before one sorted write into copy_keys (16 bytes each: 128 MB).
# About 24 rows a document, so a million-document first run writes its index 3 times.
FLUSH_ROWS = 8_000_000
# Fingerprints kept in memory during a run (1.1 KB each on average for the 280-word articles
# of bench/dedup_scale.py: about 22 MB). Reprints of a story arrive close together, so most
# candidates of a batch were sketched in the last few batches (20 batches here); a miss
# costs one indexed read of the stored fingerprint, so the size trades memory, not results.
FINGERPRINT_CACHE = 20_000


class Fingerprints:
    """Shingle sets by document id: the last FINGERPRINT_CACHE used in memory, the rest read
    from `copy_shingles`; a document sketched before fingerprints were stored is shingled
    from its text once, and its fingerprint stored."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def remember(self, sets: dict[str, np.ndarray]) -> None:
        for doc_id, shingles in sets.items():
            self.cache[doc_id] = shingles
            self.cache.move_to_end(doc_id)
        while len(self.cache) > FINGERPRINT_CACHE:
            self.cache.popitem(last=False)

    def get(self, ids: list[str]) -> dict[str, np.ndarray]:
        out = {i: self.cache[i] for i in ids if i in self.cache}
        missing = [i for i in ids if i not in out]
        if missing:
            stored = table.fingerprints(self.store, missing)
            read = {i: fingerprint_array(data) for i, data in stored.items()}
            old = [i for i in missing if i not in stored]
            if old:
                read.update(self._backfill(old))
            out.update(read)
            self.remember(read)
        return out

    def _backfill(self, ids: list[str]) -> dict[str, np.ndarray]:
        docs = table.documents(self.store, ids)
        sets = {i: shingle_set(d["text"]) for i, d in docs.items()}
        table.save_fingerprints(
            self.store,
            [
                (i, fingerprint_bytes(sets[i]), len(d["text"]), d["published_date"])
                for i, d in sorted(docs.items())
                if len(sets[i])
            ],
        )
        return sets


def fingerprint_bytes(shingles: np.ndarray) -> bytes:
    return shingles.astype("<u4").tobytes()


def fingerprint_array(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


class StoreIndex:
    """The matcher's KeyIndex over the store's copy tables, plus the keys this run has not
    written yet (`buffer`)."""

    def __init__(
        self,
        store: Store,
        buffer: KeyBuffer | None = None,
        fingerprints: Fingerprints | None = None,
    ) -> None:
        self.store = store
        self.buffer = buffer
        self.fingerprints = fingerprints or Fingerprints(store)
        self.sizes: dict[int, int] = {}  # bucket sizes seen by the lookup
        self.info: dict[str, StoredSketch] = {}  # sketches of the documents found by key

    def by_keys(self, keys: list[int]) -> dict[int, list[str]]:
        found, info = table.keyed_sketches(self.store, keys)
        self.info.update((i, StoredSketch(*v)) for i, v in info.items())
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
        out = {i: self.info[i] for i in ids if i in self.info}
        rows = table.sketches(self.store, [i for i in ids if i not in out])
        out.update((i, StoredSketch(r.size, r.mod_count)) for i, r in rows.items())
        return out

    def shingles(self, ids: list[str]) -> dict[str, np.ndarray]:
        return self.fingerprints.get(ids)


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
    waiting = table.pending_ids(store, SKETCH_VERSION)
    todo = len(waiting)
    if todo:
        table.save_settings(store, {"sketch_version": str(SKETCH_VERSION)})
    limits = thresholds(store)
    bar = tqdm(total=todo, desc="copies", unit=" doc", disable=not progress or not todo)
    done = 0
    buffer = KeyBuffer()
    fingerprints = Fingerprints(store)
    _rekey_interrupted(store, buffer)
    try:
        for rows, sketches in _sketched_batches(store, jobs, waiting):
            process_batch(store, rows, limits, sketches, buffer, fingerprints)
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
    store: Store, jobs: int, waiting: list[str]
) -> Iterator[tuple[list[dict[str, Any]], list[Sketch] | None]]:
    """The `waiting` documents in batches (id order), with their sketches. With jobs > 1,
    jobs - 1 worker processes sketch the next batches while this process matches and writes
    (sketching is pure; this process is busy too, so jobs workers would oversubscribe the
    cores)."""
    chunks = (waiting[i : i + BATCH] for i in range(0, len(waiting), BATCH))
    if jobs <= 1:
        for ids in chunks:
            yield table.texts(store, ids), None
        return
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        ahead: deque = deque()
        while True:
            while len(ahead) < jobs and (ids := next(chunks, None)) is not None:
                rows = table.texts(store, ids)
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
    fingerprints: Fingerprints | None = None,
) -> None:
    """Match one batch and save it; its LSH keys go to `buffer` (the caller writes them
    into the index later, sorted)."""
    if sketches is None:
        sketches = sketch_texts((r["id"], r["text"]) for r in rows)
    fingerprints = fingerprints or Fingerprints(store)
    by_id = {s.id: s for s in sketches}
    index = StoreIndex(store, buffer, fingerprints)
    pairs = find_pairs(sketches, index, limits)
    old = sorted({i for p in pairs for i in (p.a, p.b) if i not in by_id})
    canonical_of = table.canonicals(store, old)
    root_of = {i: canonical_of.get(i, i) for i in old}
    fresh = {i for p in pairs for i in (p.a, p.b) if i in by_id}
    members = _members(store, set(root_of.values()) | fresh, by_id, rows)

    def group_links(roots: list[str]) -> list[CopyLink]:
        return [
            CopyLink(x.copy_id, x.canonical_id, x.similarity or 0.0, x.containment or 0.0, x.method)
            for x in table.links_of_groups(store, roots)
        ]

    def sets(ids: list[str]) -> dict[str, np.ndarray]:
        out = fingerprints.get([i for i in ids if i not in by_id])
        out.update({i: by_id[i].shingles for i in ids if i in by_id})
        return out

    links = update_links(
        pairs,
        by_id,
        root_of,
        members,
        group_links,
        lambda ids: _members(store, set(ids), by_id, rows),
        sets,
        limits,
    )
    store.patch([(x.copy_id, {"duplicate_of": x.canonical_id}) for x in links])
    numbered = table.save_batch(
        store,
        [_sketch_row(s, r) for s, r in zip(sketches, rows, strict=True)],
        [(key, s.id) for s in sketches if s.size for key in keys_to_index(s, index.sizes)],
        [
            table.LinkRow(x.copy_id, x.canonical_id, x.similarity, x.containment, x.method)
            for x in links
        ],
        [],
    )
    buffer.add(numbered)
    fingerprints.remember({s.id: s.shingles for s in sketches if s.size})


def _members(
    store: Store, ids: set[str], new: dict[str, Sketch], rows: list[dict[str, Any]]
) -> dict[str, Member]:
    """What choosing a canonical needs, from the batch or the stored sketches (documents
    sketched before those kept it are read from the documents table)."""
    fresh = {r["id"]: r for r in rows}
    old = sorted(ids - set(new))
    stored = table.sketches(store, old)
    unkept = [i for i in old if i not in stored or stored[i].length is None]
    info = table.doc_info(store, unkept) if unkept else {}
    members = {}
    for doc_id in ids:
        if doc_id in new:
            s, row = new[doc_id], fresh[doc_id]
            members[doc_id] = Member(
                doc_id, row["published_date"], s.size, len(row["text"]), s.text_hash
            )
        elif doc_id in info or doc_id not in stored:
            d, k = info.get(doc_id, {}), stored.get(doc_id)
            members[doc_id] = Member(
                doc_id,
                d.get("published_date"),
                k.size if k else 0,
                int(d.get("length") or 0),
                k.text_hash if k else None,
            )
        else:
            k = stored[doc_id]
            members[doc_id] = Member(doc_id, k.published, k.size, k.length or 0, k.text_hash)
    return members


def _sketch_row(s: Sketch, row: dict[str, Any]) -> table.SketchRow:
    return table.SketchRow(
        s.id,
        s.text_hash,
        s.size,
        len(s.mod_keys),
        minhash_bytes(s.minhash),
        len(row["text"]),
        row["published_date"],
        fingerprint_bytes(s.shingles) if s.size and s.shingles is not None else None,
    )
