"""Latency of the served search, document, story, narrative and timeline pages, beside SQLite
queried directly.

    python bench/serve.py                       # 10k and 100k documents
    python bench/serve.py --sizes 10000 --requests 100
    python bench/serve.py --sizes 10000 --clients 1 5 20   # concurrency: p50/p95, 5xx
    python bench/serve.py --sizes 100000 --requests 100 --ops search "documents list" \
        --store-dir /work/devdata             # search rows only, store kept elsewhere
    python bench/serve.py --postgres --sizes 10000         # search on PostgreSQL

For each size a store is filled with synthetic articles inserted straight through
`store.add_batch` (realistic texts recombined from the ECB+ news bodies and the example
articles, with dates, outlets, a few entities and quotes; the slow full ingest is not what
is measured here), kept under bench/out/ and reused on the next run. `presstrace serve` then
runs in its own process, and one client times sequential HTTP requests (keep-alive), each
followed by the same work done directly on a sqlite3 connection in this process: the
baseline is the store's own one-statement FTS5 query (bm25 + snippet, same LIMIT; what
`presstrace search` runs) or the document row lookup. A second direct column runs the
two-step form the web app uses (rank, then snippets for the top hits only), so its ratio is
what HTTP, JSON/HTML rendering and highlighting add. Stories, threads and narrative labels are
assigned synthetically (a story per ~5 documents, a thread per ~50, 0-2 of 24 labels per
document, through the same tables the steps write); the timeline rows' baseline is the bare
per-day GROUP BY on the same documents (what the timeline adds: the confidence read from each
article's JSON, quotes, first/last, outlets, bucketing). Requests and direct queries are
interleaved so machine noise hits them alike; each row starts after 50 untimed rounds
(a server that has been up a while: caches warm).

The "Python API = CLI" rows call `presstrace.query` in this process (what `presstrace
search` runs). Beside wall time each row gives CPU time per request (this process's, per
call, for the Python API; the server process's, a mean over the row from /proc, for served
requests) and the load average while it ran: on a shared machine wall time grows with the
load, CPU time much less. `--postgres` copies the same synthetic corpus into a throwaway
PostgreSQL server (tests/store/pg_server.py) and times the search rows there, CPU including
the PostgreSQL server's processes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "out"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
sys.path.insert(0, str(ROOT / "src"))

from presstrace.model import Document, Entity, Published, Quote, RawDocument, Removed  # noqa: E402
from presstrace.store import open_store  # noqa: E402

OUTLETS = ["Express", "The Telegraph", "Kathimerini", "Reuters", "AP", "BBC", "CNN",
           "Le Monde", "Der Spiegel", "El País", "The Guardian", "Al Jazeera"]  # fmt: skip
# What store.search runs on SQLite: rank alone, then snippets for the top hits only.
RANK_SQL = (
    "SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts "
    "WHERE documents_fts MATCH ? ORDER BY score LIMIT ?"
)
SNIPPET_SQL = (
    "SELECT d.id, d.title, d.source, d.published_date, "
    "snippet(documents_fts, 1, '[', ']', ' … ', 12) FROM documents_fts "
    "JOIN documents d ON d.rowid = documents_fts.rowid "
    "WHERE documents_fts MATCH ? AND documents_fts.rowid IN ({})"
)
FTS_SQL = (
    "SELECT d.id, d.title, d.source, d.published_date, "
    "snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snip, "
    "bm25(documents_fts, 5.0, 1.0) AS score "
    "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
    "WHERE documents_fts MATCH ? ORDER BY score LIMIT ?"
)


def sentences() -> list[str]:
    """News sentences: ECB+ bodies (one sentence a line) and the example paragraphs."""
    pool = []
    docs = SHARED / "data" / "ecbplus-dev" / "docs.jsonl"
    for line in docs.read_text(encoding="utf-8").splitlines():
        pool += [s.strip() for s in json.loads(line)["text"].splitlines() if len(s) > 40]
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        pool += [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if len(b) > 60]
    return pool


def synthetic(i: int, rng: random.Random, pool: list[str]) -> tuple[RawDocument, Document]:
    paragraphs = [" ".join(rng.sample(pool, rng.randint(1, 3))) for _ in range(rng.randint(4, 8))]
    text = "\n\n".join(paragraphs)
    title = rng.choice(pool)[:90]
    doc_id = hashlib.sha256(f"{i}\n{text}".encode()).hexdigest()
    day = 19358 + rng.randrange(730)  # 2023-01-01 + up to two years
    date = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
    names = sorted({w.strip(".,“”\"'") for w in text.split() if w[:1].isupper() and len(w) > 4})
    entities = [Entity(n, "PERSON", [n.upper()], text.count(n)) for n in names[:8]]
    first = paragraphs[0]
    quotes = [Quote(first[:80], entities[0].name if entities else None, True, "said", 0, 80)]
    doc = Document(
        id=doc_id, source=f"synthetic://{i}", title=title, text=text,
        removed=[Removed("Sign up to our newsletter", "signup")],
        published=Published(date, date, date, 0.9, f"Published {date}", "explicit"),
        outlet=rng.choice(OUTLETS), language="en", entities=entities, quotes=quotes,
    )  # fmt: skip
    return RawDocument(doc_id, doc.source, text), doc


def fill(path: Path, size: int) -> None:
    store = open_store(str(path))
    try:
        have = store.count()
        if have >= size:
            return
        pool, rng = sentences(), random.Random(size)
        started = time.perf_counter()
        for start in range(0, size, 1000):
            batch = [synthetic(i, rng, pool) for i in range(start, min(start + 1000, size))]
            if start + len(batch) > have:
                store.add_batch(batch)
        print(f"  filled {size:,} documents in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)  # fmt: skip
    finally:
        store.close()


LABELS = [f"URW: Narrative {i}" for i in range(12)]
LABELS += [f"{LABELS[i % 12]}: Sub-narrative {i}" for i in range(12)]


def assign_groups(path: Path) -> None:
    """Synthetic stories, threads and narrative labels, once per store (see the docstring)."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("SELECT count(*) FROM documents WHERE story_id IS NOT NULL").fetchone()[0]:
            return
        started = time.perf_counter()
        rng = random.Random(11)
        rows = conn.execute("SELECT rowid, id FROM documents ORDER BY rowid").fetchall()
        n = len(rows)
        conn.execute("BEGIN")
        conn.executemany(
            "UPDATE documents SET story_id = ?, thread_id = ? WHERE rowid = ?",
            [(f"s{rng.randrange(n // 5):06d}", f"t{rng.randrange(max(1, n // 50)):05d}"
              if rng.random() < 0.5 else None, rowid) for rowid, _ in rows],
        )  # fmt: skip
        labels = []
        for _, doc_id in rows:
            for label in rng.sample(LABELS, rng.choice((0, 0, 1, 2))):
                labels.append((doc_id, label, round(rng.random(), 3),
                               json.dumps(["An evidence sentence for " + label])))  # fmt: skip
        conn.executemany(
            "INSERT OR IGNORE INTO narrative_labels (doc_id, label, score, evidence) "
            "VALUES (?, ?, ?, ?)",
            labels,
        )
        for table, column in (("stories", "story_id"), ("threads", "thread_id")):
            conn.execute(f"DELETE FROM {table}")
            conn.execute(
                f"INSERT INTO {table} ({column}, label, size, first_date, last_date) "
                f"SELECT {column}, 'label of ' || {column}, count(*), min(published_date), "
                f"max(published_date) FROM documents WHERE {column} IS NOT NULL "
                f"GROUP BY {column}"
            )
        conn.execute("COMMIT")
        print(f"  grouped {n:,} documents in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)  # fmt: skip
    finally:
        conn.close()


def assign_entities(path: Path) -> None:
    """The entity facet's tables, once per store: each synthetic document's entities (the
    capitalised words of its text, as `synthetic` names them) as `entities` and
    `entity_mentions` rows, the tables the extraction step writes."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]:
            return
        started = time.perf_counter()
        mentions, names = [], {}
        for doc_id, data in conn.execute("SELECT id, data FROM documents"):
            for e in json.loads(data).get("entities") or []:
                key = "person:" + e["name"].lower()
                names.setdefault(key, [e["name"], 0, 0])
                names[key][1] += 1
                names[key][2] += e.get("count") or 1
                mentions.append((doc_id, key, e.get("count") or 1))
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR IGNORE INTO entity_mentions (doc_id, entity_key, count) VALUES (?, ?, ?)",
            mentions,
        )
        conn.executemany(
            "INSERT OR IGNORE INTO entities (key, name, type, aliases, documents, mentions) "
            "VALUES (?, ?, 'PERSON', '[]', ?, ?)",
            [(key, name, docs, count) for key, (name, docs, count) in names.items()],
        )
        conn.execute("COMMIT")
        print(f"  {len(mentions):,} entity mentions of {len(names):,} entities in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)  # fmt: skip
    finally:
        conn.close()


def prepare(path: Path, size: int) -> None:
    """The synthetic store of `size` documents with its groups, labels and entities."""
    fill(path, size)
    assign_groups(path)
    assign_entities(path)


def queries(conn: sqlite3.Connection, n: int, rng: random.Random) -> list[str]:
    """Search words as an analyst types them: names and topic words found in the corpus,
    one or two per query, the same on every run for the same `rng` seed."""
    # rowids drawn from `rng`, not SQLite's random(): the same queries on every run, so that
    # two runs (before and after a change) time the same searches
    top = conn.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
    picked = rng.sample(range(1, top + 1), min(200, top))
    marks = ",".join("?" * len(picked))
    rows = conn.execute(f"SELECT text FROM documents WHERE rowid IN ({marks})", picked).fetchall()
    words = [w.strip(".,“”\"'()") for (text,) in rows for w in text.split()]
    words = [w for w in words if len(w) >= 5 and w.isalpha()]
    out = []
    for _ in range(n):
        count = 1 if rng.random() < 0.6 else 2
        out.append(" ".join(rng.sample(words, count)))
    return out


def language_queries(qs: list[str]) -> list[str]:
    """The same words in the query language's other forms: OR, a phrase, NOT, a prefix,
    field filters (an outlet, a month), in turn."""
    out = []
    for i, q in enumerate(qs):
        first, *rest = q.split()
        second = rest[0] if rest else "minister"
        forms = [f"{first} OR {second}", f'"{q}"', f"{first} -{second}", f"{first[:4]}*",
                 f'{first} outlet:"{OUTLETS[i % len(OUTLETS)]}"',
                 f"{first} after:2023-{i % 12 + 1:02d} before:2023-{i % 12 + 1:02d}"]
        out.append(forms[i % len(forms)])
    return out


def match_string(q: str) -> str:
    """The baseline's FTS5 MATCH string: each word of `q` quoted, all required, a trailing
    `*` kept as a prefix (what the store's own search bound before the query language)."""
    terms = []
    for word in q.split():
        prefix = word.endswith("*")
        word = word.strip('"*').replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms) or '""'


class Server:
    def __init__(self, db: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        # this tree's code, not whichever presstrace the environment has installed
        path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "presstrace", "--db", str(db), "serve", "--port",
             str(self.port)], stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": path},
        )  # fmt: skip
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.client.get("/api/stats")
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("serve did not start") from None
                time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server process so far (all its threads)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def close(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)


