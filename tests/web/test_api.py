"""The REST API over HTTP, against a real uvicorn server on a real, ingested store."""

from __future__ import annotations

import httpx
import pytest

from presstrace.store import open_store

from .conftest import ENTITY_KEY, NARRATIVE, XSS_EVIDENCE, XSS_QUOTE


def test_stats_counts_what_was_ingested(http, corpus):
    body = http.get("/api/stats").json()
    assert body["counts"]["documents"] == len(corpus["examples"]) + len(corpus["hostile"]) + 1
    assert body["counts"]["stories"] == corpus["stories"] > 1
    assert body["counts"]["threads"] == corpus["threads"] >= 1
    assert body["outlets"]["Express"] == 2
    assert sum(day["n"] for day in body["per_day"]) == body["counts"]["dated"]


def test_documents_are_paginated_newest_first(http, corpus):
    total = len(corpus["examples"]) + len(corpus["hostile"]) + 1
    collapsed = http.get("/api/documents").json()  # the reprint counted under its original
    assert collapsed["total"] == total - 1 and collapsed["copies"] == "collapsed"
    assert corpus["reprint"][0] not in {d["id"] for d in collapsed["items"]}
    assert [d["copies"] for d in collapsed["items"] if d["id"] == corpus["original"][0]] == [1]
    first = http.get("/api/documents", params={"limit": 3, "copies": "true"}).json()
    rest = http.get("/api/documents", params={"limit": 50, "offset": 3, "copies": True}).json()
    assert first["total"] == total and len(first["items"]) == 3
    assert len(rest["items"]) == total - 3
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert sorted(ids) == sorted(corpus["examples"] + corpus["hostile"] + corpus["reprint"])
    dates = [d["published_date"] for d in first["items"] + rest["items"] if d["published_date"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"outlet": "Express"}, 2),
        ({"date_from": "2023-04-01", "date_to": "2023-04-30"}, 4),  # the hostile corpus
        ({"date_from": "2023-05-03", "date_to": "2023-05-03"}, 1),
        ({"story": "story"}, "story_docs"),  # the corpus's biggest story and thread
        ({"thread": "thread"}, "thread_docs"),
        ({"narrative": NARRATIVE}, 2),
        ({"entity": ENTITY_KEY}, 4),
        ({"outlet": "x' OR '1'='1"}, 0),  # bound, never formatted into SQL
        ({"narrative": "%"}, 0),  # LIKE wildcards are escaped
    ],
)
def test_document_filters(http, corpus, params, expected):
    params = {k: corpus[v] if k in ("story", "thread") else v for k, v in params.items()}
    if isinstance(expected, str):
        expected = len(corpus[expected])
    body = http.get("/api/documents", params={**params, "copies": "true"}).json()
    assert body["total"] == expected, body
    assert len(body["items"]) == expected


def test_narrative_filter_checks_labels_exactly(http, corpus):
    """The SQL prefilter matches the label as text; a document whose evidence or text
    merely contains it must not be returned."""
    store = open_store(corpus["db"])
    try:
        near = {"label": NARRATIVE + " (not quite)", "score": 0.5, "evidence": [NARRATIVE]}
        store.patch([(corpus["examples"][2], {"narratives": [near]})])
        body = http.get("/api/documents", params={"narrative": NARRATIVE}).json()
    finally:
        store.patch([(corpus["examples"][2], {"narratives": []})])
        store.close()
    assert corpus["examples"][2] not in {d["id"] for d in body["items"]}
    assert body["total"] == 2


def test_one_document_by_id_and_prefix(http, corpus):
    doc_id = corpus["examples"][0]
    full = http.get(f"/api/documents/{doc_id}").json()
    assert full["id"] == doc_id and full["text"] and "removed" in full and "published" in full
    assert http.get(f"/api/documents/{doc_id[:10]}").json()["id"] == doc_id
    assert full["copies"] == [] or all("copy_id" in c for c in full["copies"])


