"""Finding the copy pairs of a batch of new texts among themselves and an index of texts
already seen: sketches propose candidates, exact shingle overlap decides.

A candidate shares an LSH band key with the new text (likely near-duplicate), or enough MOD
keys that the smaller of the two seems largely contained in the other (likely partial copy).
Keys shared by very many texts are common phrases, not evidence, and are ignored for MOD
keys; a text with very many candidates is measured against the best-supported ones only (in
a big copy group one accepted pair is enough to join it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from presstrace.dedup.compare import Thresholds, classify, overlap
from presstrace.dedup.sketch import BAND_KEY_MIN, Sketch

MOD_BUCKET_LIMIT = 200  # a MOD key in more texts than this is a stock phrase
BAND_BUCKET_CAP = 500  # a band key stops growing here (one in 500 copies finds the group)
CANDIDATE_LIMIT = 40  # candidates measured per new text, best supported first
PREFILTER = 0.3  # estimated containment below which a MOD-only candidate is not measured


@dataclass(frozen=True)
class StoredSketch:
    size: int
    mod_count: int


@dataclass(frozen=True)
class Pair:
    """An accepted copy pair: `a` and `b` are the same article or one contains the other."""

    a: str
    b: str
    method: str
    jaccard: float
    containment: float


class KeyIndex(Protocol):
    """Texts already sketched: an in-memory dict (memory.py) or the store's tables."""

    def by_keys(self, keys: list[int]) -> dict[int, list[str]]: ...

    def by_text_hash(self, hashes: list[str]) -> dict[str, list[str]]: ...

    def stored(self, ids: list[str]) -> dict[str, StoredSketch]: ...

    def shingles(self, ids: list[str]) -> dict[str, np.ndarray]: ...


def find_pairs(batch: list[Sketch], index: KeyIndex, thresholds: Thresholds) -> list[Pair]:
    """Copy pairs between each text of `batch` and the index or an earlier text of the batch.
    Every sketch of the batch must carry its `shingles`."""
    band_keys = {s.id: s.band_keys for s in batch}
    stored_keys = index.by_keys(sorted({k for s in batch for k in (*band_keys[s.id], *s.mod_keys)}))
    stored_hashes = index.by_text_hash(sorted({s.text_hash for s in batch if s.size}))
    local_keys: dict[int, list[str]] = defaultdict(list)
    local_hashes: dict[str, list[str]] = defaultdict(list)
    mine = {s.id: s for s in batch}
    proposals: dict[str, dict[str, list[int]]] = {}
    exact: list[Pair] = []
    for s in batch:
        if not s.size:
            continue
        for other in (*stored_hashes.get(s.text_hash, ()), *local_hashes[s.text_hash]):
            if other != s.id:
                exact.append(Pair(s.id, other, "exact", 1.0, 1.0))
        local_hashes[s.text_hash].append(s.id)
        votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key in band_keys[s.id]:
            for other in (*stored_keys.get(key, ()), *local_keys[key]):
                votes[other][0] += 1
        for key in s.mod_keys:
            bucket = stored_keys.get(key, [])
            if len(bucket) + len(local_keys[key]) > MOD_BUCKET_LIMIT:
                continue
            for other in (*bucket, *local_keys[key]):
                votes[other][1] += 1
        for key in (*band_keys[s.id], *s.mod_keys):
            local_keys[key].append(s.id)
        votes.pop(s.id, None)
        proposals[s.id] = votes
    return exact + _measure(mine, proposals, index, thresholds, {p.a for p in exact})


def _measure(
    mine: dict[str, Sketch],
    proposals: dict[str, dict[str, list[int]]],
    index: KeyIndex,
    thresholds: Thresholds,
    exact_ids: set[str],
) -> list[Pair]:
    foreign = sorted({o for votes in proposals.values() for o in votes if o not in mine})
    stored = index.stored(foreign)
    chosen: dict[str, list[str]] = {}
    for doc_id, votes in proposals.items():
        if doc_id in exact_ids:
            continue  # already joined to an identical text
        sketch = mine[doc_id]
        kept = []
        for other, (bands, mods) in votes.items():
            info = _info(other, mine, stored)
            if info is None:
                continue
            smaller = min(len(sketch.mod_keys), info.mod_count)
            if bands or (smaller and mods >= min(2, smaller) and mods / smaller >= PREFILTER):
                kept.append((bands, mods, other))
        kept.sort(key=lambda t: (-t[0], -t[1], t[2]))
        chosen[doc_id] = [other for _, _, other in kept[:CANDIDATE_LIMIT]]
    wanted = sorted({o for others in chosen.values() for o in others if o not in mine})
    sets: dict[str, np.ndarray] = index.shingles(wanted)
    sets.update({i: s.shingles for i, s in mine.items() if s.shingles is not None})
    pairs = []
    for doc_id, others in chosen.items():
        for other in others:
            if other not in sets:
                continue
            ov = overlap(sets[doc_id], sets[other])
            method = classify(ov, thresholds)
            if method:
                pairs.append(Pair(doc_id, other, method, ov.jaccard, ov.containment))
    return pairs


def keys_to_index(sketch: Sketch, bucket_sizes: dict[int, int]) -> list[int]:
    """The keys of `sketch` worth storing, counting them into `bucket_sizes` (the sizes the
    lookup saw, plus this batch). Full buckets stop growing: a stock-phrase MOD key needs no
    more than MOD_BUCKET_LIMIT + 1 entries to be known as one, and a band key of a huge copy
    group no more than BAND_BUCKET_CAP to find it. This bounds every lookup, whatever the
    corpus size."""
    kept = []
    for key in (*sketch.band_keys, *sketch.mod_keys):
        cap = BAND_BUCKET_CAP if key >= BAND_KEY_MIN else MOD_BUCKET_LIMIT + 1
        size = bucket_sizes.get(key, 0)
        if size < cap:
            kept.append(key)
            bucket_sizes[key] = size + 1
    return kept


def _info(
    other: str, mine: dict[str, Sketch], stored: dict[str, StoredSketch]
) -> StoredSketch | None:
    if other in mine:
        return StoredSketch(mine[other].size, len(mine[other].mod_keys))
    return stored.get(other)
