"""The stories step on PostgreSQL gives the stories SQLite gives for the same input, and a copy
joins its canonical's story."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url


def corpus(tmp_path: Path) -> Path:
    """ECB+ topic 1 (two rehab stories) and a reprint of one of its articles."""
    lines = needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text().splitlines()
    chosen = [x for x in lines if json.loads(x)["topic"] == 1]
    record = json.loads(chosen[0])
    text = record["text"]
    reprint = {"id": "reprint", "text": "Entertainment news\n" + text + "\nRead more: gossip\n"}
    path = tmp_path / "topic1.jsonl"
    path.write_text("\n".join([*chosen, json.dumps(reprint)]) + "\n")
    return path


def stories_of(location: str, path: Path) -> tuple[dict[str, str], list[dict]]:
    store = open_store(location)
    try:
        report = ingest([str(path)], store)
        assert report.steps["stories"]["assigned"] == report.added
        assert ingest([str(path)], store).steps["stories"] == {"assigned": 0, "new_stories": 0}
        rows = store.sql("SELECT doc_id, story_id, how FROM story_members ORDER BY doc_id")
        docs = {d.id: d for d in store.iter_documents()}
    finally:
        store.close()
    assert all(docs[r["doc_id"]].story_id == r["story_id"] for r in rows)
    return {r["doc_id"]: r["story_id"] for r in rows}, [
        {**r, "duplicate_of": docs[r["doc_id"]].duplicate_of} for r in rows
    ]


def test_postgres_step_matches_sqlite_and_copies_follow_their_canonical(pg_url, tmp_path):
    path = corpus(tmp_path)
    on_pg, rows = stories_of(pg_url, path)
    on_sqlite, _ = stories_of(str(tmp_path / "s.db"), path)
    assert on_pg == on_sqlite
    copies = [r for r in rows if r["duplicate_of"]]
    assert copies, "the reprint was not found as a copy"
    for r in copies:
        assert r["how"] == "copy" and on_pg[r["doc_id"]] == on_pg[r["duplicate_of"]]
    assert 2 <= len(set(on_pg.values())) < len(on_pg) / 2
