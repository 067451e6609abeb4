"""The corpus-wide name merge for a few new documents, at the cost of what they can change.

`names.merge` over every surface of a 100k-document corpus takes about half a minute, and an
ingest of one document used to pay it. Here only the surfaces the new documents mention are
merged again, together with every surface whose outcome they can touch, found through the
index keys the last merge stored per surface (names.py `_static_keys` and `merge`):

- "f:" the same family key (a family name, a surface's last word, a whole one-word surface):
  people group by family, a lone "Healey" joins the full name ending with it, a full name's
  family decides whether the gazetteer may take a one-word surface;
- typo neighbours: a family in a nearby block ("B:") with a typo score the merge would join,
  followed further only from surfaces whose outcome can move (`_Reach`);
- "e:" the same entity before (a cluster that loses or gains a member is decided again),
  "c:" the same place or organisation key, "b:" the same key base (suffixes -2, -3 are given
  by mentions among equal bases);
- a full name's first name reaches a lone name equal to it ("Xi" for Xi Jinping: it joins the
  only cluster a full name with that first name created); when two or more clusters outside
  were created so, the lone name can join none of them, and only their number is passed on.

Grown to a fixed point, the set is merged with the corpus-wide sets it consults (full-name
families, person families, countries) taken from the index, which gives what the full merge
gives on those surfaces (tests/extract/test_names_incremental.py); every other surface keeps
its entity. When the set of countries the corpus names changes (it steers every place
lookup), the alias table changed, or the set reaches half the corpus, the caller merges all.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from presstrace.extract.names import (
    NEAR_LENGTH,
    NEAR_MIN,
    NEAR_SCORE,
    Context,
    Merged,
    SurfaceStat,
    _alias,
    _alias_lookup,
    block_key,
    merge,
)

RELATIONS = ("f:", "e:", "c:", "b:")  # index keys shared with a surface whose outcome moves
FULL_SHARE = 0.5  # re-merge everything when the set reaches this share of stored surfaces:
# the set is then merged several times while growing, so one full merge is cheaper


class NameIndex(Protocol):
    """The stored merge, as the incremental merge reads it (store/extracted.py, and a dict
    version in the tests)."""

    def stats(self, surfaces: Collection[str]) -> list[SurfaceStat]:
        """The label counts of these surfaces over the whole corpus."""
        ...

    def keys_of(self, surfaces: Collection[str]) -> dict[str, set[str]]:
        """The index keys the last merge stored for these surfaces."""
        ...

    def with_keys(self, keys: Collection[str]) -> dict[str, set[str]]:
        """key -> the surfaces that have it (keys no surface has are left out)."""
        ...

    def families_near(self, family: str) -> set[str]:
        """Stored families in the blocks a typo of `family` can be in (first two letters,
        length within NEAR_LENGTH)."""
        ...

    def countries(self) -> frozenset[str] | None:
        """The countries the stored merge saw in the corpus; None when nothing is stored."""
        ...

    def size(self) -> int:
        """How many surfaces the stored merge holds."""
        ...


@dataclass
class Partial:
    """A merge of part of the corpus: its surfaces, the merge, and the keys they had."""

    surfaces: set[str]
    merged: Merged
    before: dict[str, set[str]]


def merge_part(
    index: NameIndex, changed: Collection[str], user_aliases: str | None = None
) -> Partial | None:
    """The merge of the surfaces `changed` can reach (see the module), or None when the whole
    corpus must be merged."""
    countries = index.countries()
    if countries is None:
        return None
    limit = max(FULL_SHARE * index.size(), 1_000)
    part: set[str] = set(changed)
    reach = _Reach(index, user_aliases)
    moving: set[str] = set(changed)  # surfaces whose outcome can change
    before: dict[str, set[str]] = {}
    searched: set[str] = set()  # keys looked up, and those looked up from moving surfaces
    searched_moving: set[str] = set()
    context = Context(countries=countries)
    while True:
        before.update(index.keys_of(part - before.keys()))
        merged = merge(index.stats(part), user_aliases, context)
        keys = {s: before.get(s, set()) | merged.keys.get(s, set()) for s in part}
        grown, frontier = False, keys
        while frontier:  # follow the stored keys first: one merge per round, not per step
            reached: set[str] = set()
            woke: set[str] = set()
            for from_moving in (True, False):
                own = {s: k for s, k in frontier.items() if (s in moving) == from_moving}
                wanted = _reach(own) - (searched_moving if from_moving else searched)
                searched |= wanted
                if from_moving:
                    searched_moving |= wanted
                firsts = reach.first_holders(own) if from_moving else {}
                for key, group in index.with_keys(wanted).items():
                    reached |= group - part
                    if from_moving:
                        woke |= reach.moved_by(key, firsts, group - moving)
            creators = _lone_creators(index, part, frontier)
            reached |= creators - part
            if moving & frontier.keys():
                woke |= creators - moving
            moving |= woke
            moved, kept = reach.neighbours(moving, part, keys | before)
            moving |= moved
            woke |= moved
            reached |= (moved | kept) - part
            part |= reached
            if len(part) > limit:
                return None
            frontier = index.keys_of(reached)
            before.update(frontier)
            frontier.update({s: keys.get(s) or before.get(s, set()) for s in woke - reached})
            grown = grown or bool(reached)
        if grown:
            continue  # merged again with what it reached
        settled = _context(index, part, keys, countries)
        if settled == context:
            break
        context = settled
    if _corpus_countries(index, part, merged) != countries:
        return None
    return Partial(part, merged, before)


def _reach(keys: dict[str, set[str]]) -> set[str]:
    """The keys (other than typo blocks: see _Reach) through which these surfaces' outcomes
    reach other surfaces."""
    wanted: set[str] = set()
    for own in keys.values():
        for key in own:
            if key.startswith(RELATIONS):
                wanted.add(key)
            elif key.startswith("1:"):  # a full name's first name: the lone name equal to it
                wanted.add("f:" + key[2:])
    return wanted


class _Reach:
    """Typo neighbours, followed only from surfaces whose outcome can change ("moving").

    names.merge scans surfaces in one order (most words, most mentions, surface); a family
    not created yet joins the best-scoring typo neighbour among the families *created before
    it* (names._People._near), and a family already created takes nothing from neighbours.
    So a moving surface `a` can move a neighbour `b` only when `a` can come before `b`, `b`'s
    family is not surely created before `b`, and `a`'s family scores at least as well
    against `b`'s as the best family surely created before `b` (the stored "K:" keys say
    which surface created a family's cluster). Other neighbours are merged with the part,
    with the families their outcome was decided by (`context`), but their own neighbours
    are not followed: in a crowded corpus typo neighbours chained through 29% of the names.
    What a moving surface's other keys reach moves with it.
    """

    def __init__(self, index: NameIndex, user_aliases: str | None) -> None:
        self.index = index
        self.followed: set[str] = set()  # moving surfaces whose neighbours were looked up
        self.contexted: set[str] = set()  # still surfaces whose deciding families were added
        self.near: dict[str, set[str]] = {}  # family -> its typo neighbours
        self.by_family: dict[str, set[str]] = {}  # family -> surfaces holding f:family
        self.creators: dict[str, set[str]] = {}  # family -> surfaces holding K:family
        self.bounds: dict[str, tuple[tuple, tuple]] = {}
        self.aliases = _alias_lookup(user_aliases)

    def neighbours(
        self, moving: set[str], part: set[str], keys: dict[str, set[str]]
    ) -> tuple[set[str], set[str]]:
        """(surfaces found moving, surfaces to merge with the part without following them)
        through the typo neighbours of the moving surfaces not followed yet, chains
        included, and the families deciding the part's still surfaces."""
        moved: set[str] = set()
        kept: set[str] = set()
        todo = sorted(moving - self.followed)
        while todo:
            surface = todo.pop()
            if surface in self.followed:
                continue
            self.followed.add(surface)
            family = self._family(surface, keys)
            if family is None:
                continue
            for other in self._surfaces(self._near(family)):
                if other in moving or other in moved:
                    continue
                if self._moves(surface, family, other, keys):
                    moved.add(other)
                    kept.discard(other)
                    todo.append(other)
                else:
                    kept.add(other)
        still = sorted((part | kept) - moving - moved - self.contexted)
        while still:
            surface = still.pop()
            if surface in self.contexted:
                continue
            self.contexted.add(surface)
            for other in self._surfaces(self._deciding(surface, keys)):
                if other not in moving and other not in moved and other not in part:
                    kept.add(other)
                    still.append(other)
        return moved, kept

    def first_holders(self, sources: dict[str, set[str]]) -> dict[str, tuple]:
        """family key ("f:") -> the earliest place in the scan of a source holding it."""
        out: dict[str, tuple] = {}
        for surface, own in sources.items():
            place = self._bound(surface)[0]
            for key in own:
                if key.startswith("f:") and (key not in out or place < out[key]):
                    out[key] = place
        return out

    def moved_by(self, key: str, firsts: dict[str, tuple], found: set[str]) -> set[str]:
        """The surfaces `found` through `key` that move with the moving sources holding it
        (`firsts`: first_holders). One family ("f:") decides in scan order: a surface seen
        before every source that changed keeps its outcome (a cluster it is in that changes
        reaches it through "e:"). Through a first name ("1:"), the lone name can move."""
        if key not in firsts:
            return found
        return {x for x in found if firsts[key] < self._bound(x)[1]}

    def _moves(self, a: str, family: str, b: str, keys: dict[str, set[str]]) -> bool:
        if not self._bound(a)[0] < self._bound(b)[1]:
            return False  # a comes after b: b's outcome is decided before a is seen
        own = self._family(b, keys)
        if own is None or len(own) < NEAR_MIN:
            return False  # no typo search for b
        if any(self._surely_before(c, b) for c in self._created(own)):
            return False  # b's family exists when b comes: b looks at no neighbour
        best = self._best_before(b, own)
        return best is None or fuzz.ratio(family, own) >= best

    def _best_before(self, surface: str, own: str) -> float | None:
        """The best score of a neighbour family surely created before `surface`."""
        scores = [
            fuzz.ratio(own, other)
            for other in self._near(own) - {own}
            if any(self._surely_before(c, surface) for c in self._created(other))
        ]
        return max(scores, default=None)

    def _deciding(self, surface: str, keys: dict[str, set[str]]) -> set[str]:
        """The neighbour families a still surface's outcome can be decided by: those created
        (perhaps) before it that score at least as well as the best surely created before."""
        own = self._family(surface, keys)
        if own is None or len(own) < NEAR_MIN:
            return set()
        best = self._best_before(surface, own) or 0.0
        return {
            other
            for other in self._near(own) - {own}
            if fuzz.ratio(own, other) >= best
            and any(self._bound(c)[0] < self._bound(surface)[1] for c in self._created(other))
        }

    def _family(self, surface: str, keys: dict[str, set[str]]) -> str | None:
        own = keys.get(surface)
        if own is None:
            own = self.index.keys_of([surface]).get(surface, set())
        return next((k.split("|", 1)[1] for k in own if k.startswith("B:")), None)

    def _near(self, family: str) -> set[str]:
        if family not in self.near:
            hits = process.extract(  # one C batch per block, not a Python call per family
                family,
                list(self.index.families_near(family)),
                scorer=fuzz.ratio,
                score_cutoff=NEAR_SCORE,
                limit=None,
            )
            self.near[family] = {other for other, _, _ in hits}
        return self.near[family]

    def _surfaces(self, families: set[str]) -> set[str]:
        self._load(families)
        return {s for f in families for s in self.by_family[f]}

    def _created(self, family: str) -> set[str]:
        self._load({family})
        return self.creators[family]

    def _load(self, families: set[str]) -> None:
        wanted = sorted(f for f in families if f not in self.by_family)
        if not wanted:
            return
        found = self.index.with_keys([p + f for f in wanted for p in ("f:", "K:")])
        for f in wanted:
            self.by_family[f] = found.get("f:" + f, set())
            self.creators[f] = found.get("K:" + f, set())

    def _surely_before(self, a: str, b: str) -> bool:
        return self._bound(a)[1] < self._bound(b)[0]

    def _bound(self, surface: str) -> tuple[tuple, tuple]:
        """(earliest, latest) place of a surface in the merge's scan order: bounds on the
        words of the name it is merged under (the alias table's name, or without a country
        glued in front), its mentions, itself."""
        if surface not in self.bounds:
            mentions = sum(s.mentions for s in self.index.stats([surface]))
            words = len(surface.split())
            options = {words, max(words - 1, 1)}
            hit = _alias(self.aliases, surface)
            if hit:
                options.add(len(hit[1].split()))
            self.bounds[surface] = (
                (-max(options), -mentions, surface),
                (-min(options), -mentions, surface),
            )
        return self.bounds[surface]