def test_errors_are_json_with_status(http):
    missing = http.get("/api/documents/ffffffffffff")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == 404
    bad = ["/api/documents?limit=0", "/api/documents?limit=100000", "/api/search",
           "/api/documents?date_from=yesterday", "/api/documents?offset=-1"]  # fmt: skip
    for url in bad:
        response = http.get(url)
        assert response.status_code == 422, url
        assert response.json()["error"]["details"], url
    assert http.get("/api/nothing-here").json()["error"]["status"] == 404
    assert http.get("/api/stories/no-such-story").status_code == 404
    assert http.get("/api/entities/no-such-entity").status_code == 404


def test_there_is_no_writing_endpoint(http):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = http.request(method, "/api/documents")
        assert response.status_code == 405, method
        assert response.json()["error"]["status"] == 405


def test_search_highlights_matched_words(http):
    body = http.get("/api/search", params={"q": "Kremlin"}).json()
    assert body["hits"]
    for hit in body["hits"]:
        marked = [piece for piece, matched in hit["snippet"] if matched]
        assert marked and all(piece.lower() == "kremlin" for piece in marked)


def test_search_keeps_article_brackets_as_text(http):
    """The hostile corpus has '[bridge]' in its text: only the store's own marks count."""
    body = http.get("/api/search", params={"q": "autumn"}).json()
    pieces = [p for hit in body["hits"] for p in hit["snippet"]]
    assert any(matched and piece.lower() == "autumn" for piece, matched in pieces)
    assert not any(matched and "bridge" in piece.lower() for piece, matched in pieces)


def test_search_syntax_and_sql_are_just_words(http, corpus):
    for q in ("'; DROP TABLE documents; --", 'kremlin" OR "a', "NEAR(a b)", "\x00", "*"):
        assert http.get("/api/search", params={"q": q}).status_code == 200, q
    total = http.get("/api/stats").json()["counts"]["documents"]
    assert total == len(corpus["examples"]) + len(corpus["hostile"]) + 1


def test_entities_and_quotes(http):
    listing = http.get("/api/entities", params={"q": "keller"}).json()
    assert ENTITY_KEY in [e["key"] for e in listing["items"]]
    entity = http.get(f"/api/entities/{ENTITY_KEY}").json()
    assert entity["aliases"] == ["Anna Keller", "Keller"]
    assert [q["text"] for q in entity["quotes_by"]] == [XSS_QUOTE]
    about = [q["text"] for q in entity["quotes_about"]]
    assert about and all("keller" in text.lower() for text in about)
    assert entity["timeline"]["articles"] == 4 and entity["timeline"]["quotes"] == 1
    by = http.get("/api/quotes", params={"speaker": ENTITY_KEY}).json()
    assert by["total"] == 1 and by["items"][0]["direct"] is True


def test_stories_and_threads(http, corpus):
    stories = http.get("/api/stories").json()
    assert stories["total"] == corpus["stories"]
    top = stories["items"][0]
    assert top["id"] == corpus["story"] and top["documents"] == len(corpus["story_docs"])
    assert top["label"] and top["first"] <= top["last"]
    story = http.get(f"/api/stories/{corpus['story']}").json()
    assert sorted(d["id"] for d in story["documents"]) == sorted(corpus["story_docs"])
    dates = sorted(d["published_date"][:10] for d in story["documents"] if d["published_date"])
    assert (story["first"][:10], story["last"][:10]) == (dates[0], dates[-1])
    line = story["timeline"]
    assert line["articles"] == len(corpus["story_docs"]) == line["dated"] + line["undated"]
    assert sum(b["articles"] for b in line["buckets"]) == line["dated"]
    assert line["first"]["published_date"][:10] == dates[0]
    threads = http.get("/api/threads").json()
    assert threads["items"][0]["id"] == corpus["thread"] and threads["items"][0]["label"]
    thread = http.get(f"/api/threads/{corpus['thread']}").json()
    assert sorted(d["id"] for d in thread["documents"]) == sorted(corpus["thread_docs"])
    assert thread["evidence"] and all(
        e["doc_id"] in corpus["thread_docs"] and e["sentence"] for e in thread["evidence"]
    )
    firsts = [o["first_date"] or "~" for o in thread["outlets"]]
    assert thread["outlets"] and firsts == sorted(firsts)


