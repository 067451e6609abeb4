"""Who said what, from rules over NER mentions (no parser, so the stage costs little more
than spaCy's NER pass).

Direct quotes are found from quotation marks (paragraph by paragraph, so one quote may run
over several sentences, and a paragraph that opens a quote without closing it continues
into the next). Attribution works on "units": sentences merged so no quote is cut. In each
unit, speech cues ("said", "told", "according to", ...) outside quotes get

- a source: the noun phrase right before the cue (skipping "has", "also", an appositive
  ", editor-in-chief of TV Rain,", and prepositional phrases such as "an adviser *to
  Zelensky*"), else right after it ("said Mr Smith"); pronouns ("he added") and definite
  descriptions ("the Russian journalist added") resolve to a named person in the document;
  indefinite ones ("one senior official") stay unnamed (speaker None);
- a content: a quote beside the cue (direct), else the reported clause after the cue
  ("said [that] ...", partial quotes inside it included), else the clause before it
  ("..., Healey said").

Quotes no cue covers: a paragraph that opens with a quote continues the previous speaker;
a quote right after an attributed one in the same paragraph keeps its speaker; other long
quotes are kept without a speaker; short ones without a cue ("so-called 'home policy'")
are terms, not speech.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from presstrace.extract import attribution
from presstrace.extract._data import word_lists
from presstrace.extract.attribution import Link, Parse
from presstrace.extract.entities import Mention, person_like
from presstrace.extract.text import QuoteSpan, Span, paragraphs, quote_spans, sentences

SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
# attribution paths that only ever name a person (whatever type NER gave the mention)
_PERSON_PATHS = ("-pronoun", "-role", "-appos", "-capitalised", "-family")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_PREPOSITIONS = _words(
    "to of for from at in on with by via about against into over under than like between "
    "among within across after before during near"
)
_AUX = re.compile(
    r"(?:\b(?:has|have|had|also|then|later|previously|once|again|further|reportedly|publicly|"
    r"recently|repeatedly|today|yesterday|earlier|would|will|did|does|do|not|never|always|"
    r"already|just|only|even|still|now|separately|once|himself|herself|characteristically|"
    r"simply|flatly|firmly|angrily|quickly|immediately|bluntly|openly|privately|who|which)"
    r"\s*)$",
    re.IGNORECASE,
)
_PASSIVE = _words("is are was were be been being")
_PRONOUN = re.compile(r"\b(he|she|they|it|we|i)\s*$", re.IGNORECASE)
_SCARE = re.compile(
    r"(?:so[- ]called|dubbed|called|known as|termed|labell?ed|nicknamed|branded|the words?|"
    r"the terms?|the phrase|the slogan|as|a|an)\s*$",
    re.IGNORECASE,
)
_DETERMINERS = _words("the a an one another some several two three many other his her their its")
_INDEFINITE = _words("a an one another some several two three many other his her their its")
_OBJECT = re.compile(
    r"\s*(?:(?:the\s+)?[A-Z][\w.&’'-]*(?:\s+(?:of\s+)?[A-Z][\w.&’'-]*){0,4}|reporters|"
    r"journalists|lawmakers|parliament|him|her|them|us|me|the\s+\w+)"
)
_OBJECT_VERBS = _words("told tell tells telling asked ask asks warned accused accusing")
_THAT = re.compile(
    r"(?:\s*(?:,\s*)?(?:on|in|at|during|last|this|earlier|late|yesterday|today|after|before|"
    r"through|via)\b[^.;:“”\"„«»]{0,70}?)?\s*\bthat\b\s*"
)
# a title written short before a name, as the role a later description names ("Sen. Bernie
# Sanders" ... "the Vermont senator")
_ABBREVIATED_ROLES = {
    "sen": "senator",
    "sen.": "senator",
    "gov": "governor",
    "gov.": "governor",
    "rep": "representative",
    "rep.": "representative",
    "gen": "general",
    "gen.": "general",
    "sec": "secretary",
    "sec.": "secretary",
    "pres": "president",
    "pres.": "president",
}
_PUT_IT = re.compile(r"\bputs? it\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_CLOSE = " \t\n,;:.–—-"


@dataclass
class RawQuote:
    """One attributed (or unattributed) statement. `speaker` is a surface name from the
    document's mentions (canonicalised later), `source` the words that named the speaker."""

    text: str
    start: int
    end: int
    direct: bool
    cue: str | None
    speaker: str | None
    source: str | None
    partial: bool = False
    how: str = "rules"  # the attribution path (confidence is calibrated per path)
    resolved_from: str | None = None  # the mention the speaker's name was taken from
    resolved_at: int | None = None  # its offset in the text
    sense: str | None = None  # the cue's sense (speech, writing, belief, finding, stance)
    speaker_type: str | None = None  # PERSON, ORG, ... of the mention that named the speaker
    confidence: float = 0.0


@dataclass
class _Source:
    start: int
    end: int
    text: str
    speaker: str | None  # resolved surface name
    how: str = "rules"
    resolved_at: int | None = None  # offset of the mention the speaker was resolved from


@dataclass
class _Unit:
    start: int
    end: int
    paragraph: int


