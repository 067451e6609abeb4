"""Which sentences of an article argue something, and one vector for what they argue.

A narrative thread groups articles by the claim they make, not by the event they report, so
the event-reporting sentences ("drones were shot down over Podolsk on Wednesday") must not
drive the comparison. This module keeps an article's argument sentences, those that assess,
predict, evaluate or attribute a view ("is likely to increase pressure on Putin", "analysts
say", "a sign of weakness"), plus the headline when it argues, and masks what ties a
sentence to one event (places, numbers, dates) before embedding, so two articles about
different events that argue the same thing land close together.

The cue lexicon is English: articles in other languages get no argument sentences and so no
thread (said in the README). Pure functions; the embedding model comes from group.embed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from presstrace.group import embed
from presstrace.sentences import split

# Words that mark a sentence as assessment, prediction, evaluation or attributed opinion,
# with a weight each. Stems match word starts ("weaken" matches weakened, weakening).
_CUES: dict[str, float] = {
    # modality and prediction
    "could": 1.0, "would": 0.7, "might": 1.0, "may": 0.7, "likely": 1.0, "unlikely": 1.0,
    "probably": 1.0, "perhaps": 1.0, "possibl": 0.7, "inevitabl": 1.0, "must": 0.7,
    "should": 0.7, "will": 0.3, "seem": 1.0, "appear": 0.5, "expect": 0.5,
    # inference and evidence
    "suggest": 1.0, "indicat": 0.7, "signal": 1.0, "sign": 1.0, "shows": 1.0, "showing": 0.7,
    "shown": 0.7, "prove": 1.0, "proof": 1.0, "reveal": 0.7, "evidence": 0.7, "means": 0.7,
    "clear": 0.7, "obvious": 1.0, "undoubted": 1.0, "admission": 1.0, "because": 0.5,
    "therefore": 1.0, "whether": 0.5, "question": 0.7, "why": 0.7,
    # evaluation: weakness, strength, failure, legitimacy, power
    "weak": 1.5, "falter": 1.5, "crumbl": 1.5, "collaps": 1.2, "declin": 1.0, "erod": 1.5,
    "undermin": 1.5, "fragil": 1.5, "vulnerab": 1.2, "instabil": 1.5, "unstable": 1.5,
    "crisis": 1.0, "fail": 1.0, "failure": 1.2, "defeat": 1.0, "loser": 1.2, "humiliat": 1.5,
    "embarrass": 1.5, "blow": 0.7, "damag": 0.7, "setback": 1.2, "disaster": 1.0,
    "nightmare": 1.0, "threat": 0.7, "danger": 1.0, "risk": 0.7, "pressure": 1.0,
    "grip": 1.2, "control": 0.7, "power": 0.7, "legitima": 1.5, "authority": 0.7,
    "regime": 1.0, "survival": 1.2, "surviv": 0.7, "toppl": 1.5, "overthrow": 1.2,
    "dissent": 1.2, "revolt": 1.2, "loyal": 1.0, "doubt": 1.2, "anxiety": 1.0, "fear": 0.7,
    "paranoi": 1.2, "strength": 0.7, "strong": 0.5, "success": 0.5, "problem": 0.7,
    "concern": 0.5, "worr": 0.7, "tension": 0.5, "strateg": 0.5, "credib": 1.2,
    "reputation": 1.0, "image": 0.5, "support": 0.3, "popular": 0.7, "trust": 0.7,
    "corrupt": 0.7, "propaganda": 0.7, "narrative": 0.7, "consequence": 0.7,
    # attributed opinion
    "analyst": 1.2, "expert": 1.0, "commentator": 1.2, "observer": 1.0, "critic": 1.0,
    "analysis": 1.0, "believ": 1.0, "think": 0.7, "argu": 1.2, "warn": 1.0, "claim": 0.5,
    "opinion": 1.0, "view": 0.5, "consider": 0.5, "accus": 0.5,
}  # fmt: skip
# cues that are whole words ("may", not "mayor"; "sign", not "significant")
_WHOLE = frozenset(
    ["may", "will", "must", "should", "could", "would", "might", "sign", "why", "means",
     "view", "image", "blow", "clear", "loyal", "strong", "support", "means", "grip"]
)  # fmt: skip
_LONGEST_CUE = max(len(c) for c in _CUES)
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d[\d,.:/%-]*")
_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"tonight|last (?:week|month|year|night)|earlier this (?:week|month|year))\b"
)
# entity types that tie a sentence to one event rather than to an argument
EVENT_TYPES = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY"})

MIN_SCORE = 2.0  # cue weight a sentence needs to count as argument
MAX_SENTENCES = 8  # argument sentences kept per article (the strongest)
MIN_SENTENCES = 2  # an article with fewer argues too little to join a thread
MIN_WORDS, MAX_WORDS = 6, 80  # shorter: a caption or a fragment; longer: a run-on paragraph


@dataclass(frozen=True)
class ArgumentSentence:
    """One sentence that argues: its text as in the article, its place (0 = headline), the
    cue weight that selected it, and its masked text once the article's names are known."""

    text: str
    position: int
    score: float
    masked: str = ""  # the text without its event details (what is embedded and counted)


