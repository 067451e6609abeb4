"""The stories step reads only the stored stories a batch's days can reach (issue 17): the
result is the one of reading every story, on real ECB+ articles spread over weeks, some
undated, in several ingests and small batches; the date-span query is the same on both
backends."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np
from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.steps import stories as step
from presstrace.store import open_store
from presstrace.store import stories as table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url
location = server.location

SKIP = ["extract", "narratives", "threads"]


def chunks(tmp_path: Path) -> list[Path]:
    """ECB+ topics 1-4, each subtopic's articles over a week of its own (every ninth one
    undated), ingested a few days at a time: an ingest's articles reach stories of the days
    before, outside their own span."""
    lines = needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text().splitlines()
    docs = [json.loads(x) for x in lines if json.loads(x)["topic"] <= 4]
    seen: dict[tuple, int] = {}
    out: list[list[str]] = [[], [], []]
    for i, d in enumerate(docs):
        k = seen[d["topic"], d["subtopic"]] = seen.get((d["topic"], d["subtopic"]), -1) + 1
        offset = k % 7
        day = date(2023, 1, 1).toordinal() + (d["topic"] - 1) * 30 + offset
        day += 14 if d["subtopic"] == "ecbplus" else 0
        record = {"id": d["id"], "text": d["text"]}
        if i % 9:
            record["date"] = date.fromordinal(day).isoformat()
        out[0 if offset < 3 else 1 if offset < 5 else 2].append(json.dumps(record))
    paths = []
    for n, part in enumerate(out):
        path = tmp_path / f"chunk{n}.jsonl"
        path.write_text("\n".join(part) + "\n")
        paths.append(path)
    return paths


def stories_of(path: Path, files: list[Path]) -> tuple[list, list]:
    store = open_store(str(path))
    try:
        for f in files:
            ingest([str(f)], store, skip_steps=SKIP)
        members = store.sql("SELECT doc_id, story_id, how, score FROM story_members ORDER BY 1")
        stories = store.sql("SELECT * FROM stories ORDER BY story_id")
        return [tuple(r.values()) for r in members], [tuple(r.values()) for r in stories]
    finally:
        store.close()


def test_windowed_reading_gives_the_stories_of_reading_all(tmp_path, monkeypatch):
    files = chunks(tmp_path)
    monkeypatch.setattr(step, "BATCH", 8)
    read: list[tuple[int, int]] = []  # (stories read by date span, stories stored)
    between = table.centroids_between

    def spy(store, first, last):
        rows = between(store, first, last)
        read.append((len(rows), table.story_count(store)))
        return rows

    monkeypatch.setattr(table, "centroids_between", spy)
    windowed = stories_of(tmp_path / "window.db", files)
    assert any(n < stored for n, stored in read), read  # a batch left stories unread
    monkeypatch.setattr(
        step._StoredStories, "load_for", lambda self, arts: self._put(table.centroids(self.store))
    )
    everything = stories_of(tmp_path / "all.db", files)
    assert windowed == everything
    assert len({s for _, s, _, _ in windowed[0]}) < len(windowed[0])  # stories were joined


def test_date_span_query(location):
    store = open_store(location)
    try:
        vector = np.ones(4, dtype=np.float32).tobytes()
        rows = [
            ("s1", "a", 1, "2023-01-01", "2023-01-05", vector, 1, "{}"),
            ("s2", "b", 1, "2023-01-10", "2023-01-20", vector, 1, "{}"),
            ("s3", "c", 1, "2023-02-01", "2023-02-01", vector, 1, "{}"),
            ("s4", "d", 1, None, None, vector, 1, "{}"),
        ]
        with store.transaction():
            table.save_batch(store, rows, [])
        ids = [r[0] for r in table.centroids_between(store, "2023-01-05", "2023-01-12")]
        assert ids == ["s1", "s2"]
        assert [r[0] for r in table.centroids_between(store, "2023-01-21", "2023-01-31")] == []
        assert [r[0] for r in table.undated_centroids(store)] == ["s4"]
        assert [r[0] for r in table.centroids(store)] == ["s1", "s2", "s3", "s4"]
        got = table.entity_document_counts(store, ["person:x"])
        assert got == {}  # no extraction tables, or no such entity
    finally:
        store.close()


def test_a_batch_reads_the_stories_within_the_date_gate(location):
    """Stories 0-7 days from an article's dates are read, 8 days are not, undated ones
    always; an undated article reads every story."""
    from presstrace.group import stories as stage

    store = open_store(location)
    try:
        vector = np.ones(stage.DIM, dtype=np.float32).tobytes()
        spans = {
            "s-before-7": ("2023-01-01", "2023-01-03"),  # 7 days before the 10th
            "s-before-8": ("2022-12-20", "2023-01-02"),
            "s-after-7": ("2023-01-19", "2023-01-30"),  # 7 days after the 12th
            "s-after-8": ("2023-01-20", "2023-01-21"),
            "s-over": ("2022-12-01", "2023-03-01"),
            "s-undated": (None, None),
        }
        rows = [(s, s, 1, a, b, vector, 1, "{}") for s, (a, b) in spans.items()]
        with store.transaction():
            table.save_batch(store, rows, [])
        settings = stage.Settings()
        day = date(2023, 1, 10).toordinal()
        dated = stage.Article("a", np.ones(stage.DIM), {}, day, day, day + 2)
        stored = step._StoredStories(store, stage.CentroidIndex(stage.DIM, settings), settings)
        stored.load_for([dated])
        assert sorted(stored.index.ids) == ["s-after-7", "s-before-7", "s-over", "s-undated"]
        stored.load_for([stage.Article("b", np.ones(stage.DIM), {})])  # undated
        assert sorted(stored.index.ids) == sorted(spans)
    finally:
        store.close()


def test_date_span_query_walks_the_span_index(tmp_path):
    store = open_store(str(tmp_path / "plan.db"))
    try:
        plan = store.sql(
            f"EXPLAIN QUERY PLAN SELECT {table._CENTROID} "
            "WHERE s.last_date >= ? AND s.first_date <= ?",
            ("2023-01-01", "2023-01-31"),
        )
        assert any("stories_span" in r["detail"] for r in plan), plan
    finally:
        store.close()
