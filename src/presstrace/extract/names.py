"""One canonical name per entity across the whole corpus.

Input: every cleaned surface form in the corpus with its spaCy labels and counts. Output:
surface -> canonical entity (stable key, name, type, and for places country + coordinates).

- the alias table (data, user-extendable) maps known variants first ("Kiev" -> Kyiv);
- places resolve through the gazetteer, and names that resolve to the same place merge;
  a name the gazetteer knows is a place even when spaCy called it a PERSON or PRODUCT;
- people group by a transliteration-folded family name (Sergey/Sergei, Zelensky/Zelenskyy),
  first names must agree loosely (Vladimir/Volodymyr), and a family name with a typo
  (Gersimov) joins the close one; a lone family name ("Putin", "Mr Healey") joins the most
  mentioned full name that ends with it, whatever label spaCy gave it;
- other names merge when equal ignoring case, punctuation and a leading "the".

`merge` also returns, per surface, the index keys through which it can touch another surface's
outcome (family name, typo block, first name of a cluster's creator, cluster key, key base,
country): extract/incremental.py re-merges only the surfaces a new batch can reach through them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from presstrace.extract._data import alias_table, word_lists
from presstrace.extract.places import Place, fold, lookup

PLACE_TYPES = ("GPE", "LOC", "FAC")
SAME_WORD = 75  # rapidfuzz ratio for one word of a name written two ways (Vladimir/Volodymyr)
NEAR_SCORE = 85  # rapidfuzz ratio for a family name with a typo (Gersimov/Gerasimov)
NEAR_LENGTH = 2  # ... whose length differs by at most this, and whose first 2 letters agree


@dataclass
class SurfaceStat:
    surface: str
    type: str
    mentions: int


@dataclass
class Canonical:
    key: str
    name: str
    type: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Context:
    """What the rest of the corpus contributes when only some surfaces are merged
    (extract/incremental.py): the corpus-wide sets the rules consult, and, per lone first name,
    how many person clusters outside the merged surfaces a full name with that first name
    created (2 or more: "John" alone can join none of them)."""

    families: frozenset[str] = frozenset()  # family keys of multi-word PERSON surfaces
    persons: frozenset[str] = frozenset()  # family keys of every PERSON surface
    countries: frozenset[str] | None = None  # None: from the merged surfaces
    outside_firsts: dict[str, int] = field(default_factory=dict)


@dataclass
class Merged:
    """The merge's answer (surface -> Canonical), each surface's index keys, and the set of
    countries the corpus names (it steers place lookups, so it is corpus-wide state)."""

    mapping: dict[str, Canonical]
    keys: dict[str, set[str]]
    countries: frozenset[str]


@dataclass
class _Cluster:
    type: str
    names: Counter = field(default_factory=Counter)
    preferred: str | None = None
    place: Place | None = None

    @property
    def mentions(self) -> int:
        return sum(self.names.values())

    def name(self) -> str:
        if self.preferred:
            return self.preferred
        if self.place:
            return self.place.name
        full = [n for n in self.names if len(n.split()) > 1] if self.type == "PERSON" else []
        pool = full or list(self.names)
        return max(pool, key=lambda n: (self.names[n], len(n), n))


@lru_cache(maxsize=1 << 18)  # the merge keys every surface several times
def translit(word: str) -> str:
    """A spelling key that ignores common transliteration choices and doubled letters."""
    text = anyascii(word).lower()  # any script: Путин -> putin, not "" (one key for all)
    text = re.sub(r"[^a-z]", "", text).replace("kh", "h").replace("y", "i").replace("j", "i")
    return re.sub(r"(.)\1+", r"\1", text)


def slug(text: str) -> str:
    """A key's name part: transliterated (Путин -> putin, Μέρκελ -> merkel), so names in
    other scripts keep distinct keys instead of all becoming "x"."""
    ascii_text = anyascii(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


def is_alias(form: str, canon: Canonical) -> bool:
    """Whether a surface form is a way of writing a person's canonical name: every word of
    it, titles and honorifics aside, is a word of the name (in any transliteration, with a
    typo, or as an initial). "Ukraine Zelensky" is a phrase containing Zelensky, not an
    alias. Other types keep every form (Kiev/Kyiv, UK/United Kingdom are aliases)."""
    if canon.type != "PERSON":
        return True
    titles = word_lists()["titles"]
    name_words = [_word_key(w) for w in canon.name.split()]
    words = [w for w in form.split() if w.lower().rstrip(".") not in titles | {"mr", "mrs", "ms"}]
    if not words:
        return False
    for word in words:
        k = _word_key(word)
        if not k:
            continue
        if not any(
            k == n or (len(k) == 1 and n.startswith(k)) or fuzz.ratio(k, n) >= SAME_WORD
            for n in name_words
        ):
            return False
    return True


def _word_key(word: str) -> str:
    return translit(anyascii(word))


def canonicalise(stats: list[SurfaceStat], user_aliases: str | None = None) -> dict[str, Canonical]:
    """surface -> Canonical for every surface in `stats` (deterministic for the same input)."""
    return merge(stats, user_aliases).mapping


def family_key(name: str) -> str:
    """The key a person name is grouped by: its folded family name, or the whole name when
    that is under 3 letters ("III", "A")."""
    last = translit(name.split()[-1]) if name.split() else ""
    return last if len(last) >= 3 else "=" + fold(name)


def block_key(family: str, size: int | None = None) -> str:
    """The index key of the typo search's block (first two letters, length) a family is in."""
    return f"B:{family[:2]}{size if size is not None else len(family):03d}|"