class _Doc:
    """One document's text, quotes and mentions with the lookups attribution needs."""

    def __init__(self, text: str, mentions: list[Mention]) -> None:
        self.text = text
        self.paras = paragraphs(text)
        self.quotes: list[QuoteSpan] = []
        self.units: list[_Unit] = []
        for i, para in enumerate(self.paras):
            qs = quote_spans(text, para, i)
            self.quotes.extend(qs)
            self.units.extend(_merge_units(sentences(text, para), qs, i))
        self.marks = sorted((q.start - 1, q.end + 1) for q in self.quotes)
        self.mark_starts = [m[0] for m in self.marks]
        self.mentions = sorted(
            (m for m in mentions if not self.masked(m.start)), key=lambda m: m.start
        )
        self.by_end = {m.end: m for m in self.mentions}
        self.by_start = {m.start: m for m in self.mentions}
        self.starts = [m.start for m in self.mentions]
        self.roles = {id(m): self._roles(m) for m in self.mentions if m.type == "PERSON"}
        self.speakers: list[tuple[int, str]] = []  # (position, surface) of attributed quotes
        self.links: dict[int, Link] = {}  # cue start -> the parse's reading of that verb
        self.colons: dict[int, Link] = {}  # a colon introducing a quote -> its verb's reading
        self.parsed: list[Parse] = []
        self.parsed_units: set[int] = set()
        # unit index -> a cue whose sentence ends with no content ("X said in a statement.")
        self.dangling: dict[int, RawQuote] = {}
        self._genders: dict[str, str] | None = None
        self._wanted: list[int] = []  # indices of the units spans_to_parse chose

    def parse(self) -> None:
        """Run the dependency parser on the units that hold a reporting verb (any sense)
        outside quotation marks: only those need a subject."""
        self.use_parses(attribution.parse_spans(self.text, self.spans_to_parse()))

    def spans_to_parse(self) -> list[tuple[int, int]]:
        """The units `parse` reads, as spans (apart from `use_parses`, so that the parses
        of many documents can be made in one batch: attribution.parse_many)."""
        table = attribution.senses()
        wanted = []
        for i, unit in enumerate(self.units):
            for m in _WORD.finditer(self.text, unit.start, unit.end):
                sense = table.get(m.group().lower())
                if sense not in (None, "never") and not self.masked(m.start()):
                    wanted.append(i)
                    break
            else:
                put = _PUT_IT.search(self.text, unit.start, unit.end)
                if put is not None and not self.masked(put.start()):
                    wanted.append(i)  # "as Cornyn put it, ...": the one speech use of "put"
        first = set(wanted)
        for i, unit in enumerate(self.units):
            if i not in first and self.colon_before_quote(unit) is not None:
                wanted.append(i)
        self._wanted = wanted
        return [(self.units[i].start, self.units[i].end) for i in sorted(wanted)]

    def use_parses(self, parsed: list[Parse]) -> None:
        """Read the parses of `spans_to_parse` for reporting verbs and colons."""
        self.parsed = parsed
        by_start = {p.start: p for p in self.parsed}
        for i in self._wanted:
            if self.units[i].start in by_start:
                self.parsed_units.add(i)
        for p in self.parsed:
            for link in attribution.links(p, self.masked):
                if not self.masked(link.cue_start):
                    self.links[link.cue_start] = link
        for i in self.parsed_units:
            colon = self.colon_before_quote(self.units[i])
            p = self.parse_at(colon) if colon is not None else None
            link = attribution.colon_link(p, colon) if p is not None else None
            if link is not None:
                self.colons[colon] = link

    def colon_before_quote(self, unit: _Unit) -> int | None:
        """The colon (outside quotation marks) that introduces a quote: one right before an
        opening mark in the unit, or the one that ends the unit and its paragraph when the
        next paragraph opens with a quote."""
        text = self.text
        for q in self.quotes:
            if unit.start < q.start <= unit.end + 1:
                k = q.start - 2
                while k > unit.start and text[k] in " \t\xa0":
                    k -= 1
                if text[k] == ":" and not self.masked(k):
                    return k
        tail = text[unit.start : unit.end].rstrip()
        if tail.endswith(":") and not self.masked(unit.start + len(tail) - 1):
            nxt = text[unit.end : unit.end + 8].lstrip()
            if nxt[:1] in '“"„«':
                return unit.start + len(tail) - 1
        return None

    def gender_agrees(self, surface: str, gender: str) -> bool:
        if self._genders is None:
            self._genders = _genders(self)
        known = self._genders.get(surface.split()[-1].lower())
        return known is None or known == gender

    def parse_at(self, pos: int) -> Parse | None:
        for p in self.parsed:
            if p.start <= pos < p.end:
                return p
        return None

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention holding the token [start, end), preferring the longest."""
        i = bisect_right(self.starts, start) - 1
        best = None
        while i >= 0 and self.mentions[i].start >= start - 80:
            m = self.mentions[i]
            if (
                m.start <= start
                and end <= m.end
                and (best is None or m.end - m.start > best.end - best.start)
            ):
                best = m
            i -= 1
        return best

    def masked(self, pos: int) -> bool:
        i = bisect_right(self.mark_starts, pos) - 1
        return i >= 0 and self.marks[i][0] <= pos < self.marks[i][1]

    def _roles(self, m: Mention) -> set[str]:
        """Role words of a person mention: its stripped titles, the title-like words right
        before it ("Journalist Mikhail Zygar"), an appositive after it (", editor of ...,")."""
        lists = word_lists()
        known = lists["roles"] | lists["titles"]
        roles = set(m.roles)
        before = _WORD.findall(self.text[max(0, m.start - 60) : m.start])
        for w in reversed(before):
            low = w.lower()
            if low not in known and not w[:1].isupper():
                break
            roles.add(low)
        after = self.text[m.end : m.end + 90]
        if after.startswith(","):
            roles.update(w.lower() for w in _WORD.findall(after.split(",")[1])[:8])
        roles |= {r.split("-")[0] for r in roles}
        roles |= {_ABBREVIATED_ROLES[r] for r in roles if r in _ABBREVIATED_ROLES}
        return roles

    def persons_between(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [m for m in self.mentions[lo:hi] if m.type == "PERSON"]


def find_quotes(text: str, mentions: list[Mention], parse: bool = True) -> list[RawQuote]:
    """Quotes with their speakers. `parse=False` skips the dependency parser (rules only:
    the nearest noun phrase before the cue), for callers that cannot afford it."""
    doc = _Doc(text, mentions)
    if parse:
        doc.parse()
    return _find(doc)


@dataclass
class QuoteJob:
    """`find_quotes` of one document split around its parse, so that a caller with many
    documents parses all their `spans` in one batch (attribution.parse_many)."""

    doc: _Doc
    spans: list[tuple[int, int]]

    def finish(self, parsed: list[Parse]) -> list[RawQuote]:
        """The quotes, given the parses of `spans` in order."""
        self.doc.use_parses(parsed)
        return _find(self.doc)


def plan_quotes(text: str, mentions: list[Mention]) -> QuoteJob:
    doc = _Doc(text, mentions)
    return QuoteJob(doc, doc.spans_to_parse())


def _find(doc: _Doc) -> list[RawQuote]:
    lists = {**word_lists(), "cues": _fallback_cues()}
    found: list[RawQuote] = []
    for index, unit in enumerate(doc.units):
        found.extend(_attributed(doc, unit, index, lists))
    found.sort(key=lambda q: q.start)
    found = _unattributed(doc, found)
    found.extend(_headlines(doc, found))
    types = {}
    for m in doc.mentions:
        types.setdefault(m.surface, m.type)
    for q in found:
        _resolve_in_article(doc, q)
        if q.speaker:
            default = None if q.how.endswith("-proper") else "PERSON"  # "IMF": kind unknown
            q.speaker_type = types.get(q.speaker, default)
            if q.how.endswith("-body"):
                q.speaker_type = "ORG"  # "Clinton campaign"
            if q.how.endswith(_PERSON_PATHS) or q.how in ("label", "dash"):
                q.speaker_type = "PERSON"
        q.confidence = confidence(q.how) if q.speaker else 0.0
    return sorted(found, key=lambda q: q.start)


# Share of right speakers per attribution path, measured with `bench/quotes_eval.py --split
# train --limit 150 --calibrate` (150 PolNeAR train articles, evenly spaced; 1,323 attributed
# quotes, stances and colons included; the dev split is kept for the reported figures).
# Paths of one subject kind are pooled (nsubj/advcl/conj/xcomp/relcl/colon). A path not
# listed takes the figure of the kind of subject it ends with.
CONFIDENCE: dict[str, float] = {
    "parse-name": 0.96,  # 666/694: a person's name is the subject of the verb
    "parse-org": 0.91,  # 208/228: an organisation or place is the subject
    "parse-appos": 0.95,  # 18/18: "the fire officer, Matt Goodman, said" (few: below 1)
    "parse-capitalised": 0.9,  # 2/3, too few: just below the name figure
    "parse-family": 0.9,  # 4/4 (train 200, session 4), too few: just below the name figure
    "parse-proper": 0.5,  # 6/12: a proper noun NER missed ("PolitiFact says")
    "parse-body": 0.8,  # 2/3, too few: between the pronoun and organisation figures
    "parse-pronoun": 0.76,  # 217/284: he/she resolved to a person the article named
    "parse-role": 0.5,  # 0/2 judged ("the mayor" is rarely resolved by CoreNLP): a guess
    "label": 0.95,  # transcript "PENCE: ...": none in the train sample, 7/7 on dev
    "dash": 0.95,  # vox pop "... ― Name": none in the train sample, 21/22 on dev
    "headline": 0.9,  # 5/5, too few: just below the name figure
    "continuation": 0.75,  # 6/8: a paragraph going on with the previous speaker's quote
    "byline-name": 0.9,  # 4/4 in train 120 (digest columns), too few: as "headline"
    "byline-org": 0.9,  # none seen: as "byline-name"
    "split": 0.67,  # 4/6: the first half of a split quote (few: pooled with "next", 8/12)
    "next": 0.67,  # 4/6: a quote opening the sentence after an attribution (pooled, 8/12)
    "rules": 0.83,  # 49/59: no parse (no verb read), the noun phrase before the cue
}


def confidence(how: str) -> float:
    """The measured share of right speakers for an attribution path (CONFIDENCE), by the
    path's own name, else by the kind of subject it ends with ("-name", "-pronoun")."""
    if how in CONFIDENCE:
        return CONFIDENCE[how]
    kind = how.rsplit("-", 1)[-1]
    return CONFIDENCE.get(f"parse-{kind}", CONFIDENCE["rules"])


