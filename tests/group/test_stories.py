"""Stories on real inputs through the real CLI: the seeds are five events, ECB+ topics hold two
events each, later ingests join earlier stories, and a re-ingest changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import needs_shared, score_seed_export


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "presstrace", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=db.parent,
    )


def export(db: Path) -> list[dict]:
    out = cli(db, "export", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def ecb_lines() -> list[str]:
    return (needs_shared("data", "ecbplus-dev", "docs.jsonl")).read_text().splitlines()


def gold_of(docs: list[dict], lines: list[str]) -> dict[str, tuple[int, str]]:
    """Document id -> (topic, subtopic) for the documents ingested from an ECB+ JSONL file."""
    gold = {}
    for d in docs:
        if ".jsonl#" in d["source"]:
            record = json.loads(lines[int(d["source"].rsplit("#", 1)[1]) - 1])
            gold[d["id"]] = (record["topic"], record["subtopic"])
    return gold


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The seeds ingested together with every ECB+ document and the trafilatura pages."""
    seeds = needs_shared("seeds")
    pages = needs_shared("data", "trafilatura-eval", "html")
    ecb = needs_shared("data", "ecbplus-dev", "docs.jsonl")
    db = tmp_path_factory.mktemp("mixed") / "store.db"
    out = cli(db, "ingest", str(ecb), str(pages), str(seeds))
    assert out.returncode == 0, out.stderr
    return db, export(db)


def test_seed_scorer_finds_five_distinct_stories(run_cli, tmp_path):
    figures = score_seed_export(run_cli, tmp_path)["figures"]
    assert figures["distinct_stories"] == 1.0


def test_seeds_stay_five_stories_among_other_articles(mixed):
    _, docs = mixed
    seeds = [d for d in docs if "/seeds/" in d["source"]]
    assert len(seeds) == 5
    stories = {d["story_id"] for d in seeds}
    assert None not in stories and len(stories) == 5
    # no ECB+ news of 2008-2013 joined a story about the war in Ukraine
    ecb_stories = {d["story_id"] for d in docs if ".jsonl#" in d["source"]}
    assert not stories & ecb_stories
    assert all(d["story_id"] for d in docs)


def test_two_events_of_one_topic_stay_apart_and_each_mostly_joins(mixed):
    _, docs = mixed
    gold = gold_of(docs, ecb_lines())
    story = {d["id"]: d["story_id"] for d in docs}
    by_event: dict[tuple[int, str], list[str]] = defaultdict(list)
    for doc_id, event in gold.items():
        by_event[event].append(story[doc_id])
    apart = joined = 0
    topics = sorted({t for t, _ in by_event})
    for topic in topics:
        main = {}
        for sub in ("ecb", "ecbplus"):
            top, n = Counter(by_event[(topic, sub)]).most_common(1)[0]
            main[sub] = top
            joined += n / len(by_event[(topic, sub)]) >= 0.5
        apart += main["ecb"] != main["ecbplus"]
    # Tara Reid's rehab (2008) is not Lindsay Lohan's (2013)
    reid = Counter(by_event[(1, "ecb")]).most_common(1)[0][0]
    lohan = Counter(by_event[(1, "ecbplus")]).most_common(1)[0][0]
    assert reid != lohan
    assert apart >= len(topics) - 2, f"{apart}/{len(topics)} topics kept their events apart"
    assert joined >= 0.75 * 2 * len(topics), f"{joined} events have most documents in one story"


def test_a_later_ingest_joins_existing_stories_and_a_reingest_changes_nothing(tmp_path):
    lines = ecb_lines()
    records = [(n, json.loads(line)) for n, line in enumerate(lines)]
    chosen = [(n, r) for n, r in records if r["topic"] in (1, 3)]
    first, second = [], []
    seen: Counter = Counter()
    for n, r in chosen:  # the first half of each event's documents, then the rest
        event = (r["topic"], r["subtopic"])
        total = sum(1 for _, x in chosen if (x["topic"], x["subtopic"]) == event)
        (first if seen[event] < total // 2 else second).append(lines[n])
        seen[event] += 1
    (tmp_path / "first.jsonl").write_text("\n".join(first) + "\n")
    (tmp_path / "second.jsonl").write_text("\n".join(second) + "\n")
    db = tmp_path / "store.db"
    assert cli(db, "ingest", str(tmp_path / "first.jsonl")).returncode == 0
    before = {d["id"]: d["story_id"] for d in export(db)}
    out = cli(db, "ingest", str(tmp_path / "second.jsonl"))
    assert out.returncode == 0, out.stderr
    assert "stories:" in out.stdout + out.stderr
    after = {d["id"]: d["story_id"] for d in export(db)}
    assert all(after[i] == s for i, s in before.items())  # nothing re-clustered
    new = [s for i, s in after.items() if i not in before]
    joined = sum(s in set(before.values()) for s in new)
    assert joined >= 0.7 * len(new), f"only {joined}/{len(new)} new articles joined a story"

    listed = cli(db, "stories", "--json")
    again = cli(db, "ingest", str(tmp_path / "first.jsonl"), str(tmp_path / "second.jsonl"))
    assert again.returncode == 0
    assert {d["id"]: d["story_id"] for d in export(db)} == after
    assert cli(db, "stories", "--json").stdout == listed.stdout


def test_stories_command_lists_and_shows_a_story(mixed):
    db, docs = mixed
    out = cli(db, "stories", "--limit", "5", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 5
    assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
    biggest = rows[0]
    members = [d for d in docs if d["story_id"] == biggest["story_id"]]
    assert biggest["size"] == len(members) > 1
    shown = cli(db, "stories", biggest["story_id"])
    assert shown.returncode == 0
    assert all(m["id"][:12] in shown.stdout for m in members)
    page = cli(db, "show", members[0]["id"])
    assert f"Story {biggest['story_id']}" in page.stdout
    assert cli(db, "stories", "nosuchstory").returncode == 1
