"""The query language through the API: totals and facets, copies collapsed, timelines of
any query, malformed queries and unknown parameters answered with a 422 that says what is
wrong (never a 500)."""

from __future__ import annotations

import pytest


def test_search_gives_total_items_and_facets(http):
    body = http.get("/api/search", params={"q": "putin OR kremlin"}).json()
    assert body["total"] == len(body["items"]) == len(body["hits"]) > 0
    assert body["copies"] == "collapsed"
    languages = body["facets"]["language"]["values"]
    assert sum(v["n"] for v in languages) == body["total"]
    one = body["facets"]["outlet"]["values"][0]
    narrowed = http.get("/api/search", params={"q": f"putin OR kremlin {one['filter']}"}).json()
    assert narrowed["total"] == one["n"]
    bare = http.get("/api/search", params={"q": "kremlin", "facets": "false"}).json()
    assert bare["facets"] == {}


def test_documents_take_the_query_language_and_parameters_alike(http):
    by_param = http.get("/api/documents", params={"outlet": "Express"}).json()
    by_query = http.get("/api/documents", params={"q": "outlet:express"}).json()
    assert by_param["total"] == by_query["total"] == 2
    assert {i["id"] for i in by_param["items"]} == {i["id"] for i in by_query["items"]}
    oldest = http.get("/api/documents", params={"sort": "oldest"}).json()["items"]
    dates = [i["published_date"] for i in oldest if i["published_date"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/documents?langauge=de", "langauge"),
        ("/api/documents?language=en&lang=de", "lang"),
        ("/api/search?q=putin&qq=1", "qq"),
        ("/api/stats?verbose=1", "verbose"),
        ("/api/timeline?q=putin&compare_to=kremlin", "compare_to"),
        ("/api/entities?name=putin", "name"),
        ("/api/stories?sort=size", "sort"),
    ],
)
def test_unknown_parameters_are_a_422_naming_them(http, url, name):
    response = http.get(url)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert f"unknown query parameter {name!r}" in message and "takes:" in message


@pytest.mark.parametrize(
    "q",
    ['"unclosed', "(putin", "putin)", "OR", "putin OR", "after:someday", "has:pictures",
     "nosuchfield:x", "putin OR -kremlin", "(lang:de OR x)", "()", "x" * 2001],
)
def test_malformed_queries_are_422_everywhere(http, q):
    asks = [("/api/search", {"q": q}), ("/api/documents", {"q": q}),
            ("/api/timeline", {"q": q}), ("/api/timeline", {"q": "x", "compare": q})]
    for url, params in asks:
        response = http.get(url, params=params)
        assert response.status_code == 422, (url, q, response.text)
        assert response.json()["error"]["message"], (url, q)


def test_odd_queries_never_fail(http):
    odd = ["'; DROP TABLE documents; --", 'kremlin" OR "a', "NEAR(a b)", "\x00", "*", "-",
           "---", "a AND b", "NOT NOT", "\\", "'", "!", "&|", ":*", "lang:xx",
           'entity:"a\\"b"', "outlet:'", "story:%", "id:_", "ünïcödé*", "日本語"]
    for q in odd:
        response = http.get("/api/search", params={"q": q})
        assert response.status_code in (200, 422), (q, response.text)
        if q == "NOT NOT":
            assert response.status_code == 422


def test_timeline_of_a_query_compared(http):
    body = http.get("/api/timeline", params={"q": "putin", "compare": "kremlin",
                                             "by": "month"}).json()  # fmt: skip
    assert body["by"] == "month" and [s["query"] for s in body["series"]] == ["putin", "kremlin"]
    busiest = max(body["buckets"], key=lambda b: b["counts"][0])
    linked = http.get("/api/search", params={"q": busiest["links"][0]}).json()
    assert linked["total"] == busiest["counts"][0]
    both = http.get("/api/timeline", params={"q": "putin", "story": "x"})
    assert both.status_code == 422
