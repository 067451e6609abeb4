"""Copies of real articles are found with the right method; separately written reports of
one event, and the five seed articles, are not copies."""

from __future__ import annotations

import itertools
import re

import pytest
from rapidfuzz import fuzz, process

from dedup.helpers import ecb_docs, example_texts
from presstrace.dedup import Member, Thresholds, choose_canonical
from presstrace.dedup.compare import overlap
from presstrace.dedup.memory import find_copies
from presstrace.dedup.shingles import shingle_set


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


@pytest.fixture(scope="module")
def article() -> str:
    return example_texts()["003_2b6e72d109a666f1.txt"]


def test_the_five_seed_articles_are_not_copies_of_each_other():
    links, pairs = find_copies((name, text, None) for name, text in example_texts().items())
    assert links == [] and pairs == []


def test_reprint_with_junk_reordered_paragraphs_and_new_quote_marks_is_near(article):
    paras = paragraphs(article)
    paras[2], paras[5] = paras[5], paras[2]
    reprint = "\n\n".join(["Source: Daily Aggregator", *paras, "Share this article"])
    reprint = reprint.replace("’", "'").replace("“", '"').replace("”", '"')
    links, pairs = find_copies([("orig", article, "2023-05-23"), ("copy", reprint, None)])
    assert [(p.method, p.jaccard > 0.8) for p in pairs] == [("near", True)]
    assert [(x.copy_id, x.canonical_id, x.method) for x in links] == [("copy", "orig", "near")]


def test_truncated_reprint_is_a_partial_copy_of_the_full_article(article):
    half = "\n\n".join(paragraphs(article)[: len(paragraphs(article)) // 2])
    links, _ = find_copies([("half", half, None), ("full", article, None)])
    [link] = links
    assert (link.copy_id, link.canonical_id, link.method) == ("half", "full", "partial")
    assert link.containment > 0.95 and link.similarity < 0.6


def test_identical_text_in_other_typography_is_exact(article):
    retyped = article.replace("’", "'").replace("\n\n", "\n\n\n")
    links, _ = find_copies([("a", article, "2023-05-23"), ("b", retyped, "2023-05-24")])
    assert [(x.copy_id, x.canonical_id, x.method) for x in links] == [("b", "a", "exact")]


def sentence_overlap(a: str, b: str) -> float:
    """Share of the shorter text's sentences (ECB+: one per line) found in the other, edits
    allowed (rapidfuzz ratio >= 90): an independent reading of 'reprint', not shingles."""
    sa = [line.lower() for line in a.splitlines() if len(line.split()) >= 6]
    sb = [line.lower() for line in b.splitlines() if len(line.split()) >= 6]
    if not sa or not sb:
        return 0.0
    short, other = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return float((process.cdist(short, other, scorer=fuzz.ratio).max(axis=1) >= 90).mean())


def test_separately_written_reports_of_one_event_stay_apart():
    docs = ecb_docs()
    links, pairs = find_copies((d["id"], d["text"], None) for d in docs)
    by_id = {d["id"]: d for d in docs}
    same_event = [
        (a["id"], b["id"])
        for a, b in itertools.combinations(docs, 2)
        if (a["topic"], a["subtopic"]) == (b["topic"], b["subtopic"])
        and sentence_overlap(a["text"], b["text"]) < 0.1
    ]
    assert len(same_event) > 2000  # hard negatives: same event, < 10% sentences shared
    found = {frozenset((p.a, p.b)) for p in pairs}
    wrong = [pair for pair in same_event if frozenset(pair) in found]
    assert wrong == []
    # and what it does join are real reprints: most of a sentence set shared
    for p in pairs:
        assert sentence_overlap(by_id[p.a]["text"], by_id[p.b]["text"]) >= 0.3, p


def test_measured_overlap_is_exact_on_the_shingle_sets(article):
    full = shingle_set(article)
    half = shingle_set("\n\n".join(paragraphs(article)[:4]))
    ov = overlap(half, full)
    assert ov.shared == len(half) and ov.containment == 1.0
    assert ov.jaccard == pytest.approx(len(half) / len(full))


def test_canonical_is_the_earliest_dated_else_the_most_complete():
    members = [
        Member("a", None, size=900, length=5000),
        Member("b", "2023-05-02", size=300, length=2000),
        Member("c", "2023-05-01", size=100, length=800),
    ]
    assert choose_canonical(members).id == "c"
    assert choose_canonical(m for m in members if m.published is None).id == "a"
    undated = [Member("x", None, 500, 3000), Member("y", None, 700, 2500)]
    assert choose_canonical(undated).id == "y"


def test_thresholds_are_checked():
    with pytest.raises(ValueError, match="near"):
        Thresholds(near=0)
    with pytest.raises(ValueError, match="containment"):
        Thresholds(containment=1.5)
