"""The anchor calendar: dated news events that articles mention without giving a date.

The events live in data/anchors.yaml (format in its header comment); users add their own
with a YAML file named by $PRESSTRACE_ANCHORS. This module compiles them once and finds
mentions of them, durations counted from them ("14-month war"), and relative phrases next
to them ("this week's Belgorod attack").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from presstrace import settings

from ._data import data_file, load_yaml
from ._relative import (
    _NUM_WORDS,
    _ORDINALS,
    NUM,
    ORD,
    QUAL,
    UNIT,
    elapsed_range,
    parse_number,
    parse_ordinal,
)

ENV_VAR = settings.ENVIRONMENT["anchors"]  # read by presstrace.settings


@dataclass(frozen=True)
class Anchor:
    """One dated event and the ways articles refer to it."""

    id: str
    start: dt.date
    end: dt.date
    label: str
    keywords: tuple[str, ...]
    context: tuple[str, ...]
    pattern: re.Pattern[str] | None
    durations: tuple[str, ...]
    keyword_words: tuple[tuple[bytes, ...], ...] = ()
    context_words: tuple[tuple[bytes, ...], ...] = ()

    def present(self, words: frozenset[bytes]) -> bool:
        """Whether the document could name this event at all (set lookups, no scanning)."""
        if self.keyword_words and not any(all(w in words for w in kw) for kw in self.keyword_words):
            return False
        return self.in_context(words)

    def in_context(self, words: frozenset[bytes]) -> bool:
        """Whether the document is about this event's world (for generic duration nouns)."""
        return not self.context_words or any(all(w in words for w in c) for c in self.context_words)


# bytes that separate words; UTF-8 bytes of non-ASCII letters (>= 0x80) stay inside words
_SEPARATORS = bytes(c if (chr(c).isalnum() or c >= 128) else 32 for c in range(256))


def words_of(lowered: str) -> frozenset[bytes]:
    """The document's words, once, so that keyword checks are set lookups. Works on UTF-8
    bytes: splitting them is twice as fast as a regular expression over the text."""
    for dash in ("\u2014", "\u2013", "\u2026", "\u2019", "\u201c", "\u201d"):
        if dash in lowered:
            lowered = lowered.replace(dash, " ")
    return frozenset(lowered.encode("utf-8").translate(_SEPARATORS).split())


def _word_tuple(phrase: str) -> tuple[bytes, ...]:
    return tuple(phrase.lower().encode("utf-8").translate(_SEPARATORS).split())


@dataclass(frozen=True)
class Calendar:
    anchors: tuple[Anchor, ...]
    by_noun: dict[str, tuple[Anchor, ...]]
    durations: tuple[_DurationForm, ...]
    noun_keywords: tuple[str, ...]
    noun_words: frozenset[bytes]
    # first word of each keyword -> anchors that keyword belongs to (anchors with no keywords
    # are listed under ""), so that a document only visits anchors it could mention
    by_word: dict[bytes, tuple[Anchor, ...]]

    def candidates(self, words: frozenset[bytes]) -> list[Anchor]:
        seen: dict[str, Anchor] = {a.id: a for a in self.by_word.get(b"", ())}
        for w, anchors in self.by_word.items():
            if w and w in words:
                for a in anchors:
                    seen.setdefault(a.id, a)
        return [a for a in seen.values() if a.present(words)]


@dataclass
class AnchorHit:
    anchor: Anchor
    start: int
    end: int


@dataclass
class DurationHit:
    """'<qual> <n> <unit>s' of/since a noun: elapsed days (lo, hi) after the anchor."""

    noun: str
    lo_days: float
    hi_days: float
    start: int
    end: int


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _phrase_regex(phrase: str) -> str:
    # a literal space in the data matches any whitespace run; quotes are normalised upstream
    return re.sub(r"(?<!\\) ", r"\\s+", phrase.strip())


def _compile_anchor(entry: dict) -> Anchor:
    start = _as_date(entry["date"])
    end = _as_date(entry["end"]) if entry.get("end") else start
    phrases = [_phrase_regex(p) for p in entry.get("phrases") or []]
    keywords = tuple(str(k).lower() for k in entry.get("keywords") or [])
    context = tuple(str(c).lower() for c in entry.get("context") or [])
    pattern = re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I) if phrases else None
    return Anchor(
        id=str(entry["id"]),
        start=start,
        end=max(end, start),
        label=str(entry.get("label") or entry["id"]),
        keywords=keywords,
        context=context,
        keyword_words=tuple(_word_tuple(k) for k in keywords),
        context_words=tuple(_word_tuple(c) for c in context),
        pattern=pattern,
        durations=tuple(" ".join(str(n).lower().split()) for n in entry.get("durations") or []),
    )


