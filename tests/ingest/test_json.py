"""JSON and JSONL containers: field names, hints, ids, and records that cannot be read."""

from __future__ import annotations

import hashlib
import json

from .helpers import one_failure, read

LOOKED_FOR = "text, body, content, article, maintext, full_text, fulltext, html, raw_html"


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def test_jsonl_records_with_hints(tmp_path):
    path = tmp_path / "scrape.jsonl"
    _jsonl(
        path,
        [
            {
                "headline": "Putin in trouble",
                "maintext": "Vladimir Putin slams treason.",
                "date_publish": "2023-07-31 10:00:00",
                "url": "https://example.com/a",
                "authors": ["Ann Smith", "Bo Lee"],
                "language": "en",
            },
            {"body": "Second article.", "pubDate": "Mon, 31 Jul 2023", "link": "https://e.x/b"},
            {"raw_html": "<html><body><p>Third.</p></body></html>", "Title": "Third"},
        ],
    )
    docs, failures = read(path)
    assert not failures
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert [d.kind for d in docs] == ["text", "text", "html"]
    assert docs[0].content == "Vladimir Putin slams treason."
    assert docs[0].hints == {
        "title": "Putin in trouble",
        "url": "https://example.com/a",
        "date": "2023-07-31 10:00:00",
        "date_evidence": "jsonl field 'date_publish'",
        "author": "Ann Smith, Bo Lee",
        "language": "en",
    }
    assert docs[1].hints["date_evidence"] == "jsonl field 'pubDate'"
    assert docs[1].hints["url"] == "https://e.x/b"
    assert docs[2].hints == {"title": "Third"}
    first_line = path.read_text().splitlines()[0]
    assert docs[0].id == hashlib.sha256(first_line.encode()).hexdigest()


def test_jsonl_ids_are_stable_and_distinct(tmp_path):
    path = tmp_path / "a.jsonl"
    _jsonl(path, [{"text": "one"}, {"text": "two"}])
    first, _ = read(path)
    second, _ = read(path)
    assert [d.id for d in first] == [d.id for d in second]
    assert len({d.id for d in first}) == 2


def test_text_field_holding_html_is_html(tmp_path):
    path = tmp_path / "wp.jsonl"
    _jsonl(
        path,
        [
            {"content": {"rendered": "<p>First paragraph.</p><p>Second.</p>"}, "title": "x"},
            {"content": "<p>Body</p>\n<div>more</div>"},
        ],
    )
    docs, _ = read(path)
    assert [d.kind for d in docs] == ["html", "html"]
    assert docs[0].content.startswith("<p>First")


def test_jsonl_with_a_bad_line_keeps_the_good_ones(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "good one"}\n{"text": "good two"}\n{"text": "broken", "x" 1}\n\n'
        '{"text": "good four"}\n'
    )
    docs, failures = read(path)
    assert [d.content for d in docs] == ["good one", "good two", "good four"]
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#5"]
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{path}: invalid JSON at line 3: Expecting ':' delimiter"
    ]


def test_json_record_without_text_field(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"text": "a"}, {"body": "b"}, {"title": "only a title"}]))
    docs, failures = read(path)
    assert len(docs) == 2
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{path}: record 3 has no text field (looked for {LOOKED_FOR})"
    ]


def test_jsonl_with_no_text_anywhere_is_one_line_not_thousands(tmp_path):
    path = tmp_path / "wrong.jsonl"
    _jsonl(path, [{"id": i, "name": "x"} for i in range(5000)])
    message = one_failure(path)
    assert message == (
        f"{path}: stopped: the first 20 records all failed "
        f"(record 1 has no text field (looked for {LOOKED_FOR}))"
    )


def test_short_file_with_no_text_reports_each_record(tmp_path):
    path = tmp_path / "few.jsonl"
    _jsonl(path, [{"id": 1}, {"id": 2}])
    docs, failures = read(path)
    assert not docs and [f.reason.split(" has")[0] for f in failures] == ["record 1", "record 2"]


def test_empty_text_field_and_non_object_line(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "   "}\n[1, 2]\n{"text": 42}\n')
    docs, failures = read(path)
    assert [d.content for d in docs] == ["fine"]
    assert [f.reason for f in failures] == [
        "record 2: field 'text' is empty",
        "line 3 is a JSON list, not an object",
        "record 4: field 'text' is not text",
    ]


