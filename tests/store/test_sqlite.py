"""The SQLite store on real files: schema, atomic batches, lookup, search, resumability."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from presstrace.model import Document, Published, RawDocument, Removed
from presstrace.store import StoreError, open_store
from presstrace.store.migrations import SCHEMA_VERSION


def make_pair(text: str, title: str | None = None, date: str | None = None):
    digest = hashlib.sha256(text.encode()).hexdigest()
    raw = RawDocument(id=digest, source=f"{digest[:8]}.txt", content=text)
    doc = Document(
        id=digest,
        source=raw.source,
        title=title,
        text=text,
        removed=[Removed("[ad_1]", "ad-marker")],
        published=Published(date=date, earliest=date, latest=date, confidence=0.9),
        language="en",
    )
    return raw, doc


def test_new_store_is_at_current_schema_and_reopens_unchanged(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(str(path))
    assert store.schema_version == SCHEMA_VERSION
    store.add_batch([make_pair("Kyiv said the drones were shot down.")])
    store.close()
    again = open_store(str(path))
    assert again.schema_version == SCHEMA_VERSION
    assert again.count() == 1


def test_store_from_a_newer_presstrace_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this presstrace"):
        open_store(str(path))


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert "\n" not in str(info.value) and "notes.db" in str(info.value)
    assert path.read_text().startswith("these are my notes")  # never overwritten


def test_batch_is_all_or_nothing(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    store.add_batch([make_pair("First stored article about Belgorod.")])
    good = make_pair("Second article, about the Kremlin drone attack.")
    bad_raw, bad_doc = make_pair("Third article, whose record cannot be serialised.")
    bad_doc.hints = {"oops": object()}  # json.dumps fails half-way through the batch
    with pytest.raises(TypeError):
        store.add_batch([good, (bad_raw, bad_doc)])
    assert store.count() == 1
    assert store.get(good[1].id) is None


def test_adding_the_same_documents_twice_changes_nothing(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    pairs = [make_pair(f"Article number {i} about the Wagner mutiny.") for i in range(5)]
    assert store.add_batch(pairs) == 5
    before = store.list(limit=10)
    assert store.add_batch(pairs) == 0
    assert store.list(limit=10) == before
    assert store.existing_ids(p[0].id for p in pairs) == {p[0].id for p in pairs}


def test_get_by_prefix_and_round_trip(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    raw, doc = make_pair("Putin chairs a meeting of the Security Council.", "Title", "2024-08-23")
    store.add_batch([(raw, doc)])
    got = store.get(doc.id[:8])
    assert got == doc
    assert store.get(doc.id[:3]) is None  # too short to be unambiguous
    assert store.raw_content(doc.id) == raw.content


def test_search_ranks_title_matches_and_treats_syntax_as_text(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    store.add_batch(
        [
            make_pair("Drones flew toward Moscow overnight.", "Drone attack on Moscow"),
            make_pair("A long piece on grain exports, which mentions drone once.", "Grain"),
            make_pair("Nothing relevant here at all.", "Other"),
        ]
    )
    hits = store.search("drone*")
    assert [h.title for h in hits] == ["Drone attack on Moscow", "Grain"]
    assert "[" in hits[0].snippet
    assert store.search('AND "OR -x: NEAR(') == []  # no FTS syntax error


def test_stats_and_streaming_iteration(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    pairs = [make_pair(f"Report {i}.", date=f"2023-05-0{i + 1}") for i in range(7)]
    store.add_batch(pairs)
    assert [d.id for d in store.iter_documents(batch=3)] == [p[1].id for p in pairs]
    stats = store.stats()
    assert stats["documents"] == 7 and stats["dated"] == 7
    assert (stats["earliest"], stats["latest"]) == ("2023-05-01", "2023-05-07")
    assert stats["languages"] == {"en": 7}


def test_directory_given_as_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))
