"""Narrative threads: articles that argue the same claim across different events.

An article's argument (group.thread_arguments) is a vector of its masked argument sentences
plus its argument actors: the people and organisations its argument sentences are about
("Vladimir Putin", "the Kremlin"), named in its headline, in two argument sentences, or three
times in the article. Two articles are linked when they share an argument actor AND their
argument vectors are close (cosine >= LINK); the link is decided from the two articles alone.
Linked articles form components, but a link merges two components only when their mean
arguments agree too (cosine >= MERGE), so a chain of pairwise links cannot drift from one
claim to another as a corpus grows (single-link chaining).

An article that pushes a taxonomy sub-narrative with confidence (steps/threads.py,
CLAIM_SCORE) argues that claim: its actors are replaced by `claim:<sub-narrative>`, so it
links only with articles pushing the same one, and such a thread is labelled with the
sub-narrative's words. An article that pushes a taxonomy narrative with confidence but no
sub-narrative with confidence (steps/threads.py, PUSH_SCORE) joins no thread: it argues a
claim of the taxonomy, and which one is not known. Otherwise a label is the most central
headline clause that reads as a claim (`is_claim_label`), never a fragment such as "One
could only assume it' s".

A component is a thread only when its articles cover at least two stories (one event's
coverage alone is a story, not a narrative; without a story step each article counts as its
own story). An article linked to no one, or only within its own story, has thread_id null:
sharing an argument with nobody is not a thread (it can still be joined later).

Candidate retrieval is blocked by actor (an inverted index; one matrix product per actor
block and batch), never the corpus all-pairs. Deterministic: the same input in the same order
gives the same threads, and on the seeds any split of the ingest gives the same ones (tests).
Thread ids are stable: a component keeps its id as it grows; when two merge, the larger
keeps its id (equal sizes: the smaller id), and the absorbed thread's id disappears.

Defaults, tuned on the seeds + ECB+ topics 1-10 + the trafilatura pages on even lines of
cases.jsonl (bench/threads_eval.py sweep): the seeds stay one thread for LINK 0.70-0.76 and
lose the Kursk article from 0.78; LINK = MERGE = 0.75. On the held-out half (topics 11-20,
odd pages) no thread forms at any LINK from 0.70 to 0.85; over all of ../shared/data the
seeds' thread holds exactly the seeds and one other thread forms (ECB+ topic 9, one event).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from presstrace.group import embed
from presstrace.group.thread_arguments import ArgumentSentence

LINK = 0.75  # cosine of two argument vectors for a link (with a shared actor)
# Two articles that push the same sub-narrative with confidence (a learned head's calibrated
# probability >= steps/threads.CLAIM_SCORE) argue the same claim however they word it: the
# claim is the link, with no cosine gate (-1), and such links merge whatever the components'
# mean arguments. Short real quotes pushing one claim in different words sit far apart in the
# static model, and with the LINK gate no claim thread formed (bench/threads_eval.py
# purity-quotes).
CLAIM_LINK = -1.0
MERGE = 0.75  # cosine of two components' mean arguments for a link to merge them
ACTOR_TYPES = frozenset({"PERSON", "ORG"})  # who a claim is about; places are masked
MIN_STORIES = 2  # a thread spans events
ACTOR_SENTENCES = 2  # argument sentences naming an actor that make it a subject
ACTOR_MENTIONS = 3  # or mentions of it in the whole article
LABEL_WORDS = 12  # a label is a short claim, not a paragraph
EVIDENCE = 5  # evidence sentences per thread


@dataclass
class ArgumentDoc:
    """What the thread stage knows of one article."""

    doc_id: str
    vector: np.ndarray
    actors: frozenset[str]
    story_id: str | None = None
    published: str | None = None
    sentences: list[ArgumentSentence] = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    similarity: float
    claim: bool = False  # made by a shared taxonomy claim (CLAIM_LINK), not by an actor


def argument_actors(
    sentences: Sequence[ArgumentSentence],
    entities: Iterable[tuple[str, str, Sequence[str], int]],
) -> frozenset[str]:
    """Keys of the actor entities (key, type, surface forms, mentions in the article) an
    article argues about: named in an argument sentence and prominent, i.e. named in its
    argumenting headline, in ACTOR_SENTENCES argument sentences, or ACTOR_MENTIONS times in
    the article (a name dropped once is context, not the claim's subject). A person counts
    only under a full canonical name (first and last): a bare first name or surname is the
    collision that put a footballer and a prince in one thread."""
    found = set()
    for key, kind, surfaces, count in entities:
        names = [s for s in surfaces if s]
        if kind not in ACTOR_TYPES or not names:
            continue
        if kind == "PERSON" and len(names[0].split()) < 2:
            continue  # "Harry" alone may be a prince or a footballer: only full names join
        named = [s for s in sentences if any(n in s.text for n in names)]
        if not named:
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in names) + r")(?!\w)")
        hits = [s for s in named if pattern.search(s.text)]
        if hits and (
            len(hits) >= ACTOR_SENTENCES
            or count >= ACTOR_MENTIONS
            or any(s.position == 0 for s in hits)
        ):
            found.add(key)
    return frozenset(found)


class ActorIndex:
    """Argument vectors of the stored articles with an inverted index from actor to article
    (its blocks): a batch of queries is compared, actor by actor, with the articles of that
    actor's block only, one matrix product per block, so the cost grows with the block
    sizes and not with the square of the corpus."""

    ROWS_PER_PRODUCT = 8192  # block rows per matrix product (bounds the memory used)

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.postings: dict[str, array] = {}
        self._matrix = np.zeros((1024, embed.DIM), dtype=np.float32)

    def add(
        self,
        docs: Iterable[tuple[str, np.ndarray, Iterable[str]]],
        only: Collection[str] | None = None,
    ) -> None:
        """Index these articles under their actors (only those in `only`, when given: an
        article read again for another actor keeps its row and gets that actor's posting)."""
        for doc_id, vector, actors in docs:
            row = self.row_of.get(doc_id)
            if row is None:
                row = len(self.ids)
                if row == len(self._matrix):  # grow by doubling: amortised O(1) per article
                    self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
                self._matrix[row] = vector
                self.ids.append(doc_id)
                self.row_of[doc_id] = row
            for actor in sorted(set(actors)):
                if only is None or actor in only:
                    self.postings.setdefault(actor, array("q")).append(row)

    def links(self, docs: Sequence[ArgumentDoc], threshold: float = LINK) -> list[Link]:
        """Links from each of `docs` to indexed articles (and among `docs` themselves, which
        must be indexed already): a shared actor, then cosine >= threshold (CLAIM_LINK for a
        shared claim key)."""
        by_actor: dict[str, list[int]] = {}
        for q, doc in enumerate(docs):
            for actor in doc.actors:
                if actor in self.postings:
                    by_actor.setdefault(actor, []).append(q)
        if not by_actor:
            return []
        queries = np.stack([np.asarray(d.vector, dtype=np.float32) for d in docs])
        out: dict[tuple[str, str], Link] = {}
        for actor in sorted(by_actor):
            asking = np.array(by_actor[actor], dtype=np.int64)
            block = np.frombuffer(self.postings[actor], dtype=np.int64)
            claim = actor.startswith(CLAIM_PREFIX)
            least = CLAIM_LINK if claim else threshold
            for start in range(0, len(block), self.ROWS_PER_PRODUCT):
                rows = block[start : start + self.ROWS_PER_PRODUCT]
                sims = queries[asking] @ self._matrix[rows].T
                for qi, ri in zip(*np.nonzero(sims >= least), strict=True):
                    a, b = docs[asking[qi]].doc_id, self.ids[rows[ri]]
                    if a != b:
                        pair = (min(a, b), max(a, b))
                        out[pair] = Link(pair[0], pair[1], round(float(sims[qi, ri]), 4), claim)
        return [out[k] for k in sorted(out)]


def thread_id_of(root: str) -> str:
    """A thread's id, from its component's root article (stable while the root stays)."""
    return "t-" + hashlib.sha256(root.encode()).hexdigest()[:16]


def merge_components(
    links: Iterable[Link],
    component_of: dict[str, str],
    sizes: dict[str, int],
    sums: dict[str, np.ndarray] | None = None,
    agree: float = MERGE,
) -> dict[str, str]:
    """Union the components that `links` join. `component_of` maps every linked article to
    its component root, `sizes` each root to its size, `sums` each root to the sum of its
    argument vectors. A link merges two components only when their mean arguments agree
    (cosine of the sums >= agree): a chain of pairwise links cannot drift from one claim to
    another. Returns {absorbed root: surviving root}: the larger component keeps its root
    (equal sizes: the smaller root id)."""
    parent = {root: root for root in set(component_of.values())}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = {root: sizes.get(root, 1) for root in parent}
    summed = dict(sums or {})
    for link in links:
        ra, rb = find(component_of[link.a]), find(component_of[link.b])
        if ra == rb:
            continue
        if ra in summed and rb in summed and not link.claim:
            sa, sb = summed[ra], summed[rb]
            norm = float(np.linalg.norm(sa) * np.linalg.norm(sb))
            if norm == 0 or float(sa @ sb) / norm < agree:
                continue
        keep, drop = sorted((ra, rb), key=lambda r: (-total[r], r))
        parent[drop] = keep
        total[keep] += total[drop]
        if keep in summed and drop in summed:
            summed[keep] = summed[keep] + summed[drop]
    return {root: find(root) for root in sorted(parent) if find(root) != root}


def is_thread(stories: Iterable[str | None], doc_ids: Iterable[str]) -> bool:
    """A component argues across events: its articles cover MIN_STORIES stories or more."""
    covered = {s if s is not None else f"doc:{d}" for s, d in zip(stories, doc_ids, strict=True)}
    return len(covered) >= MIN_STORIES


@dataclass
class ThreadSummary:
    label: str
    evidence: list[dict[str, str]]
    first_date: str | None
    last_date: str | None
    terms: list[str]


def summarise(
    docs: Sequence[ArgumentDoc], doc_freq: dict[str, int], corpus_docs: int
) -> ThreadSummary:
    """Label, evidence and span of one thread from its articles' argument sentences.

    Evidence: the sentences closest to the thread's centroid (masked, as compared), one per
    article first so several articles speak. Label: the most central sentence, cut to its
    first clause and at most LABEL_WORDS words. Terms: c-TF-IDF key words of the thread's
    argument sentences against the corpus's (doc_freq: articles per word)."""
    pool = [(d, s) for d in sorted(docs, key=lambda x: x.doc_id) for s in d.sentences]
    dates = sorted(d.published for d in docs if d.published)
    terms = key_terms(docs, doc_freq, corpus_docs)
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    if not pool:
        return ThreadSummary("", [], first, last, terms)
    centroid = np.mean([d.vector for d in docs], axis=0)
    vectors = embed.encode([s.masked or s.text for _, s in pool])
    term_set = set(terms[:8])
    bonus = np.array([0.02 * len(term_set & set(_words(s.text))) for _, s in pool])
    headline = np.array([0.03 if s.position == 0 else 0.0 for _, s in pool])
    order = np.argsort(-(vectors @ centroid + bonus + headline), kind="stable")
    chosen, used = [], set()
    for rank in (0, 1):  # first one sentence per article, then fill
        for i in order:
            d, s = pool[i]
            if (rank == 0 and d.doc_id in used) or any(c[1] is s for c in chosen):
                continue
            chosen.append((d, s))
            used.add(d.doc_id)
            if len(chosen) >= EVIDENCE:
                break
        if len(chosen) >= EVIDENCE:
            break
    evidence = [{"doc_id": d.doc_id, "sentence": s.text} for d, s in chosen]
    # the label: the most central arguing headline (a headline states the claim in few
    # words), else the most central sentence
    centrality = vectors @ centroid + bonus
    claims = frozenset.intersection(*(d.actors for d in docs)) if docs else frozenset()
    claims = sorted(x for x in claims if x.startswith(CLAIM_PREFIX))
    if claims:  # the taxonomy's words for the claim every member argues
        return ThreadSummary(claims[0].rsplit(": ", 1)[-1], evidence, first, last, terms)
    headlines = [i for i, (_, s) in enumerate(pool) if s.position == 0]
    ranked = sorted(range(len(pool)), key=lambda i: (i not in headlines, -centrality[i], i))
    labels = [short_label(pool[i][1].text) for i in ranked]
    label = next((x for x in labels if is_claim_label(x)), "")
    if not label:  # no sentence reads as a claim: name what the thread argues about
        label = "Arguments about " + ", ".join(terms[:3]) if terms else labels[0]
    return ThreadSummary(label, evidence, first, last, terms)


CLAIM_PREFIX = "claim:"  # actor keys of articles that push a taxonomy sub-narrative
_NOT_A_START = frozenset(
    [
        "it",
        "its",
        "one",
        "this",
        "that",
        "these",
        "those",
        "they",
        "he",
        "she",
        "we",
        "i",
        "you",
        "there",
        "here",
        "but",
        "and",
        "so",
        "or",
        "if",
        "because",
        "which",
        "who",
        "what",
        "when",
        "where",
        "while",
        "as",
        "although",
        "though",
        "yet",
        "also",
    ]
)
_NOT_AN_END = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "and",
        "or",
        "but",
        "that",
        "which",
        "who",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "as",
        "than",
    ]
)
_BROKEN = re.compile(r"\w['’] \w|\s['’]\s?s\b")  # "it' s", "Putin ' s": a mangled apostrophe