@lru_cache(maxsize=1)
def _fallback_cues() -> frozenset[str]:
    """Cues for sentences the parser did not read: the speech, writing and clause-only
    verbs of data/speech.yaml (never "called", "ask")."""
    return frozenset(
        form
        for form, sense in attribution.senses().items()
        if sense in ("speech", "writing", "clause_only")
    )


def _resolve_in_article(doc: _Doc, q: RawQuote) -> None:
    """A bare family name takes the full name this article gives it ("Baker" -> the Joy
    Baker of this article, not the corpus's best-known Baker); the mention it came from is
    kept as evidence. A name the article never spells out in full is left for the
    corpus-wide canonical form."""
    if not q.speaker or len(q.speaker.split()) > 1:
        return
    family = q.speaker.lower()
    full = [
        m
        for m in doc.mentions
        if m.type == "PERSON"
        and len(m.surface.split()) > 1
        and m.surface.split()[-1].lower() == family
    ]
    if not full:
        if q.speaker.isupper():  # a transcript's "WALLACE" the article never names in full
            q.speaker = q.speaker.title()
        return
    firsts = {m.surface for m in full}
    if len(firsts) > 1:
        # two people of that name in one article: the one named last before the quote
        before = [m for m in full if m.start < q.start]
        if not before:
            return
        chosen = before[-1]
    else:
        chosen = full[0]
    q.speaker = chosen.surface
    q.resolved_from = chosen.raw
    q.resolved_at = chosen.start


def _merge_units(sents: list[Span], qs: list[QuoteSpan], paragraph: int) -> list[_Unit]:
    """Sentences joined where a quote runs across their boundary."""
    units: list[_Unit] = []
    for s in sents:
        if units and any(q.start - 1 < s.start < q.end + 1 for q in qs):
            units[-1].end = s.end
        else:
            units.append(_Unit(s.start, s.end, paragraph))
    return units


def _cues(doc: _Doc, unit: _Unit, index: int, lists: dict) -> list[tuple[int, int, str]]:
    text = doc.text
    out = []
    for m in _ACCORDING.finditer(text, unit.start, unit.end):
        if not doc.masked(m.start()):
            out.append((m.start(), m.end(), "according to"))
    if index in doc.parsed_units:
        # the parse decides: a verb with the sense and the arguments a cue needs
        for start, link in doc.links.items():
            if unit.start <= start < unit.end and link.licensed:
                out.append((link.cue_start, link.cue_end, link.cue))
        return sorted(out)
    prev_word = ""
    for m in _WORD.finditer(text, unit.start, unit.end):
        word = m.group().lower()
        if word in lists["cues"] and not doc.masked(m.start()) and prev_word not in _PASSIVE:
            out.append((m.start(), m.end(), word))
        prev_word = word
    return sorted(out)


def _attributed(doc: _Doc, unit: _Unit, index: int, lists: dict) -> list[RawQuote]:
    text = doc.text
    out: list[RawQuote] = []
    floor = unit.start
    last_source: _Source | None = None
    claimed: list[tuple[int, int]] = []
    cues = _cues(doc, unit, index, lists)
    for i, (cs, ce, cue) in enumerate(cues):
        link = doc.links.get(cs)
        if cs < floor:
            continue
        quote_before = _last_quote_end(doc, floor, cs)
        low = max(floor, quote_before)
        if cue == "according to":
            source = _source_at(doc, ce) or _unnamed_after(doc, ce, unit.end)
            if source is None:
                continue
            if text[unit.start : cs].strip(_CLOSE + '“”"') == "":
                tail = text[source.end : unit.end]
                comma = tail.find(",")
                begin = source.end + (comma + 1 if comma >= 0 else 0)
                content = (begin, unit.end)
            else:
                content = (unit.start, cs)
        else:
            source = _source_from_link(doc, link) if link is not None else None
            if (
                link is not None
                and link.source is not None
                and last_source is not None
                and link.via == "conj"
                and (source is None or source.speaker is None)
                and any(a <= link.source[0] < b for a, b in claimed)
            ):
                # "Paul said Rubio's plan would ..., and called him ...": the parse
                # coordinated the verb with a word inside what the cue before reported;
                # it goes on with that cue's speaker
                source = last_source
            if (
                link is not None
                and link.via in ("xcomp", "advcl", "conj")
                and cue.endswith("ing")
                and last_source is not None
            ):
                # "Healey said, writing that ...": the participle goes on with the speaker
                # of the cue before it (the parser may hang it on another verb)
                source = last_source
            if (
                link is not None
                and link.sense in ("belief", "finding", "stance")
                and any(a <= cs < b for a, b in claimed)
            ):
                continue  # "said the instability had shown that": one statement, not two
            if source is None:
                source = _source_before(doc, low, cs)
                if source is None and link is not None and last_source is not None:
                    # "De Blasio said the move ... and said, “...”", "Sen. Durbin, noting
                    # the size of Sanders's following, said, “...”": a verb with no subject
                    # in the parse nor a noun phrase before it goes on with the speaker of
                    # the cue before it in this sentence
                    source = last_source
                if source is None and cue.endswith("ing") and last_source:
                    source = last_source
                weak = cue in lists["weak_cues"]
                if link is None and weak and (source is None or source.end < cs - 12):
                    continue
            clause_after = link is not None and link.content is not None and link.content[0] > ce
            content, after = _content(doc, unit, cs, ce, cue, source, clause_after)
            if source is None and not after:
                source = _source_after(doc, ce, min(len(text), ce + 120))
            if source is None and cue.endswith("ing"):
                persons = doc.persons_between(unit.start, cs)
                if persons:
                    p = persons[0]
                    source = _Source(p.start, p.end, p.raw, p.surface)
        if content is None:
            _dangling(doc, index, unit, ce, cue, link, source)
            continue
        later = [c for c in cues[i + 1 :] if c[2].endswith("ing") and c[0] > content[0]]
        if later and content[1] > later[0][0] and text[: later[0][0]].rstrip().endswith(","):
            # "said X, adding that Y": the participle starts a statement of its own
            content = (content[0], text.rindex(",", 0, later[0][0]))
        quote = _make_quote(doc, content, cue, source)
        if link is not None and (quote is None or not quote.direct):
            if link.content is not None:
                # the parse's complement clause is the reported content
                least = MIN_STANCE_WORDS if link.sense == "stance" else MIN_REPORTED_WORDS
                quote = _make_quote(doc, link.content, cue, source, least)
            elif link.sense != "speech" and link.sense != "writing":
                quote = None  # "added", "believes": only with a quote or a clause
        if (
            link is not None
            and link.sense == "quote_only"
            and quote is not None
            and not quote.direct
        ):
            quote = None  # "asked him to leave" is no speech
        if quote is None:
            _dangling(doc, index, unit, ce, cue, link, source)
            continue
        if link is not None:
            quote.sense = link.sense
        claimed.append((quote.start, quote.end))
        out.append(quote)
        if source is not None:
            last_source = source
            if quote.speaker:
                doc.speakers.append((cs, quote.speaker))
        floor = max(floor, ce)
    return out


DANGLING_WORDS = 8  # "said in a statement on Thursday." is as long as a cue's tail runs


