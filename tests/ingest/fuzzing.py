"""A seeded mutator over real samples of every input format, for the fuzz test and
bench/fuzz.py.

The samples are the bundled example articles (real scraped news) packed the way users
deliver them: a text file, an HTML page, JSON, JSONL, CSV, TSV, RSS, Atom, WARC, gzip. Each
case takes one sample and applies a few mutations: byte flips, cuts, repeats, splices of two
samples, and the tokens that broke readers before (lone surrogates, NULs, huge integers,
deep nesting, surrogate character references, runaway lines, non-text charset labels,
terminal escapes in the file name). The same seed gives the same cases.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"

# Tokens that once hung, crashed or misled a reader (issue 15), plus classic hostile bytes.
TOKENS: list[bytes] = [
    b'"\\ud800"', b"\\udc80", b"\x00", b"\x1b[31m", b"\r", b"\xff\xfe", b"\xef\xbb\xbf",
    b"1" * 4400, b"[" * 1200, b"{\"a\":" * 600, b"&#xD800;", b"&#0;", b"&#x110000;",
    b"<div>" * 300, b'<meta charset="rot13">', b'<meta charset="base64">',
    b"\x93quoted\x94", b"\xc3\x28", b"\xed\xa0\x80", b"\x1f\x8b\x08\x00", b"WARC/1.0\r\n",
    b"Content-Length: 99999999\r\n", b"Content-Encoding: gzip\r\n", b"]]]]", b"}}}}",
    b'""""', b",,,,,,", b"\t\t\t", b"\n" * 50, b"x" * 70000, b"<![CDATA[", b"<!--",
    "\u2028".encode(), b"\\", b'\\"',
]  # fmt: skip
NAMES = ["case", "case\nfake: line", "case\x1b[2J", "caf\xe9", "c a s e", "-case"]


@dataclass
class Case:
    """One fuzz input: the file name (extension included) and its bytes."""

    number: int
    fmt: str
    name: str
    data: bytes
    mutations: list[str]


def articles() -> list[tuple[str, str]]:
    """(title, body) of each example article: its first non-empty line long enough to be a
    headline, and the whole text."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = next((ln for ln in text.splitlines() if len(ln) > 40), "Untitled")
        out.append((title.strip(), text))
    return out


def _records() -> list[dict]:
    return [
        {"title": t, "url": f"https://news.example/{n}", "date": f"2024-08-{10 + n}",
         "author": "Staff", "text": body}
        for n, (t, body) in enumerate(articles())
    ]  # fmt: skip


def _html(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n") if p.strip())
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{paras}</article>"
        "<footer>(c) News</footer></body></html>"
    ).encode()


def _csv(delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(_records()[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(_records())
    return out.getvalue().encode()


def _feed(atom: bool) -> bytes:
    from xml.sax.saxutils import escape

    items = []
    for r in _records():
        if atom:
            items.append(f"<entry><title>{escape(r['title'])}</title><link href='{r['url']}'/>"
                         f"<updated>{r['date']}T10:00:00Z</updated>"
                         f"<content type='html'>{escape(r['text'])}</content></entry>")  # fmt: skip
        else:
            items.append(f"<item><title>{escape(r['title'])}</title><link>{r['url']}</link>"
                         f"<pubDate>Mon, 12 Aug 2024 10:00:00 GMT</pubDate>"
                         f"<description>{escape(r['text'])}</description></item>")  # fmt: skip
    if atom:
        return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>News</title>{''.join(items)}</feed>").encode()  # fmt: skip
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News'
            f"</title>{''.join(items)}</channel></rss>").encode()  # fmt: skip


def _warc(compress: bool) -> bytes:
    out = []
    for n, (title, body) in enumerate(articles()):
        page = _html(title, body)
        if n % 2:
            page = gzip.compress(page)
            extra = "Content-Encoding: gzip\r\n"
        else:
            extra = ""
        block = (
            f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{extra}"
            f"Content-Length: {len(page)}\r\n\r\n"
        ).encode() + page
        record = (
            (
                f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/{n}\r\n"
                f"WARC-Date: 2024-08-12T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n"
            ).encode()
            + block
            + b"\r\n\r\n"
        )
        out.append(gzip.compress(record) if compress else record)
    return b"".join(out)


def samples() -> dict[str, tuple[str, bytes]]:
    """format -> (file extension, bytes) of a real sample in that format."""
    arts = articles()
    records = _records()
    return {
        "text": (".txt", arts[0][1].encode()),
        "text-utf16": (".txt", arts[1][1].encode("utf-16")),
        "text-cp1252": (".txt", arts[2][1].encode("cp1252", errors="replace")),
        "html": (".html", _html(*arts[3])),
        "json": (".json", json.dumps(records[0]).encode()),
        "json-array": (".json", json.dumps(records, indent=1).encode()),
        "json-wrapped": (".json", json.dumps({"articles": records}).encode()),
        "jsonl": (".jsonl", "".join(json.dumps(r) + "\n" for r in records).encode()),
        "jsonl-gz": (".jsonl.gz", gzip.compress(
            "".join(json.dumps(r) + "\n" for r in records).encode())),
        "csv": (".csv", _csv(",")),
        "tsv": (".tsv", _csv("\t")),
        "rss": (".rss", _feed(atom=False)),
        "atom": (".atom", _feed(atom=True)),
        "warc": (".warc", _warc(compress=False)),
        "warc-gz": (".warc.gz", _warc(compress=True)),
    }  # fmt: skip


def _flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "flip(empty)"
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf), "flip"


def _cut(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"cut@{at}"


def _insert(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    token = rng.choice(TOKENS)
    at = rng.randrange(len(data) + 1)
    return data[:at] + token * rng.choice([1, 1, 1, 3, 20]) + data[at:], f"insert{token[:12]!r}"


def _repeat(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "repeat(empty)"
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 2000)]
    times = rng.choice([2, 10, 200])
    return data[:start] + chunk * times + data[start:], f"repeat{len(chunk)}x{times}"


def _delete(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return data, "delete(empty)"
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 500) :], "delete"


def _gzip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    packed = gzip.compress(data)
    if rng.random() < 0.5:
        packed = packed[: rng.randrange(len(packed) + 1)]
        return packed, "gzip+cut"
    return packed, "gzip"


MUTATIONS: list[Callable[[random.Random, bytes], tuple[bytes, str]]] = [
    _flip, _flip, _cut, _insert, _insert, _insert, _repeat, _delete, _gzip,
]  # fmt: skip


def cases(count: int, seed: int = 15) -> Iterator[Case]:
    """`count` mutated inputs, cycling over every format; deterministic for a seed."""
    rng = random.Random(seed)
    base = samples()
    formats = sorted(base)
    for number in range(count):
        fmt = formats[number % len(formats)]
        ext, data = base[fmt]
        done: list[str] = []
        inner = ext.endswith(".gz") and rng.random() < 0.6  # mutate what the gzip holds
        if inner:
            data = gzip.decompress(data)
        for _ in range(rng.choice([1, 1, 2, 3])):
            if rng.random() < 0.08:  # splice: the head of this sample, the tail of another
                _, other = base[rng.choice(formats)]
                data = data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other)) :]
                done.append("splice")
                continue
            mutation = rng.choice(MUTATIONS)
            data, what = mutation(rng, data)
            done.append(what)
            if mutation is _gzip and not ext.endswith(".gz") and not inner:
                ext += ".gz"
        if inner:
            data = gzip.compress(data)
            done.append("regzip")
        stem = rng.choice(NAMES) if rng.random() < 0.15 else "case"
        yield Case(number, fmt, f"{number:04d}-{stem}{ext}", data, done)


def write(case: Case, folder: Path) -> Path:
    path = folder / case.name
    path.write_bytes(case.data)
    return path
