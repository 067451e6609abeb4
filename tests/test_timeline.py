"""`presstrace timeline` on a real ingested corpus (the five seeds and two ECB+ topics, all
corpus steps run): its buckets must add up to the dates the export shows, undated articles
counted apart, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import needs_shared

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "store"))  # pg_server, the PostgreSQL fixture

import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url

ECB_TOPICS = (2, 3)  # 41 documents, ECB+ dated and undated alike
LOW = 0.5  # store.timeline.LOW_CONFIDENCE, restated: the test checks the documented rule


def cli(db: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "presstrace", "--db", db, *args],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def timeline_json(db: str, *args: str) -> dict:
    done = cli(db, "timeline", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """{db, docs (the export's records)}: seeds + two ECB+ topics through the real CLI."""
    seeds = needs_shared("seeds")
    ecb = needs_shared("data", "ecbplus-dev", "docs.jsonl")
    tmp = tmp_path_factory.mktemp("timeline")
    subset = tmp / "ecb.jsonl"
    with subset.open("w", encoding="utf-8") as out:
        for line in ecb.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["topic"] in ECB_TOPICS:
                out.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
    db = str(tmp / "store.db")
    done = cli(db, "ingest", str(seeds), str(subset))
    assert done.returncode == 0, done.stderr
    export = cli(db, "export", "--format", "jsonl")
    docs = [json.loads(line) for line in export.stdout.splitlines()]
    return {"db": db, "docs": docs}


def month(day: str) -> str:
    return day[:7] + "-01"


def monday(day: str) -> str:
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


@pytest.mark.parametrize(("by", "start_of"), [("day", str), ("week", monday), ("month", month)])
def test_corpus_buckets_equal_the_documents_dates(corpus, by, start_of):
    docs = corpus["docs"]
    t = timeline_json(corpus["db"], "--by", by)
    dated = [d for d in docs if d["published"]["date"]]
    assert t["by"] == by and t["kind"] == "corpus"
    assert t["articles"] == len(docs) and t["dated"] == len(dated)
    assert t["undated"] == len(docs) - len(dated) > 0  # ECB+ has undated articles: counted
    expected = Counter(start_of(d["published"]["date"][:10]) for d in dated)
    got = {b["start"]: b["articles"] for b in t["buckets"] if b["articles"]}
    assert got == dict(expected)
    low = Counter(start_of(d["published"]["date"][:10]) for d in dated
                  if d["published"]["confidence"] < LOW)  # fmt: skip
    assert {b["start"]: b["low_confidence"] for b in t["buckets"] if b["low_confidence"]} == low
    assert t["low_confidence"] == sum(low.values())
    # contiguous buckets, gaps kept as zeros, each one ends the day before the next starts
    for a, b in zip(t["buckets"], t["buckets"][1:], strict=False):
        assert date.fromisoformat(a["end"]) + timedelta(days=1) == date.fromisoformat(b["start"])
    quotes = sum(len(d["quotes"]) for d in docs)
    undated_quotes = sum(len(d["quotes"]) for d in docs if not d["published"]["date"])
    assert t["quotes"] == quotes and t["quotes_undated"] == undated_quotes
    assert sum(b["quotes"] for b in t["buckets"]) == quotes - undated_quotes
    assert t["first"]["published_date"][:10] == min(d["published"]["date"] for d in dated)[:10]
    assert t["last"]["published_date"][:10] == max(d["published"]["date"] for d in dated)[:10]


def test_auto_bucket_follows_the_span(corpus):
    t = timeline_json(corpus["db"])
    span = (date.fromisoformat(t["last"]["published_date"][:10])
            - date.fromisoformat(t["first"]["published_date"][:10])).days  # fmt: skip
    assert t["by"] == ("day" if span <= 62 else "week" if span <= 366 else "month")


def test_story_timeline_and_who_reported_first(corpus):
    docs = corpus["docs"]
    sizes = Counter(d["story_id"] for d in docs if d["story_id"])
    story, size = sizes.most_common(1)[0]
    assert size > 1
    members = [d for d in docs if d["story_id"] == story]
    t = timeline_json(corpus["db"], "--story", story)
    assert t["kind"] == "story" and t["id"] == story and t["articles"] == size
    assert t["undated"] == sum(1 for d in members if not d["published"]["date"])
    assert t["quotes"] == sum(len(d["quotes"]) for d in members)
    outlets = t["outlets"]
    assert {o["outlet"] for o in outlets} == {d["outlet"] for d in members if d["outlet"]}
    firsts = [o["first_date"] or "9999" for o in outlets]
    assert firsts == sorted(firsts)
    for o in outlets:
        own = [d["published"]["date"] for d in members if d["outlet"] == o["outlet"]]
        assert o["articles"] == len(own)
        assert o["first_date"] == (min(x for x in own if x)[:10] if any(own) else None)
    text = cli(corpus["db"], "timeline", "--story", story).stdout
    assert text.startswith("Timeline of story") and f"{size} articles" in text


def test_thread_timeline(corpus):
    threads = Counter(d["thread_id"] for d in corpus["docs"] if d["thread_id"])
    assert threads, "the threads step grouped nothing in this corpus (it does on the seeds)"
    thread, size = threads.most_common(1)[0]
    t = timeline_json(corpus["db"], "--thread", thread)
    assert t["articles"] == size and t["dated"] + t["undated"] == size
    assert t["outlets"] is not None


def test_entity_timeline_counts_its_documents_and_its_quotes(corpus):
    docs = corpus["docs"]
    mentions = Counter(e["name"] for d in docs for e in d["entities"] if e["type"] == "PERSON")
    name, n = mentions.most_common(1)[0]
    t = timeline_json(corpus["db"], "--entity", name.lower())
    assert t["kind"] == "entity" and t["label"] == name
    assert t["articles"] == n
    assert t["quotes"] == sum(1 for d in docs for q in d["quotes"] if q["speaker"] == name)


def test_narrative_timeline(corpus):
    labels = Counter(n["label"] for d in corpus["docs"] for n in d["narratives"])
    assert labels, "no narrative labels in this corpus (the seeds carry some)"
    label, n = labels.most_common(1)[0]
    t = timeline_json(corpus["db"], "--narrative", label)
    assert t["kind"] == "narrative" and t["articles"] == n


def test_text_chart_and_errors(corpus):
    done = cli(corpus["db"], "timeline", "--by", "month")
    assert done.returncode == 0
    t = timeline_json(corpus["db"], "--by", "month")
    assert f"{t['undated']} undated" in done.stdout
    bars = [line for line in done.stdout.splitlines() if line[:4].isdigit()]
    peak = max(t["buckets"], key=lambda b: b["articles"])
    assert any(line.startswith(peak["start"][:7]) and f" {peak['articles']} " in line + " "
               for line in bars)  # fmt: skip
    missing = cli(corpus["db"], "timeline", "--story", "no-such-story")
    assert missing.returncode == 1 and "no story" in missing.stderr
    both = cli(corpus["db"], "timeline", "--story", "a", "--thread", "b")
    assert both.returncode == 2


def test_same_timeline_on_postgresql(pg_url, tmp_path):
    """The seeds in a PostgreSQL store give the same buckets as in SQLite (the grouping
    steps are skipped: the corpus timeline and an entity's need dates and extraction)."""
    seeds = needs_shared("seeds")
    sqlite_db = str(tmp_path / "seeds.db")
    skip = ["--skip", "stories", "--skip", "narratives", "--skip", "threads"]
    for db in (pg_url, sqlite_db):
        done = cli(db, "ingest", *skip, str(seeds))
        assert done.returncode == 0, done.stderr
    pg, lite = timeline_json(pg_url, "--by", "week"), timeline_json(sqlite_db, "--by", "week")
    for key in ("articles", "dated", "undated", "low_confidence", "quotes", "buckets"):
        assert pg[key] == lite[key], key
    assert pg["first"]["id"] == lite["first"]["id"]
    person = timeline_json(pg_url, "--entity", "Vladimir Putin")
    assert person["articles"] == timeline_json(sqlite_db, "--entity", "Vladimir Putin")["articles"]
