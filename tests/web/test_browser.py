"""The pages in a real headless Chromium: the analyst's path through the UI, and the hostile
corpus, which must run no script.

The XSS checks run with the Content-Security-Policy bypassed: the CSP would stop inline
script even if an escape were missing, so only with it off do these tests check escaping
itself. A separate test checks that the CSP blocks script when escaping is bypassed too.
"""

from __future__ import annotations

from urllib.parse import quote

from presstrace.report import build_report
from presstrace.store import open_store

from .conftest import ENTITY_KEY, NARRATIVE, assert_inert, shot


def test_overview_document_search_entity(page, live, corpus, artifacts):
    page.goto(live.url + "/")
    total = len(corpus["examples"]) + len(corpus["hostile"]) + 1
    assert page.locator("#count-documents").inner_text() == str(total)
    assert page.locator("figure.chart rect.bar").count() > 0
    assert page.locator("ol.top-outlets li").first.inner_text().startswith("Express")
    shot(page, artifacts, "01-overview")

    page.locator("nav a", has_text="documents").click()
    page.locator("table.docs a").first.click()
    assert page.url.startswith(live.url + "/documents/")
    assert page.locator("section.text p").count() > 1
    page.locator("details.removed summary").click()
    shot(page, artifacts, "02-document")

    page.fill("form.search input[name=q]", "Kremlin")
    page.click("form.search button")
    assert "/search?q=Kremlin" in page.url
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert marks and all(m.lower() == "kremlin" for m in marks)
    shot(page, artifacts, "03-search")

    page.locator("ol.hits a").first.click()
    assert page.locator("#doc-title").inner_text()

    page.goto(live.url + "/")
    page.locator("ol.top-entities a").first.click()
    assert "/entities/" in page.url
    assert page.locator("#entity-name").inner_text()
    assert page.locator("section.co-mentioned").count() == 1
    shot(page, artifacts, "04-entity")
    assert_inert(page)


def test_document_page_marks_quotes_and_entities(page, live, corpus, artifacts):
    doc_id = corpus["hostile"][0]
    page.goto(f"{live.url}/documents/{doc_id}")
    assert page.locator("mark.quote").first.inner_text().startswith("Mayor Anna Keller")
    entity_links = page.locator("section.text a.ent")
    assert entity_links.count() >= 1
    entity_links.first.click()
    assert page.url.endswith("/entities/" + quote(ENTITY_KEY, safe=""))
    assert "<script>" in page.locator("#entity-name").inner_text()  # shown, as text
    assert page.locator("section.quotes-by blockquote").count() == 1
    assert page.locator("section.quotes-about blockquote").count() >= 1
    shot(page, artifacts, "05-entity-hostile")
    assert_inert(page)


def test_story_page_has_a_timeline(page, live, corpus, artifacts):
    page.goto(live.url + "/stories")
    page.locator("table.groups a").first.click()
    assert page.url.endswith("/stories/" + corpus["story"])
    assert "<script>" in page.locator("#group-label").inner_text()  # the hostile label, as text
    assert page.locator("figure.chart rect.bar").count() >= 2
    assert page.locator("table.docs tbody tr").count() == len(corpus["story_docs"])
    facts = page.locator("p.timeline-facts").inner_text()
    assert f"{len(corpus['story_docs'])} articles" in facts
    shot(page, artifacts, "06-story")
    assert_inert(page)


def test_thread_narrative_and_document_pages(page, live, corpus, artifacts):
    page.goto(live.url + "/threads")
    page.locator("table.groups a").first.click()
    assert page.url.endswith("/threads/" + quote(corpus["thread"], safe=""))
    assert page.locator("section.thread-evidence blockquote").count() >= 1
    assert page.locator("ol.outlet-order li").count() >= 1
    shot(page, artifacts, "10-thread")
    page.locator("table.docs a").first.click()
    assert page.locator("dd.thread a").inner_text()  # the document names its thread
    assert page.locator("dd.story a").count() == 1
    page.goto(live.url + "/narratives")
    page.locator("table.narratives a", has_text=NARRATIVE).click()
    assert page.locator("#narrative-label").inner_text() == NARRATIVE
    evidence = page.locator("ol.labelled-docs blockquote.evidence").all_inner_texts()
    assert len(evidence) == 2 and all("<script>" in e for e in evidence)  # shown, as text
    shot(page, artifacts, "11-narrative")
    assert_inert(page)
    page.locator("ol.labelled-docs a").first.click()
    labels = page.locator("dd.narratives a").all_inner_texts()
    assert NARRATIVE in labels
    assert_inert(page)


def test_hostile_corpus_runs_no_script(page, live, corpus, artifacts):
    urls = ["/", "/documents", "/entities", "/stories", "/threads", "/narratives",
            f"/stories/{quote(corpus['story'], safe='')}",
            f"/narratives/{quote(NARRATIVE, safe='')}",
            f"/entities/{quote(ENTITY_KEY, safe='')}", "/search?q=bridge",
            "/search?q=" + quote("<script>alert('q')</script> harbour"),
            "/documents?outlet=" + quote("<img src=x onerror=alert(1)>"),
            "/no-such-page<script>alert(1)</script>"]  # fmt: skip
    urls += [f"/documents/{doc_id}" for doc_id in corpus["hostile"]]
    seen_payload = 0
    for url in urls:
        page.goto(live.url + url)
        assert_inert(page)
        text = page.locator("body").inner_text()
        seen_payload += "<script>" in text or "onerror=" in text
    assert seen_payload >= len(corpus["hostile"])  # the payloads reached the pages, as text
    page.goto(f"{live.url}/documents/{corpus['hostile'][-1]}")
    shot(page, artifacts, "07-hostile-document")


def test_csp_blocks_script_even_when_escaping_is_bypassed(browser, live):
    """With the CSP in force, script injected into the DOM directly does not run."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live.url + "/")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = "window.__pwned = 'csp'";
        document.body.appendChild(s);
        document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__pwned=1">');
    }""")
    page.wait_for_timeout(150)
    assert page.evaluate("() => window.__pwned === undefined")
    context.close()


def test_report_opens_offline_and_runs_no_script(browser, corpus, tmp_path, artifacts):
    store = open_store(corpus["db"])
    try:
        path = tmp_path / "report.html"
        path.write_text(build_report(store), encoding="utf-8")
    finally:
        store.close()
    context = browser.new_context(bypass_csp=True, offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    assert_inert(page)
    assert requests == [path.as_uri()]  # nothing fetched beyond the file itself
    assert page.locator("figure.chart rect.bar").count() > 0
    assert page.locator(".report-stories .report-group").count() == min(10, corpus["stories"])
    assert page.locator(".report-threads .report-group").count() == min(10, corpus["threads"])
    assert page.locator(".report-narratives .report-group").count() >= 1
    assert page.locator(".report-narratives").inner_text().count(NARRATIVE) >= 1
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"  # CSS applied
    shot(page, artifacts, "08-report")
    context.close()


def test_document_page_links_its_copies(page, live, corpus, artifacts):
    [reprint], [original] = corpus["reprint"], corpus["original"]
    page.goto(f"{live.url}/documents/{original}")
    page.locator("ul.copy-list a").first.click()
    assert page.url.endswith(f"/documents/{reprint}")
    assert page.locator("section.copies p").first.inner_text().startswith("A copy of")
    shot(page, artifacts, "09-copy")