def _dangling(
    doc: _Doc,
    index: int,
    unit: _Unit,
    ce: int,
    cue: str,
    link: Link | None,
    source: _Source | None,
) -> None:
    """Keep a speech cue whose sentence ends without what was said ("Sam Lau, the
    communications director, said in a statement."): a quote opening the next sentence is it."""
    if link is None or not link.licensed or link.sense not in ("speech", "writing"):
        return
    if source is None or not source.speaker:
        return
    tail = doc.text[ce : unit.end].strip()
    if not tail.endswith((".", ":")) or len(tail.split()) > DANGLING_WORDS or doc.masked(ce):
        return
    if any(c in tail for c in '“”"«»„'):
        return
    doc.dangling[index] = RawQuote(
        "",
        ce,
        ce,
        False,
        cue,
        source.speaker,
        source.text,
        how=source.how,
        resolved_at=source.resolved_at,
    )


def _last_quote_end(doc: _Doc, start: int, end: int) -> int:
    best = start
    for s, e in doc.marks:
        if start <= s and e <= end:
            best = max(best, e)
    return best


def _content(
    doc: _Doc,
    unit: _Unit,
    cs: int,
    ce: int,
    cue: str,
    source: _Source | None,
    clause_after: bool = False,
) -> tuple[tuple[int, int] | None, bool]:
    """(content span, whether it follows the cue). `clause_after`: the parse gives the verb
    a complement clause after it ("..., saying Clinton wants to abolish it")."""
    text = doc.text
    pos = ce
    q_end = _last_quote_end(doc, unit.start, cs)
    if source is None and q_end > unit.start and text[q_end:cs].strip(_CLOSE + '”"’') == "":
        # "“...,” said Mayor Vitali Klitschko": the quote before, the speaker after
        opener = max((s for s, e in doc.marks if e == q_end), default=unit.start)
        return (opener, q_end), False
    before = _quote_just_before(doc, unit, cs, source)
    if before is not None and not clause_after and not _THAT_OR_COLON.match(text, ce, unit.end):
        # "“...,” Trump told a North Carolina rally", "“Why?” Clinton asks as ...": the quote
        # that closes right before the speaker and the verb is what was said
        return before, False
    if cue in _OBJECT_VERBS:
        m = _OBJECT.match(text, pos, unit.end)
        if m and not doc.masked(m.start() + 1):
            follow = text[m.end() : m.end() + 8].lstrip()
            # "told CNN: ...", "warned reporters that ...", not "warned the retreat will"
            if (
                cue.startswith("tel")
                or cue == "told"
                or follow[:1] in ':“"'
                or (follow.startswith("that"))
            ):
                pos = m.end()
    m = _THAT.match(text, pos, unit.end)
    if m and "that" in m.group():
        return (m.end(), unit.end), True
    rest = text[pos : unit.end]
    stripped = rest.lstrip()
    gap = len(rest) - len(stripped)
    if stripped.startswith(":"):
        return (pos + gap + 1, unit.end), True
    if stripped[:1] in "“„«\"‘'" and stripped[:1]:
        return (pos + gap, unit.end), True
    if stripped[:1] == "," and stripped[1:].lstrip()[:1] in ("“", '"', "„", "«"):
        return (pos + gap + 1, unit.end), True
    first = _WORD.match(stripped)
    ends_clause = (
        not stripped
        or stripped[:1] in ",.;!?–—-)"
        or (first is not None and first.group().lower() in _PREPOSITIONS)
    )
    if not ends_clause:
        return (pos, unit.end), True
    begin = source.start if source and source.end <= cs else cs
    lo = unit.start
    closing = _closing_before(doc, unit)
    if closing:
        # "“...?” Graham asked.": the sentence ended inside the quote, the speaker follows
        lo = max(s for s, e in doc.marks if e == closing[-1])
    q_end = _last_quote_end(doc, lo, begin)
    gap = text[q_end:begin]
    if (
        q_end > lo
        and not clause_after
        and len(gap.split()) <= 10
        and not re.search(r"[.!?“”\"]", gap)
    ):
        # the quote, then its speaker: "“...,” the chief fire officer, Matt Goodman, said"
        opener = max((s for s, e in doc.marks if e == q_end), default=lo)
        return (opener, q_end), False
    return (unit.start, begin), False


def _closing_before(doc: _Doc, unit: _Unit) -> list[int]:
    """The end of a quote that closes right before the unit, in the same paragraph ("“...?”
    Graham asked."); a quote ending the paragraph before is not this sentence's."""
    text = doc.text
    return [
        e
        for _s, e in doc.marks
        if unit.start - 3 <= e <= unit.start
        and text[e : unit.start].strip() == ""
        and "\n" not in text[e : unit.start]
    ]


_THAT_OR_COLON = re.compile(r"\s*(?:that\b|:)", re.IGNORECASE)
_QUOTE_END = ",?!—–-…"  # how a quoted statement ends before its attribution ("...,” he said)
_NESTED_CLOSE = "’'‘\"” "  # closing marks of a quote nested at the end of another


def _quote_just_before(
    doc: _Doc, unit: _Unit, cs: int, source: _Source | None
) -> tuple[int, int] | None:
    """The quote that closes right before the speaker (or before the verb when the speaker
    follows it), with only punctuation between, and ends the way a quoted statement does
    (a comma, ?, ! or dash at its end: not a scare-quoted term)."""
    text = doc.text
    begin = source.start if source is not None and source.end <= cs else cs
    lo = unit.start
    closing = _closing_before(doc, unit)
    if closing:
        lo = max(s for s, e in doc.marks if e == closing[-1])  # "“...?” Graham asked."
    q_end = _last_quote_end(doc, lo, begin)
    if q_end <= lo or text[q_end:begin].strip(_CLOSE) != "":
        return None
    opener = max(s for s, e in doc.marks if e == q_end)
    # a quote inside the quote may close it ("... he said, ‘I sort of hope that happens,’”)
    body = text[opener + 1 : q_end - 1].rstrip().rstrip(_NESTED_CLOSE)
    tail = text[q_end:begin].strip()
    if not body or (body[-1] not in _QUOTE_END and not tail.startswith(",")):
        return None
    return opener, q_end


MIN_REPORTED_WORDS = 3  # a shorter reported clause is a fragment ("said Monday"), not speech
MIN_STANCE_WORDS = 1  # a stance may be about one name ("Graham slams Trump"): PolNeAR's unit


def _make_quote(
    doc: _Doc,
    span: tuple[int, int],
    cue: str,
    source: _Source | None,
    min_words: int = MIN_REPORTED_WORDS,
) -> RawQuote | None:
    text = doc.text
    a, b = span
    while a < b and text[a] in _CLOSE:
        a += 1
    while b > a and text[b - 1] in _CLOSE:
        b -= 1
    if len(text[a:b].split()) < 1 or (b - a) < 2:
        return None
    direct = False
    partial = False
    for q in doc.quotes:
        if a < q.start < b < q.end:
            b = q.end  # a clause the parse cut inside a quotation runs to its closing mark
    for q in doc.quotes:
        if q.start - 1 <= a and b <= q.end + 1 + 1:
            a, b, direct = q.start, q.end, True
            break
        if a <= q.start and q.end <= b:
            partial = True
    if direct:
        while b > a and text[b - 1] in " ,":
            b -= 1
    elif len(text[a:b].split()) < min_words:
        return None
    return RawQuote(
        text[a:b],
        a,
        b,
        direct,
        cue,
        source.speaker if source else None,
        source.text if source else None,
        partial,
        how=source.how if source else "none",
        resolved_at=source.resolved_at if source else None,
    )


