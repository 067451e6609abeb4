"""Entity mentions from spaCy's NER, cleaned into names: titles and honorifics dropped
("Defence Secretary John Healey" -> John Healey), possessives and a leading "the" removed,
words a scraper glued together split ("PodolyakChief Advisor" -> Podolyak).

A PERSON must look like a person's name an analyst accepts: no lower-case word other than a
name particle ("von der Leyen"; "mit Ausnahme von Apple" is no name), no digit, no possessive
inside ("Kiev's Western"), not an adjective or an institution ("Western", "Academy Awards"),
and not only ever a modifier in the document ("the Trump administration" alone does not name
Trump as a person there: the name is kept as an ORG, which a full name the corpus knows
still claims). A title before a given name stays ("Prince Charles" is not "Jamaal Charles")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from presstrace.extract._data import word_lists
from presstrace.extract.nlp import label

KEPT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Dr|Sir|Dame)\.?\s+$")
_INNER_POSSESSIVE = re.compile(r"\w['’]s?\s")
_GLUED = re.compile(r"(?<=[a-z]{4})(?=[A-Z][a-z]{2})")
_EDGE = " \t\n\"'“”‘’«»„()[]{}.,;:!?-–—*|/"


@dataclass
class Mention:
    """One entity mention: `surface` is the cleaned name used for canonicalisation, `raw`
    the words as written (an alias), start/end its offsets in the document text."""

    surface: str
    raw: str
    type: str
    start: int
    end: int
    roles: tuple[str, ...] = ()


def clean_mention(raw: str, label: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(name, type, role words stripped) or None when nothing name-like is left."""
    text = " ".join(raw.split()).strip(_EDGE)
    text = _POSSESSIVE.sub("", text).strip(_EDGE)
    if text.lower().startswith("the "):
        text = text[4:]
    parts = text.split()
    if parts and label in ("PERSON", "ORG"):
        # a scraper's glued words: keep the name before the join ("PodolyakChief Advisor")
        for i, part in enumerate(parts):
            pieces = _GLUED.split(part)
            if len(pieces) > 1:
                parts = parts[:i] + [pieces[0]]
                break
    roles: list[str] = []
    if label == "PERSON" or (parts and parts[0].lower().rstrip(".") in HONORIFICS):
        words = word_lists()
        titles, regnal = words["titles"], words["regnal"]
        if parts and parts[0].lower() in HONORIFICS:
            label = "PERSON"
        while len(parts) > 1 and parts[0].lower() in titles:
            if parts[0].lower() in regnal and len(parts) == 2:
                break  # "Prince Charles", "Pope Francis": the title goes with a given name
            roles.append(parts.pop(0).lower())
        parts = [p for p in parts if p.lower() not in HONORIFICS]
    name = " ".join(parts).strip(_EDGE)
    if len(name) < 2 or not any(c.isalpha() for c in name) or name.islower():
        return None
    if label == "PERSON" and not person_like(name):
        return None
    return name, label, tuple(roles)


def person_like(name: str) -> bool:
    """Whether a PERSON span reads as a person's name (see the module docstring)."""
    words = word_lists()
    parts = name.split()
    if not parts or len(parts) > 5 or any(c.isdigit() for c in name):
        return False
    if any(c in name for c in ":()/|@#"):
        return False  # "Ryan Gosling: Movie Star", "Jeffrey Epstein(Image", "Katie Yu/FX"
    if _INNER_POSSESSIVE.search(name):
        return False  # "Kiev's Western", "Putin's Russia"
    for part in parts:
        if not part[:1].isupper() and part.lower() not in words["name_particles"]:
            return False  # "zum Beispiel", "der Bewertung der"
    if parts[0].lower() in words["name_particles"] and len(parts) > 1:
        return bool(parts[0][:1].isupper())  # "Von Trapp" yes, "von Apple" no
    head = parts[-1].lower()
    if head in words["not_person_words"]:
        return False  # "Western", "Academy Awards"
    return not (len(parts) == 1 and (parts[0].isupper() and len(parts[0]) <= 4))  # "NATO"