def test_json_array(tmp_path):
    path = tmp_path / "export.json"
    records = [{"title": f"T{i}", "text": f"Article {i}", "published": "2023-01-0" + str(i)}
               for i in range(1, 4)]  # fmt: skip
    path.write_text(json.dumps(records, indent=2))
    docs, failures = read(path)
    assert not failures
    assert [d.content for d in docs] == ["Article 1", "Article 2", "Article 3"]
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert docs[2].hints["date_evidence"] == "json field 'published'"


def test_json_array_streams_past_the_chunk_size(tmp_path):
    path = tmp_path / "big.json"
    records = [{"text": f"Article {i} " + "word " * 2000} for i in range(600)]  # ~6 MB
    path.write_text(json.dumps(records))
    docs, failures = read(path)
    assert not failures and len(docs) == 600
    assert docs[599].content.startswith("Article 599 ")


def test_single_json_object_is_one_document_named_by_the_file(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "Solo", "article": "The only article."}, indent=2))
    [doc], failures = read(path)
    assert not failures
    assert doc.source == str(path)
    assert doc.id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.hints["title"] == "Solo"


def test_wrapped_list_of_articles(tmp_path):
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"status": "ok", "articles": [{"content": "A"}, {"content": "B"}]}))
    docs, _ = read(path)
    assert [d.content for d in docs] == ["A", "B"]


def test_single_object_without_text(tmp_path):
    path = tmp_path / "meta.json"
    path.write_text(json.dumps({"id": 1, "title": "No body"}))
    assert one_failure(path) == (
        f"{path}: no text field (looked for {LOOKED_FOR}; it has: id, title)"
    )


def test_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "text": "a",\n  "title": "b"\n  "url": "c"\n}\n')
    assert one_failure(path) == f"{path}: invalid JSON at line 4: Expecting ',' delimiter"


def test_invalid_json_array_keeps_records_before_the_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[\n{"text": "first"},\n{"text": "second"},\n{"text": "thi')
    docs, failures = read(path)
    assert [d.content for d in docs] == ["first", "second"]
    assert [f.reason for f in failures] == [
        "invalid JSON at line 4: Unterminated string starting at"
    ]


def test_json_holding_a_string(tmp_path):
    path = tmp_path / "str.json"
    path.write_text('"just a string"')
    assert one_failure(path).endswith("JSON holds a string, not an object or a list of objects")


def test_jsonl_saved_as_json_is_read_as_jsonl(tmp_path):
    path = tmp_path / "actually-lines.json"
    _jsonl(path, [{"text": "a"}, {"text": "b"}, {"text": "c"}])
    docs, failures = read(path)
    assert not failures and [d.source for d in docs][-1] == f"{path}#3"


def test_jsonl_without_extension_and_with_bom_and_crlf(tmp_path):
    path = tmp_path / "dump"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"text": "caf\xc3\xa9"}\r\n{"text": "b"}\r\n')
    docs, failures = read(path)
    assert not failures and [d.content for d in docs] == ["café", "b"]


def test_jsonl_in_utf16(tmp_path):
    path = tmp_path / "u16.jsonl"
    path.write_bytes('{"text": "Привет"}\n{"text": "мир"}\n'.encode("utf-16"))
    docs, failures = read(path)
    assert not failures and [d.content for d in docs] == ["Привет", "мир"]


def test_jsonl_in_cp1252(tmp_path):
    path = tmp_path / "legacy.jsonl"
    lines = [
        f'{{"text": "Le ministre a déclaré l’article numéro {i} à Genève"}}\n' for i in range(20)
    ]
    path.write_bytes("".join(lines).encode("cp1252"))
    docs, failures = read(path)
    assert not failures and docs[3].content == "Le ministre a déclaré l’article numéro 3 à Genève"


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"text": "short"}) + "\n" + json.dumps({"text": "x" * 5000}) + "\n"
        + json.dumps({"text": "after"}) + "\n"
    )  # fmt: skip
    docs, failures = read(path, max_bytes=1000)
    assert [d.content for d in docs] == ["short", "after"]
    assert [f.reason for f in failures] == ["line 2 too large (4.9 KB > 1.0 KB limit)"]


def test_gzipped_jsonl(tmp_path):
    import gzip

    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt") as f:
        for i in range(3):
            f.write(json.dumps({"text": f"Article {i}"}) + "\n")
    docs, failures = read(path)
    assert not failures and [d.content for d in docs] == ["Article 0", "Article 1", "Article 2"]
