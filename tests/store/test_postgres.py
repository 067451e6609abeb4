"""What only the PostgreSQL store has: its schema and migrations on a real server, one-line
errors for servers that cannot be used, a lost connection, big texts, and the whole CLI
path (ingest, re-ingest, export; two ingests at once) against a real database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pg_server as server
import psycopg
import pytest
from pg_server import PASSWORD, PASSWORD_ROLE, find_pg_bin
from test_backends import make_pair

from presstrace.store import StoreError, migrations, open_store
from presstrace.store.dialect import FTS_MAX_CHARS
from presstrace.store.migrations import SCHEMA_VERSION
from presstrace.store.postgres import PostgresStore, redact
from presstrace.store.queries import hits
from presstrace.store.queries.matching import full_text
from presstrace.store.queries.query_language import parse, tsquery

pg_server = server.pg_server  # the fixtures: a session server, a database per test
pg_url = server.pg_url

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"


def columns(conn, table: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = current_schema()",
        (table,),
    )
    return dict(rows.fetchall())


def test_missing_server_binaries_fail_with_an_install_hint(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=r"Debian package `postgresql`"):
        find_pg_bin([str(tmp_path)])


def test_schema_has_the_sqlite_columns_a_weighted_tsvector_and_a_gin_index(pg_url, tmp_path):
    store = open_store(pg_url)
    assert isinstance(store, PostgresStore)
    lite = sqlite3.connect(tmp_path / "s.db")
    open_store(str(tmp_path / "s.db")).close()
    lite_columns = {row[1] for row in lite.execute("PRAGMA table_info(documents)")}
    pg_columns = columns(store.conn, "documents")
    assert set(pg_columns) == lite_columns | {"seq", "search"}
    assert pg_columns["search"] == "tsvector" and pg_columns["seq"] == "bigint"
    assert columns(store.conn, "raw_inputs") == {"id": "text", "content": "bytea"}
    generated = store.conn.execute(
        "SELECT is_generated FROM information_schema.columns "
        "WHERE table_name = 'documents' AND column_name = 'search'"
    ).fetchone()
    assert generated == ("ALWAYS",)
    index = store.conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'documents_search'"
    ).fetchone()
    assert "USING gin (search)" in index[0]
    versions = store.conn.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    store.close()


def test_record_is_stored_as_its_json_and_raw_input_compressed(pg_url):
    store = open_store(pg_url)
    raw, doc = make_pair("Shelling in Kherson, the governor said.", "Kherson")
    store.add_batch([(raw, doc)])
    data, content, title_weight = store.conn.execute(
        "SELECT d.data, r.content, d.search::text FROM documents d JOIN raw_inputs r USING (id)"
    ).fetchone()
    assert data == doc.to_json()
    assert zlib.decompress(content).decode() == raw.content
    assert "'kherson':1A" in title_weight and "'governor':" in title_weight
    store.close()


def test_search_uses_the_gin_index(pg_url):
    """The one search's full-text condition (queries/matching.py) is answered by the index."""
    store = open_store(pg_url)
    store.add_batch([make_pair(f"Article {i} on grain.") for i in range(50)])
    store.conn.execute("SET enable_seqscan = off")
    cond, arg = full_text(store, parse("grain").text)
    explained = store.sql(f"EXPLAIN SELECT d.id FROM documents d WHERE {cond}", [arg])
    plan = "\n".join(row["QUERY PLAN"] for row in explained)
    assert "documents_search" in plan
    store.close()


def test_store_from_a_newer_presstrace_is_refused(pg_url):
    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (SCHEMA_VERSION + 5,))
    with pytest.raises(StoreError, match="newer than this presstrace") as info:
        open_store(pg_url)
    assert "\n" not in str(info.value)


def test_an_older_store_is_upgraded_step_by_step_and_keeps_its_documents(pg_url, monkeypatch):
    store = open_store(pg_url)
    pair = make_pair("Stored under schema v1.")
    store.add_batch([pair])
    store.close()
    steps = [
        *migrations.MIGRATIONS,
        "CREATE TABLE labels (id text PRIMARY KEY); INSERT INTO labels VALUES ('a');",
        "ALTER TABLE labels ADD COLUMN score real NOT NULL DEFAULT 0.5;",
    ]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    upgraded = open_store(pg_url)
    assert upgraded.schema_version == len(steps)
    assert upgraded.conn.execute("SELECT id, score FROM labels").fetchall() == [("a", 0.5)]
    assert upgraded.get(pair[1].id) == pair[1]
    versions = upgraded.conn.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    assert versions == [(v,) for v in range(1, len(steps) + 1)]
    upgraded.close()


