"""Fixtures for the web tests: a real store filled by a real ingest (the example articles
plus a corpus of hostile articles), a real uvicorn server on a free port, and one headless
Chromium (Debian's package, driven by Playwright) for the whole session.

Later stages that have not run on this corpus (stories, threads, narratives) get a few
values written through the store's own `patch`, and one entity with quotes is written into
the extraction tables, its name and quotes carrying script payloads, so that the entity
pages and filters are exercised whatever the extractor finds.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "store"))  # pg_server, the PostgreSQL fixture

from presstrace.pipeline import ingest  # noqa: E402
from presstrace.store import open_store  # noqa: E402
from presstrace.store.browse import parts  # noqa: E402

EXAMPLES = ROOT / "examples" / "articles"
XSS = Path(__file__).parent / "data" / "xss"
ARTIFACTS = Path(os.environ.get("PRESSTRACE_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"

STORY = "story-bridge"
THREAD = "thread-putin-weak"
NARRATIVE = "Russia: the regime is collapsing"
ENTITY_KEY = "PERSON:anna keller <script>"
ENTITY_NAME = "Anna <script>window.__pwned='entity'</script> Keller"
XSS_QUOTE = "The bridge <img src=x onerror=\"window.__pwned='quote'\"> opens in spring"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill(store, scratch: Path) -> dict[str, list[str]]:
    """Ingest the corpus (with a reprint of one example, for the copies stage), then write
    the later-stage values this corpus lacks. Returns the ids by role."""
    original = sorted(EXAMPLES.iterdir())[3]
    reprints = scratch / "reprints"
    reprints.mkdir()
    (reprints / "reprint.txt").write_text(
        original.read_text(encoding="utf-8") + "\n\nShare this article with your friends\n",
        encoding="utf-8",
    )
    report = ingest([str(EXAMPLES), str(XSS), str(reprints)], store)
    assert not report.failures, report.failures
    rows = store.sql("SELECT id, source, title FROM documents ORDER BY id")
    reprint = [r["id"] for r in rows if "/reprints/" in r["source"]]
    original_id = [
        r["id"] for r in rows if r["source"].endswith("/examples/articles/" + original.name)
    ]
    examples = [r["id"] for r in rows if "/examples/" in r["source"]]
    hostile = [r["id"] for r in rows if "/xss/" in r["source"]]
    bridge = [r["id"] for r in rows if "/xss/" in r["source"] and "ridge" in (r["title"] or "")]
    changes = [(doc_id, {"story_id": STORY}) for doc_id in bridge]
    label = {"label": NARRATIVE, "score": 0.9, "evidence": ["<script>alert('ev')</script>"]}
    changes += [(doc_id, {"thread_id": THREAD, "narratives": [label]}) for doc_id in examples[:2]]
    store.patch(changes)
    if "extract" in parts(store):
        _plant_entity(store, hostile)
    return {"examples": examples, "hostile": hostile, "bridge": bridge, "reprint": reprint,
            "original": original_id}  # fmt: skip


def _plant_entity(store, hostile: list[str]) -> None:
    with store.transaction():
        store.sql(
            "INSERT INTO entities (key, name, type, aliases, documents, mentions) "
            "VALUES (?, ?, 'PERSON', ?, ?, ?)",
            [ENTITY_KEY, ENTITY_NAME, '["Anna Keller", "Keller"]', len(hostile), len(hostile)],
        )
        for doc_id in hostile:
            store.sql(
                "INSERT INTO entity_mentions (doc_id, entity_key, count) VALUES (?, ?, 1)",
                [doc_id, ENTITY_KEY],
            )
        store.sql(
            "INSERT INTO quotes (doc_id, n, speaker_key, speaker, text, direct, cue) "
            "VALUES (?, 9001, ?, ?, ?, 1, 'said')",
            [hostile[0], ENTITY_KEY, ENTITY_NAME, XSS_QUOTE],
        )
        store.sql(
            "INSERT INTO quotes (doc_id, n, speaker_key, speaker, text, direct, cue) "
            "VALUES (?, 9002, NULL, 'a fisherman', ?, 0, 'said')",
            [hostile[-1], "Keller <b onmouseover=alert(1)>never</b> listens to us"],
        )
    doc = store.get(hostile[0])
    start = doc.text.find("Mayor Anna Keller")
    quotes = [{"text": doc.text[start : start + 40], "speaker": ENTITY_NAME, "direct": True,
               "cue": "said", "start": start, "end": start + 40}]  # fmt: skip
    entities = [{"name": ENTITY_NAME, "type": "PERSON", "aliases": ["Anna Keller", "Keller"],
                 "count": 1}]  # fmt: skip
    store.patch([(doc.id, {"quotes": quotes, "entities": entities})])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict:
    """A real SQLite store of the examples and the hostile corpus: {db, ids}."""
    scratch = tmp_path_factory.mktemp("web")
    db = scratch / "corpus.db"
    store = open_store(str(db))
    try:
        ids = fill(store, scratch)
    finally:
        store.close()
    return {"db": str(db), **ids}


class LiveServer:
    """uvicorn serving the app in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, location: str) -> None:
        import uvicorn

        from presstrace.api import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(location), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(corpus) -> Iterator[LiveServer]:
    with LiveServer(corpus["db"]) as server:
        yield server


@pytest.fixture
def http(live):
    import httpx

    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def chromium_path() -> str:
    """Debian's chromium ($PRESSTRACE_CHROMIUM to override); missing is a failure with an
    install hint, not a skip: a skipped browser test would look green."""
    for candidate in (os.environ.get("PRESSTRACE_CHROMIUM"), shutil.which("chromium"),
                      "/usr/bin/chromium"):  # fmt: skip
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("chromium not found: install the Debian package `chromium` (make test does)")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
