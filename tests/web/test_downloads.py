"""CSV/JSON downloads of every list the web UI shows (issue 16), served by /api/export for
the list's own filters, streamed, named by Content-Disposition; on the live server over the
web tests' real store."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from .conftest import ENTITY_KEY, NARRATIVE

LINK = re.compile(r'href="(/api/export\?[^"]*)"')


def links(http, path: str, params: dict | None = None) -> list[str]:
    body = http.get(path, params=params).text
    return [html.unescape(u) for u in LINK.findall(body)]


def rows(http, url: str) -> list[dict]:
    response = http.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert "content-length" not in response.headers  # streamed as it is read
    if "format=csv" in url:
        assert response.headers["content-type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.text)))
    return response.json()


@pytest.mark.parametrize(
    ("path", "params", "tables"),
    [
        ("/", {}, 9),
        ("/documents", {"outlet": "Express"}, 4),
        ("/search", {"q": "Keller"}, 5),
        ("/entities", {"q": "keller"}, 1),
        ("/stories", {}, 1),
        ("/threads", {}, 1),
        ("/narratives", {}, 1),
        ("/narratives/" + NARRATIVE, {}, 2),
        ("/entities/" + ENTITY_KEY, {}, 3),
    ],
)
def test_every_list_offers_csv_and_json_that_download(http, path, params, tables):
    found = links(http, path, params)
    assert len(found) == 2 * tables, found
    for url in found:
        got = rows(http, url)
        assert isinstance(got, list)


def test_a_download_holds_what_the_list_shows(http, corpus):
    shown = http.get("/api/documents", params={"outlet": "Express"}).json()
    csv_url = next(u for u in links(http, "/documents", {"outlet": "Express"})
                   if "table=documents" in u and "format=csv" in u)  # fmt: skip
    got = rows(http, csv_url)
    assert sorted(r["id"] for r in got) == sorted(d["id"] for d in shown["items"])
    assert {r["outlet"] for r in got} == {"Express"}
    hits = http.get("/api/search", params={"q": "Keller", "limit": 200}).json()["hits"]
    json_url = next(u for u in links(http, "/search", {"q": "Keller"})
                    if "table=documents" in u and "format=json" in u)  # fmt: skip
    assert [d["id"] for d in rows(http, json_url)] == [h["id"] for h in hits]


def test_quotes_of_an_entity_and_copies_of_a_document(http, corpus):
    url = next(u for u in links(http, "/entities/" + ENTITY_KEY)
               if "table=quotes" in u and "speaker=" in u and "format=json" in u)  # fmt: skip
    quotes = rows(http, url)
    assert quotes and {q["speaker_key"] for q in quotes} == {ENTITY_KEY}
    page = links(http, "/documents/" + corpus["original"][0])
    copies = rows(http, next(u for u in page if "table=copies" in u and "format=csv" in u))
    assert [c["copy_id"] for c in copies] == corpus["reprint"]


def test_bad_parameters_are_a_422_and_the_file_name_is_safe(http):
    assert http.get("/api/export", params={"table": "passwords"}).status_code == 422
    assert http.get("/api/export", params={"format": "xlsx"}).status_code == 422
    hostile = '"; filename=evil.exe\r\nX-Bad: 1 <script>'
    response = http.get("/api/export", params={"q": hostile, "format": "jsonl"})
    assert response.status_code == 200 and "x-bad" not in response.headers
    name = response.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9-]+\.jsonl"', name), name
