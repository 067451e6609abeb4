"""Copies of a corpus held in memory: the KeyIndex as dicts, and the whole stage in one call.

Used by the benchmarks (threshold sweeps) and tests; the store-backed step runs the same
matcher and graph code against tables instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from presstrace.dedup.compare import Thresholds
from presstrace.dedup.graph import CopyLink, Member, build_links
from presstrace.dedup.matcher import Pair, StoredSketch, find_pairs, keys_to_index
from presstrace.dedup.sketch import Sketch, sketch_texts


class MemoryIndex:
    def __init__(self, keep_shingles: bool = True) -> None:
        self.keys: dict[int, list[str]] = defaultdict(list)
        self.hashes: dict[str, list[str]] = defaultdict(list)
        self.info: dict[str, StoredSketch] = {}
        self.sets: dict[str, np.ndarray] = {}
        self.keep_shingles = keep_shingles
        self.sizes: dict[int, int] = {}

    def add(self, sketches: Iterable[Sketch]) -> None:
        for s in sketches:
            self.info[s.id] = StoredSketch(s.size, len(s.mod_keys))
            if not s.size:
                continue
            self.hashes[s.text_hash].append(s.id)
            for key in keys_to_index(s, self.sizes):
                self.keys[key].append(s.id)
            if self.keep_shingles and s.shingles is not None:
                self.sets[s.id] = s.shingles

    def by_keys(self, keys: list[int]) -> dict[int, list[str]]:
        return {k: self.keys[k] for k in keys if k in self.keys}

    def by_text_hash(self, hashes: list[str]) -> dict[str, list[str]]:
        return {h: self.hashes[h] for h in hashes if h in self.hashes}

    def stored(self, ids: list[str]) -> dict[str, StoredSketch]:
        return {i: self.info[i] for i in ids if i in self.info}

    def shingles(self, ids: list[str]) -> dict[str, np.ndarray]:
        return {i: self.sets[i] for i in ids if i in self.sets}


def find_copies(
    docs: Iterable[tuple[str, str, str | None]],
    thresholds: Thresholds | None = None,
    batch_size: int = 1000,
) -> tuple[list[CopyLink], list[Pair]]:
    """(id, cleaned text, published date or None) -> the copy links and accepted pairs."""
    thresholds = thresholds or Thresholds()
    index = MemoryIndex()
    members: dict[str, Member] = {}
    pairs: list[Pair] = []
    docs = list(docs)
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        sketches = sketch_texts((d[0], d[1]) for d in chunk)
        pairs += find_pairs(sketches, index, thresholds)
        index.add(sketches)
        for (doc_id, text, published), s in zip(chunk, sketches, strict=True):
            members[doc_id] = Member(doc_id, published, s.size, len(text), s.text_hash)
    links = build_links(members, pairs, index.sets, thresholds)
    return links, pairs
