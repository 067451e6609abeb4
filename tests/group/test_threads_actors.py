"""The threads step reads the stored arguing articles by actor (`thread_actors`), not all of
them per ingest (issue 17): the seeds ingested one at a time give the threads, links and
components of reading every arguing article, and a store threaded before the table existed
fills it once and goes on to the same threads."""

from __future__ import annotations

import json
import shutil

from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.steps import threads as step
from presstrace.store import open_store
from presstrace.store import threads as table


def one_by_one(tmp_path, name: str) -> list:
    seeds = sorted(needs_shared("seeds").glob("*.txt"))
    folders = []
    for i, seed in enumerate(seeds):
        folder = tmp_path / f"{name}-{i}"
        folder.mkdir()
        shutil.copy(seed, folder / seed.name)
        folders.append(folder)
    return folders


def state(store) -> tuple:
    threads = store.sql("SELECT thread_id, label, size, root FROM threads ORDER BY thread_id")
    links = store.sql("SELECT a, b, similarity FROM thread_links ORDER BY a, b")
    docs = store.sql("SELECT doc_id, component, actors FROM thread_docs ORDER BY doc_id")
    return tuple([tuple(r.values()) for r in rows] for rows in (threads, links, docs))


def test_reading_by_actor_gives_the_threads_of_reading_all(tmp_path, monkeypatch):
    store = open_store(str(tmp_path / "actors.db"))
    read: list[list[str]] = []
    arguing_with = table.arguing_with

    def spy(s, actors):
        found = arguing_with(s, actors)
        read.append([d for d, _, _ in found])
        return found

    monkeypatch.setattr(table, "arguing_with", spy)
    for folder in one_by_one(tmp_path, "a"):
        ingest([str(folder)], store)
    by_actor = state(store)
    rows = store.sql("SELECT actor, doc_id FROM thread_actors")
    arguing = store.sql("SELECT doc_id, actors FROM thread_docs WHERE vector IS NOT NULL")
    assert sorted((r["actor"], r["doc_id"]) for r in rows) == sorted(
        (a, r["doc_id"]) for r in arguing for a in set(json.loads(r["actors"]))
    )
    store.close()
    assert any(read) and by_actor[0]  # stored articles were read, and a thread formed

    monkeypatch.setattr(table, "arguing_with", arguing_with)

    def everything(self, actors):  # what the step did before: every arguing article
        if not self.read:
            rows = self.store.sql("SELECT DISTINCT actor FROM thread_actors")
            self.read.add("*")
            self.index.add(arguing_with(self.store, [r["actor"] for r in rows]))

    monkeypatch.setattr(step.StoredArguments, "load", everything)
    store = open_store(str(tmp_path / "all.db"))
    for folder in one_by_one(tmp_path, "b"):
        ingest([str(folder)], store)
    assert state(store) == by_actor
    store.close()


def test_a_store_threaded_before_the_actor_table_fills_it_once(tmp_path):
    folders = one_by_one(tmp_path, "c")
    whole = open_store(str(tmp_path / "whole.db"))
    for folder in folders:
        ingest([str(folder)], whole)
    expected = state(whole)
    whole.close()

    path = tmp_path / "old.db"
    store = open_store(str(path))
    for folder in folders[:-1]:
        ingest([str(folder)], store)
    with store.transaction():  # as a store made by the code before thread_actors
        store.sql("DROP TABLE thread_actors")
        store.sql("DELETE FROM thread_settings WHERE name = ?", (table.ACTORS_FILLED,))
        store.sql("UPDATE schema_parts SET version = 2 WHERE name = 'threads'")
    store.close()
    store = open_store(str(path))
    ingest([str(folders[-1])], store)
    assert table.setting(store, table.ACTORS_FILLED) == "1"
    assert store.sql("SELECT count(*) AS n FROM thread_actors")[0]["n"] > 0
    assert state(store) == expected
    store.close()
