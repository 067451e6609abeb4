"""URLs, against a real HTTP server on 127.0.0.1 (never anything else)."""

from __future__ import annotations

import json
import socket
import time

from presstrace.ingest import USER_AGENT

from .helpers import Route, one_failure, read

PAGE = b"<!doctype html><html><body><article><p>A fetched article.</p></article></body></html>"
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>http://127.0.0.1/1</link>
<description>First entry.</description></item>
<item><title>Two</title><link>http://127.0.0.1/2</link>
<description>Second entry.</description></item>
</channel></rss>"""


def test_page_is_fetched_and_sniffed(server):
    server.routes["/robots.txt"] = Route(200, b"User-agent: *\nAllow: /\n", "text/plain")
    server.routes["/news/a"] = Route(200, PAGE)
    url = server.url("/news/a")
    [doc], failures = read(url)
    assert not failures
    assert doc.source == url and doc.kind == "html" and doc.content == PAGE.decode()
    assert doc.hints == {"url": url}
    assert [(path, agent) for path, _, agent in server.log] == [
        ("/robots.txt", USER_AGENT),
        ("/news/a", USER_AGENT),
    ]


def test_charset_from_content_type(server):
    text = "Министр обороны заявил."
    server.routes["/ru"] = Route(200, f"<html><body><p>{text}</p></body></html>".encode("koi8-r"),
                                 "text/html; charset=koi8-r")  # fmt: skip
    [doc], _ = read(server.url("/ru"))
    assert text in doc.content


def test_a_url_serving_a_feed_or_jsonl_is_read_as_one(server):
    server.routes["/feed"] = Route(200, RSS, "application/rss+xml")
    server.routes["/export"] = Route(200, b'{"text": "a"}\n{"text": "b"}\n', "application/x-ndjson")
    docs, failures = read(server.url("/feed"), server.url("/export"))
    assert not failures
    assert [d.source for d in docs] == [
        server.url("/feed") + "#1",
        server.url("/feed") + "#2",
        server.url("/export") + "#1",
        server.url("/export") + "#2",
    ]


def test_plain_text_url(server):
    server.routes["/a.txt"] = Route(
        200, "Plain déjà vu.".encode("cp1252"), "text/plain; charset=windows-1252"
    )
    [doc], _ = read(server.url("/a.txt"))
    assert doc.kind == "text" and doc.content == "Plain déjà vu."


def test_robots_txt_disallowing_a_path(server):
    server.routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/private/a"] = Route(200, PAGE)
    server.routes["/public/a"] = Route(200, PAGE)
    docs, failures = read(server.url("/private/a"), server.url("/public/a"))
    assert [d.source for d in docs] == [server.url("/public/a")]
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{server.url('/private/a')}: disallowed by robots.txt"
    ]
    assert [p for p, _, _ in server.log] == ["/robots.txt", "/public/a"]  # fetched once per host
    docs, failures = read(server.url("/private/a"), robots=False)
    assert len(docs) == 1 and not failures


def test_robots_txt_rules_for_presstrace_by_name(server):
    server.routes["/robots.txt"] = Route(
        200, b"User-agent: presstrace\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "text/plain"
    )
    server.routes["/a"] = Route(200, PAGE)
    assert one_failure(server.url("/a")).endswith(": disallowed by robots.txt")


def test_robots_txt_server_error_means_disallowed(server):
    server.routes["/robots.txt"] = Route(503, b"down", "text/plain")
    server.routes["/a"] = Route(200, PAGE)
    assert one_failure(server.url("/a")) == f"{server.url('/a')}: disallowed by robots.txt"


def test_missing_robots_txt_means_allowed(server):
    server.routes["/a"] = Route(200, PAGE)  # /robots.txt is a 404
    docs, failures = read(server.url("/a"))
    assert len(docs) == 1 and not failures


def test_http_404_and_500(server):
    server.routes["/broken"] = Route(500, b"oops", "text/plain")
    docs, failures = read(server.url("/missing"), server.url("/broken"))
    assert not docs
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{server.url('/missing')}: HTTP 404",
        f"{server.url('/broken')}: HTTP 500",
    ]


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/a"
    assert one_failure(url) == f"{url}: connection refused"


def test_timeout(server):
    server.routes["/slow"] = Route(200, PAGE, delay=3.0)
    start = time.monotonic()
    message = one_failure(server.url("/slow"), timeout=0.5)
    assert message == f"{server.url('/slow')}: timed out after 0.5 s"
    assert time.monotonic() - start < 2.5


def test_page_over_the_size_cap(server):
    server.routes["/big"] = Route(200, b"<html><body>" + b"<p>x</p>" * 1000 + b"</body></html>")
    message = one_failure(server.url("/big"), max_bytes=1000)
    assert (
        message
        == f"{server.url('/big')}: page too large (7.8 KB > 1.0 KB limit; raise --max-bytes)"
    )


def test_per_host_delay(server):
    for name in ("a", "b", "c"):
        server.routes[f"/{name}"] = Route(200, PAGE.replace(b"A fetched", name.encode()))
    docs, failures = read(*(server.url(f"/{n}") for n in "abc"), delay=0.3)
    assert len(docs) == 3 and not failures
    times = [t for _, t, _ in server.log]  # robots.txt, a, b, c
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.28


def test_same_url_twice_gives_same_id(server):
    server.routes["/a"] = Route(
        200, json.dumps({"text": "x", "title": "y"}).encode(), "application/json"
    )
    first, _ = read(server.url("/a"))
    second, _ = read(server.url("/a"))
    assert first[0].id == second[0].id and first[0].source == server.url("/a")


def test_unreachable_robots_txt_means_allowed(server):
    server.routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /\n", "text/plain", 2.0)
    server.routes["/a"] = Route(200, PAGE)
    docs, failures = read(server.url("/a"), timeout=0.3)  # robots.txt times out
    assert len(docs) == 1 and not failures


def test_robots_crawl_delay_is_honoured(server):
    server.routes["/robots.txt"] = Route(200, b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    server.routes["/a"] = Route(200, PAGE)
    server.routes["/b"] = Route(200, PAGE + b" ")
    docs, _ = read(server.url("/a"), server.url("/b"), delay=0.0)
    assert len(docs) == 2
    times = [t for _, t, _ in server.log]
    assert times[2] - times[1] >= 0.95