def is_claim_label(label: str) -> bool:
    """Whether a label reads as a claim a reader recognises, not a clause fragment ("One
    could only assume it' s"): at least four words, a capital start that is not a pronoun
    or connective, no dangling function word at the end, no mangled apostrophe."""
    words = label.rstrip("…").split()
    if len(words) < 4 or _BROKEN.search(label):
        return False
    first, last = words[0], words[-1].strip(".,;:!?\"'“”‘’").lower()
    if not first[:1].isupper() or first.strip("\"'“”‘’").lower() in _NOT_A_START:
        return False
    return last not in _NOT_AN_END


# where a headline's claim ends: a dash, a colon, a subordinate clause, an attribution tail
_CLAUSE_END = re.compile(
    r"\s[–—-]\s|[;:]\s"
    r"|,?\s(?=(?:as|after|while|although|because|amid|which)\s)"
    r"|,\s(?=(?:\w+\s){0,3}(?:claims?|says|said|warns?|argues?)\b)"
)


def short_label(sentence: str) -> str:
    """The first clause of a sentence, at most LABEL_WORDS words (an ellipsis when cut)."""
    text = " ".join(sentence.split()).strip(" \"'“”‘’")
    for match in _CLAUSE_END.finditer(text):
        if len(text[: match.start()].split()) >= 3:
            text = text[: match.start()]
            break
    words = text.split()
    if len(words) > LABEL_WORDS:
        return " ".join(words[:LABEL_WORDS]).rstrip(",;:") + "…"
    return text.rstrip(".,;:")