def test_a_failing_step_rolls_back_whole_and_says_so_on_one_line(pg_url, monkeypatch):
    open_store(pg_url).close()
    broken = "CREATE TABLE half_done (id int); SELECT no_such_function();"
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store(pg_url)
    assert "\n" not in str(info.value) and "no_such_function" in str(info.value)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        assert version == (SCHEMA_VERSION,)


def test_a_database_owner_without_superuser_rights_can_create_the_store(pg_server):
    """unaccent is a trusted extension: the owner of a database needs no superuser."""
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("CREATE ROLE corpus_owner LOGIN NOSUPERUSER")
        admin.execute("CREATE DATABASE owned_corpus OWNER corpus_owner")
    try:
        store = open_store(pg_server.url("owned_corpus", user="corpus_owner"))
        store.add_batch([make_pair("Owned by a plain role: Zelenskyy in Kyiv.")])
        assert [h.title for h in hits(store, "zelenskyy kyiv")] == [None]
        store.close()
    finally:
        pg_server.drop_database("owned_corpus")
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute("DROP ROLE corpus_owner")


def test_a_read_only_role_can_open_search_and_export_but_not_write(pg_server, pg_url):
    store = open_store(pg_url)
    store.add_batch([make_pair("Readers can find this article about Odesa.")])
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("CREATE ROLE reader_ro LOGIN NOSUPERUSER")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_ro")
    try:
        reader = open_store(pg_url.replace("postgres@", "reader_ro@"))
        assert reader.count() == 1 and len(hits(reader, "odesa")) == 1
        assert len(list(reader.iter_documents())) == 1
        with pytest.raises(StoreError, match="permission denied") as info:
            reader.add_batch([make_pair("A write the role may not make.")])
        assert "\n" not in str(info.value)
        reader.close()
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("DROP OWNED BY reader_ro")
            admin.execute("DROP ROLE reader_ro")


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unusable(pg_server, pg_url) -> dict[str, tuple[str, str]]:
    port = pg_server.port
    return {
        "no server": (f"postgresql://u:hunter2@127.0.0.1:{_closed_port()}/db", "refused"),
        "wrong password": (
            f"postgresql://{PASSWORD_ROLE}:wrong-{PASSWORD}@127.0.0.1:{port}/postgres",
            "password authentication failed",
        ),
        "unknown role": (f"postgresql://nobody:pw@127.0.0.1:{port}/postgres", "role"),
        "missing database": (f"postgresql://postgres@127.0.0.1:{port}/nope", "does not exist"),
        "bad port": ("postgresql://u:pw@127.0.0.1:notaport/db", "notaport"),
        "bad option": (f"{pg_url}?sslmode=sometimes", "sslmode"),
    }


@pytest.mark.parametrize(
    "case",
    ["no server", "wrong password", "unknown role", "missing database", "bad port", "bad option"],
)
def test_an_unusable_server_is_one_line_naming_the_url_without_password(case, pg_server, pg_url):
    url, why = unusable(pg_server, pg_url)[case]
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(redact(url) + ": ")
    assert why in message
    for secret in ("hunter2", "wrong-", ":pw@"):
        assert secret not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_the_right_password_works_and_never_shows(pg_server):
    store = open_store(
        f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:{pg_server.port}/postgres"
    )
    assert PASSWORD not in store.path and PASSWORD not in json.dumps(store.stats())
    assert store.path == f"postgresql://{PASSWORD_ROLE}@127.0.0.1:{pg_server.port}/postgres"
    store.close()


def test_redact_drops_every_password():
    assert redact("postgresql://u:p@h:5432/db") == "postgresql://u@h:5432/db"
    assert redact("postgres://u@h/db") == "postgres://u@h/db"
    assert redact("postgresql://u:p:q@h1:1,h2:2/db") == "postgresql://u@h1:1,h2:2/db"
    assert (
        redact("postgresql://h/db?sslmode=require&password=x&sslpassword=y&user=u")
        == "postgresql://h/db?sslmode=require&user=u"
    )
    assert redact("postgresql:///db?host=/tmp") == "postgresql:///db?host=/tmp"


def test_tsquery_quotes_every_word():
    """The one search's tsquery: every word a quoted lexeme, a quote or backslash in a word
    is text; a NUL separates words (text cannot hold it); no word, no full-text condition."""
    assert tsquery(parse("drone* attack").text) == "('drone':* & 'attack')"
    assert tsquery(parse("it's a\\b").text) == "('it''s' & 'a\\\\b')"
    assert tsquery(parse("a\x00b").text) == "('a' & 'b')"
    assert parse("  * ** ").text is None


