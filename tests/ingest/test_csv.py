"""CSV and TSV exports: dialects, multi-line fields, huge fields, and broken files."""

from __future__ import annotations

import csv
import hashlib

from .helpers import one_failure, read

LOOKED_FOR = "text, body, content, article, maintext, full_text, fulltext, html, raw_html"


def _write(path, rows, **fmt):
    with path.open("w", newline="", encoding=fmt.pop("encoding", "utf-8")) as f:
        csv.writer(f, **fmt).writerows(rows)


def test_csv_with_hints_and_multiline_text(tmp_path):
    path = tmp_path / "export.csv"
    _write(
        path,
        [
            ["id", "Title", "Text", "published_at", "URL"],
            [
                "1",
                "Putin in trouble",
                'He said, "no".\n\nSecond paragraph.',
                "2023-07-31",
                "https://a/1",
            ],
            ["2", "Second", "Plain body", "", ""],
        ],
    )
    docs, failures = read(path)
    assert not failures
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    assert docs[0].content == 'He said, "no".\n\nSecond paragraph.'
    assert docs[0].hints == {
        "title": "Putin in trouble",
        "date": "2023-07-31",
        "date_evidence": "csv column 'published_at'",
        "url": "https://a/1",
    }
    row_bytes = path.read_bytes().split(b"\r\n2,")[0].split(b"\r\n", 1)[1]
    assert docs[0].id == hashlib.sha256(row_bytes).hexdigest()
    assert docs[1].hints == {"title": "Second"}


def test_semicolon_csv_without_extension(tmp_path):
    path = tmp_path / "dump"
    _write(path, [["title", "body"], ["A", "Body; with; semicolons, and commas"], ["B", "two"]],
           delimiter=";")  # fmt: skip
    docs, failures = read(path)
    assert not failures
    assert [d.content for d in docs] == ["Body; with; semicolons, and commas", "two"]


def test_tsv(tmp_path):
    path = tmp_path / "export.tsv"
    path.write_text("title\tcontent\nOne\tFirst body\nTwo\tSecond, body\n")
    docs, failures = read(path)
    assert not failures and [d.content for d in docs] == ["First body", "Second, body"]


def test_csv_html_column(tmp_path):
    path = tmp_path / "pages.csv"
    _write(path, [["url", "raw_html"], ["https://x/1", "<html><body><p>Hi</p></body></html>"]])
    [doc], _ = read(path)
    assert doc.kind == "html" and doc.hints["url"] == "https://x/1"


def test_huge_field_is_allowed(tmp_path):
    path = tmp_path / "long.csv"
    body = "A very long article. " * 30_000  # 630 KB, over csv's default 128 KB field limit
    _write(path, [["title", "text"], ["Long", body]])
    [doc], failures = read(path)
    assert not failures and doc.content == body


def test_csv_in_cp1252(tmp_path):
    path = tmp_path / "legacy.csv"
    rows = [["title", "text"]]
    rows += [[f"T{i}", f"L’armée a déclaré à Genève, numéro {i}"] for i in range(20)]
    _write(path, rows, encoding="cp1252")
    docs, failures = read(path)
    assert not failures and docs[5].content == "L’armée a déclaré à Genève, numéro 5"


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "people.csv"
    _write(path, [["id", "name", "city"], ["1", "Ann", "Kyiv"]])
    assert one_failure(path) == (
        f"{path}: no text column (looked for {LOOKED_FOR}; columns are: id, name, city)"
    )


def test_truncated_csv_with_unterminated_quote(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('title,text\nA,"complete"\nB,"cut off in the mid\ndle of a field, and\n')
    docs, failures = read(path)
    assert [d.content for d in docs] == ["complete"]
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{path}: truncated CSV: record 2 (from line 3) has an unterminated quote"
    ]


def test_runaway_quote_stops_at_the_field_limit(tmp_path):
    path = tmp_path / "runaway.csv"
    with path.open("w") as f:
        f.write('title,text\nA,"fine"\nB,"never closed\n')
        for i in range(2000):
            f.write(f"line {i},more text that ends up inside one field\n")
    docs, failures = read(path, max_bytes=10_000)
    assert [d.content for d in docs] == ["fine"]
    assert [f.reason for f in failures] == [
        "record 2 (from line 3) has a field over the 9.8 KB limit (an unterminated quote?); "
        "stopped reading"
    ]


def test_row_with_empty_text_and_blank_rows(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("title,text\nA,first\n\nB,\nC,third\n")
    docs, failures = read(path)
    assert [d.content for d in docs] == ["first", "third"]
    assert [f.reason for f in failures] == ["record 2: field 'text' is empty"]