def cue_score(sentence: str) -> float:
    """Sum of the cue weights in a sentence (each cue counted once), less a little for every
    figure: many numbers make a sentence a report, not an assessment."""
    found = {_cue_of(w.lower()) for w in _WORD.findall(sentence)}
    found.discard(None)
    weight = sum(_CUES[c] for c in found if c)
    return weight - 0.3 * len(_NUMBER.findall(sentence))


def _cue_of(word: str) -> str | None:
    """The longest cue stem the word starts with (whole-word cues must be the whole word,
    or it plus an s)."""
    for k in range(min(len(word), _LONGEST_CUE), 2, -1):
        stem = word[:k]
        if stem in _CUES and (stem not in _WHOLE or word in (stem, stem + "s")):
            return stem
    return None


def argument_sentences(title: str | None, text: str) -> list[ArgumentSentence]:
    """The article's strongest argument sentences (headline first when it argues), at most
    MAX_SENTENCES, in article order; fewer than MIN_SENTENCES means "no argument"."""
    candidates: list[tuple[str, int]] = []
    if title:
        candidates.append((" ".join(title.split()), 0))
    seen = {c[0] for c in candidates}
    for i, span in enumerate(split(text), start=1):
        sentence = " ".join(text[span.start : span.end].split())
        if sentence not in seen:  # the headline repeated as the first line
            seen.add(sentence)
            candidates.append((sentence, i))
    scored = []
    for sentence, position in candidates:
        words = len(sentence.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            continue
        score = cue_score(sentence) + (0.5 if position == 0 else 0.0)
        if score >= MIN_SCORE:
            scored.append(ArgumentSentence(sentence, position, round(score, 3)))
    best = sorted(scored, key=lambda s: (-s.score, s.position))[:MAX_SENTENCES]
    return sorted(best, key=lambda s: s.position)


def event_names(entities: Iterable[tuple[str, str]]) -> list[str]:
    """Surface forms to mask, from (surface form, entity type) pairs: places and figures."""
    names = {name for name, kind in entities if kind in EVENT_TYPES and len(name) > 1}
    return sorted(names, key=len, reverse=True)


def mask(sentence: str, names: Sequence[str]) -> str:
    """The sentence without what ties it to one event: place names, numbers, dates.

    Masked words are removed rather than replaced: the model averages token vectors, so a
    placeholder word would only pull every masked sentence towards that word."""
    out = sentence
    for name in names:
        if name not in out:
            continue
        out = re.sub(r"(?<!\w)" + re.escape(name) + r"(?:['’]s)?(?!\w)", " ", out)
    out = _MONTHS.sub(" ", out)
    out = _NUMBER.sub(" ", out)
    return " ".join(out.split())


def argument_vectors(
    items: Sequence[tuple[Sequence[ArgumentSentence], Sequence[str]]],
    least: Sequence[int] | None = None,
) -> list[np.ndarray | None]:
    """One L2-normalised vector per article for what it argues: the cue-weighted mean of
    its masked argument sentences, for many articles with one call to the model (much
    faster than one call each); None for an article with fewer than MIN_SENTENCES argument
    sentences (or `least[i]`, when given, for article i)."""
    needed = list(least) if least is not None else [MIN_SENTENCES] * len(items)
    texts, owners = [], []
    for i, (sentences, names) in enumerate(items):
        if sentences and len(sentences) >= needed[i]:
            texts += [s.masked or mask(s.text, names) for s in sentences]
            owners += [i] * len(sentences)
    vectors = embed.encode(texts)
    out: list[np.ndarray | None] = [None] * len(items)
    owner = np.array(owners, dtype=np.int64)
    for i, (sentences, _) in enumerate(items):
        if not sentences or len(sentences) < needed[i]:
            continue
        weights = np.array([s.score for s in sentences], dtype=np.float32)[:, None]
        mean = (vectors[owner == i] * weights).sum(axis=0)
        norm = float(np.linalg.norm(mean))
        out[i] = (mean / norm if norm > 0 else mean).astype(np.float32)
    return out


def with_masks(
    sentences: Sequence[ArgumentSentence], names: Sequence[str]
) -> list[ArgumentSentence]:
    """The sentences with their masked text filled in."""
    return [replace(s, masked=mask(s.text, names)) for s in sentences]
