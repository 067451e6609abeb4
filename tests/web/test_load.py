"""The server under concurrent clients: a team sharing one `presstrace serve`.

Before the per-request read-only connections (api/stores.py), two concurrent clients got 49%
HTTP 500 ("SQLite objects created in a thread can only be used in that same thread") and 20
got 94%. Here 20 clients hammer every kind of page and endpoint over loopback for a bounded
time; not one answer may be a 5xx or a dropped connection.
"""

from __future__ import annotations

from .conftest import LiveServer, hammer

CLIENTS = 20
SECONDS = 10.0  # bounded: long enough for thousands of overlapping requests on 2 cores


def _paths(corpus: dict) -> list[str]:
    doc = corpus["examples"][0]
    return [
        "/", "/documents", f"/documents/{doc}", "/search?q=bridge", "/entities", "/narratives",
        "/api/stats", "/api/documents?limit=20", f"/api/documents/{doc}",
        "/api/search?q=minister", "/api/entities", "/api/quotes", "/api/stories",
        f"/api/stories/{corpus['story']}", "/api/threads", "/api/timeline", "/api/narratives",
        "/api/documents/ffffffffffff",  # a 404 must not spoil the connection it ran on
    ]  # fmt: skip


def test_twenty_concurrent_clients_get_no_server_error(live, corpus):
    statuses, errors = hammer(live.url, _paths(corpus), CLIENTS, SECONDS)
    assert not errors, errors[:5]
    assert sum(statuses.values()) >= CLIENTS * 5, statuses
    assert not {s for s in statuses if s >= 500}, statuses
    assert set(statuses) <= {200, 404}, statuses


def test_more_waiting_requests_than_worker_threads_do_not_deadlock(corpus, monkeypatch):
    """60 clients, 2 connections: 58 requests wait at once, more than the 40 worker threads.
    Had they waited inside worker threads, the 2 holding connections could not finish."""
    monkeypatch.setattr("presstrace.api.stores.POOL_SIZE", 2)
    with LiveServer(corpus["db"]) as server:
        statuses, errors = hammer(server.url, ["/api/stats", "/documents"], 60, 60.0, each=3)
    assert not errors, errors[:5]
    assert statuses == {200: 180}, statuses


def test_head_is_answered_like_get_without_a_body(http):
    head = http.head("/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"].startswith("text/html")
    assert http.head("/api/stats").status_code == 200