def mentions_from(doc, text: str, language: str = "en") -> list[Mention]:
    """Cleaned mentions of a spaCy Doc (NER only) over `text`; `language` is the model's,
    whose labels are mapped to presstrace's types (French PER -> PERSON)."""
    out = []
    modifiers: dict[str, int] = {}
    for ent in doc.ents:
        etype = label(language, ent.label_)
        if etype not in KEPT_TYPES:
            continue
        cleaned = clean_mention(ent.text, etype)
        if cleaned is None:
            continue
        name, etype, roles = cleaned
        raw = _POSSESSIVE.sub("", " ".join(ent.text.split()).strip(_EDGE)).strip(_EDGE)
        if raw.lower().startswith("the "):
            raw = raw[4:]
        start = ent.start_char
        honorific = _HONORIFIC_BEFORE.search(text, max(0, start - 6), start)
        if honorific and etype in ("PERSON", "ORG", "GPE", "NORP"):
            # "Mr Healey" where NER took only "Healey": the form as written, and a person
            raw, etype, start = f"{honorific.group(1)} {raw}", "PERSON", honorific.start()
        elif etype == "PERSON" and _is_modifier(text, ent.start_char, ent.end_char):
            modifiers[name] = modifiers.get(name, 0) + 1
        out.append(Mention(name, raw, etype, start, ent.end_char, roles))
    common = {
        m.surface
        for m in out
        if language != "en"  # English NER rarely needs it, and ECB+ stories did not gain
        and m.type == "PERSON"
        and " " not in m.surface
        and re.search(rf"\b{re.escape(m.surface.lower())}\b", text)
    }  # French "Lundi", "Enquête": one word the text also writes in lower case is a word
    if common:
        out = [m for m in out if not (m.type == "PERSON" and m.surface in common)]
    if modifiers:  # a "person" only ever used as a modifier here is not named here
        uses = {m.surface: 0 for m in out if m.type == "PERSON"}
        for m in out:
            if m.type == "PERSON":
                uses[m.surface] += 1
        only = {n for n, k in modifiers.items() if uses.get(n) == k}
        for m in out:  # kept as a name (stories use it; a known full name still claims it)
            if m.type == "PERSON" and m.surface in only:
                m.type = "ORG"
    return out + _family_names(text, out)


_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?i:the|a|an|this|that|these|those|its|his|her|their|our|your)|\w['’]s?)\s+$"
)
_WORD_AFTER = re.compile(r"\s+([a-z][a-z-]+)")
_NOT_HEAD = frozenset(
    [
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "as",
        "is",
        "was",
        "are",
        "were",
        "has",
        "had",
        "have",
        "said",
        "says",
        "told",
        "added",
        "did",
        "does",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
    ]
)


def _is_modifier(text: str, start: int, end: int) -> bool:
    """ "the Trump administration", "Kiev's Western partners": a determiner or possessive
    before the name and a lower-case noun right after it."""
    if not _DETERMINER_BEFORE.search(text, max(0, start - 12), start):
        return False
    after = _WORD_AFTER.match(text, end)
    return bool(after) and after.group(1) not in _NOT_HEAD


def _family_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Bare family names NER missed ("the complaints of Prigozhin") where the same document
    names the person in full: they count as mentions, and pronouns can resolve to them."""
    names = {m.surface.split()[-1] for m in mentions if m.type == "PERSON"}
    names = {n for n in names if len(n) >= 3 and n[:1].isupper() and n.isalpha()}
    if not names:
        return []
    taken = sorted((m.start, m.end) for m in mentions)
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    extra = []
    titles = word_lists()["titles"]
    for m in pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        start, name = m.start(), m.group()
        first = _FIRST_NAME.search(text, max(0, start - 30), start)
        if first and first.group(1).lower() not in titles | _NOT_NAMES:
            start, name = first.start(1), f"{first.group(1)} {name}"  # "Oleksiy Danilov"
        extra.append(Mention(name, name, "PERSON", start, m.end()))
    return extra


_FIRST_NAME = re.compile(r"(?<![\w.])([A-Z][a-z]{2,})\s+$")
_NOT_NAMES = frozenset(
    ["the", "and", "but", "for", "with", "from", "this", "that", "when", "where", "while"]
)
