"""Downloads, the places map and the outlet view (issue 16) in the real headless Chromium,
and the hostile corpus through every new page and parameter (CSP bypassed, as in
test_browser.py, so that escaping itself is what is checked)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from .conftest import PLACE_NAME, XSS_OUTLET, assert_inert, shot


def download(page, link) -> tuple[bytes, str]:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return open(path, "rb").read(), info.value.suggested_filename


def test_downloads_hold_the_list_shown(page, live, corpus, artifacts):
    page.goto(live.url + "/documents?outlet=Express")
    shown = page.locator("table.docs tbody tr").count()
    assert shown == 2
    link = page.locator('a.download[data-table="documents"][data-format="csv"]')
    body, name = download(page, link)
    assert name == "presstrace-documents-outlet-Express.csv"  # the filters name the file
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == shown and {r["outlet"] for r in rows} == {"Express"}
    shot(page, artifacts, "16b-01-documents-downloads")

    page.goto(live.url + "/search?q=Keller")
    hits = page.locator("ol.hits > li").count()
    body, name = download(page, page.locator('a.download[data-table="quotes"][data-format="json"]'))
    assert name == "presstrace-quotes-Keller.json"
    quotes = json.loads(body)
    assert quotes and all(q["doc_id"] for q in quotes)
    body, _ = download(page, page.locator('a.download[data-table="documents"][data-format="json"]'))
    assert len(json.loads(body)) == hits
    shot(page, artifacts, "16b-02-search-downloads")
    assert_inert(page)


def test_map_dots_are_sized_and_link_to_the_search(page, live, artifacts):
    page.goto(live.url + "/map")
    dots = page.locator("figure.map a.place circle")
    assert dots.count() >= 1
    radii = [float(r) for r in dots.evaluate_all("els => els.map(e => e.getAttribute('r'))")]
    assert radii == sorted(radii, reverse=True)  # biggest first, small ones on top
    shot(page, artifacts, "16b-03-map-corpus")
    page.goto(live.url + "/map?q=Keller")
    assert "selected by" in page.locator("#place-count").inner_text()
    port = page.locator("figure.map a.place", has=page.locator("title", has_text="Royal"))
    assert port.count() == 1
    shot(page, artifacts, "16b-04-map-query")
    assert_inert(page)
    port.locator("circle").click()
    page.wait_for_url("**/search?q=*")
    assert page.locator("form.filters input[name=q]").input_value() == PLACE_NAME
    assert_inert(page)


def test_outlet_view_from_the_overview_to_who_copies_it(page, live, corpus, artifacts):
    page.goto(live.url + "/")
    page.locator("ol.top-outlets a", has_text="Express").click()
    assert page.url.endswith("/outlets/Express")
    assert page.locator("#outlet-name").inner_text() == "Express"
    assert page.locator("table.per-month tbody tr").count() == 2
    assert page.locator("section.top-entities li a").count() > 0
    shot(page, artifacts, "16b-05-outlet-express")
    page.goto(live.url + "/outlets")
    assert page.locator("table.outlets tbody tr").count() >= 4
    shot(page, artifacts, "16b-06-outlets")
    page.locator("table.outlets a", has_text="Harbour").click()
    assert page.locator("#outlet-name").inner_text() == XSS_OUTLET  # shown, as text
    page.locator("section.copies-from a").first.click()
    assert page.locator("section.copied-by a", has_text="Harbour").count() == 1
    shot(page, artifacts, "16b-07-outlet-copied-by")
    assert_inert(page)


def test_new_pages_and_parameters_run_no_script(page, live, corpus):
    payload = "<script>alert('q')</script><img src=x onerror=alert(1)>"
    urls = [
        "/outlets", "/outlets/" + quote(XSS_OUTLET, safe=""), "/map",
        "/map?q=" + quote(payload), "/map?outlet=" + quote(payload),
        "/map?q=Keller&language=" + quote("<b>x"), "/outlets/" + quote(payload, safe=""),
        "/search?q=" + quote(payload), "/documents?outlet=" + quote(payload),
        "/entities?q=" + quote(payload) + "&type=" + quote(payload),
        "/documents/" + corpus["reprint"][0],
    ]  # fmt: skip
    for url in urls:
        page.goto(live.url + url)
        assert_inert(page)
        for href in page.locator("a.download").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        ):
            assert href.startswith("/api/export?") and "<" not in href
