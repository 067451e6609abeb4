"""Fixtures for the web tests: a real store filled by a real ingest (the example articles
plus a corpus of hostile articles), a real uvicorn server on a free port, and one headless
Chromium (Debian's package, driven by Playwright) for the whole session.

Stories, threads and narrative labels come from the real corpus steps of the ingest (the
hostile articles make one story whose label carries a script payload; the examples one
thread). One narrative label with a script payload in its evidence is added to two examples
(in their JSON through the store's `patch`, and in the `narrative_labels` table), and one
entity with quotes is written into the extraction tables, its name and quotes carrying
script payloads, so that those pages and filters are exercised whatever the steps find.
The reprint's outlet is set to a name with a script payload (so one outlet copies another
in the outlet view), and a place with coordinates and a payload in its name is mentioned by
the hostile articles (the map).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "store"))  # pg_server, the PostgreSQL fixture

from conftest import made_once, run_folder  # noqa: E402

from presstrace.pipeline import ingest  # noqa: E402
from presstrace.store import open_store  # noqa: E402
from presstrace.store.queries import parts  # noqa: E402

EXAMPLES = ROOT / "examples" / "articles"
XSS = Path(__file__).parent / "data" / "xss"
ARTIFACTS = Path(os.environ.get("PRESSTRACE_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"

NARRATIVE = "Russia: the regime is collapsing"
ENTITY_KEY = "PERSON:anna keller <script>"
ENTITY_NAME = "Anna <script>window.__pwned='entity'</script> Keller"
XSS_EVIDENCE = "<script>alert('ev')</script> the regime is collapsing"
XSS_QUOTE = "The bridge <img src=x onerror=\"window.__pwned='quote'\"> opens in spring"
# The reprint's outlet (so one outlet copies another) and a place with coordinates that the
# hostile articles mention: the outlet view and the map show both (issue 16).
XSS_OUTLET = "Harbour <script>window.__pwned='outlet'</script> Gazette"
PLACE_KEY = "GPE:port <script>"
PLACE_NAME = "Port <img src=x onerror=\"window.__pwned='place'\"> Royal"


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
    have = parts(store)
    assert {"stories", "threads"} <= have, "the stories and threads steps should have run"
    _plant_narrative(store, examples[:2], "narratives" in have)
    if "extract" in have:
        _plant_entity(store, hostile)
        _plant_place(store, hostile)
    store.patch([(reprint[0], {"outlet": XSS_OUTLET})])
    biggest = store.sql("SELECT story_id FROM stories ORDER BY size DESC, story_id LIMIT 1")
    story = biggest[0]["story_id"]
    threads = store.sql("SELECT thread_id FROM threads ORDER BY size DESC, thread_id LIMIT 1")
    thread = threads[0]["thread_id"] if threads else None
    members = store.sql("SELECT id, story_id, thread_id FROM documents ORDER BY id")
    return {"examples": examples, "hostile": hostile, "reprint": reprint,
            "original": original_id, "story": story,
            "story_docs": [r["id"] for r in members if r["story_id"] == story],
            "stories": len({r["story_id"] for r in members if r["story_id"]}),
            "thread": thread,
            "thread_docs": [r["id"] for r in members if thread and r["thread_id"] == thread],
            "threads": len({r["thread_id"] for r in members if r["thread_id"]})}  # fmt: skip


def _plant_narrative(store, doc_ids: list[str], table: bool) -> None:
    label = {"label": NARRATIVE, "score": 0.9, "evidence": [XSS_EVIDENCE]}
    changes = []
    for doc_id in doc_ids:
        doc = store.get(doc_id)
        changes.append((doc_id, {"narratives": [*doc.narratives, label]}))
    store.patch(changes)
    if table:
        with store.transaction():
            store.sql_many(
                "INSERT INTO narrative_labels (doc_id, label, score, evidence) VALUES (?, ?, ?, ?)",
                [(doc_id, NARRATIVE, 0.9, json.dumps([XSS_EVIDENCE])) for doc_id in doc_ids],
            )


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


def _plant_place(store, hostile: list[str]) -> None:
    with store.transaction():
        store.sql(
            "INSERT INTO entities (key, name, type, aliases, documents, mentions, country, lat, "
            "lon) VALUES (?, ?, 'GPE', '[]', ?, ?, 'GB', 50.72, -1.88)",
            [PLACE_KEY, PLACE_NAME, len(hostile), 3 * len(hostile)],
        )
        for doc_id in hostile:
            store.sql(
                "INSERT INTO entity_mentions (doc_id, entity_key, count) VALUES (?, ?, 3)",
                [doc_id, PLACE_KEY],
            )


def _make_corpus(folder: Path) -> None:
    store = open_store(str(folder / "corpus.db"))
    try:
        ids = fill(store, folder)
    finally:
        store.close()
    (folder / "ids.json").write_text(json.dumps(ids), encoding="utf-8")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict:
    """A real SQLite store of the examples and the hostile corpus: {db, ids}. Ingested once
    per test run; each xdist worker gets a copy of its own, since a few tests change it
    for a moment (as they did when one process ran the suite)."""
    made = made_once(run_folder(tmp_path_factory) / "web-corpus", _make_corpus)
    db = tmp_path_factory.mktemp("web") / "corpus.db"
    assert not Path(f"{made / 'corpus.db'}-wal").exists(), "the ingest left its write-ahead log"
    shutil.copyfile(made / "corpus.db", db)
    return {"db": str(db), **json.loads((made / "ids.json").read_text(encoding="utf-8"))}


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


# Anything in the DOM that could run code: script elements, on* attributes, javascript:
# URLs, elements the pages never produce themselves.
DOM_AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'img', 'math', 'base'].includes(tag))
      bad.push(tag);
    if (tag === 'svg' && !el.closest('figure.chart')) bad.push('svg outside a chart');
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.toLowerCase().startsWith('on')) bad.push(tag + '@' + attr.name);
      if (/^(javascript|data|vbscript):/.test(value) && attr.name !== 'content')
        bad.push(tag + '@' + attr.name + '=' + value.slice(0, 30));
    }
  }
  return bad;
}"""


@pytest.fixture
def page(browser, request):
    """A fresh page whose CSP is bypassed, recording dialogs and page errors; its viewport is
    the test module's VIEWPORT if it names one (shared by the browser test modules)."""
    viewport = getattr(request.module, "VIEWPORT", {"width": 1200, "height": 900})
    context = browser.new_context(bypass_csp=True, viewport=viewport)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def assert_inert(page) -> None:
    page.wait_for_timeout(150)  # let onload/onerror handlers fire, if any were parsed
    assert page.dialogs == []
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.evaluate(DOM_AUDIT) == []


def shot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def hammer(url: str, paths: list[str], clients: int, seconds: float, each: int = 0):
    """(status counts, transport errors) of `clients` threads requesting `paths` in turn,
    back to back, for `seconds` (or `each` requests per client, within `seconds`). The clock
    starts once every client is ready, so a loaded machine slow to start threads does not
    eat the time."""
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    stop = [0.0]

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            ready.wait()
            i = n
            while time.monotonic() < stop[0] and not (each and i - n >= each):
                path = paths[i % len(paths)]
                i += 1
                try:
                    status = http.get(path).status_code
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{path}: {type(exc).__name__}: {exc}")
                    continue
                with lock:
                    statuses[status] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    stop[0] = time.monotonic() + seconds
    ready.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return statuses, errors