_PRONOUNS = _words("he she they we i it")


def _source_from_link(doc: _Doc, link: Link) -> _Source | None:
    """The speaker from the subject of the reporting verb: a named mention (or the name
    in its appositive: "the chief fire officer, Matt Goodman"), a pronoun resolved to a
    person this article named, a description ("the Russian journalist") resolved to the
    person described so, an unnamed one ("a source") kept with speaker None."""
    if link.source is None or link.source_head is None:
        return None
    text = doc.text
    start, end = link.source
    hs, he = link.source_head
    if doc.masked(hs):
        return None  # a subject inside quotation marks is part of the quote, not its speaker
    phrase = text[start:end]
    via = "parse-" + link.via
    head = text[hs:he]
    if head.lower() in _PRONOUNS:
        return _Source(hs, he, head, _resolve_pronoun(doc, head, hs), via + "-pronoun")
    parse = doc.parse_at(hs)
    appos = attribution.appositive_name(parse, (hs, he)) if parse is not None else None
    if appos is not None:
        m = doc.mention_at(*_last_token(text, appos))
        if m is not None and m.type == "PERSON":
            return _Source(m.start, m.end, m.raw, m.surface, via + "-appos")
    named = _appositive_of(doc, parse, (hs, he)) if parse is not None else None
    if named is not None:
        # "Zeke Emanuel, an oncologist who advised Obama ..., said": the subject is the
        # description in apposition to a name; the name is the speaker
        return _Source(named.start, named.end, named.raw, named.surface, via + "-appos")
    inverted = _named_after_verb(doc, link) if end <= link.cue_start else None
    if inverted is not None:
        # "Any interpretation of Mr. Kerry's actions, said Michael Kofman, an expert ...,
        # would ...": the parser took the fronted words for the subject
        return _Source(inverted.start, inverted.end, inverted.raw, inverted.surface, via + "-name")
    m = doc.mention_at(hs, he)
    if m is not None:
        if m.type not in SPEAKER_TYPES:
            return _Source(start, end, phrase, None, via + "-other")
        kind = "-name" if m.type == "PERSON" else "-org"
        return _Source(m.start, m.end, m.raw, m.surface, via + kind)
    if head[:1].isupper() and not head.isupper() and head.lower() not in _STOPWORDS:
        named = _mention_ending(doc, he)
        if named is not None:
            return _Source(named.start, named.end, named.raw, named.surface, via + "-capitalised")
        full = _family_in_article(doc, head, hs)
        if full is not None:
            return _Source(hs, he, head, full.surface, via + "-family", full.start)
    proper = _proper_name(doc, parse, (hs, he)) if parse is not None else None
    if proper is not None:
        # a proper noun NER missed ("PolitiFact says", "the IMF warned")
        return _Source(
            proper[0],
            proper[1],
            text[proper[0] : proper[1]],
            text[proper[0] : proper[1]],
            via + "-proper",
        )
    body = _named_body(doc, start, hs, he)
    if body is not None:
        return _Source(body[0], he, text[body[0] : he], text[body[0] : he], via + "-body")
    described = _description(doc, phrase.rstrip("’'s"), start)
    if described is not None:
        described.how = via + ("-role" if described.speaker else "-unnamed")
        return described
    return _Source(start, end, phrase, None, via + "-unnamed")


def _appositive_of(doc: _Doc, parse: Parse, head: tuple[int, int]) -> Mention | None:
    """The person a common-noun subject stands in apposition to ("Braynard, a South
    Carolina native who writes ..."): the parse hangs the noun on the name as `appos`."""
    toks = parse.tokens
    i = next((k for k, t in enumerate(toks) if (t.start, t.end) == head), None)
    if i is None or toks[i].dep != "appos" or not toks[i].tag.startswith("NN"):
        return None
    if toks[i].tag.startswith("NNP"):
        return None
    parent = toks[toks[i].head]
    m = doc.mention_at(parent.start, parent.end)
    return m if m is not None and m.type == "PERSON" else None


def _family_in_article(doc: _Doc, word: str, pos: int) -> Mention | None:
    """ "Hannity said" where NER found no mention in "Hannity" (or typed "Fox News host
    Sean Hannity" an organisation): the latest full name before `pos` in this article that
    ends with that word and reads as a person's name. In-article only: a surname the
    article never spells out in full stays unresolved here."""
    if word.lower() in _STOPWORDS or len(word) < 3:
        return None
    best = None
    for m in doc.mentions:
        if m.start >= pos:
            break
        parts = m.surface.split()
        if len(parts) < 2 or parts[-1] != word:
            continue
        if m.type == "PERSON" or (m.type == "ORG" and person_like(m.surface)):
            best = m
    return best


def _named_after_verb(doc: _Doc, link: Link) -> Mention | None:
    """ ", said Michael Kofman, ...": a person named right after a verb that a comma or a
    closing quotation mark precedes is the speaker whatever the parser took for the subject
    (a pronoun or a name before the verb is left alone)."""
    text = doc.text
    hs, he = link.source_head or (0, 0)
    if text[hs:he].lower() in _PRONOUNS or doc.mention_at(hs, he) is not None:
        return None
    if text[: link.cue_start].rstrip()[-1:] not in (",", "”", '"'):
        return None
    gap = len(text[link.cue_end :]) - len(text[link.cue_end :].lstrip())
    m = doc.by_start.get(link.cue_end + gap)
    return m if m is not None and m.type == "PERSON" else None


# heads of a subject that speaks for the person or party named before it: "the Clinton
# campaign", "Powell's office", "the Obama administration" (never a person: "Trump aides")
_BODIES = _words("campaign campaigns office administration camp")


def _named_body(doc: _Doc, start: int, hs: int, he: int) -> tuple[int, int] | None:
    """ "the Clinton campaign said": the campaign is named after a person or an
    organisation the NER found right before the head; the speaker is that body as written
    ("Clinton campaign"), never the person."""
    if doc.text[hs:he].lower() not in _BODIES:
        return None
    lead = doc.text[start:hs].rstrip()
    for cut in ("’s", "'s"):
        lead = lead.removesuffix(cut)
    m = doc.by_end.get(start + len(lead)) or _ner_mention_ending(doc, start + len(lead) + 2)
    if m is None or m.type not in ("PERSON", "ORG") or m.start < start:
        return None
    return m.start, he


def _proper_name(doc: _Doc, parse: Parse, head: tuple[int, int]) -> tuple[int, int] | None:
    """The proper-noun subject (NNP head and its NNP compounds, titles dropped) when the
    parser tagged it so; a sentence-initial capital alone is not enough."""
    toks = parse.tokens
    idx = next((i for i, t in enumerate(toks) if (t.start, t.end) == head), None)
    if idx is None or toks[idx].tag not in ("NNP", "NNPS") or len(toks[idx].text) < 2:
        return None
    lo = idx
    while lo > 0 and toks[lo - 1].tag in ("NNP", "NNPS") and toks[lo - 1].dep == "compound":
        lo -= 1
    titles = word_lists()["titles"]
    while lo < idx and toks[lo].text.lower().rstrip(".") in titles | {
        t.rstrip(".") for t in titles
    }:
        lo += 1
    if toks[lo].text.lower() in titles or toks[idx].text.lower() in _STOPWORDS:
        return None
    return toks[lo].start, toks[idx].end


