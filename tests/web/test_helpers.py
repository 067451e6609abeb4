"""The pure helpers behind the pages: highlighting by offsets and names, snippet marks,
chart buckets, URL safety, loopback detection."""

from __future__ import annotations

import pytest

from presstrace.cli.web import allowed_hosts, is_loopback
from presstrace.store.queries import (
    DocumentFilter,
    names_pattern,
    query_terms,
    snippet_segments,
)
from presstrace.web import path_part, web_url
from presstrace.web.charts import bar_chart, bucket
from presstrace.web.highlight import entity_spans, paragraphs, quote_spans


def flat(paras):
    """[(text, quote, entity)] per paragraph."""
    return [[(s.text, run.quote, s.entity) for run in p for s in run.segments] for p in paras]


def test_paragraphs_keep_every_character_and_split_on_blank_lines():
    text = "First line\nsame paragraph.\n\n\nSecond <b>paragraph</b>."
    paras = flat(paragraphs(text))
    assert len(paras) == 2
    assert "".join(t for t, _, _ in paras[0]) == "First line\nsame paragraph."
    assert "".join(t for t, _, _ in paras[1]) == "Second <b>paragraph</b>."


def test_quotes_by_offsets_with_entities_inside():
    text = 'Putin said: "Kyiv will fall." Zelensky disagreed.'
    start = text.index('"')
    end = text.index('."') + 2
    names = {"Kyiv": "Kyiv", "Putin": "Vladimir Putin", "Zelensky": "Volodymyr Zelensky"}
    [para] = flat(paragraphs(text, [(start, end)], names))
    assert ("Putin", None, "Vladimir Putin") in para
    assert ("Kyiv", 0, "Kyiv") in para
    assert ('"', 0, None) in para
    assert "".join(t for t, q, _ in para if q == 0) == '"Kyiv will fall."'
    assert "".join(t for t, _, _ in para) == text


def test_bad_quote_offsets_are_ignored_and_overlaps_dropped():
    text = "abcdefghij"
    assert quote_spans(text, [(None, 3), (5, 50), (-1, 2), (4, 4)]) == []
    assert quote_spans(text, [(0, 5), (3, 8), (6, 9)]) == [(0, 5, 0), (6, 9, 2)]


def test_entity_match_crossing_a_quote_edge_is_dropped():
    text = "John Smith said it."
    assert entity_spans(text, {"John Smith": "John Smith"}, [(5, 15, 0)]) == []
    assert entity_spans(text, {"John Smith": "J"}, [(0, 15, 0)]) == [(0, 10, "J")]
    assert entity_spans(text, {"John Smith": "J"}, [(11, 15, 0)]) == [(0, 10, "J")]


def test_entities_match_whole_words_case_insensitively_longest_first():
    text = "Russia and Russians; the russian president, Putinism."
    names = {"Russia": "Russia", "Putin": "Vladimir Putin", "the Russian president": "VP"}
    spans = entity_spans(text, names)
    assert [(text[s:e], n) for s, e, n in spans] == [
        ("Russia", "Russia"),
        ("the russian president", "VP"),
    ]


def test_names_with_regex_characters_are_literal():
    pattern = names_pattern(["A.B (C)", "x+y"])
    assert pattern.search("see A.B (C) here") and not pattern.search("AxB (C)")


def test_snippet_marks_only_query_words():
    terms = query_terms("kyiv drone*")
    pieces = snippet_segments("[Kýiv] said [sic] the [drones] hit [Moscow]", terms)
    assert pieces == [
        ["Kýiv", True],
        [" said [sic] the ", False],
        ["drones", True],
        [" hit [Moscow]", False],
    ]


def test_snippet_markup_stays_text():
    pieces = snippet_segments("<script>alert(1)</script> [x]", query_terms("x"))
    assert pieces == [["<script>alert(1)</script> ", False], ["x", True]]


def test_date_to_includes_the_whole_day_and_values_are_bound():
    where, values = DocumentFilter(date_to="2023-05-03", outlet="x' OR 1=1").where(set())
    assert "x' OR" not in where and values == ["2023-05-03~", "x' OR 1=1"]
    assert values[0] >= "2023-05-03T10:00"


def test_entity_filter_without_extraction_matches_nothing():
    where, values = DocumentFilter(entity="k").where(set())
    assert "1 = 0" in where and values == []


def test_bucket_fills_days_and_switches_to_months():
    days, unit = bucket([{"day": "2024-01-01", "n": 2}, {"day": "2024-01-04", "n": 1}])
    assert unit == "day"
    assert days == [("2024-01-01", 2), ("2024-01-02", 0), ("2024-01-03", 0), ("2024-01-04", 1)]
    months, unit = bucket([{"day": "2023-11-30", "n": 1}, {"day": "2024-06-01", "n": 3},
                           {"day": "bad", "n": 9}])  # fmt: skip
    assert unit == "month" and len(months) == 8
    assert months[0] == ("2023-11", 1) and months[-1] == ("2024-06", 3)


def test_bar_chart_heights_are_proportional():
    chart = bar_chart([{"day": "2024-01-01", "n": 4}, {"day": "2024-01-02", "n": 2}], height=104)
    assert [b.h for b in chart.bars] == [100, 50]
    assert chart.peak == 4 and bar_chart([]).bars == []


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a", True),
        ("http://x.y", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example", False),
        (None, False),
    ],
)
def test_only_web_urls_are_linked(url, linked):
    assert (web_url(url) is not None) == linked


def test_path_part_escapes_slashes_and_query_characters():
    assert path_part("PERSON:a/b?c#d e") == "PERSON%3Aa%2Fb%3Fc%23d%20e"


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert allowed_hosts("0.0.0.0") == ["*"]
    assert "192.168.1.4" in allowed_hosts("192.168.1.4")


def test_two_step_sqlite_search_returns_the_one_statement_hits(corpus):
    """The one search (queries.search -> queries.run) ranks first and builds snippets
    for the top hits only; its hits, order, scores and snippets must be what the single
    statement (rank and snippet every match, then sort) gives."""
    from presstrace.store import open_store
    from presstrace.store.queries import hits, search
    from presstrace.store.queries.query_language import fts5_match, parse

    store = open_store(corpus["db"])
    try:
        for q in ("Kremlin", "Putin drone*", "harbour", "nothing-like-this", "said"):
            for limit in (1, 3, 50):
                one = store.sql(
                    "SELECT d.id, snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snip, "
                    "bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts "
                    "JOIN documents d ON d.rowid = documents_fts.rowid "
                    "WHERE documents_fts MATCH ? AND d.duplicate_of IS NULL "  # copies collapsed
                    "ORDER BY score LIMIT ?",
                    [fts5_match(parse(q).text), limit],
                )
                mine = [(h.id, round(h.score, 9), h.snippet) for h in hits(store, q, limit)]
                assert mine == [(r["id"], round(r["score"], 9), r["snip"]) for r in one], q
                assert [h["id"] for h in search(store, q, limit)] == [r["id"] for r in one]
        assert search(store, "Kremlin", 2)
        assert hits(store, "Kremlin", 50, language="en")
        assert not hits(store, "Kremlin", 50, language="xx")  # no document in that language
    finally:
        store.close()


def test_narrative_prefilter_matches_stored_json():
    """The label is looked for as Document.to_json writes it: non-ASCII kept, quotes
    escaped, LIKE wildcards escaped."""
    _, values = DocumentFilter(narrative='El País "50%_"').where(set())
    assert values == ['%El País \\\\"50\\%\\_\\\\"%']
