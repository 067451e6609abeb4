"""Quotes in languages without a parser here: each language's quotation marks and speech
verbs (data/speech.yaml), and a speaker only where a name stands right next to the verb.

„Wir werden das schaffen“, sagte Angela Merkel. / « Nous sommes en guerre », a déclaré
Emmanuel Macron. / Зеленский заявил: «...». A name is a mention the document already has
(PERSON or ORG) or a run of at least two capitalised words (German capitalises every noun:
one capitalised word is not a name, "sagte der Sprecher" names nobody). Without such a name
the quote is kept with no speaker; a short quote without a verb is a term, not speech. A
language with no entry in the data file is not handled at all: the caller abstains.
"""

from __future__ import annotations

import re
from functools import lru_cache

from presstrace.extract._data import DATA_DIR, _load
from presstrace.extract.entities import Mention
from presstrace.extract.quotes import RawQuote
from presstrace.sentences import paragraphs

WINDOW = 60  # characters either side of a quote searched for the verb and the name
MIN_UNCUED_WORDS = 5  # a quote without a verb shorter than this is a term, not speech
# confidence of a name next to a verb, and of one found through a known mention: a guess
# until a non-English attribution corpus measures it (below the English parser's named path)
CONFIDENCE_KNOWN = 0.8
CONFIDENCE_CAPITALISED = 0.7
_WORDS = re.compile(r"[\w’'.-]+|[^\w\s]")


@lru_cache(maxsize=1)
def _data() -> dict:
    return _load(str(DATA_DIR / "speech.yaml"))


def supported(language: str | None) -> bool:
    return bool(language) and language in _data().get("verbs", {})


@lru_cache(maxsize=32)
def _marks(language: str) -> list[tuple[str, str]]:
    data = _data()["marks"]
    pairs = [tuple(p) for p in data.get(language, [])] + [tuple(p) for p in data["common"]]
    return list(dict.fromkeys(pairs))


@lru_cache(maxsize=32)
def _verbs(language: str) -> re.Pattern[str]:
    forms = sorted((str(v) for v in _data()["verbs"][language]), key=len, reverse=True)
    alternation = "|".join(re.escape(f) for f in forms)
    return re.compile(r"(?<!\w)(" + alternation + r")(?!\w)", re.IGNORECASE)


def find_quotes_intl(text: str, language: str, mentions: list[Mention]) -> list[RawQuote]:
    """Quotes of a text in `language` (which must be `supported`)."""
    spans = _quote_spans(text, language)
    verbs = _verbs(language)
    stop = _not_names()
    named = [
        m
        for m in mentions
        if m.type in ("PERSON", "ORG")
        and m.surface[:1].isupper()
        and m.surface.split()[0].lower() not in stop
    ]
    out = []
    for start, end in spans:
        a, b = start, end
        while a < b and text[a] in " \xa0\u202f":
            a += 1
        while b > a and text[b - 1] in " \xa0\u202f":
            b -= 1
        body = text[a:b]
        after = text[end + 1 : min(len(text), end + 1 + WINDOW)]
        before = text[max(0, start - 1 - WINDOW) : start - 1]
        cue = speaker = how = None
        m = verbs.match(after.lstrip(" ,.–—-\xa0"))
        if m is not None and "\n" not in after[: after.find(m.group(1)) + 1]:
            offset = end + 1 + after.find(m.group(1))
            cue = m.group(1)
            speaker, how = _name_near(text, named, offset, offset + len(cue), start, end)
        else:
            hit = list(verbs.finditer(before))
            last = hit[-1] if hit else None
            if last is not None and "\n" not in before[last.end() :]:
                gap = before[last.end() :].strip(" :,\xa0")
                if len(gap.split()) <= 2:
                    offset = start - 1 - len(before) + last.start()
                    cue = last.group(1)
                    speaker, how = _name_near(text, named, offset, offset + len(cue), start, end)
        if cue is None and len(body.split()) < MIN_UNCUED_WORDS:
            continue
        q = RawQuote(body, a, b, True, cue.lower() if cue else None, speaker, speaker)
        if speaker:
            q.how = how or "intl"
            q.speaker_type = "PERSON"
            q.confidence = CONFIDENCE_KNOWN if how == "intl-known" else CONFIDENCE_CAPITALISED
        else:
            q.how = "intl"
        out.append(q)
    return out


