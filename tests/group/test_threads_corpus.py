"""Threads among ../shared/data: the five seeds ingested with the 413 ECB+ news documents and
the 105 trafilatura pages into one store. The seeds' thread must hold the seeds and nothing
else, and the threads that form over unrelated news must not lump different topics."""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.store import open_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """One SQLite store with ECB+ (one .txt per document), the trafilatura pages (.html) and
    the seeds, ingested once for the module (extraction of ~520 documents takes a while)."""
    root = tmp_path_factory.mktemp("threads-corpus")
    ecb_dir, traf_dir = root / "ecb", root / "traf"
    ecb_dir.mkdir(), traf_dir.mkdir()
    for line in needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text().splitlines():
        d = json.loads(line)
        (ecb_dir / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    traf = needs_shared("data", "trafilatura-eval")
    for line in (traf / "cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        name = Path(case["file"]).name.removesuffix(".gz")
        (traf_dir / name).write_bytes(gzip.decompress((traf / case["file"]).read_bytes()))
    store = open_store(str(root / "corpus.db"))
    # the taxonomy labels are not needed here: threads work without them
    report = ingest(
        [str(ecb_dir), str(traf_dir), str(needs_shared("seeds"))],
        store,
        jobs=2,
        skip_steps=["narratives"],
    )
    # two ECB+ documents are only a headline and a date line: nothing left after cleaning
    assert report.added >= 515 and len(report.failures) <= 2
    docs = store.sql("SELECT id, source, story_id, thread_id FROM documents")
    yield store, docs, report
    store.close()


def _kind(source: str) -> tuple[str, str]:
    name = Path(source).name
    if "/seeds/" in source:
        return "seed", name
    m = re.match(r"(\d+)_\d+ecb", name)
    return ("ecb", m.group(1)) if m else ("page", name)


def test_seeds_thread_holds_exactly_the_seeds(corpus):
    _, docs, _ = corpus
    seeds = [d for d in docs if _kind(d["source"])[0] == "seed"]
    assert len(seeds) == 5
    threads = {d["thread_id"] for d in seeds}
    assert len(threads) == 1 and None not in threads
    members = [d for d in docs if d["thread_id"] in threads]
    assert sorted(d["id"] for d in members) == sorted(d["id"] for d in seeds)


def test_threads_over_unrelated_news_stay_within_a_topic(corpus):
    """ECB+ is event reporting on 18 unrelated topics: a thread mixing topics, or mixing ECB+
    with the web pages, would be a thread made of style, not of a shared claim."""
    _, docs, _ = corpus
    by_thread = defaultdict(set)
    for d in docs:
        if d["thread_id"]:
            by_thread[d["thread_id"]].add(_kind(d["source"]))
    for members in by_thread.values():
        kinds = {k for k, _ in members}
        assert len(kinds) == 1, members
        if kinds == {"ecb"}:
            assert len({topic for _, topic in members}) == 1, members
    threaded = sum(1 for d in docs if d["thread_id"])
    assert threaded < len(docs) / 4  # most of this news argues nothing in common


def test_every_thread_row_matches_its_members(corpus):
    store, docs, _ = corpus
    members = defaultdict(list)
    for d in docs:
        if d["thread_id"]:
            members[d["thread_id"]].append(d)
    rows = {r["thread_id"]: r for r in store.sql("SELECT * FROM threads")}
    assert set(rows) == set(members)
    for thread_id, row in rows.items():
        assert row["size"] == len(members[thread_id])
        assert row["label"]
        evidence = json.loads(row["evidence"])
        assert evidence and {e["doc_id"] for e in evidence} <= {m["id"] for m in members[thread_id]}
        assert len({m["story_id"] or m["id"] for m in members[thread_id]}) >= 2


def test_reingest_changes_nothing(corpus):
    store, docs, _ = corpus
    before = store.sql("SELECT * FROM threads ORDER BY thread_id")
    seeds = needs_shared("seeds")
    report = ingest([str(seeds)], store, skip_steps=["narratives"])
    assert report.steps["threads"] == {"new_documents": 0}
    assert store.sql("SELECT * FROM threads ORDER BY thread_id") == before
    after = store.sql("SELECT id, thread_id FROM documents")
    assert {d["id"]: d["thread_id"] for d in after} == {d["id"]: d["thread_id"] for d in docs}