def store_path(size: int, directory: Path = OUT) -> Path:
    """The synthetic store of `size` documents, under --store-dir (kept between runs)."""
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"serve-{size}.db"


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def timed_cpu(fn) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one call."""
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def load_average() -> float:
    return os.getloadavg()[0]


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def measure(
    size: int, requests: int, only: list[str] | None = None, directory: Path = OUT
) -> list[dict]:
    db = store_path(size, directory)
    prepare(db, size)
    rng = random.Random(7)
    conn = sqlite3.connect(db)
    qs = queries(conn, requests, rng)
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM documents ORDER BY random() LIMIT ?", (requests,))]  # fmt: skip
    stories = [r[0] for r in conn.execute(
        "SELECT story_id FROM stories ORDER BY random() LIMIT ?", (requests,))]  # fmt: skip
    labels = [LABELS[i % len(LABELS)] for i in range(requests)]
    server = Server(db)
    get = server.client.get
    local = open_store(str(db))

    def in_process(q: str):
        import presstrace

        return presstrace.query(local, q)

    def per_day(where: str, values: tuple):
        return conn.execute(
            f"SELECT published_date, count(*) FROM documents WHERE {where} "
            "GROUP BY published_date", values
        ).fetchall()  # fmt: skip

    story_day = lambda s: per_day("story_id = ?", (s,))  # noqa: E731
    label_day = lambda lb: per_day(  # noqa: E731
        "id IN (SELECT doc_id FROM narrative_labels WHERE label = ?)", (lb,))  # fmt: skip
    corpus_day = lambda: per_day("1 = 1", ())  # noqa: E731

    def label_counts():
        return conn.execute(
            "SELECT label, count(*) FROM narrative_labels GROUP BY label").fetchall()  # fmt: skip

    def ok(url: str):
        response = get(url)
        response.raise_for_status()
        return response

    def fts(q: str, limit: int):
        return conn.execute(FTS_SQL, (match_string(q), limit)).fetchall()

    def fts_two_step(q: str, limit: int):
        match = match_string(q)
        top = conn.execute(RANK_SQL, (match, limit)).fetchall()
        if top:
            marks = ",".join("?" * len(top))
            conn.execute(SNIPPET_SQL.format(marks), (match, *(r[0] for r in top))).fetchall()

    def row(doc_id: str):
        return conn.execute("SELECT data FROM documents WHERE id = ?", (doc_id,)).fetchone()

    ops = {
        "search page (20 hits)": [(lambda q=q: ok(f"/search?q={quote(q)}"),
                                   lambda q=q: fts(q, 20), lambda q=q: fts_two_step(q, 20))
                                  for q in qs],
        "search API (20 hits)": [(lambda q=q: ok(f"/api/search?q={quote(q)}&limit=20"),
                                  lambda q=q: fts(q, 20), lambda q=q: fts_two_step(q, 20))
                                 for q in qs],
        "search, Python API = CLI (20 hits, total, facets)": [
            (lambda q=q: in_process(q), lambda q=q: fts(q, 20), lambda q=q: fts_two_step(q, 20))
            for q in qs],
        "search, Python API = CLI, query language": [
            (lambda q=q: in_process(q), lambda q=q: fts(q.split()[0], 20), None)
            for q in language_queries(qs)],
        "search API, no facets": [(lambda q=q: ok(f"/api/search?q={quote(q)}&facets=false"),
                                   lambda q=q: fts(q, 20), lambda q=q: fts_two_step(q, 20))
                                  for q in qs],
        "search API, query language": [(lambda q=q: ok(f"/api/search?q={quote(q)}"),
                                        lambda q=q: fts(q.split()[0], 20), None)
                                       for q in language_queries(qs)],
        "documents list, facets": [(lambda i=i: ok(f"/api/documents?offset={i % 5 * 50}"),
                                    corpus_day, None) for i in range(20)],
        "document page": [(lambda i=i: ok(f"/documents/{i}"), lambda i=i: row(i), None)
                          for i in ids],
        "document API": [(lambda i=i: ok(f"/api/documents/{i}"), lambda i=i: row(i), None)
                         for i in ids],
        "story page": [(lambda s=s: ok(f"/stories/{s}"), lambda s=s: story_day(s), None)
                       for s in stories],
        "timeline API, one story": [(lambda s=s: ok(f"/api/timeline?story={s}"),
                                     lambda s=s: story_day(s), None) for s in stories],
        "narrative page (50 docs)": [(lambda lb=lb: ok(f"/narratives/{quote(lb, safe='')}"),
                                      lambda lb=lb: label_day(lb), None) for lb in labels],
        "timeline API, one label": [(lambda lb=lb: ok(f"/api/timeline?narrative={quote(lb)}"),
                                     lambda lb=lb: label_day(lb), None) for lb in labels],
        "narratives list": [(lambda: ok("/api/narratives"), label_counts, None)] * 20,
        "timeline API, whole corpus": [(lambda: ok("/api/timeline?by=month"), corpus_day, None)]
                                      * 20,
        "overview page": [(lambda: ok("/"), corpus_day, None)] * 20,
    }  # fmt: skip
    if only:
        ops = {name: pairs for name, pairs in ops.items() if any(w in name for w in only)}
    results = []
    try:
        for name, pairs in ops.items():
            for served, direct, two in pairs[: 5 if len(pairs) <= 20 else 50]:  # warm up
                served()
                direct()
                if two:
                    two()
            served_ms, cpu_ms, direct_ms, two_ms = [], [], [], []
            loads, server_cpu = [load_average()], server.cpu_seconds()
            for served, direct, two in pairs:
                wall, cpu = timed_cpu(served)
                served_ms.append(wall)
                cpu_ms.append(cpu)
                direct_ms.append(timed(direct))
                if two:
                    two_ms.append(timed(two))
            loads.append(load_average())
            if "Python API" not in name:  # served: the server's CPU, a mean (clock ticks)
                mean = (server.cpu_seconds() - server_cpu) * 1000 / len(pairs)
                cpu = {"c50": mean, "c95": None}
            else:
                cpu = {"c50": percentile(cpu_ms, 50), "c95": percentile(cpu_ms, 95)}
            results.append(
                {"size": size, "op": name, **cpu, "load": statistics.mean(loads),
                 "p50": percentile(served_ms, 50), "p95": percentile(served_ms, 95),
                 "b50": percentile(direct_ms, 50), "b95": percentile(direct_ms, 95),
                 "t50": percentile(two_ms, 50) if two_ms else None,
                 "t95": percentile(two_ms, 95) if two_ms else None}
            )  # fmt: skip
    finally:
        server.close()
        local.close()
        conn.close()
    return results


def concurrent(size: int, clients: list[int], seconds: float, directory: Path = OUT) -> None:
    """p50/p95 per endpoint with 1, 5, 20 … clients at once, each on its own keep-alive
    connection sending requests back to back for `seconds`, over every kind of page and
    endpoint in turn; any 5xx or dropped connection is counted (and must be none)."""
    import threading

    db = store_path(size, directory)
    prepare(db, size)
    conn = sqlite3.connect(db)
    rng = random.Random(11)
    qs = queries(conn, 50, rng)
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY random() LIMIT 50")]
    stories = [r[0] for r in conn.execute("SELECT story_id FROM stories LIMIT 50")]
    conn.close()
    endpoints = {
        "overview page": lambda i: "/",
        "search page": lambda i: f"/search?q={quote(qs[i % len(qs)])}",
        "search API": lambda i: f"/api/search?q={quote(qs[i % len(qs)])}&limit=20",
        "document page": lambda i: f"/documents/{ids[i % len(ids)]}",
        "document API": lambda i: f"/api/documents/{ids[i % len(ids)]}",
        "documents API": lambda i: f"/api/documents?limit=50&offset={i % 10 * 50}",
        "story page": lambda i: f"/stories/{stories[i % len(stories)]}",
        "stats API": lambda i: "/api/stats",
        "timeline API": lambda i: "/api/timeline?by=month",
        "narratives API": lambda i: "/api/narratives",
    }
    names = list(endpoints)
    server = Server(db)
    print(f"\n{size:,} documents, {seconds:g} s per row; p50 / p95 ms per endpoint")
    print("| clients | requests/s | 5xx | errors | " + " | ".join(names) + " |")
    print("|---" * (4 + len(names)) + "|")
    try:
        for n in clients:
            times: dict[str, list[float]] = {name: [] for name in names}
            bad = {"5xx": 0, "errors": 0}
            lock = threading.Lock()
            stop = time.monotonic() + seconds

            def client(k: int, stop=stop, times=times, bad=bad, lock=lock) -> None:
                with httpx.Client(base_url=server.client.base_url, timeout=60) as http:
                    i = k
                    while time.monotonic() < stop:
                        name = names[i % len(names)]
                        started = time.perf_counter()
                        try:
                            status = http.get(endpoints[name](i // len(names))).status_code
                        except httpx.HTTPError:
                            status = -1
                        ms = (time.perf_counter() - started) * 1000
                        with lock:
                            if status == -1:
                                bad["errors"] += 1
                            elif status >= 500:
                                bad["5xx"] += 1
                            else:
                                times[name].append(ms)
                        i += 1

            threads = [threading.Thread(target=client, args=(k,)) for k in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            total = sum(len(v) for v in times.values()) + bad["5xx"] + bad["errors"]
            cells = [f"{percentile(v, 50):.0f} / {percentile(v, 95):.0f}" if len(v) > 1 else "–"
                     for v in times.values()]  # fmt: skip
            print(f"| {n} | {total / seconds:.0f} | {bad['5xx']} | {bad['errors']} | "
                  + " | ".join(cells) + " |")  # fmt: skip
    finally:
        server.close()


def start_postgres():
    """A throwaway PostgreSQL server (tests/store/pg_server.py: initdb + pg_ctl on a temporary
    data directory, 127.0.0.1 on a free port), stopped by the caller."""
    import shutil
    import tempfile

    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from pg_server import PgServer, _free_port, find_pg_bin

    root = Path(tempfile.mkdtemp(prefix="ptpgb-", dir="/tmp"))
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PgServer(find_pg_bin(), root, _free_port(), as_user)
    server.start()
    return server


def postgres_cpu_seconds(server) -> float:
    """User + system CPU of the PostgreSQL server: the postmaster and its children."""
    master = int((server.data / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == master or int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def copy_to_postgres(db: Path, url: str, size: int) -> None:
    """The synthetic SQLite store's documents (regenerated, with their story and thread),
    narrative labels, stories, threads and entities, into the PostgreSQL store at `url`."""
    conn = sqlite3.connect(db)
    store = open_store(url)
    try:
        started = time.perf_counter()
        groups = {i: (s, t) for i, s, t in conn.execute(
            "SELECT id, story_id, thread_id FROM documents")}  # fmt: skip
        pool, rng = sentences(), random.Random(size)
        for start in range(0, size, 1000):
            batch = [synthetic(i, rng, pool) for i in range(start, min(start + 1000, size))]
            for _, doc in batch:
                doc.story_id, doc.thread_id = groups[doc.id]
            store.add_batch(batch)
        for table, columns in (
            ("narrative_labels", "doc_id, label, score, evidence"),
            ("stories", "story_id, label, size, first_date, last_date"),
            ("threads", "thread_id, label, size, first_date, last_date"),
            ("entities", "key, name, type, aliases, documents, mentions"),
            ("entity_mentions", "doc_id, entity_key, count"),
        ):
            rows = conn.execute(f"SELECT {columns} FROM {table}").fetchall()
            marks = ", ".join("?" * len(rows[0]))
            store.sql_many(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        store.sql("ANALYZE")
        print(f"  copied {size:,} documents to PostgreSQL in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)  # fmt: skip
    finally:
        store.close()
        conn.close()


def measure_postgres(size: int, requests: int, directory: Path = OUT) -> list[dict]:
    """Search on PostgreSQL: the same synthetic store copied into a throwaway server, then
    the Python API (= the CLI) in this process and the search API served, as `measure` does;
    CPU is this process's (or the served app's) plus the PostgreSQL server's, per request."""
    db = store_path(size, directory)
    prepare(db, size)
    rng = random.Random(7)
    conn = sqlite3.connect(db)
    qs = queries(conn, requests, rng)
    conn.close()
    pg = start_postgres()
    results = []
    try:
        url = pg.create_database("bench")
        copy_to_postgres(db, url, size)
        import presstrace

        local = open_store(url)
        server = Server(url)
        get = server.client.get
        ops = {
            "search, Python API = CLI (20 hits, total, facets)":
                [lambda q=q: presstrace.query(local, q) for q in qs],
            "search, Python API = CLI, query language":
                [lambda q=q: presstrace.query(local, q) for q in language_queries(qs)],
            "search API (20 hits)":
                [lambda q=q: get(f"/api/search?q={quote(q)}&limit=20").raise_for_status()
                 for q in qs],
        }  # fmt: skip
        try:
            for name, calls in ops.items():
                for call in calls[:50]:
                    call()
                walls, loads = [], [load_average()]
                cpu0 = (time.process_time(), server.cpu_seconds(), postgres_cpu_seconds(pg))
                for call in calls:
                    walls.append(timed(call))
                loads.append(load_average())
                own = time.process_time() - cpu0[0] if "Python" in name else 0.0
                app = server.cpu_seconds() - cpu0[1] if "Python" not in name else 0.0
                database = postgres_cpu_seconds(pg) - cpu0[2]
                results.append(
                    {"size": size, "op": name + " [PostgreSQL]",
                     "p50": percentile(walls, 50), "p95": percentile(walls, 95),
                     "c50": (own + app + database) * 1000 / len(calls), "c95": None,
                     "load": statistics.mean(loads), "b50": float("nan"),
                     "b95": float("nan"), "t50": None, "t95": None}
                )  # fmt: skip
        finally:
            server.close()
            local.close()
    finally:
        pg.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per row")
    parser.add_argument("--ops", nargs="*", default=None,
                        help="only the rows whose name contains one of these words")  # fmt: skip
    parser.add_argument("--clients", type=int, nargs="*",
                        help="instead: concurrent clients per row, e.g. 1 5 20")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=20.0, help="per --clients row")
    parser.add_argument("--store-dir", type=Path, default=OUT,
                        help="where the synthetic stores are kept (default bench/out)")  # fmt: skip
    parser.add_argument("--postgres", action="store_true",
                        help="instead: search on a throwaway PostgreSQL server")  # fmt: skip
    args = parser.parse_args()
    if args.postgres:
        rows = []
        for size in args.sizes:
            rows += measure_postgres(size, args.requests, args.store_dir)
        print("| documents | request | p50 / p95 ms | CPU ms per request (mean, app + "
              "PostgreSQL) | load |")  # fmt: skip
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['size']:,} | {r['op']} | {r['p50']:.1f} / {r['p95']:.1f} | "
                  f"{r['c50']:.1f} | {r['load']:.1f} |")  # fmt: skip
        return
    if args.clients:
        for size in args.sizes:
            concurrent(size, args.clients, args.seconds, args.store_dir)
        return
    rows = []
    for size in args.sizes:
        rows += measure(size, args.requests, args.ops, args.store_dir)
    print("| documents | request | served p50 / p95 ms | CPU ms per request | load "
          "| baseline: direct p50 / p95 ms | ratio p50 / p95 | two-step direct p50 / p95 ms "
          "| ratio p50 / p95 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        two = (f"{r['t50']:.2f} / {r['t95']:.2f} | {r['p50'] / r['t50']:.1f}x / "
               f"{r['p95'] / r['t95']:.1f}x" if r["t50"] else "– | –")  # fmt: skip
        cpu = (f"{r['c50']:.1f} / {r['c95']:.1f}" if r["c95"] is not None
               else f"{r['c50']:.1f} (server, mean)")  # fmt: skip
        print(f"| {r['size']:,} | {r['op']} | {r['p50']:.1f} / {r['p95']:.1f} | {cpu} | "
              f"{r['load']:.1f} | "
              f"{r['b50']:.2f} / {r['b95']:.2f} | {r['p50'] / r['b50']:.1f}x / "
              f"{r['p95'] / r['b95']:.1f}x | {two} |")  # fmt: skip
    biggest = [r for r in rows if r["size"] == max(args.sizes)]
    worst = max(r["p95"] for r in biggest)
    print(f"\nworst p95 at {max(args.sizes):,} documents: {worst:.1f} ms "
          f"(target < 50 ms: {'met' if worst < 50 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
