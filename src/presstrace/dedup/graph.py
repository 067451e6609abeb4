"""The copy graph: groups of documents joined by accepted copy pairs, one canonical each.

The canonical document is the earliest dated member (where an item first appeared), else,
when no member has a date, the most complete one (most shingles, then longest text); ties go
to the smallest id so the choice never depends on ingest order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from presstrace.dedup.compare import Thresholds, classify, overlap
from presstrace.dedup.matcher import Pair

_RANK = {"exact": 0, "near": 1, "partial": 2}


@dataclass(frozen=True)
class Member:
    id: str
    published: str | None = None
    size: int = 0  # distinct shingles
    length: int = 0  # characters of cleaned text
    text_hash: str | None = None


@dataclass(frozen=True)
class CopyLink:
    """One non-canonical document: a row of the `copies` table."""

    copy_id: str
    canonical_id: str
    similarity: float
    containment: float
    method: str


def choose_canonical(members: Iterable[Member]) -> Member:
    members = list(members)
    dated = [m for m in members if m.published]
    if dated:
        return min(dated, key=lambda m: (m.published, -m.size, -m.length, m.id))
    return min(members, key=lambda m: (-m.size, -m.length, m.id))


class UnionFind:
    """Groups from pairs; `find` compresses paths so big copy groups stay cheap."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for item in list(self.parent):
            out.setdefault(self.find(item), []).append(item)
        return [sorted(g) for g in out.values()]


def build_links(
    members: Mapping[str, Member],
    pairs: Iterable[Pair],
    shingles: Mapping[str, np.ndarray] | Callable[[list[str]], Mapping[str, np.ndarray]],
    thresholds: Thresholds,
    known: Mapping[str, CopyLink] | None = None,
) -> list[CopyLink]:
    """Group the members joined by `pairs`, choose each group's canonical document and link
    every other member to it, with its overlap measured against the canonical itself.

    A member joined through another copy (A -> B -> C) may overlap the canonical less than
    the thresholds; it stays in the group with its measured overlap and the method of the
    pair that joined it. `known` links whose canonical is unchanged are kept as they are.
    """
    uf = UnionFind()
    joined: dict[str, str] = {}
    for pair in pairs:
        uf.union(pair.a, pair.b)
        for doc in (pair.a, pair.b):
            if doc not in joined or _RANK[pair.method] < _RANK[joined[doc]]:
                joined[doc] = pair.method
    plan: list[tuple[str, str]] = []
    for group in uf.groups():
        canonical = choose_canonical(members[i] for i in group).id
        plan += [(doc, canonical) for doc in group if doc != canonical]
    known = known or {}
    fresh = [(d, c) for d, c in plan if not (d in known and known[d].canonical_id == c)]
    needed = sorted({i for d, c in fresh for i in (d, c)})
    sets = shingles(needed) if callable(shingles) else shingles
    links = []
    for doc, canonical in plan:
        if doc in known and known[doc].canonical_id == canonical:
            links.append(known[doc])
            continue
        a, b = members[doc], members[canonical]
        if a.text_hash and a.text_hash == b.text_hash:
            links.append(CopyLink(doc, canonical, 1.0, 1.0, "exact"))
            continue
        empty = np.empty(0, np.uint32)
        ov = overlap(sets.get(doc, empty), sets.get(canonical, empty))
        method = classify(ov, thresholds) or joined.get(doc, "near")
        links.append(
            CopyLink(doc, canonical, round(ov.jaccard, 4), round(ov.containment, 4), method)
        )
    return links