def merge(
    stats: list[SurfaceStat], user_aliases: str | None = None, context: Context | None = None
) -> Merged:
    """The merge of `stats` (with `context`, a part of the corpus merged as the whole would
    merge it: see extract/incremental.py)."""
    context = context or Context()
    aliases = _alias_lookup(user_aliases)
    votes: dict[str, Counter] = defaultdict(Counter)
    for s in stats:
        votes[s.surface][s.type] += s.mentions
    families = context.families | {
        translit(s.split()[-1]) for s, v in votes.items() if len(s.split()) > 1 and v["PERSON"]
    }
    typed = {
        surface: _decide(surface, v, aliases, families) for surface, v in sorted(votes.items())
    }
    mentions = {surface: sum(v.values()) for surface, v in votes.items()}
    named = {
        surface: p.country
        for surface, (etype, name) in typed.items()
        if etype in PLACE_TYPES and (p := lookup(name)) and p.kind == "country"
    }
    countries = frozenset(named.values()) if context.countries is None else context.countries
    persons = context.persons | {translit(s.split()[-1]) for s, v in votes.items() if v["PERSON"]}
    clusters: list[_Cluster] = []
    assign: dict[str, _Cluster] = {}
    people = _People(clusters, context.outside_firsts)
    by_key: dict[tuple[str, str], _Cluster] = {}
    keys: dict[str, set[str]] = {}
    order = sorted(typed, key=lambda s: (-len(typed[s][1].split()), -mentions[s], s))
    for surface in order:
        etype, name = typed[surface]
        preferred = (_alias(aliases, surface) or (None, None))[1]
        lone_family = (
            etype in ("ORG", "PRODUCT", "WORK_OF_ART", "EVENT")
            and len(name.split()) <= 2
            and all(p[:1].isupper() and p.isalpha() for p in name.split())
            and len(translit(name.split()[-1])) >= 3
            and translit(name.split()[-1]) in (people.by_last if " " not in name else persons)
        )  # "Healey" or "Oleksiy Danilov" labelled ORG where Healey/Danilov is a person; never
        # a NORP: "Christian nationalism" and "the English version" name no Mark Christian or
        # Rebecca English (found on the multilingual dev set)
        keys[surface] = own = _static_keys(surface, name, votes[surface])
        if surface in named:
            own.add("n:" + named[surface])
        if etype == "PERSON" or lone_family:
            etype = "PERSON"
            cluster = people.add(name, mentions[surface])
            if people.created_by is not None:
                own.add("1:" + people.created_by)
        elif etype in PLACE_TYPES and (place := lookup(name, countries)):
            cluster = by_key.get(("geo", str(place.geonameid)))
            own.add(f"c:geo|{place.geonameid}")
            if cluster is None:
                cluster = _Cluster(etype, place=place)
                clusters.append(cluster)
                by_key[("geo", str(place.geonameid))] = cluster
        else:
            k = (etype, fold(name).replace(".", ""))
            own.add(f"c:{k[0]}|{k[1]}")
            cluster = by_key.get(k)
            if cluster is None:
                cluster = _Cluster(etype)
                clusters.append(cluster)
                by_key[k] = cluster
        if preferred:
            cluster.preferred = preferred
        cluster.names[name] += mentions[surface]
        assign[surface] = cluster
    mapping, bases = _keys(assign, clusters)
    for surface, canon in mapping.items():
        keys[surface] |= {"e:" + canon.key, "b:" + bases[surface]}
    return Merged(mapping, keys, countries)