def test_timeline_endpoint(http, corpus):
    whole = http.get("/api/timeline", params={"by": "month"}).json()
    stats = http.get("/api/stats").json()
    assert whole["kind"] == "corpus" and whole["by"] == "month"
    assert whole["articles"] == stats["counts"]["documents"]
    assert whole["dated"] == stats["counts"]["dated"] == sum(p["n"] for p in stats["per_day"])
    assert all(b["start"].endswith("-01") for b in whole["buckets"])
    story = http.get("/api/timeline", params={"story": corpus["story"], "by": "day"}).json()
    assert story["kind"] == "story" and story["articles"] == len(corpus["story_docs"])
    assert story["outlets"] is not None
    person = http.get("/api/timeline", params={"entity": ENTITY_KEY}).json()
    assert person["articles"] == 4 and person["quotes"] == 1  # the quote it made
    label = http.get("/api/timeline", params={"narrative": NARRATIVE}).json()
    assert label["articles"] == 2
    assert http.get("/api/timeline", params={"story": "nope"}).status_code == 404
    both = http.get("/api/timeline", params={"story": "a", "thread": "b"})
    assert both.status_code == 422
    assert http.get("/api/timeline", params={"by": "year"}).status_code == 422


def test_narratives_endpoints(http, corpus):
    listing = http.get("/api/narratives").json()
    assert listing["computed"]
    counts = {n["label"]: n["documents"] for n in listing["items"]}
    assert counts[NARRATIVE] == 2
    for item in listing["items"]:
        if item["parent"]:  # a sub-narrative's parent label is in the list too
            assert item["parent"] in counts
    one = http.get(f"/api/narratives/{NARRATIVE}").json()
    assert one["total"] == 2
    assert sorted(d["id"] for d in one["items"]) == sorted(corpus["examples"][:2])
    assert all(d["evidence"] == [XSS_EVIDENCE] for d in one["items"])
    assert one["timeline"]["articles"] == 2
    assert http.get("/api/narratives/no such label").status_code == 404
    page = http.get("/documents").text  # the filter offers the labels (HTML-escaped)
    offered = page.split('<datalist id="narrative-labels">')[1].split("</datalist>")[0]
    assert offered.count("<option value=") == len(counts) and f'"{NARRATIVE}"' in offered
    doc = http.get(f"/api/documents/{corpus['examples'][0]}").json()
    assert NARRATIVE in [n["label"] for n in doc["narrative_labels"]]
    assert doc["story"]["id"] == doc["story_id"] and doc["story"]["size"] >= 1


def test_openapi_schema_lists_the_endpoints(http):
    paths = http.get("/api/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/search", "/api/entities",
                 "/api/quotes", "/api/stories", "/api/threads", "/api/stats",
                 "/api/timeline", "/api/narratives", "/api/narratives/{label}"):  # fmt: skip
        assert path in paths, path


def test_security_headers_on_every_response(http):
    for url in ("/", "/api/stats", "/api/documents/ffffffffffff", "/static/style.css"):
        headers = http.get(url).headers
        assert "script-src" not in headers["content-security-policy"]  # default-src 'none'
        assert headers["content-security-policy"].startswith("default-src 'none'")
        assert headers["x-content-type-options"] == "nosniff"


def test_foreign_host_header_is_refused(live):
    """A DNS-rebinding page reaches the server under its own host name: refused."""
    response = httpx.get(f"{live.url}/api/stats", headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_copies_from_the_dedup_stage(http, corpus):
    """The reprint of an example is found by the real copies step and shown both ways."""
    [reprint], [original] = corpus["reprint"], corpus["original"]
    copy = http.get(f"/api/documents/{reprint}").json()
    assert copy["copy_of"]["canonical_id"] == original
    assert copy["duplicate_of"] == original
    canonical = http.get(f"/api/documents/{original}").json()
    assert canonical["copy_of"] is None
    assert [c["copy_id"] for c in canonical["copies"]] == [reprint]


def test_search_page_offers_more_hits(http):
    first = http.get("/search", params={"q": "Putin", "limit": 2})
    assert first.text.count('<li><a href="/documents/') == 2
    assert "offset=2&amp;limit=2" in first.text  # the pager's next page
    more = http.get("/search", params={"q": "Putin", "limit": 2, "offset": 2})
    assert more.text.count('<li><a href="/documents/') >= 1
    assert more.text.split('<ol class="hits" start="')[1].startswith("3")
