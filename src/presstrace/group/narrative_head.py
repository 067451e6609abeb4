"""A learned head per label: which sentences argue it, from a user's labelled examples.

The zero-shot labels compare sentences with a taxonomy's few hand-written descriptions, and
on real propaganda they are right about 1 time in 6 (bench/narratives_real.py). Labelled
examples say much more: for every label with at least MIN_DOCS labelled documents, a
logistic regression learns, on sentence vectors, to tell the label's example sentences (the
EXAMPLES_PER_LABEL sentences of each labelled document that match the label best) from every
sentence of the on-topic labelled documents that do not carry it, "Other" documents included:
debunks and plain reporting that name the same people and places are the negatives that teach
stance rather than topic.

A document's evidence for the label is its best sentence's logit, less LENGTH_PENALTY x
log(number of sentences): the best of n sentences of plain reporting climbs with n like the
maximum of n draws, and without the correction every long article looked like propaganda.
(On VoxCheck the propaganda is short quotes and the "Other" texts longer, so the correction
also rides that difference: bench/narratives_real.py checks it on single debunk sentences.)
That logit becomes a probability by Platt scaling fitted on out-of-fold logits (FOLDS-fold over
the labelled documents, labelled and "Other" documents weighed equally, as in news that is half
"Other"), so a label's score is the probability it is right and `--min-score` picks precision.

Numpy only: Newton steps on at most a few thousand sentence vectors (384 numbers each).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

# A label gets a head only with this many labelled documents: the smallest VoxCheck narrative
# on the tuning half has 7, and with 5 folds fewer leave folds without a positive.
MIN_DOCS = 8
FOLDS = 5
# L2 penalty on the sentence-vector weights (the intercept is free) and the length correction:
# chosen together by 3-fold cross-validation on the tuning half of bench/narratives_real.py
# (VoxCheck odd ids + odd "Other" texts; balanced narrative F1 at logit 0), best of L2 1e-4,
# 3e-4, 1e-3 x LENGTH_PENALTY 0, 0.5, 1, 2: 0.705 at (1e-4, 2); (3e-4, 1) 0.679, (1e-3, 1)
# 0.670; no length correction 0.47-0.49. Adding refutation, negation and attribution flags
# to the sentence vector gave nothing measurable in that search (0.483 vs 0.474 at no length
# correction), so the head reads the vector alone; stance enters when a document is scored
# (narratives.py: refuting sentences are left out, negated ones count for less).
L2 = 1e-4
# How much the "Other" documents weigh together against the labelled ones when a head is
# fitted (the Platt scaling still weighs them equally): a debunk's sentences of plain fact
# ("It was Russia that started the war in Donbas") resemble the narrative it refutes, and
# with equal weight a head learned few of them. Chosen on the tuning half of
# bench/narratives_stance.py by two-fold cross-fitting over the tuning debunks (each half's
# sentences scored by heads trained without it): debunk sentences pushed 67 / 58 / 51 / 49
# of 239 at 1 / 2 / 3 / 4, tuning quotes given the right narrative 191 / 183 / 180 / 176 of
# 283; 3 is the largest that keeps that recall within 4 points.
OTHER_WEIGHT = 3.0
LENGTH_PENALTY = 2.0
NEWTON_STEPS = 12
# Newton stops when no weight moves by more than this: the vectors have unit length, so a
# logit moves by less than about 0.02 (checked: F1 unchanged from 1e-6, three times faster)
TOLERANCE = 1e-3


@dataclass(frozen=True)
class Head:
    """One label's sentence weights and the Platt scaling of its document logit."""

    weights: np.ndarray
    bias: float
    a: float = 1.0
    b: float = 0.0
    # documents the scaling was fitted on: a probability never claims more certainty than
    # 1 / (n + 2) from either end (Laplace's rule), so 1.0 and 0.0 are never said
    fitted_on: int = 0

    def sentence_logits(self, vectors: np.ndarray) -> np.ndarray:
        return vectors @ self.weights + self.bias

    def document_logit(self, vectors: np.ndarray, offset: np.ndarray | None = None) -> float:
        """Best sentence's logit plus its stance offset (narratives.py: -inf for a sentence
        that refutes what it reports, less for a negated one), corrected for the document's
        length; -inf when no sentence is usable."""
        if not len(vectors):
            return float("-inf")
        z = self.sentence_logits(vectors)
        if offset is not None:
            z = z + offset
            if not np.isfinite(z).any():
                return float("-inf")
        return float(z.max()) - LENGTH_PENALTY * float(np.log(len(vectors)))

    def probability(self, logit: float) -> float:
        edge = 1.0 / (self.fitted_on + 2)
        if logit == float("-inf"):
            return edge
        p = float(1.0 / (1.0 + np.exp(-np.clip(self.a * logit + self.b, -50.0, 50.0))))
        return min(max(p, edge), 1.0 - edge)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, start: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by Newton steps (the intercept unpenalised); `start`:
    weights and intercept to start from (a fold starts from the full fit, two steps away)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = weight / weight.sum()
    beta = np.zeros(d + 1) if start is None else start.copy()
    ridge = np.eye(d + 1) * l2
    ridge[-1, -1] = 1e-9
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ beta, -50.0, 50.0)))
        grad = xb.T @ ((p - y) * w) + ridge @ beta
        hess = (xb * (w * p * (1.0 - p))[:, None]).T @ xb + ridge
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < TOLERANCE:
            break
    return beta[:-1], float(beta[-1])


