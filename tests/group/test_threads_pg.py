"""The threads step on PostgreSQL gives the threads SQLite gives for the same input (same
members, ids, labels and evidence), and a second run there changes nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url


def threads_of(location: str, seeds: Path) -> tuple[dict, list[dict]]:
    store = open_store(location)
    try:
        report = ingest([str(seeds)], store)
        assert report.steps["threads"]["new_documents"] == 5
        assert ingest([str(seeds)], store).steps["threads"] == {"new_documents": 0}
        members = {d.id: d.thread_id for d in store.iter_documents()}
        rows = store.sql(
            "SELECT thread_id, label, size, first_date, last_date, evidence, terms, stories "
            "FROM threads ORDER BY thread_id"
        )
    finally:
        store.close()
    return members, rows


def test_postgres_threads_match_sqlite(pg_url, tmp_path):
    seeds = needs_shared("seeds")
    on_pg, rows_pg = threads_of(pg_url, seeds)
    on_sqlite, rows_sqlite = threads_of(str(tmp_path / "s.db"), seeds)
    assert on_pg == on_sqlite
    assert len(set(on_pg.values())) == 1 and None not in on_pg.values()
    assert rows_pg == rows_sqlite and len(rows_pg) == 1