def _entries(doc: object) -> Iterable[dict]:
    if isinstance(doc, dict):
        doc = doc.get("anchors") or []
    if not isinstance(doc, list):
        raise ValueError("anchor file must hold a list of entries (or a mapping with 'anchors')")
    return [e for e in doc if isinstance(e, dict)]


@dataclass(frozen=True)
class _DurationForm:
    """A duration phrase split at its unit word: `before` must end right at the unit word,
    `after` must start right after it. Searching only around unit words keeps this cheap."""

    unit: str  # "time" for day/week/month/year, or "anniversary"
    before: re.Pattern[str]
    after: re.Pattern[str]


def _duration_forms(nouns: list[str]) -> tuple[_DurationForm, ...]:
    if not nouns:
        return ()
    alt = "|".join(
        r"\s+".join(re.escape(w) for w in n.split()) for n in sorted(nouns, key=len, reverse=True)
    )
    noun = rf'"?(?P<noun>{alt})"?'
    det = r"(?:(?:the|this|its|their|his|russia's|putin's|israel's|moscow's|kyiv's)\s+)?"
    adj = r"(?:(?:full-scale|brutal|bloody|grinding|devastating|costly|ongoing|current)\s+)?"
    count = rf"\b(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})"
    filler = r"(?:(?!(?:since|after|before|of|into|in|ago|from|to)\b)[\w'-]+\s+){0,2}?"
    f = re.I

    def form(unit: str, before: str, after: str) -> _DurationForm:
        return _DurationForm(unit, re.compile(before + "$", f), re.compile(after, f))

    return (
        # "14-month war", "the two-year-old conflict", "Russia's 18-month invasion"
        form("time", count + "[- ]", rf"s?(?:-long|-old)?\s+{filler}{noun}\b"),
        # "after nearly 18 months of the special military operation", "two years into the war"
        form(
            "time",
            count + r"\s+",
            r"s?\s+(?:of|into|in|since the (?:start|beginning|outbreak) of|after the (?:start|"
            rf"beginning) of)\s+{det}{adj}{noun}\b",
        ),
        # "two years since the war began"
        form(
            "time",
            count + r"\s+",
            rf"s?\s+since\s+{det}{adj}{noun}\s+(?:began|started|broke out|erupted|was launched)\b",
        ),
        # "the third year of the war", "the 100th day of the invasion"
        form("time", rf"\b(?P<o>{ORD})\s+", rf"\s+of\s+{det}{adj}{noun}\b"),
        # "the war, now in its third year"
        form("time", rf"\b{noun},?\s+(?:now\s+)?in\s+its\s+(?P<o>{ORD})\s+", r"\b"),
        # "a major ground offensive for more than 11 days", "the war has raged for 18 months"
        form(
            "time",
            rf"\b{noun}\s+(?:[\w']+\s+){{0,3}}?for\s+(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})\s+",
            r"s\b",
        ),
        # "the first anniversary of the invasion"
        form("anniversary", rf"\b(?P<o>{ORD})\s+", rf"\s+of\s+{det}{adj}{noun}\b"),
    )


@lru_cache(maxsize=4)
def _load(extra: str | None) -> Calendar:
    entries: dict[str, dict] = {}
    for e in _entries(load_yaml(data_file("anchors.yaml"))):
        entries[str(e["id"])] = e
    if extra:
        for e in _entries(load_yaml(extra)):
            entries[str(e["id"])] = e
    anchors = tuple(_compile_anchor(e) for e in entries.values())
    by_noun: dict[str, list[Anchor]] = {}
    for a in anchors:
        for n in a.durations:
            by_noun.setdefault(n, []).append(a)
    nouns = sorted(by_noun)
    by_word: dict[bytes, list[Anchor]] = {}
    for a in anchors:
        for first in {kw[0] for kw in a.keyword_words if kw} or {b""}:
            by_word.setdefault(first, []).append(a)
    return Calendar(
        anchors=anchors,
        by_noun={k: tuple(v) for k, v in by_noun.items()},
        durations=_duration_forms(nouns),
        noun_keywords=tuple(sorted({n.split()[-1] for n in nouns})),
        noun_words=frozenset(_word_tuple(n)[-1] for n in nouns),
        by_word={k: tuple(v) for k, v in by_word.items()},
    )


def get_calendar() -> Calendar:
    """The shipped calendar plus $PRESSTRACE_ANCHORS, compiled once per file combination."""
    return _load(settings.current().anchors)


