"""The command line end to end, in subprocesses, on the bundled examples and files tests make."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES

from presstrace.steps import step_names

CONTRACT = {
    "id", "source", "title", "text", "removed", "published", "outlet", "cited_sources",
    "language", "duplicate_of", "entities", "quotes", "claims", "story_id", "thread_id",
    "narratives",
}  # fmt: skip


def test_ingest_examples_then_reingest_changes_nothing(run_cli):
    first = run_cli.ingested(str(EXAMPLES))
    assert first.returncode == 0, first.stderr
    assert b"added 5 documents" in first.stdout
    export1 = run_cli("export", "--format", "jsonl").stdout
    second = run_cli("ingest", str(EXAMPLES), "--json")
    assert second.returncode == 0
    summary = json.loads(second.stdout)
    assert summary["added"] == 0 and summary["already_stored"] == 5
    assert summary["documents_in_store"] == 5
    assert run_cli("export", "--format", "jsonl").stdout == export1


def test_export_jsonl_follows_the_contract(run_cli):
    run_cli.ingested(str(EXAMPLES))
    lines = run_cli("export", "--format", "jsonl").stdout.decode().splitlines()
    assert len(lines) == 5
    for line in lines:
        record = json.loads(line)
        assert set(record) >= CONTRACT
        assert record["text"] and "\n\n" in record["text"]
        assert set(record["published"]) >= {"date", "earliest", "latest", "confidence", "evidence"}
        assert all({"text", "reason"} <= set(r) for r in record["removed"])
        assert record["language"] == "en"


def test_export_to_file_and_csv(run_cli, tmp_path):
    run_cli.ingested(str(EXAMPLES))
    out = tmp_path / "e.csv"
    done = run_cli("export", "--format", "csv", "-o", str(out))
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 5 and all(r["text"] for r in rows)
    bad = run_cli("export", "-o", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert bad.returncode == 1 and len(bad.stderr.decode().strip().splitlines()) == 1


def test_a_missing_path_fails_alone_and_the_rest_is_taken(run_cli, tmp_path):
    done = run_cli("ingest", str(tmp_path / "nope.txt"), str(EXAMPLES / "003_2b6e72d109a666f1.txt"))
    assert done.returncode == 1
    errors = done.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and "nope.txt" in errors[0]
    assert "Traceback" not in done.stderr.decode()
    assert json.loads(run_cli("stats", "--json").stdout)["documents"] == 1


def test_wrong_usage_exits_2(run_cli):
    assert run_cli("export", "--format", "xml").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_list_show_search_stats(run_cli):
    run_cli.ingested(str(EXAMPLES))
    rows = json.loads(run_cli("list", "--json").stdout)["items"]
    assert len(rows) == 5
    one = next(r for r in rows if r["source"].endswith("002_91d17899cd8f08ab.txt"))
    shown = run_cli("show", one["id"][:10])
    assert shown.returncode == 0
    text = shown.stdout.decode()
    assert "Putin in trouble" in text and "Removed by cleaning" in text
    assert json.loads(run_cli("show", one["id"], "--json").stdout)["id"] == one["id"]
    assert run_cli("show", "ffffffffffff").returncode == 1
    hits = json.loads(run_cli("search", "Prigozhin", "--json").stdout)["items"]
    assert [h["id"] for h in hits] == [one["id"]]
    assert "Prigozhin" in run_cli("search", "Prigozhin").stdout.decode()
    stats = run_cli("stats").stdout.decode()
    assert "documents   5" in stats


def test_stdin_is_ingested(run_cli):
    text = (EXAMPLES / "001_5d58ceaa563ee3a5.txt").read_bytes()
    done = run_cli("ingest", "-", "--json", stdin=text)
    assert done.returncode == 0 and json.loads(done.stdout)["added"] == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_ingest_keeps_whole_batches_and_resumes(run_cli, tmp_path, jobs):
    """Ctrl-C on a terminal signals the whole process group, workers included."""
    paragraphs = [
        p
        for f in sorted(EXAMPLES.glob("*.txt"))
        for p in f.read_text().split("\n\n")
        if len(p) > 80
    ]
    corpus = tmp_path / "big.jsonl"
    with corpus.open("w") as out:
        for i in range(3000):
            body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(6))
            out.write(json.dumps({"text": f"Report number {i}\n\n{body}"}) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "presstrace", "--db", str(run_cli.db), "ingest", str(corpus)]
        + ["--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # a runner started in the background (`cmd &` in a script) ignores SIGINT, and an
        # ignored signal is inherited: give the CLI the terminal's default, as a user has it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(run_cli.db, timeout=1) as conn:
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 200:
            break
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"resume" in err and b"Traceback" not in err
    with sqlite3.connect(run_cli.db) as conn:
        kept = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        fts = conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
    assert 200 <= kept < 3000 and kept % 200 == 0 and fts == kept
    # the corpus steps over 3,000 documents are not what this test is about (each step's
    # folder tests that it resumes); without NER they still cost ~40 s of CPU per run here
    skip = [arg for name in step_names() for arg in ("--skip", name)]
    resumed = run_cli("ingest", str(corpus), "--json", *skip)
    summary = json.loads(resumed.stdout)
    assert summary["already_stored"] == kept
    assert summary["documents_in_store"] == 3000


def test_worker_processes_give_the_same_store(run_cli, tmp_path):
    run_cli.ingested(str(EXAMPLES))
    other = tmp_path / "parallel.db"
    done = run_cli("ingest", str(EXAMPLES), "--jobs", "2", db_path=other)
    assert done.returncode == 0, done.stderr

    def export(db):
        lines = run_cli("export", db_path=db).stdout.decode().splitlines()
        return sorted(lines)

    assert export(other) == export(run_cli.db)


def test_a_page_that_is_all_menu_is_one_failure_not_a_document(run_cli, tmp_path):
    menu = tmp_path / "menu.html"
    links = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
    menu.write_text(f"<html><body><nav><ul>{links}</ul></nav></body></html>")
    done = run_cli("ingest", str(menu), str(EXAMPLES / "002_91d17899cd8f08ab.txt"))
    assert done.returncode == 1
    errors = done.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"presstrace: {menu}: ")
    assert json.loads(run_cli("stats", "--json").stdout)["documents"] == 1


def test_export_parquet_reads_back_with_types(run_cli, tmp_path):
    import pyarrow.parquet as pq

    run_cli.ingested(str(EXAMPLES))
    out = tmp_path / "corpus.parquet"
    assert run_cli("export", "--format", "parquet", "-o", str(out)).returncode == 0
    table = pq.read_table(out)
    assert table.num_rows == 5
    assert str(table.schema.field("chars").type) == "int64"
    rows = {r["source"].rsplit("/", 1)[-1]: r for r in table.to_pylist()}
    zygar = rows["001_5d58ceaa563ee3a5.txt"]
    assert zygar["outlet"] == "Express" and zygar["cited_sources_list"] == ["CNN"]
    assert any(r["reason"] == "link-list" for r in zygar["removed"])  # a list of structs
    assert str(table.schema.field("quotes").type.value_type.field("direct").type) == "bool"
    assert zygar["quote_count"] == len(zygar["quotes"]) > 0
    jsonl = [json.loads(x) for x in run_cli("export").stdout.decode().splitlines()]
    assert sorted(r["id"] for r in jsonl) == sorted(rows[k]["id"] for k in rows)


def test_export_a_table_of_a_query_and_the_outlet_and_places_commands(run_cli):
    """`export QUERY --table`, `outlets`, `outlet NAME`, `places QUERY` (issue 16)."""
    run_cli.ingested(str(EXAMPLES))
    quotes = run_cli("export", "drone", "--table", "quotes", "--format", "csv")
    assert quotes.returncode == 0, quotes.stderr
    rows = list(csv.DictReader(io.StringIO(quotes.stdout.decode())))
    hits = json.loads(run_cli("search", "drone", "--json", "--limit", "200").stdout)["items"]
    assert rows and {r["doc_id"] for r in rows} <= {h["id"] for h in hits}
    every = run_cli("export", "--table", "quotes", "--format", "csv").stdout.decode()
    assert len(every.splitlines()) > len(rows) + 1
    outlets = json.loads(run_cli("outlets", "--json").stdout)
    assert {o["outlet"]: o["documents"] for o in outlets["items"]}["Express"] == 2
    express = json.loads(run_cli("outlet", "Express", "--json").stdout)
    assert express["documents"] == 2 and express["top_entities"]
    assert run_cli("outlet", "Nobody").returncode == 1
    places = json.loads(run_cli("places", "drone", "--json").stdout)
    names = [f["properties"]["name"] for f in places["features"]]
    assert "Moscow" in names and places["documents"] == len(hits)
    bad = run_cli("export", "--table", "tweets")
    assert bad.returncode == 2 and b"invalid choice" in bad.stderr