def _first_names(keys: dict[str, set[str]]) -> set[str]:
    """Family keys of the part's surfaces: the names a lone name could be looked up by."""
    return {k[2:] for own in keys.values() for k in own if k.startswith("f:")}


def _lone_creators(index: NameIndex, part: set[str], keys: dict[str, set[str]]) -> set[str]:
    """The one cluster outside created by a full name with a lone name's first name: the lone
    name may join it, so it is merged with the part (two or more: see _context)."""
    found = index.with_keys({"1:" + n for n in _first_names(keys)})
    out: set[str] = set()
    for group in found.values():
        if len(group - part) == 1:
            out |= group - part
    return out


def _context(
    index: NameIndex, part: set[str], keys: dict[str, set[str]], countries: frozenset[str]
) -> Context:
    """The corpus-wide sets the rules consult, from the surfaces outside the part."""
    families = _first_names(keys)

    def outside(prefix: str) -> dict[str, int]:
        found = index.with_keys({prefix + f for f in families})
        return {k[len(prefix) :]: len(v - part) for k, v in found.items() if v - part}

    firsts = {name: n for name, n in outside("1:").items() if n >= 2}
    return Context(
        frozenset(outside("F:")), frozenset(outside("P:")), countries, dict(sorted(firsts.items()))
    )