def _quote_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Non-overlapping quoted spans inside paragraphs, any of the language's mark pairs."""
    found: list[tuple[int, int]] = []
    for para in paragraphs(text):
        chunk = text[para.start : para.end]
        cands = []
        for opening, closing in _marks(language):
            i = chunk.find(opening)
            while i >= 0:
                j = chunk.find(closing, i + 1)
                if j < 0:
                    break
                if j - i > 2:
                    cands.append((para.start + i + 1, para.start + j))
                i = chunk.find(opening, j + 1)
        cands.sort(key=lambda s: (s[0], -s[1]))
        last_end = -1
        for s, e in cands:
            if s > last_end:
                found.append((s, e))
                last_end = e + 1
    return found


def _name_near(
    text: str, named: list[Mention], cue_start: int, cue_end: int, q_start: int, q_end: int
) -> tuple[str | None, str | None]:
    """A name right after the verb (", sagte Angela Merkel"), else right before it
    ("Merkel sagte:"), never inside the quote."""
    right = text[cue_end : cue_end + 50]
    left_from = max(q_end + 1 if q_end < cue_start else 0, cue_start - 50)
    left = text[left_from:cue_start]
    for m in named:
        if cue_end <= m.start <= cue_end + 25 and not q_start <= m.start < q_end:
            gap = text[cue_end : m.start]
            if len(gap.split()) <= 2 and not re.search(r"[.!?\n]", gap):
                return _short(m), "intl-known"
        if cue_start - 25 <= m.end <= cue_start and not q_start <= m.start < q_end:
            gap = text[m.end : cue_start]
            if len(gap.split()) <= 1 and not re.search(r"[.!?\n]", gap):
                return _short(m), "intl-known"
    run = _capitalised_run(_WORDS.findall(right.lstrip(" ,\xa0")))
    if run is None:
        left_words = _WORDS.findall(left)
        run = _capitalised_run(left_words[::-1])
        run = run[::-1] if run else None
    stop = _not_names()
    if run is not None and len(run) >= 2 and not any(w.lower() in stop for w in run):
        # "Der Sprecher" is a description, not a name; "Wirtschaftsminister Cuerpo" is
        # Cuerpo (a title before one capitalised word is what makes it a name)
        name = _without_titles([w.rstrip(".") for w in run])
        return " ".join(name[-2:]), "intl-capitalised"
    return None, None


@lru_cache(maxsize=1)
def _title_endings() -> tuple[str, ...]:
    return tuple(str(w).lower() for w in _data().get("title_endings", []))


def _without_titles(words: list[str]) -> list[str]:
    """The words of a name without the job titles before it ("Wirtschaftsminister Carlos
    Cuerpo" -> Carlos Cuerpo): a leading word ending in a title (data/speech.yaml
    title_endings) is dropped while a word is left."""
    endings = _title_endings()
    while len(words) > 1 and words[0].lower().endswith(endings):
        words = words[1:]
    return words


def _short(m: Mention) -> str:
    """A person's name without the titles an English model leaves on foreign text
    ("Bundeskanzlerin Angela Merkel" -> Angela Merkel): its last two words."""
    words = m.surface.split()
    if m.type != "PERSON":
        return m.surface
    return " ".join(_without_titles(words)[-2:])


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _data().get("not_names", []))


def _capitalised_run(words: list[str]) -> list[str] | None:
    """The leading run of capitalised words (a name: two or more; one capitalised word may
    be a German noun)."""
    run: list[str] = []
    for w in words:
        if not (w[:1].isupper() and w[:1].isalpha()):
            break
        run.append(w)
        if w.endswith(".") and len(w) > 3:  # a sentence ends ("Merkel."), not "Dr."
            break
    return run or None
