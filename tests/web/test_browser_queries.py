"""The query language, facets and the comparison chart in a real headless Chromium, and
every new parameter and field fed hostile text (escaping checked with the CSP bypassed,
as in test_browser.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from .conftest import assert_inert, shot

SHOTS = "16a"


VIEWPORT = {"width": 1280, "height": 900}  # the page fixture's (tests/web/conftest.py)


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def test_search_with_the_query_language_and_clickable_facets(page, live, http, artifacts):
    page.goto(live.url + "/search")
    page.fill("form.query input[name=q]", "putin OR kremlin")
    page.click("form.query button")
    api = http.get("/api/search", params={"q": "putin OR kremlin"}).json()
    assert total(page) == api["total"] > 0
    assert page.locator("ol.hits > li").count() == api["total"]
    assert page.locator("aside.facets section[data-facet=language] li").count() >= 1
    shot(page, artifacts, f"{SHOTS}-01-search-facets")
    express = page.locator("aside.facets section[data-facet=outlet] a", has_text="Express")
    expected = int(express.locator("xpath=../span[@class='n']").inner_text())
    express.click()
    q = parse_qs(urlsplit(page.url).query)["q"][0]
    assert q == "putin OR kremlin outlet:Express"  # a shareable URL: the filter is in q
    assert total(page) == expected
    assert page.locator("form.query input[name=q]").input_value() == q
    page.goto(live.url + "/search?q=" + quote('"the city" -kremlin'))
    for item in page.locator("ol.hits p.snippet").all_inner_texts():
        assert "kremlin" not in item.lower()
    page.goto(live.url + "/search?q=" + quote('"peace talks'))
    assert page.locator("#query-error").inner_text() == "unclosed quote (column 1)"
    shot(page, artifacts, f"{SHOTS}-02-query-error")
    assert_inert(page)


def test_documents_list_collapses_copies_and_narrows_by_month(page, live, corpus, artifacts):
    page.goto(live.url + "/documents")
    everything = len(corpus["examples"]) + len(corpus["hostile"]) + 1
    assert total(page) == everything - 1  # the reprint is counted under its original
    assert page.locator("a.copies").inner_text() == "+1 copy"
    shot(page, artifacts, f"{SHOTS}-03-documents-facets")
    month = page.locator("aside.facets section[data-facet=month] a").first
    expected = int(month.locator("xpath=../span[@class='n']").inner_text())
    month.click()
    q = parse_qs(urlsplit(page.url).query)["q"][0]
    assert q.startswith("after:") and " before:" in q
    assert total(page) == expected
    page.goto(live.url + "/documents?copies=true")
    assert total(page) == everything
    assert_inert(page)


def test_comparison_chart_bars_link_to_their_documents(page, live, http, artifacts):
    page.goto(live.url + "/timeline")
    page.fill("form.query input[name=q]", "putin")
    page.fill("form.query input[name=compare]", "kremlin")
    page.select_option("select[name=by]", "month")
    page.click("form.query button")
    found = http.get("/api/timeline", params={"q": "putin", "compare": "kremlin",
                                              "by": "month"}).json()  # fmt: skip
    assert page.locator("figure.compare rect.series-0").count() == len(found["buckets"])
    assert page.locator("figure.compare rect.series-1").count() == len(found["buckets"])
    assert page.locator("ul.series a").all_inner_texts() == ["putin", "kremlin"]
    shot(page, artifacts, f"{SHOTS}-04-compare-chart")
    bar = page.locator("figure.compare rect.series-1:not([data-n='0'])").first
    n = int(bar.get_attribute("data-n"))
    bar.click()
    assert urlsplit(page.url).path == "/search"
    q = parse_qs(urlsplit(page.url).query)["q"][0]
    assert q.startswith("kremlin after:") and " before:" in q
    assert total(page) == n
    assert_inert(page)


PAYLOAD = "<script>window.__pwned='q'</script><img src=x onerror=\"window.__pwned=1\">"


def test_new_parameters_and_fields_run_no_script(page, live, corpus):
    evil = quote(PAYLOAD)
    urls = [
        f"/search?q={evil}", f"/search?q=bridge+{evil}", f"/search?q=%22{evil}",
        f"/search?q=outlet:%22{evil}%22", f"/search?q=entity:%22{evil}%22",
        f"/search?q=narrative:%22{evil}%22+bridge", f"/search?q=bridge&sort={evil}",
        f"/documents?q={evil}", f"/documents?q=outlet:%22{evil}%22", f"/documents?q=%22{evil}",
        f"/timeline?q={evil}", f"/timeline?q=bridge&compare={evil}",
        f"/timeline?q=bridge&compare=%22{evil}", f"/timeline?q=bridge&by={evil}",
        "/search?q=bridge", "/search?q=keller", "/documents", "/timeline?q=bridge&compare=harbour",
    ]  # fmt: skip
    shown = 0
    for url in urls:
        page.goto(live.url + url)
        assert_inert(page)
        shown += "<script>" in page.locator("body").inner_text()
    assert shown >= 8  # the payloads reached the pages, as text
