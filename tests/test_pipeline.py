"""The stages wired together (pipeline.build_document / ingest) on real inputs of each kind."""

from __future__ import annotations

import gzip
import json
import sys

import pytest
from conftest import EXAMPLES, needs_shared
from ingest.helpers import Route, warc_record

from presstrace.ingest import read_inputs
from presstrace.pipeline import build_document, ingest
from presstrace.store import open_store


def build_all(*specs):
    return [build_document(raw) for raw in read_inputs([str(s) for s in specs])]


def dev_case(name: str):
    root = needs_shared("data", "trafilatura-eval")
    for line in (root / "cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        if name in case["file"]:
            return case, gzip.decompress((root / case["file"]).read_bytes())
    raise LookupError(name)


def test_html_page_gets_body_title_and_its_own_date(tmp_path):
    case, html = dev_case("abc7news.com-Napa.html")
    page = tmp_path / "napa.html"
    page.write_bytes(html)
    [doc] = build_all(page)
    assert doc.kind == "html"
    text = " ".join(doc.text.split())
    assert all(" ".join(s.split()) in text for s in case["with"])
    assert not any(" ".join(s.split()) in text for s in case["without"])
    assert doc.published.date == case["date"] == "2023-11-09"
    assert doc.published.evidence
    assert doc.title.startswith("Napa Co. enters exclusive agreement")
    assert any(r.reason == "html-outside-main" for r in doc.removed)


def test_container_fields_are_evidence(tmp_path):
    body = (EXAMPLES / "003_2b6e72d109a666f1.txt").read_text()
    record = {"headline": "Russia is now virtually defenseless", "body": body,
              "published_at": "2023-05-26", "url": "https://www.telegraph.co.uk/x"}  # fmt: skip
    path = tmp_path / "scrape.jsonl"
    path.write_text(json.dumps(record) + "\n")
    [doc] = build_all(path)
    assert doc.title == "Russia is now virtually defenseless"
    assert doc.published.date == "2023-05-26"
    assert doc.url == "https://www.telegraph.co.uk/x"
    assert doc.source == f"{path}#1"


def test_warc_crawl_date_bounds_the_date_but_is_not_it(tmp_path):
    body = (EXAMPLES / "002_91d17899cd8f08ab.txt").read_text()
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    page = f"<html><body><article><h1>Putin in trouble</h1>{paragraphs}</article></body></html>"
    path = tmp_path / "crawl.warc"
    path.write_bytes(
        warc_record("https://news.example/a", page.encode(), date="2024-03-01T00:00:00Z")
    )
    [doc] = build_all(path)
    assert doc.published.date is not None
    assert "2023-08-01" <= doc.published.date <= "2023-08-06"  # "Tuesday (August 1)" wins


def test_url_ingest_through_the_pipeline(server, tmp_path):
    article = (EXAMPLES / "001_5d58ceaa563ee3a5.txt").read_bytes()
    server.routes["/news/zygar"] = Route(200, article, "text/plain; charset=utf-8")
    server.routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
    server.routes["/private/a"] = Route(200, article, "text/plain")
    store = open_store(str(tmp_path / "s.db"))
    failures = []
    report = ingest(
        [server.url("/news/zygar"), server.url("/private/a"), server.url("/gone")],
        store,
        on_failure=failures.append,
    )
    assert report.added == 1
    assert sorted(f.reason for f in failures) == ["HTTP 404", "disallowed by robots.txt"]
    [doc] = list(store.iter_documents())
    assert doc.title.startswith("Putin’s inner circle revolt")
    assert doc.outlet == "Express"


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_parallel_ingest_reports_the_same_failures(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    menu = tmp_path / "menu.html"
    menu.write_text("<html><body><nav>" + "<a href='/'>Home</a>" * 20 + "</nav></body></html>")
    results = []
    for jobs in (1, 2):
        store = open_store(str(tmp_path / f"s{jobs}.db"))
        report = ingest([str(EXAMPLES), str(empty), str(menu)], store, jobs=jobs)
        results.append((report.added, sorted((f.source, f.reason) for f in report.failures)))
    assert results[0] == results[1]
    assert results[0][0] == 5 and len(results[0][1]) == 2