_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]+")
# English function words and the reporting words every news sentence carries (a list of
# our own: importing sklearn or spaCy for theirs costs seconds at every CLI start)
_STOP_TEXT = """a about above after again against all almost also although always am among an
and another any are around as at be became because been before being below between both but
by can cannot could did do does doing done down during each either else enough even ever every
few for from further had has have having he her here hers herself him himself his how however
i if in into is it its itself just least less made make many may me might more most much must
my myself neither never no nor not now of off often on once one only or other others our ours
ourselves out over own per perhaps rather same several she should since so some such than
that the their theirs them themselves then there these they this those though through thus to
too under until up upon us very was we were what whatever when where whether which while who
whom whose why will with within without would yet you your yours yourself said says say told
according year years new like just week month today yesterday mr mrs ms two three likely
unlikely probably"""
_STOP = frozenset(_STOP_TEXT.split())


def _words(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text):
        w = w.lower().replace("’", "'")
        w = w[:-2] if w.endswith("'s") else w
        if len(w) > 2 and w not in _STOP:
            out.append(w)
    return out


def sentence_terms(sentences: Iterable[ArgumentSentence]) -> set[str]:
    """The distinct words of an article's argument sentences (what doc_freq counts)."""
    return {w for s in sentences for w in _words(s.masked or s.text)}


def key_terms(
    docs: Sequence[ArgumentDoc], doc_freq: dict[str, int], corpus_docs: int, top: int = 8
) -> list[str]:
    """c-TF-IDF: words frequent in the thread's argument sentences and rare in the corpus's,
    found in at least two of its articles (a word of one article is that article's)."""
    tf: dict[str, int] = {}
    spread: dict[str, int] = {}
    for d in docs:
        words = [w for s in d.sentences for w in _words(s.masked or s.text)]
        for w in words:
            tf[w] = tf.get(w, 0) + 1
        for w in set(words):
            spread[w] = spread.get(w, 0) + 1
    total = sum(tf.values()) or 1
    scored = []
    for w, n in tf.items():
        if spread[w] < min(2, len(docs)):
            continue
        idf = np.log(1 + max(corpus_docs, 1) / max(doc_freq.get(w, 1), 1))
        scored.append((-(n / total) * idf * spread[w], w))
    return [w for _, w in sorted(scored)[:top]]