def _keyword_windows(lowered: str, keywords: tuple[str, ...], reach: int) -> list[list[int]]:
    """Stretches of text around each occurrence of the keywords, merged."""
    spots: list[tuple[int, int]] = []
    for k in keywords:
        i = lowered.find(k)
        while i >= 0:
            spots.append((i, i + len(k)))
            i = lowered.find(k, i + 1)
    windows: list[list[int]] = []
    for s, e in sorted(spots):
        s, e = max(0, s - reach), min(len(lowered), e + reach)
        if windows and s <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], e)
        else:
            windows.append([s, e])
    return windows


def find_anchor_hits(
    text: str, lowered: str, words: frozenset[bytes], cal: Calendar
) -> list[AnchorHit]:
    """Mentions of calendar events. Phrases hold one of their entry's keywords, so only the
    text around keyword occurrences is searched."""
    hits: list[AnchorHit] = []
    for a in cal.candidates(words):
        if a.pattern is None:
            continue
        windows = _keyword_windows(lowered, a.keywords, 80) if a.keywords else [[0, len(text)]]
        for s, e in windows:
            for m in a.pattern.finditer(text, s, e):
                hits.append(AnchorHit(a, m.start(), m.end()))
    return hits


_UNIT_WORDS = ("day", "week", "month", "year", "anniversary")


def find_durations(
    text: str, lowered: str, words: frozenset[bytes], cal: Calendar
) -> list[DurationHit]:
    """Durations naming a noun some anchor counts from; qualifiers widen or narrow them."""
    if not cal.durations or cal.noun_words.isdisjoint(words):
        return []
    out: list[DurationHit] = []
    for word in _UNIT_WORDS:
        p = lowered.find(word)
        while p >= 0:
            q = p + len(word)
            if (
                (p == 0 or not lowered[p - 1].isalpha())
                and _numeric_before(lowered, p)
                and any(k in lowered[max(0, p - 80) : q + 90] for k in cal.noun_keywords)
            ):
                hit = _duration_at(text, p, q, word, cal)
                if hit is not None:
                    out.append(hit)
            p = lowered.find(word, q)
    return out


_NUMBER_TOKENS = frozenset(w for k in list(_NUM_WORDS) + list(_ORDINALS) for w in k.split()) | {
    "hundred"
}


def _numeric_before(lowered: str, p: int) -> bool:
    """Every duration form has a number or ordinal right before its unit word: check that
    with string operations before trying any pattern."""
    prev = lowered[max(0, p - 30) : p].rstrip(" -")
    tok = prev.rsplit(None, 1)[-1].rsplit("-", 1)[-1] if prev.strip() else ""
    return bool(tok) and (tok[0].isdigit() or tok in _NUMBER_TOKENS)


def _duration_at(text: str, p: int, q: int, word: str, cal: Calendar) -> DurationHit | None:
    kind = "anniversary" if word == "anniversary" else "time"
    for f in cal.durations:
        if f.unit != kind:
            continue
        b = f.before.search(text, max(0, p - 90), p)
        if b is None:
            continue
        a = f.after.match(text, q, min(len(text), q + 110))
        if a is None:
            continue
        gd = {k: v for k, v in b.groupdict().items() if v is not None}
        gd.update({k: v for k, v in a.groupdict().items() if v is not None})
        if gd.get("o"):
            o = parse_ordinal(gd["o"])
            if o is None or o <= 0:
                continue
            if kind == "anniversary":
                lo, hi = o * 365.25 - 14, o * 365.25 + 14
            else:
                size = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}[word]
                lo, hi = (o - 1) * size, o * size
        else:
            n = parse_number(gd.get("n", ""))
            if n is None or n <= 0:
                continue
            lo, hi = elapsed_range(n, word, gd.get("q"))
        noun = " ".join(gd["noun"].lower().split())
        return DurationHit(noun, lo, hi, b.start(), a.end())
    return None


_UNIT_NEAR = re.compile(r"(?:day|week|month|year|half)s?\s+$", re.I)

_BEFORE_DURATION = re.compile(
    rf"(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})\s+(?P<u>{UNIT})s?\s+$|(?P<ahalf>a year and a half)\s+$",
    re.I,
)


def duration_before(text: str, pos: int) -> tuple[float, float, int] | None:
    """'nearly ten months ' right before an anchor phrase such as 'since the invasion began'."""
    window = text[max(0, pos - 60) : pos]
    if not _UNIT_NEAR.search(window[-14:]):
        return None
    m = _BEFORE_DURATION.search(window)
    if not m:
        return None
    start = pos - len(window) + m.start()
    if m.group("ahalf"):
        lo, hi = elapsed_range(1.5, "year", "about")
        return lo, hi, start
    n = parse_number(m.group("n"))
    if n is None or n <= 0:
        return None
    lo, hi = elapsed_range(n, m.group("u"), m.group("q"))
    return lo, hi, start