def _corpus_countries(index: NameIndex, part: set[str], merged: Merged) -> frozenset[str]:
    """The countries the corpus names after this merge: the part's and everyone else's."""
    stored = index.with_keys([f"n:{c}" for c in index.countries() or ()])
    outside = {k[2:] for k, v in stored.items() if v - part}
    mine = {k[2:] for own in merged.keys.values() for k in own if k.startswith("n:")}
    return frozenset(outside | mine)


def near_blocks(family: str) -> tuple[str, str]:
    """The range of index keys holding the blocks a typo of `family` can be in."""
    low = max(len(family) - NEAR_LENGTH, 0)
    return block_key(family, low), block_key(family, len(family) + NEAR_LENGTH)[:-1] + "}"


class MemoryIndex:
    """A NameIndex held in dicts: the tests' and the name benchmark's stand-in for the store."""

    def __init__(self, stats: list[SurfaceStat], merged: Merged) -> None:
        self.counts: dict[str, dict[str, int]] = {}
        self.add_stats(stats)
        self.mapping = dict(merged.mapping)
        self.keys: dict[str, set[str]] = {}
        self.by_key: dict[str, set[str]] = {}
        self.blocks: dict[str, set[str]] = {}  # block ("B:ko007|") -> its keys
        self.stored_countries = merged.countries
        self._store_keys(merged.keys)

    def add_stats(self, stats: list[SurfaceStat]) -> None:
        for s in stats:
            votes = self.counts.setdefault(s.surface, {})
            votes[s.type] = votes.get(s.type, 0) + s.mentions

    def apply(self, partial: Partial) -> None:
        """Keep a partial merge's answer, as the store does."""
        self.mapping.update(partial.merged.mapping)
        self._store_keys(partial.merged.keys)
        self.stored_countries = partial.merged.countries

    def _store_keys(self, keys: dict[str, set[str]]) -> None:
        for surface, own in keys.items():
            for key in self.keys.get(surface, ()):
                self.by_key[key].discard(surface)
            self.keys[surface] = set(own)
            for key in own:
                self.by_key.setdefault(key, set()).add(surface)
                if key.startswith("B:"):
                    self.blocks.setdefault(key[: key.index("|") + 1], set()).add(key)

    def stats(self, surfaces: Collection[str]) -> list[SurfaceStat]:
        return [SurfaceStat(s, t, n) for s in surfaces for t, n in self.counts.get(s, {}).items()]

    def keys_of(self, surfaces: Collection[str]) -> dict[str, set[str]]:
        return {s: set(self.keys[s]) for s in surfaces if s in self.keys}

    def with_keys(self, keys: Collection[str]) -> dict[str, set[str]]:
        return {k: set(self.by_key[k]) for k in keys if self.by_key.get(k)}

    def families_near(self, family: str) -> set[str]:
        sizes = range(max(len(family) - NEAR_LENGTH, 0), len(family) + NEAR_LENGTH + 1)
        return {
            k.split("|", 1)[1]
            for size in sizes
            for k in self.blocks.get(block_key(family, size), ())
            if self.by_key[k]
        }

    def countries(self) -> frozenset[str] | None:
        return self.stored_countries

    def size(self) -> int:
        return len(self.keys)