def test_a_lost_connection_is_a_one_line_error(pg_url):
    store = open_store(pg_url)
    store.add_batch([make_pair("Before the server went away.")])
    pid = store.conn.info.backend_pid
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError) as info:
        store.count()
    assert "\n" not in str(info.value) and str(info.value).startswith(store.path)
    with pytest.raises(StoreError):
        list(store.iter_documents())
    store.close()


def test_a_database_error_mid_batch_rolls_the_batch_back(pg_url):
    store = open_store(pg_url)
    store.add_batch([make_pair("Already there.")])
    good = make_pair("Would be new.")
    raw, doc = make_pair("Raw input keyed differently from its document.")
    raw.id = "f" * 64  # raw_inputs.id references documents.id: the second insert fails
    with pytest.raises(StoreError, match="foreign key"):
        store.add_batch([good, (raw, doc)])
    assert store.count() == 1 and store.get(good[1].id) is None
    assert store.add_batch([good]) == 1
    store.close()


def test_a_huge_text_is_stored_whole_and_indexed_by_its_beginning(pg_url):
    import random

    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(400_000)]
    text = "openingword " + " ".join(words) + " closingword"
    assert len(text) > 5 * FTS_MAX_CHARS
    store = open_store(pg_url)
    raw, doc = make_pair(text, "A very long page")
    assert store.add_batch([(raw, doc)]) == 1
    assert store.get(doc.id).text == text
    assert [h.id for h in hits(store, "openingword")] == [doc.id]
    assert hits(store, "closingword") == []  # past the indexed beginning
    store.close()


# -- the whole CLI path -----------------------------------------------------------------------


def cli(db: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "presstrace", "--db", db, *args],
        capture_output=True,
        timeout=300,
        cwd=cwd,
        text=True,
    )


def by_id(jsonl: str) -> list[dict]:
    return sorted((json.loads(line) for line in jsonl.splitlines()), key=lambda r: r["id"])


def test_cli_ingest_and_export_match_sqlite_and_a_reingest_adds_nothing(pg_url, tmp_path):
    lite = str(tmp_path / "store.db")
    for db in (pg_url, lite):
        done = cli(db, "ingest", str(EXAMPLES), "--json", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert (summary["added"], summary["documents_in_store"]) == (5, 5)
    assert json.loads(cli(pg_url, "ingest", str(EXAMPLES), "--json", cwd=tmp_path).stdout)[
        "store"
    ] == redact(pg_url)
    again = cli(pg_url, "ingest", str(EXAMPLES), "--json", cwd=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["added"] == 0
    exported = {db: cli(db, "export", "--format", "jsonl", cwd=tmp_path) for db in (pg_url, lite)}
    assert all(done.returncode == 0 for done in exported.values())
    records = by_id(exported[pg_url].stdout)
    assert len(records) == 5
    assert records == by_id(exported[lite].stdout)
    pg_stats = json.loads(cli(pg_url, "stats", "--json", cwd=tmp_path).stdout)
    lite_stats = json.loads(cli(lite, "stats", "--json", cwd=tmp_path).stdout)
    for stats in (pg_stats, lite_stats):
        del stats["store"], stats["schema_version"]
    assert pg_stats == lite_stats
    shown = cli(pg_url, "show", records[0]["id"][:10], "--json", cwd=tmp_path)
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == records[0]["id"]
    word = records[0]["title"].split()[0]
    found = json.loads(cli(pg_url, "search", word, "--json", cwd=tmp_path).stdout)["items"]
    assert records[0]["id"] in {hit["id"] for hit in found}


def test_two_cli_ingests_at_once_store_each_document_once(pg_url, tmp_path):
    files = sorted(EXAMPLES.iterdir())
    first = [str(f) for f in files[:4]]
    second = [str(f) for f in reversed(files[1:])]
    open_store(pg_url).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "presstrace", "--db", pg_url, "ingest", *paths, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for paths in (first, second)
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    added = sum(json.loads(out)["added"] for out, _ in outputs)
    assert added == 5
    store = open_store(pg_url)
    assert store.count() == 5
    store.close()


def test_cli_reports_an_unreachable_server_on_one_line(tmp_path):
    url = f"postgresql://analyst:hunter2@127.0.0.1:{_closed_port()}/corpus"
    done = cli(url, "stats", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("presstrace: postgresql://analyst@127.0.0.1:")
    assert "hunter2" not in done.stderr and "refused" in lines[0]
