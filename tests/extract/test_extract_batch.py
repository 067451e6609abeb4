"""Extraction in batches (extract_many, attribution.parse_many) gives what one document at a
time gives, on real articles; the step's batches keep one odd document from failing the rest."""

from __future__ import annotations

from pathlib import Path

from extract_fixtures import spacy_nlp  # noqa: F401 - shared fixture

# the fixture above is a pytest fixture: test parameters named like it are not redefinitions
# ruff: noqa: F811
from presstrace.extract import attribution, extract, extract_many
from presstrace.steps import extract as step

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    p.read_text(encoding="utf-8")
    for folder in (ROOT / "examples" / "articles", ROOT.parent / "shared" / "seeds")
    for p in sorted(folder.glob("*.txt"))
]


def test_extract_many_equals_extract_one_by_one(spacy_nlp):
    docs = list(spacy_nlp.pipe(TEXTS))
    one_by_one = [extract(t, d) for t, d in zip(TEXTS, docs, strict=True)]
    batched = extract_many(list(zip(TEXTS, docs, strict=True)))
    assert batched == one_by_one
    hows = {q["how"] for raw in batched for q in raw["quotes"]}
    assert any(h.startswith("parse-") for h in hows)  # the parser did run


def test_parse_many_reads_the_same_tokens_as_spacy():
    """The column-wise token table: offsets in the document, tags, labels and heads, heads
    before the token included (stored by spaCy as unsigned offsets)."""
    text = TEXTS[0]
    spans = [(0, 120), (200, 400)]
    (parses,) = attribution.parse_many([(text, spans)])
    for (a, b), parse in zip(spans, parses, strict=True):
        doc = attribution._nlp()(text[a:b])
        assert [(t.start, t.end, t.text, t.tag, t.dep, t.head) for t in parse.tokens] == [
            (a + t.idx, a + t.idx + len(t), t.text, t.tag_, t.dep_, t.head.i) for t in doc
        ]
        assert any(t.head < i for i, t in enumerate(parse.tokens))
        for i in range(len(parse.tokens)):
            assert parse.children(i) == [
                j for j, t in enumerate(parse.tokens) if t.head == i and j != i
            ]


def test_a_failing_batch_is_retried_one_document_at_a_time(monkeypatch):
    def batch_fails(docs, language="en"):
        raise RuntimeError("batch")

    real = step.extract

    def odd_one_fails(text, doc, language="en"):
        if "odd" in text:
            raise ValueError("odd document")
        return real(text, doc, language)

    monkeypatch.setattr(step, "extract_many", batch_fails)
    monkeypatch.setattr(step, "extract", odd_one_fails)
    docs = [("a", TEXTS[0]), ("b", "An odd document."), ("c", TEXTS[1])]
    results = dict(step._extract_docs("en", iter(docs)))
    assert list(results) == ["a", "b", "c"]
    assert "odd document" in results["b"]["error"]
    assert "error" not in results["a"] and results["a"]["mentions"]
    assert "error" not in results["c"] and results["c"]["mentions"]
