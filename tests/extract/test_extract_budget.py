"""A pathological document cannot blow up the store (issue 15, item 5): the extraction of one
document stays within MAX_QUOTES / MAX_CLAIMS and cut texts, and says what it cut."""

from __future__ import annotations

from extract_fixtures import spacy_nlp  # noqa: F401 - shared fixture

from presstrace.extract import MAX_CLAIMS, MAX_QUOTE_CHARS, MAX_QUOTES, extract

PARAGRAPH = (
    "“We will not give up and we will defend every village,” said John Smith, adding that "
    "1,200 soldiers and 35 tanks had reached the front."
)


def test_repetitive_text_is_held_to_the_budget(spacy_nlp):  # noqa: F811
    text = "\n\n".join(PARAGRAPH for _ in range(700))  # ~90 KB, as in the hostile campaign
    raw = extract(text, spacy_nlp(text), "en")
    assert len(raw["quotes"]) == MAX_QUOTES
    assert len(raw["claims"]) == MAX_CLAIMS
    assert raw["abstained"]["quotes"].startswith(f"over budget: kept the first {MAX_QUOTES} of")
    assert raw["abstained"]["claims"].startswith(f"over budget: kept the first {MAX_CLAIMS} of")


def test_a_huge_quote_is_cut_and_says_so(spacy_nlp):  # noqa: F811
    words = " ".join(f"word{i}" for i in range(800))
    text = f"“{words}.” said John Smith on Monday."
    raw = extract(text, spacy_nlp(text), "en")
    assert raw["quotes"], "the quote is still found"
    assert all(len(q["text"]) <= MAX_QUOTE_CHARS for q in raw["quotes"])
    assert raw["quotes"][0]["text"].endswith("…")
    assert "cut to" in raw["abstained"]["quotes"]


def test_an_ordinary_article_is_untouched(spacy_nlp):  # noqa: F811
    raw = extract(PARAGRAPH, spacy_nlp(PARAGRAPH), "en")
    assert len(raw["quotes"]) == 2 and "abstained" not in raw  # the quote and "adding that"