@dataclass
class Examples:
    """What a head learns from: sentence vectors, their document, and per document whether it
    carries the label (None: off the label's topic, not used) and whether it is "Other"."""

    vectors: np.ndarray
    doc_of: np.ndarray
    example: np.ndarray  # sentence is one of the label's example sentences
    carries: np.ndarray  # per document: True, False, or unused (see `used`)
    used: np.ndarray  # per document: on the label's topic
    other: np.ndarray  # per document: its gold is "Other"


def _train(ex: Examples, docs: np.ndarray, start: Head | None = None) -> Head | None:
    """A head from the documents `docs` (indices); None when they hold no positive or no
    negative. Each document weighs the same whatever its length; "Other" documents together
    weigh as much as the labelled ones."""
    chosen = np.zeros(len(ex.carries), dtype=bool)
    chosen[docs] = True
    chosen &= ex.used
    pos_docs = chosen & ex.carries
    neg_docs = chosen & ~ex.carries
    if not pos_docs.any() or not neg_docs.any():
        return None
    in_pos = pos_docs[ex.doc_of] & ex.example
    in_neg = neg_docs[ex.doc_of]
    keep = in_pos | in_neg
    counts = np.bincount(ex.doc_of[keep], minlength=len(ex.carries)).astype(float)
    weight = 1.0 / np.maximum(counts[ex.doc_of[keep]], 1.0)
    others, labelled = (chosen & ex.other).sum(), (chosen & ~ex.other).sum()
    if others and labelled:  # "Other" documents together weigh as much as the labelled ones
        weight = np.where(ex.other[ex.doc_of[keep]], weight * labelled / others * OTHER_WEIGHT,
                          weight)  # fmt: skip
    begin = None if start is None else np.r_[start.weights, start.bias]
    weights, bias = fit_logistic(
        ex.vectors[keep].astype(np.float64), in_pos[keep].astype(float), weight, L2, begin
    )
    return Head(weights, bias)


def fit(ex: Examples) -> Head | None:
    """The head on all documents, with its Platt scaling from out-of-fold logits; None when
    fewer than MIN_DOCS documents carry the label."""
    if (ex.used & ex.carries).sum() < MIN_DOCS:
        return None
    docs = np.flatnonzero(ex.used)
    full = _train(ex, docs)
    if full is None:
        return None
    logits, gold, weight = [], [], []
    others, labelled = ex.other[docs].sum(), (~ex.other[docs]).sum()
    for fold in range(FOLDS):
        held = docs[fold::FOLDS]
        head = _train(ex, np.setdiff1d(docs, held), full)
        if head is None:
            continue
        for i in held:
            logits.append(head.document_logit(ex.vectors[ex.doc_of == i]))
            gold.append(float(ex.carries[i]))
            weight.append(labelled / max(others, 1) if ex.other[i] else 1.0)
    x = np.array(logits, dtype=float)
    finite = np.isfinite(x)
    if len(set(np.array(gold)[finite])) < 2:
        return full
    (a,), b = fit_logistic(x[finite, None], np.array(gold)[finite], np.array(weight)[finite], 1e-6)
    return Head(full.weights, full.bias, max(a, 0.0), b, int(finite.sum()))


# -- keeping fitted heads ----------------------------------------------------------------------
# Fitting every head takes ~24 s of CPU on a VoxCheck-sized training set, and the heads only
# change when the training, the label columns or this code does: they are kept under a key
# that hashes all three (see `cache_key`), so an ingest with unchanged training fits nothing.


class HeadCache(Protocol):
    """Where fitted heads are kept between runs (the store, for the narratives step)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, blob: bytes) -> None: ...


def code_version() -> str:
    """A digest of this module's source: a change to how heads are fitted (a constant, a
    step of the fit) makes every kept head stale, without anyone remembering to bump a
    number."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def cache_key(parts: list[bytes]) -> str:
    """The key of heads fitted from these inputs (training arrays, label columns) by this
    code."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def dumps(heads: dict[str, Head]) -> bytes:
    """Heads as one .npz blob (weights stacked, the scalars and labels as JSON): numpy's
    own format, no pickle, so a blob read back can run no code."""
    labels = sorted(heads)
    meta = [[x, heads[x].bias, heads[x].a, heads[x].b, heads[x].fitted_on] for x in labels]
    weights = (
        np.stack([heads[x].weights for x in labels]) if labels else np.zeros((0, 0), np.float64)
    )
    out = io.BytesIO()
    np.savez(out, weights=weights, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
    return out.getvalue()


def loads(blob: bytes) -> dict[str, Head]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        weights = data["weights"]
        meta = json.loads(data["meta"].tobytes().decode())
    return {
        label: Head(weights[i].copy(), float(bias), float(a), float(b), int(n))
        for i, (label, bias, a, b, n) in enumerate(meta)
    }
