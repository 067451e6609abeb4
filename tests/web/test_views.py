"""The outlet view and the places map (issue 16) over HTTP: the API's JSON and the pages,
on the live server over the web tests' real store."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from .conftest import PLACE_KEY, PLACE_NAME, XSS_OUTLET


def test_outlets_list_counts_documents(http, corpus):
    body = http.get("/api/outlets").json()
    counts = {o["outlet"]: o["documents"] for o in body["items"]}
    assert counts["Express"] == 2 and counts[XSS_OUTLET] == 1
    assert not any("://" in name or name.endswith(":") for name in counts)
    total = len(corpus["examples"]) + len(corpus["hostile"]) + 1
    assert sum(counts.values()) + body["unnamed"] == total


def test_outlet_view_reads_the_copy_graph_both_ways(http, corpus):
    """The reprint (outlet XSS_OUTLET) copies a Telegraph article: the Telegraph is copied
    by it, and it copies the Telegraph."""
    original = http.get(f"/api/documents/{corpus['original'][0]}").json()["outlet"]
    copier = http.get("/api/outlets/" + quote(XSS_OUTLET, safe="")).json()
    assert copier["documents"] == 1
    assert copier["copies_from"] == [{"outlet": original, "copies": 1, "self": False}]
    assert copier["copied_by"] == []
    copied = http.get("/api/outlets/" + quote(original, safe="")).json()
    assert {"outlet": XSS_OUTLET, "copies": 1, "self": False} in copied["copied_by"]
    express = http.get("/api/outlets/Express").json()
    assert sum(m["n"] for m in express["per_month"]) == 2
    assert express["top_entities"] and express["languages"] == [{"language": "en", "n": 2}]
    assert http.get("/api/outlets/No Such Outlet").status_code == 404


def test_places_are_geojson_points_for_a_query(http, corpus):
    everything = http.get("/api/places").json()
    assert everything["type"] == "FeatureCollection" and everything["documents"] is None
    port = next(f for f in everything["features"] if f["properties"]["key"] == PLACE_KEY)
    assert port["geometry"] == {"type": "Point", "coordinates": [-1.88, 50.72]}  # lon, lat
    found = http.get("/api/places", params={"q": "Keller"}).json()
    hits = http.get("/api/search", params={"q": "Keller", "limit": 200}).json()["hits"]
    assert found["documents"] == len(hits)
    port = next(f for f in found["features"] if f["properties"]["key"] == PLACE_KEY)
    hostile_hits = {h["id"] for h in hits} & set(corpus["hostile"])
    assert port["properties"]["documents"] == len(hostile_hits) >= 1
    assert port["properties"]["mentions"] == 3 * len(hostile_hits)
    nothing = http.get("/api/places", params={"q": "zzzqqqxxx"}).json()
    assert nothing["features"] == [] and nothing["documents"] == 0
    assert http.get("/api/places", params={"limit": 0}).status_code == 422


def test_map_page_dots_link_to_the_search_for_the_place(http):
    page = http.get("/map", params={"q": "Keller"}).text
    links = [html.unescape(u) for u in re.findall(r'<a class="place" href="([^"]+)"', page)]
    assert "/search?q=" + quote(PLACE_NAME, safe="").replace("%20", "+") in links
    assert "<circle" in page and "<script>" not in page.split("<main>")[1]
    assert "<img" not in page and PLACE_NAME in html.unescape(page)  # shown, as text


def test_outlet_page_escapes_and_links(http):
    page = http.get("/outlets/" + quote(XSS_OUTLET, safe="")).text
    assert "<script>window" not in page and XSS_OUTLET in html.unescape(page)
    assert 'href="/outlets/The%20Telegraph"' in page