def _last_token(text: str, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    cut = text.rfind(" ", a, b)
    return (cut + 1 if cut >= 0 else a, b)


def _source_before(doc: _Doc, floor: int, cue_start: int) -> _Source | None:
    text = doc.text
    pos = cue_start
    appositive_done = False
    for _ in range(4):
        seg = text[floor:pos].rstrip()
        while True:
            shorter = _AUX.sub("", seg).rstrip()
            if shorter == seg:
                break
            seg = shorter
        end = floor + len(seg)
        if seg.endswith(",") and not appositive_done:
            appositive_done = True
            inner = seg[:-1]
            named = _mention_ending(doc, floor + len(inner))
            if named is not None and named.type == "PERSON":
                # "the chief fire officer, Matt Goodman, said"
                return _Source(named.start, named.end, named.raw, named.surface)
            comma = max(inner.rfind(","), inner.rfind("–"), inner.rfind("—"))
            if comma >= 0 and end - (floor + comma) < 160:
                cand = floor + comma
                if _mention_ending(doc, cand) is not None:
                    pos = cand
                    continue
            return None
        mention = _mention_ending(doc, end)
        if mention is not None:
            before = text[max(floor, mention.start - 40) : mention.start]
            words = [w.lower() for w in _WORD.findall(before)]
            titles = word_lists()["titles"]
            while words and words[-1] in titles:
                words.pop()
            if words and words[-1] in _PREPOSITIONS:
                # "an adviser to Zelensky told": the speaker is further left
                pos = before.lower().rfind(words[-1]) + max(floor, mention.start - 40)
                continue
            if words and words[-1] == "and":
                earlier = _mention_ending(doc, end - len(seg) + len(seg[: seg.rfind(" and ")]))
                if earlier is not None:
                    mention = earlier
            if mention.type not in SPEAKER_TYPES:
                return None
            return _Source(mention.start, mention.end, mention.raw, mention.surface)
        m = _PRONOUN.search(seg)
        if m:
            start = floor + m.start(1)
            return _Source(
                start, end, m.group(1), _resolve_pronoun(doc, m.group(1), start), "rules-pronoun"
            )
        described = _description(doc, seg, floor)
        if described is not None and described.speaker:
            described.how = "rules-role"
        return described
    return None


_CAPITALISED = re.compile(r"(?:[A-Z][a-z’'-]+\s+){1,3}[A-Z][a-z’'-]+$")


def _mention_ending(doc: _Doc, end: int) -> Mention | None:
    """The mention that ends at `end`, else a run of 2-4 capitalised words there that NER
    missed ("Oleksiy Danilov, Ukraine's top security official, said")."""
    found = _ner_mention_ending(doc, end)
    if found is not None:
        return found
    m = _CAPITALISED.search(doc.text[max(0, end - 60) : end])
    if m is None:
        return None
    titles = word_lists()["titles"]
    parts = m.group().split()
    while parts and parts[0].lower() in titles:
        parts.pop(0)
    if len(parts) < 2 or any(p.lower() in _STOPWORDS for p in parts):
        return None
    name = " ".join(parts)
    return Mention(name, name, "PERSON", end - len(name), end)


_STOPWORDS = _words("the a an and or but in on at of for to from with by as this that")


def _ner_mention_ending(doc: _Doc, end: int) -> Mention | None:
    text = doc.text
    for delta in (0, 2, 1):  # the mention may carry a possessive or a closing mark
        m = doc.by_end.get(end - delta) if delta else doc.by_end.get(end)
        if m is not None and (delta == 0 or text[end - delta : end] in ("’s", "'s", "’", "'")):
            return m
    return None


def _description(doc: _Doc, seg: str, floor: int) -> _Source | None:
    cut = max(seg.rfind(c) for c in ',;:–—(”“"')
    if cut >= 0:
        floor, seg = floor + cut + 1, seg[cut + 1 :]
    words = list(_WORD.finditer(seg))
    if not words:
        return None
    roles = word_lists()["roles"]
    head = words[-1].group().lower()
    singular = head[:-1] if head.endswith("s") and head[:-1] in roles else head
    if singular not in roles:
        return None
    start_i = len(words) - 1
    for i in range(len(words) - 2, max(-1, len(words) - 6), -1):
        w = words[i].group().lower()
        start_i = i
        if w in _DETERMINERS or w.endswith(("’s", "'s")):
            break
    det = words[start_i].group().lower()
    start = floor + words[start_i].start()
    end = floor + words[-1].end()
    phrase = doc.text[start:end]
    plural = singular != head
    if plural or det in _INDEFINITE or det.endswith(("’s", "'s")) or det not in _DETERMINERS:
        return _Source(start, end, phrase, None)
    modifiers = {w.group().lower() for w in words[start_i + 1 : -1]}
    return _Source(start, end, phrase, _resolve_role(doc, singular, modifiers, start))


def _source_after(doc: _Doc, start: int, end: int) -> _Source | None:
    """ "said Mr Smith", '– noted in his post on Twitter. Mikhail Podolyak': the first
    speaker-like mention after the cue that is not the object of a preposition."""
    text = doc.text
    lo, hi = bisect_left(doc.starts, start), bisect_left(doc.starts, end)
    for m in doc.mentions[lo:hi]:
        if m.type not in ("PERSON", "ORG"):
            continue
        before = [w.lower() for w in _WORD.findall(text[max(start, m.start - 30) : m.start])]
        if before and before[-1] in _PREPOSITIONS | {"his", "her", "their", "its", "the"}:
            continue
        return _Source(m.start, m.end, m.raw, m.surface)
    named = re.match(r"\s*((?:[A-Z][a-z’'-]+\s+){1,3}[A-Z][a-z’'-]+)", text[start:end])
    if named is None:
        return None
    parts = named.group(1).split()
    titles = word_lists()["titles"]
    while parts and parts[0].lower() in titles:
        parts.pop(0)
    if len(parts) < 2:
        return None
    name = " ".join(parts)
    at = start + named.end(1) - len(name)
    return _Source(at, at + len(name), name, name)


UNNAMED_SOURCE_CHARS = 160  # "according to an analysis of ... by Crowdpac, ..." runs this long


def _unnamed_after(doc: _Doc, pos: int, end: int) -> _Source | None:
    """ "according to an Associated Press survey of superdelegates": a source that names no
    one the article resolves; kept as written with no speaker (never guessed)."""
    stop = min(end, pos + UNNAMED_SOURCE_CHARS)
    m = re.search(r"[,.;:()]", doc.text[pos:stop])
    b = pos + m.start() if m else stop
    phrase = doc.text[pos:b].strip()
    if not phrase or phrase.lower() in _PRONOUNS | {"him", "her", "them", "us", "me"}:
        return None
    return _Source(pos, pos + len(phrase), phrase, None, "rules-unnamed")


def _source_at(doc: _Doc, pos: int) -> _Source | None:
    """The source right after "according to": a mention, a pronoun or a description."""
    text = doc.text
    m = doc.by_start.get(pos)
    if m is None and text[pos : pos + 4].lower() == "the ":
        m = doc.by_start.get(pos + 4)
    if m is not None and m.type != "NORP":
        return _Source(m.start, m.end, m.raw, m.surface) if m.type in SPEAKER_TYPES else None
    words = list(_WORD.finditer(text, pos, min(len(text), pos + 80)))[:6]
    for i, w in enumerate(words):
        if text[w.end() : w.end() + 1] in ",." or w.group().endswith(("’s", "'s")):
            seg = text[pos : w.end()]
            clean = re.sub(r"(?:’s|'s)$", "", seg)
            return _description(doc, clean, pos) or (
                _Source(pos, w.end(), seg, None) if i < 4 else None
            )
    return None


def _resolve_pronoun(doc: _Doc, pronoun: str, pos: int) -> str | None:
    """he/she: the first person named earlier in the same unit, else the latest speaker or
    the first person named in the units before (up to six back); a person whose gender the
    article shows otherwise ("Mrs. Clinton", "she" after her name) is skipped."""
    gender = {"he": "m", "she": "f"}.get(pronoun.lower())
    if gender is None:
        return None
    unit_i = _unit_of(doc, pos)
    unit = doc.units[unit_i]
    for m in doc.persons_between(unit.start, pos):
        if doc.gender_agrees(m.surface, gender) and not _in_prepositional_phrase(doc, m):
            return m.surface
    return _salient(doc, unit_i, pos, gender)


# prepositions that name the other side of a conversation ("asked by", "an interview with",
# "told to"); "the complaints of Prigozhin ... he said" is about Prigozhin, so not "of"
_ADDRESSEE_PREPOSITIONS = _words("by with to")


def _in_prepositional_phrase(doc: _Doc, m: Mention) -> bool:
    """ "Asked by Matt Lauer whether she ..., she said", "In an interview with journalist
    Matei Rosca, Lazar said he ...": a person named after "by", "with", "to" (titles and
    role words between skipped) is the interviewer, not who the sentence is about."""
    lists = word_lists()
    known = lists["roles"] | lists["titles"]
    words = [w.lower() for w in _WORD.findall(doc.text[max(0, m.start - 40) : m.start])]
    while words and words[-1] in known:
        words.pop()
    return bool(words) and words[-1] in _ADDRESSEE_PREPOSITIONS


def _salient(doc: _Doc, unit_i: int, pos: int, gender: str | None = None) -> str | None:
    for i in range(unit_i - 1, max(-1, unit_i - 7), -1):
        unit = doc.units[i]
        spoken = [
            s
            for p, s in doc.speakers
            if unit.start <= p < unit.end and (gender is None or doc.gender_agrees(s, gender))
        ]
        if spoken:
            return spoken[-1]
        persons = [
            m
            for m in doc.persons_between(unit.start, unit.end)
            if gender is None or doc.gender_agrees(m.surface, gender)
        ]
        if persons:
            return persons[0].surface
    return None


def _resolve_role(doc: _Doc, role: str, modifiers: set[str], pos: int) -> str | None:
    """ "the Russian journalist": the latest person before `pos` described with that role
    (modifiers that match win), else the salient person of the previous units."""
    best, score = None, -1
    for m in doc.mentions:
        if m.start >= pos:
            break
        roles = doc.roles.get(id(m))
        if not roles or role not in roles:
            continue
        s = len(modifiers & roles)
        if s >= score:
            best, score = m, s
    return best.surface if best is not None else None


_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f"}
_ROLE_GENDER = {
    "spokesman": "m",
    "spokeswoman": "f",
    "congressman": "m",
    "congresswoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "lord": "m",
    "lady": "f",
    "businessman": "m",
    "businesswoman": "f",
}
_MALE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
GENDER_MARGIN = (
    2  # he/she count difference that shows a gender (a guess; one stray pronoun shows nothing)
)


def _genders(doc: _Doc) -> dict[str, str]:
    """Family name -> "m"/"f" as the article itself shows it: an honorific ("Mrs.
    Clinton"), a gendered role ("spokeswoman"), or the pronouns of the sentences where that
    person is the only one named (outside quotes). No name lists: unknown stays unknown."""
    votes: dict[str, list[int]] = {}
    for m in doc.mentions:
        if m.type != "PERSON":
            continue
        family = m.surface.split()[-1].lower()
        first = m.raw.split()[0].lower().rstrip(".")
        v = votes.setdefault(family, [0, 0])
        for word in (first, *m.roles):
            g = _HONORIFIC_GENDER.get(word) or _ROLE_GENDER.get(word)
            if g:
                v[0 if g == "m" else 1] += 5
    for unit in doc.units:
        persons = doc.persons_between(unit.start, unit.end)
        families = {p.surface.split()[-1].lower() for p in persons}
        if len(families) != 1:
            continue
        family = families.pop()
        after = persons[0].end
        v = votes.setdefault(family, [0, 0])
        for rx, k in ((_MALE, 0), (_FEMALE, 1)):
            v[k] += sum(
                1 for x in rx.finditer(doc.text, after, unit.end) if not doc.masked(x.start())
            )
    out = {}
    for family, (male, female) in votes.items():
        if male - female >= GENDER_MARGIN:
            out[family] = "m"
        elif female - male >= GENDER_MARGIN:
            out[family] = "f"
    return out


def _unit_of(doc: _Doc, pos: int) -> int:
    for i, unit in enumerate(doc.units):
        if unit.start <= pos < unit.end + 1:
            return i
    return len(doc.units) - 1


def _unattributed(doc: _Doc, found: list[RawQuote]) -> list[RawQuote]:
    """Quotes no cue covered: continuations, second halves of split quotes, long
    unattributed quotes; short ones are terms (scare quotes)."""
    text = doc.text
    covered = [(q.start, q.end) for q in found]
    out = list(found)
    last_by_para: dict[int, RawQuote] = {}
    para_of = {id(q): q.paragraph for q in doc.quotes}
    by_unit: dict[int, RawQuote] = {}  # unit index -> the last attributed statement in it
    for x in found:
        if x.speaker:
            by_unit[_unit_of(doc, x.start)] = x
    for q in doc.quotes:
        if any(s - 1 <= q.start and q.end <= e + 1 for s, e in covered):
            attributed = next(
                (x for x in out if x.start - 1 <= q.start and q.end <= x.end + 1), None
            )
            if attributed and attributed.direct:
                last_by_para[q.paragraph] = attributed
            continue
        body = text[q.start : q.end]
        n = len(body.split())
        para = doc.paras[q.paragraph]
        opens_para = text[para.start : q.start - 1].strip() == ""
        unit = doc.units[_unit_of(doc, q.start)]
        opens_unit = text[unit.start : q.start - 1].strip() == ""
        prev = (last_by_para.get(q.paragraph) if opens_unit else None) or (
            last_by_para.get(q.paragraph - 1) if opens_para else None
        )
        split = _split_partner(doc, q, found)
        after = _sentence_before(doc, q, by_unit) if opens_unit and not split else None
        if _SCARE.search(text[max(0, q.start - 16) : q.start - 1]) and n < 6 and not _label(doc, q):
            continue
        label = _label(doc, q)
        colon = _colon_source(doc, q)
        if label is not None:
            name, how, cue = label
            quote = RawQuote(body, q.start, q.end, True, cue, name, name, how=how)
        elif colon is not None:
            link, source = colon
            quote = RawQuote(body, q.start, q.end, True, link.cue, source.speaker, source.text)
            quote.how, quote.resolved_at = source.how, source.resolved_at
        elif split is not None:
            # "“The first half,” Obama said, “the second half.”": the cue between the
            # halves names the speaker of both
            quote = _taking_speaker(body, q, split, "split")
        elif after is not None and n >= 3:
            # "Corker said he and his partners were “meticulous” .... “If we were to touch
            # it ...”": the quote that opens the sentence after an attribution goes on with it
            quote = _taking_speaker(body, q, after, "next")
        elif prev is not None and prev.speaker and n >= 3:
            quote = RawQuote(
                body,
                q.start,
                q.end,
                True,
                prev.cue,
                prev.speaker,
                prev.source,
                how="continuation",
                resolved_from=prev.resolved_from,
                resolved_at=prev.resolved_at,
            )
        elif n >= 5 and re.search(r"[.!?…]\W*$", body.strip()) or n >= 8:
            quote = RawQuote(body, q.start, q.end, True, None, None, None)
        else:
            continue
        out.append(quote)
        last_by_para[para_of[id(q)]] = quote
    return out


SPLIT_GAP_WORDS = 8  # ", Obama said, " / ", said Sen. Lindsey Graham of South Carolina, "


def _split_partner(doc: _Doc, q: QuoteSpan, found: list[RawQuote]) -> RawQuote | None:
    """The attributed direct quote that continues `q` after the cue between them, in the
    same sentence: only the speaker's words and the verb in between, no sentence end."""
    text = doc.text
    for x in found:
        if not x.direct or not x.speaker or x.start <= q.end or x.start - q.end > 160:
            continue
        gap = text[q.end + 1 : x.start - 1]
        if (
            len(gap.split()) <= SPLIT_GAP_WORDS
            and x.cue
            and re.search(rf"\b{re.escape(x.cue)}\b", gap)
            and not re.search(r"[.!?“”\"\n]", gap.strip(_CLOSE))
        ):
            return x
    return None


def _sentence_before(doc: _Doc, q: QuoteSpan, by_unit: dict[int, RawQuote]) -> RawQuote | None:
    """The attribution in the sentence right before the one `q` opens, in the same
    paragraph (an indirect one or a cue with no content: "Sam Lau ... said in a statement.")."""
    i = _unit_of(doc, q.start)
    if i == 0 or doc.units[i - 1].paragraph != doc.units[i].paragraph:
        return None
    return by_unit.get(i - 1) or doc.dangling.get(i - 1)


def _taking_speaker(body: str, q: QuoteSpan, other: RawQuote, how: str) -> RawQuote:
    return RawQuote(
        body,
        q.start,
        q.end,
        True,
        other.cue,
        other.speaker,
        other.source,
        how=how,
        resolved_from=other.resolved_from,
        resolved_at=other.resolved_at,
    )


HEADLINE_CHARS = 200  # a paragraph this short on one line is a headline or a subhead
HEADLINE_SPEAKER_WORDS = 6  # "Former AG Mukasey at RNC:" is as long as a speaker runs
_HEADLINE = re.compile(r"([A-Z][^:\n]{1,80}?):\s+(\S[^\n]*)")


def _headlines(doc: _Doc, found: list[RawQuote]) -> list[RawQuote]:
    """ "Graham: Trump’s ‘Incredibly Hateful Rhetoric’ Destroying GOP": a headline that
    gives a named person (or organisation) and, after a colon, what they said. The name
    must be one the NER found in the words before the colon ("Poll:" names nobody)."""
    text = doc.text
    out = []
    for para in doc.paras:
        body = text[para.start : para.end].strip()
        if len(body) > HEADLINE_CHARS or "\n" in body:
            continue
        raw = text[para.start : para.end]
        at = para.start + len(raw) - len(raw.lstrip())
        m = _HEADLINE.match(text, at, at + len(body))
        if m is None or len(m.group(1).split()) > HEADLINE_SPEAKER_WORDS:
            continue
        a, b = m.start(2), m.end(2)
        if doc.masked(m.end(1)) or any(q.start < b and a < q.end for q in found):
            continue  # a sentence with a verb that already attributed what follows
        table = attribution.senses()
        if any(w.group().lower() in table for w in _WORD.finditer(m.group(1))):
            continue  # "John Kirby told reporters:" is a sentence, not a headline
        named = [x for x in doc.mentions if m.start(1) <= x.start and x.end <= m.end(1)]
        person = [x for x in named if x.type == "PERSON"] or [x for x in named if x.type == "ORG"]
        if not person:
            continue
        who = person[0]
        while b > a and text[b - 1] in _CLOSE:
            b -= 1
        quote = RawQuote(text[a:b], a, b, False, ":", who.surface, who.raw, how="headline")
        quote.partial = any(a <= q.start and q.end <= b for q in doc.quotes)
        out.append(quote)
    return out


def _colon_source(doc: _Doc, q: QuoteSpan) -> tuple[Link, _Source] | None:
    """The speaker of a quote a colon introduces ("Cruz continued:", "she replied: “...”"),
    from the subject of the verb before the colon, in this paragraph or ending the last."""
    text = doc.text
    k = q.start - 2
    while k >= 0 and text[k] in " \t\n\xa0":
        k -= 1
    named = _names_before_colon(doc, k) if k >= 0 and text[k] == ":" else None
    if named is not None:
        colon = Link(k, k + 1, ":", "colon", None, None, None, True, "colon")
        return colon, named
    link = doc.colons.get(k) if k >= 0 else None
    if link is None:
        return None
    source = _source_from_link(doc, link)
    return (link, source) if source is not None else None


_LABEL_START = re.compile(r"(?:^|\n|\s[-–—―]\s*|[.!?]\s+)(?=[^\n]*$)")


def _names_before_colon(doc: _Doc, k: int) -> _Source | None:
    """ "IOWA POLLS NOT NECESSARILY WRONG - Mark Blumenthal and Jon Cohen: “…”": a colon
    right after nothing but names (people or organisations joined by "and"), from the start
    of the line, a dash or a sentence end, labels who wrote the quote that follows."""
    text = doc.text
    lo = max(0, k - 80)
    starts = list(_LABEL_START.finditer(text, lo, k))
    if not starts:
        return None
    begin = starts[-1].end()
    named = [m for m in doc.mentions if begin <= m.start and m.end <= k]
    named = [m for m in named if m.type in ("PERSON", "ORG")]
    if not named:
        # "... for Republican contests - Philip Bump: “...”": a name NER missed, when the
        # whole label is one run of two to four capitalised words
        run = _mention_ending(doc, k)
        if run is None or run.type != "PERSON" or text[begin : run.start].strip() != "":
            return None
        named = [run]
    rest = text[begin:k]
    for m in reversed(named):
        rest = rest[: m.start - begin] + rest[m.end - begin :]
    if rest.replace("and", "").strip(" ,\xa0") != "":
        return None
    first = named[0]
    how = "byline-name" if first.type == "PERSON" else "byline-org"
    return _Source(first.start, first.end, first.raw, first.surface, how)


_NAME = r"[A-Z][\w.’'-]*(?:[ \t\xa0]+[A-Z][\w.’'-]*){0,3}"
_SPEAKER_LABEL = re.compile(r"\s*(" + _NAME + r"):\s+\S")
# "“...” ― Pamela Padilla", also typed with a hyphen between spaces ("...crash." - Sanders)
_DASH_AFTER = re.compile(r"[\s.,]*(?:[―—–]|\s-\s)\s*(" + _NAME + r")(?=[\s.,;:]|$)")


def _label(doc: _Doc, q: QuoteSpan) -> tuple[str, str, str] | None:
    """Speakers shown by layout rather than by a verb: a transcript's "PENCE: ..." opening
    the quote, a vox pop's "“...” ― Pamela Padilla" after it. The name must be in capitals
    (a transcript label) or a person this article names."""
    text = doc.text
    m = _SPEAKER_LABEL.match(text, q.start, q.end)
    if m and (m.group(1).isupper() or _known_person(doc, m.group(1))) and len(m.group(1)) > 2:
        return m.group(1), "label", ":"
    m = _DASH_AFTER.match(text, q.end + 1, min(len(text), q.end + 80))
    name = _sentence_cut(m.group(1)).rstrip(".") if m else ""
    if m and (_known_person(doc, name) or len(name.split()) >= 2):
        return name, "dash", "―"
    return None


def _sentence_cut(name: str) -> str:
    """ "Sanders. This" -> "Sanders": a word longer than an initial that ends with a full
    stop ends the name."""
    words = name.split()
    for i, w in enumerate(words):
        if w.endswith(".") and len(w) > 2:
            return " ".join(words[: i + 1])
    return name


def _known_person(doc: _Doc, name: str) -> bool:
    return any(m.type == "PERSON" and name in (m.surface, m.raw) for m in doc.mentions)
