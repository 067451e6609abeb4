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


def update_links(
    pairs: Iterable[Pair],
    new: Iterable[str],
    root_of: Mapping[str, str],
    members: Mapping[str, Member],
    group_links: Callable[[list[str]], list[CopyLink]],
    group_members: Callable[[list[str]], Mapping[str, Member]],
    shingles: Callable[[list[str]], Mapping[str, np.ndarray]],
    thresholds: Thresholds,
) -> list[CopyLink]:
    """The links a batch adds or changes, given its accepted `pairs` (each with a `new`
    document), without reading the stored groups it only joins.

    `root_of` gives each stored document of `pairs` its group's canonical (itself when it is
    not a copy); `members` holds the new documents and those canonicals. A stored group's
    canonical is the best of its members (build_links chose it so, and members' keys never
    change), so a merged group's canonical is the best of the old canonicals and the new
    documents it holds. Only a group whose canonical loses its place is read
    (`group_links`, `group_members`) and measured again: its copies' rows change anyway.
    Gives the same links as build_links over the pairs and every touched group's links.
    """
    pairs = list(pairs)
    new = set(new)
    uf = UnionFind()
    for pair in pairs:
        uf.union(pair.a, pair.b)
    for doc, root in root_of.items():
        uf.union(doc, root)
    roots = set(root_of.values())
    chosen: dict[str, str] = {}  # document to link -> its canonical
    moved: dict[str, str] = {}  # old canonical that loses its place -> the new one
    for group in uf.groups():
        canonical = choose_canonical(members[i] for i in group if i in new or i in roots).id
        for doc in group:
            if doc in new and doc != canonical:
                chosen[doc] = canonical
            elif doc in roots and doc != canonical:
                moved[doc] = canonical
    stored_links = group_links(sorted(moved)) if moved else []
    joined: dict[str, str] = {}
    for a, b, method in [(p.a, p.b, p.method) for p in pairs] + [
        (x.copy_id, x.canonical_id, x.method) for x in stored_links
    ]:
        for doc in (a, b):
            if doc not in joined or _RANK[method] < _RANK[joined[doc]]:
                joined[doc] = method
    for root, canonical in moved.items():
        chosen[root] = canonical
    for x in stored_links:
        chosen[x.copy_id] = moved[x.canonical_id]
    everyone = dict(members)
    unknown = sorted({i for d, c in chosen.items() for i in (d, c)} - set(everyone))
    if unknown:
        everyone.update(group_members(unknown))
    sets = shingles(sorted({i for d, c in chosen.items() for i in (d, c)}))
    empty = np.empty(0, np.uint32)
    links = []
    for doc, canonical in sorted(chosen.items()):
        a, b = everyone[doc], everyone[canonical]
        if a.text_hash and a.text_hash == b.text_hash:
            links.append(CopyLink(doc, canonical, 1.0, 1.0, "exact"))
            continue
        ov = overlap(sets.get(doc, empty), sets.get(canonical, empty))
        method = classify(ov, thresholds) or joined.get(doc, "near")
        links.append(
            CopyLink(doc, canonical, round(ov.jaccard, 4), round(ov.containment, 4), method)
        )
    return links
