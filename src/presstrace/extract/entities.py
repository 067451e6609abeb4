"""Entity mentions from spaCy's NER, cleaned into names: titles and honorifics dropped
("Defence Secretary John Healey" -> John Healey), possessives and a leading "the" removed,
words a scraper glued together split ("PodolyakChief Advisor" -> Podolyak)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from presstrace.extract._data import word_lists

KEPT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Dr|Sir|Dame)\.?\s+$")
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
        titles = word_lists()["titles"]
        if parts and parts[0].lower() in HONORIFICS:
            label = "PERSON"
        while len(parts) > 1 and parts[0].lower() in titles:
            roles.append(parts.pop(0).lower())
        parts = [p for p in parts if p.lower() not in HONORIFICS]
    name = " ".join(parts).strip(_EDGE)
    if len(name) < 2 or not any(c.isalpha() for c in name) or name.islower():
        return None
    return name, label, tuple(roles)


def mentions_from(doc, text: str) -> list[Mention]:
    """Cleaned mentions of a spaCy Doc (NER only) over `text`."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_TYPES:
            continue
        cleaned = clean_mention(ent.text, ent.label_)
        if cleaned is None:
            continue
        name, label, roles = cleaned
        raw = _POSSESSIVE.sub("", " ".join(ent.text.split()).strip(_EDGE)).strip(_EDGE)
        if raw.lower().startswith("the "):
            raw = raw[4:]
        start = ent.start_char
        honorific = _HONORIFIC_BEFORE.search(text, max(0, start - 6), start)
        if honorific and label in ("PERSON", "ORG", "GPE", "NORP"):
            # "Mr Healey" where NER took only "Healey": the form as written, and a person
            raw, label, start = f"{honorific.group(1)} {raw}", "PERSON", honorific.start()
        out.append(Mention(name, raw, label, start, ent.end_char, roles))
    return out + _family_names(text, out)


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