def _static_keys(surface: str, name: str, votes: Counter) -> set[str]:
    """The keys that depend on the surface and its label votes alone: its family keys ("f:",
    the name's, the surface's last word's and the whole surface's), its typo block ("B:"), and
    whether it adds to the corpus's sets of (full-name) person families ("F:", "P:")."""
    family, own_last, whole = family_key(name), translit(surface.split()[-1]), translit(surface)
    keys = {"f:" + k for k in (family, own_last, whole) if k}
    keys.add(block_key(family) + family)
    if votes["PERSON"]:
        keys.add("P:" + own_last)
        if len(surface.split()) > 1:
            keys.add("F:" + own_last)
    return keys


def _decide(surface: str, votes: Counter, aliases: dict, families: set[str]) -> tuple[str, str]:
    """(type, name) of a surface: the alias table first, then the gazetteer for names spaCy
    mislabels (a place labelled as such somewhere, or a big one; never the family name of a
    person the corpus names in full: Danilov the town vs Oleksiy Danilov), then the
    majority label."""
    hit = _alias(aliases, surface)
    if hit:
        return hit[0], hit[1]
    etype = max(votes, key=lambda t: (votes[t], t))
    place = lookup(surface, alternates=False) if translit(surface) not in families else None
    if place and not (
        place.kind == "country" or place.population >= 100_000 or any(votes[t] for t in PLACE_TYPES)
    ):
        place = None
    parts = surface.split()
    head = lookup(parts[0]) if etype == "PERSON" and len(parts) > 1 else None
    if head and head.kind == "country":
        surface = " ".join(parts[1:])  # "Ukraine Zelensky": a country glued before a name
        parts = parts[1:]
    if len(parts) == 1 and etype not in PLACE_TYPES and etype != "NORP" and place:
        return "GPE", surface
    if etype in ("PRODUCT", "NORP", "ORG") and place and votes.get("PERSON", 0) == 0:
        return "GPE", surface
    return etype, surface


