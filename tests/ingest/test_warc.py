"""WARC archives: responses read record by record; damaged archives reported."""

from __future__ import annotations

import gzip
import hashlib

from .helpers import one_failure, read, warc_record, warcinfo

PAGE = b"<html><head><title>A</title></head><body><p>Article one text.</p></body></html>"
PAGE2 = "<html><body><p>Статья номер два.</p></body></html>".encode("koi8-r")


def _archive() -> bytes:
    return b"".join(
        [
            warcinfo(),
            warc_record("https://news.example/one", PAGE),
            warc_record("https://news.example/style.css", b"p{}", content_type="text/css"),
            warc_record("https://news.example/gone", b"<p>gone</p>", status=404),
            warc_record(
                "https://news.example/two",
                PAGE2,
                date="2023-08-02T00:00:00Z",
                content_type="text/html; charset=koi8-r",
            ),  # fmt: skip
            warc_record(
                "https://news.example/notes.txt",
                b"Plain notes from a resource.",
                content_type="text/plain",
                record_type="resource",
            ),  # fmt: skip
        ]
    )


def test_warc_responses(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(_archive())
    docs, failures = read(path)
    assert not failures
    assert [d.source for d in docs] == [f"{path}#2", f"{path}#5", f"{path}#6"]
    assert [d.kind for d in docs] == ["html", "html", "text"]
    assert docs[0].content == PAGE.decode()
    assert docs[0].hints == {
        "url": "https://news.example/one",
        "crawl_date": "2023-07-31T10:00:00Z",
    }
    assert docs[0].id == hashlib.sha256(PAGE).hexdigest()
    assert "Статья номер два." in docs[1].content


def test_gzipped_warc_and_same_ids(tmp_path):
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(_archive())
    packed = tmp_path / "crawl.warc.gz"
    packed.write_bytes(gzip.compress(_archive()))
    a, _ = read(plain)
    b, failures = read(packed)
    assert not failures
    assert [d.id for d in a] == [d.id for d in b]


def test_per_record_gzip_members(tmp_path):
    """How crawlers write .warc.gz: one gzip member per record."""
    path = tmp_path / "members.warc.gz"
    path.write_bytes(b"".join(gzip.compress(r) for r in [warcinfo(), warc_record("u:1", PAGE)]))
    docs, failures = read(path)
    assert not failures and len(docs) == 1


def test_chunked_and_gzip_encoded_http_body(tmp_path):
    body = gzip.compress(PAGE)
    chunked = b"%x\r\n" % 10 + body[:10] + b"\r\n" + b"%x\r\n" % (len(body) - 10) + body[10:]
    chunked += b"\r\n0\r\n\r\n"
    path = tmp_path / "encoded.warc"
    path.write_bytes(
        warc_record("https://e/x", chunked,
                    http_headers="Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n")
    )  # fmt: skip
    [doc], failures = read(path)
    assert not failures and doc.content == PAGE.decode()


def test_warc_without_extension_is_sniffed(tmp_path):
    path = tmp_path / "archive"
    path.write_bytes(_archive())
    docs, _ = read(path)
    assert len(docs) == 3


def test_truncated_warc_record(tmp_path):
    data = warcinfo() + warc_record("https://e/1", PAGE) + warc_record("https://e/2", PAGE)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-60])
    docs, failures = read(path)
    assert [d.source for d in docs] == [f"{path}#2"]
    [failure] = failures
    declared = len(warc_record("https://e/2", PAGE).split(b"\r\n\r\n", 1)[1]) - 4
    assert f"{failure.source}: {failure.reason}" == (
        f"{path}: record 3: truncated WARC record ({declared - 56} of {declared} bytes)"
    )


def test_warc_cut_inside_a_header(tmp_path):
    data = warc_record("https://e/1", PAGE) + warc_record("https://e/2", PAGE)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(gzip.compress(data[: len(data) - len(PAGE) - 200]))
    docs, failures = read(path)
    assert len(docs) == 1
    assert [f.reason for f in failures] == ["record 2: truncated WARC record (header cut off)"]


def test_corrupt_warc(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(warc_record("https://e/1", PAGE) + b"WARC/1.0\r\nthis is not a header\r\n\r\n")
    docs, failures = read(path)
    assert len(docs) == 1
    assert [f.reason for f in failures] == ["corrupt WARC at record 2: Invalid WARC header"]


def test_warc_with_no_pages(tmp_path):
    path = tmp_path / "assets.warc"
    path.write_bytes(warcinfo() + warc_record("https://e/s.css", b"p{}", content_type="text/css"))
    assert one_failure(path) == f"{path}: no HTML or text responses in WARC (2 records skipped)"


def test_record_over_the_limit(tmp_path):
    big = b"<html><body>" + b"<p>long</p>" * 500 + b"</body></html>"
    path = tmp_path / "big.warc"
    path.write_bytes(warc_record("https://e/big", big) + warc_record("https://e/small", PAGE))
    docs, failures = read(path, max_bytes=2000)
    assert [d.hints["url"] for d in docs] == ["https://e/small"]
    assert [f.reason for f in failures] == ["record 1: too large (5.5 KB > 2.0 KB limit)"]