class _People:
    """Person clusters indexed by folded family name."""

    def __init__(self, clusters: list[_Cluster], outside_firsts: dict[str, int]) -> None:
        self.clusters = clusters
        self.outside_firsts = outside_firsts  # see Context
        self.created_by: str | None = None  # first name of the last add's new cluster
        self.by_last: dict[str, list[tuple[str, _Cluster]]] = defaultdict(list)
        # Indexes so that a name is compared only with the names that can match it (the
        # merge used to scan every family name per new one: quadratic in distinct people).
        # block (first two letters, length) -> family names in the order first seen
        self.blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.seen_at: dict[str, int] = {}  # family name -> when first seen (scan order)
        self.by_first: dict[str, dict[int, _Cluster]] = defaultdict(dict)

    def add(self, name: str, mentions: int) -> _Cluster:
        parts = name.split()
        last = family_key(name)  # "III", "A": no family name to group by
        first = translit(parts[0]) if len(parts) > 1 else ""
        self.created_by = None
        family = self.by_last.get(last) or self._near(last)
        if family:
            if not first:
                return max((c for _, c in family), key=lambda c: (c.mentions, c.name()))
            for other_first, cluster in family:
                if not other_first or _same_first(first, other_first):
                    return cluster
        elif not first:
            firsts = self.by_first.get(last, {})
            if len(firsts) == 1 and not self.outside_firsts.get(last):  # "Xi": Xi Jinping
                return next(iter(firsts.values()))
        cluster = _Cluster("PERSON")
        self.clusters.append(cluster)
        if last not in self.seen_at:
            self.seen_at[last] = len(self.seen_at)
            self.blocks[(last[:2], len(last))].append(last)
        self.by_last[last].append((first, cluster))
        self.by_first[first][id(cluster)] = cluster
        self.created_by = first or None
        return cluster

    def _near(self, last: str) -> list[tuple[str, _Cluster]]:
        """A family name one typo away (Gersimov/Gerasimov), for names of 5+ letters."""
        if len(last) < 5:
            return []
        best, score = None, 0.0
        for size in range(len(last) - NEAR_LENGTH, len(last) + NEAR_LENGTH + 1):
            bucket = self.blocks.get((last[:2], size))
            hit = bucket and process.extractOne(
                last, bucket, scorer=fuzz.ratio, score_cutoff=NEAR_SCORE
            )  # the best in the bucket, the first seen of equals (the buckets keep that order)
            if hit and (
                hit[1] > score or (hit[1] == score and self.seen_at[hit[0]] < self.seen_at[best])
            ):
                best, score = hit[0], hit[1]
        return self.by_last[best] if best else []


def _same_first(a: str, b: str) -> bool:
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return fuzz.ratio(a, b) >= SAME_WORD


def _alias_lookup(user_file: str | None) -> dict[str, tuple[str, str]]:
    """folded alias or canonical name -> (type, canonical name)."""
    out = {}
    for canonical, entry in alias_table(user_file).items():
        entry = entry or {}
        etype = str(entry.get("type") or "PERSON").upper()
        for form in [canonical, *(entry.get("aliases") or [])]:
            out[_alias_key(str(form))] = (etype, str(canonical))
    return out


def _alias_key(form: str) -> str:
    """Acronyms match exactly ("US", not the pronoun "Us"); other names ignore case."""
    letters = form.replace(".", "")
    return "=" + letters if letters.isupper() and len(letters) <= 5 else fold(form)


def _alias(aliases: dict[str, tuple[str, str]], surface: str) -> tuple[str, str] | None:
    return aliases.get(_alias_key(surface))


def _keys(
    assign: dict[str, _Cluster], clusters: list[_Cluster]
) -> tuple[dict[str, Canonical], dict[str, str]]:
    """Stable keys "type:name-slug"; a clash (two people both named X) gets a suffix, the
    more mentioned keeping the plain key. Also each surface's key base (before the suffix)."""
    result: dict[int, Canonical] = {}
    bases: dict[int, str] = {}
    used: set[str] = set()
    for cluster in sorted(clusters, key=lambda c: (-c.mentions, c.name())):
        if not cluster.names:
            continue
        name = cluster.name()
        etype = cluster.type
        base = f"{etype.lower()}:{slug(name)}"
        key, n = base, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
        used.add(key)
        bases[id(cluster)] = base
        place = cluster.place
        result[id(cluster)] = Canonical(
            key,
            name,
            etype,
            place.country if place else None,
            place.lat if place else None,
            place.lon if place else None,
        )
    return (
        {surface: result[id(cluster)] for surface, cluster in assign.items()},
        {surface: bases[id(cluster)] for surface, cluster in assign.items()},
    )
