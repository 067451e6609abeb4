"""The narratives step and commands as a user runs them: labels after ingest, incremental and
resumable, re-ingest changes nothing, training re-labels the corpus, one-line errors, and the
same labels on PostgreSQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import needs_shared

from presstrace.pipeline import ingest
from presstrace.steps import narratives as step
from presstrace.store import narratives as table
from presstrace.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url

DATA = Path(__file__).resolve().parents[1] / "data" / "narratives"
SKIP = ["--skip", "extract", "--skip", "stories", "--skip", "threads"]  # not what is tested


def passages_jsonl(tmp_path: Path, half: int) -> Path:
    rows = [json.loads(x) for x in (DATA / "passages.jsonl").read_text().splitlines() if x]
    path = tmp_path / f"passages{half}.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": r["id"], "text": r["text"]}) + "\n"
            for r in rows
            if int(r["id"][1:]) % 2 == half
        )
    )
    return path


def training_file(tmp_path: Path) -> Path:
    rows = [json.loads(x) for x in (DATA / "passages.jsonl").read_text().splitlines() if x]
    path = tmp_path / "labels.jsonl"
    path.write_text(
        "".join(
            json.dumps({"text": r["text"], "labels": r["labels"]}) + "\n"
            for r in rows
            if int(r["id"][1:]) % 2 == 1
        )
    )
    return path


def steps_of(result) -> dict:
    return json.loads(result.stdout)["steps"]["narratives"]


def test_labels_after_ingest_incremental_reingest_and_training(run_cli, tmp_path):
    seeds = needs_shared("seeds")
    first = run_cli("ingest", str(seeds), "--json", *SKIP)
    assert first.returncode == 0, first.stderr
    assert steps_of(first)["labelled"] == 5
    listed = json.loads(run_cli("narratives", "--json").stdout)
    assert listed and all(r["documents"] >= 1 and r["first_date"] for r in listed)
    assert {r["label"].split(":")[0] for r in listed} <= {"URW", "Other"}

    # a re-ingest changes nothing; new documents are the only ones labelled
    again = run_cli("ingest", str(seeds), "--json", *SKIP)
    assert steps_of(again) == {"labelled": 0}
    added = run_cli("ingest", str(passages_jsonl(tmp_path, 0)), "--json", *SKIP)
    assert steps_of(added)["labelled"] == 40
    assert json.loads(run_cli("narratives", "--json").stdout) != listed

    # one label's documents, with evidence sentences that are in the document
    label = max(listed, key=lambda r: r["documents"])["label"]
    docs = json.loads(run_cli("narratives", label, "--json").stdout)
    assert docs and all(d["evidence"] for d in docs)
    shown = run_cli("show", docs[0]["doc_id"])
    assert "Narratives (" in shown.stdout.decode() and label in shown.stdout.decode()
    for sentence in docs[0]["evidence"]:
        assert sentence in shown.stdout.decode().replace("\n", " ") or len(sentence) > 150

    # --min-score keeps only labels scored at least that: zero-shot narratives carry the rate
    # they are right at on real news (0.16), an explicit "Other" 0.50
    everything = json.loads(run_cli("narratives", "--json").stdout)
    sure = json.loads(run_cli("narratives", "--json", "--min-score", "0.4").stdout)
    assert any(r["label"] != "Other" and r["documents"] for r in everything)
    assert [r["label"] for r in sure if r["documents"]] == ["Other"]
    assert sure[-1]["documents"] == everything[-1]["documents"]
    assert json.loads(run_cli("narratives", label, "--json", "--min-score", "0.99").stdout) == []

    # training re-labels the whole corpus, and an unknown label is a warning
    labels = training_file(tmp_path)
    with labels.open("a") as f:
        f.write(json.dumps({"text": "Kyiv is shelled.", "labels": ["URW: No such thing"]}) + "\n")
        f.write(json.dumps({"id": docs[0]["doc_id"], "labels": [label]}) + "\n")  # stored
    trained = run_cli("train-narratives", str(labels), "--json")
    assert trained.returncode == 0, trained.stderr
    summary = json.loads(trained.stdout)
    assert summary["examples"] == 41 and summary["labelled"] == 45
    assert "unknown label 'URW: No such thing'" in trained.stderr.decode()
    assert steps_of(run_cli("ingest", str(seeds), "--json", *SKIP)) == {"labelled": 0}
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({"id": "f" * 64, "labels": [label]}) + "\n")
    result = run_cli("train-narratives", str(unknown))
    assert result.returncode == 1 and result.stderr.decode().strip() == (
        f"presstrace: train-narratives: {unknown}: line 1: no stored document with id {'f' * 64}"
    )


def test_bad_taxonomy_or_label_file_is_one_line(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain: X\nnarratives: []\n")
    doc = tmp_path / "a.txt"
    doc.write_text("Russian troops shelled Kyiv again, Ukrainian officials said.\n")
    result = run_cli("train-narratives", str(training_file(tmp_path)), "--taxonomy", str(bad))
    err = result.stderr.decode().strip()
    assert result.returncode == 1 and len(err.splitlines()) == 1
    assert str(bad) in err and "'topic'" in err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "x", "labels": ["Other"]}\nnot json\n')
    result = run_cli("train-narratives", str(broken))
    err = result.stderr.decode().strip()
    assert result.returncode == 1 and err == (
        f"presstrace: train-narratives: {broken}: line 2: not valid JSON (Expecting value)"
    )


def test_the_step_resumes_where_it_stopped(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    try:
        skip = ["narratives", "extract", "stories", "threads"]
        ingest([str(passages_jsonl(tmp_path, 1))], store, skip_steps=skip)
        classifier, version = step.load_classifier(store)
        first = table.pending(store, version, "", 15)
        step.label_batch(store, classifier, version, first)  # then "interrupted"
        assert table.pending_count(store, version) == 25
        assert step.run(store, progress=False, jobs=1)["labelled"] == 25
        assert step.run(store, progress=False, jobs=1) == {"labelled": 0}
        rows = store.sql("SELECT doc_id, label, evidence FROM narrative_labels")
        marked = store.sql("SELECT doc_id FROM narrative_docs WHERE version = ?", (version,))
        docs = {d.id: d for d in store.iter_documents()}
    finally:
        store.close()
    assert {r["doc_id"] for r in marked} == set(docs)
    # 3 of the 40 passages name no war or climate keyword (short texts): no label at all
    assert len({r["doc_id"] for r in rows}) >= 35
    for r in rows:
        assert r["label"] in {x.label for x in docs[r["doc_id"]].narratives}
        assert all(s in docs[r["doc_id"]].text for s in json.loads(r["evidence"]))


def labels_on(location: str, path: Path, training: Path) -> dict:
    store = open_store(location)
    try:
        ingest([str(path)], store, skip_steps=["extract", "stories", "threads"])
        with store.corpus_lock():
            step.train(store, str(training))
        rows = store.sql("SELECT doc_id, label, score, evidence FROM narrative_labels")
    finally:
        store.close()
    return {(r["doc_id"], r["label"]): (round(r["score"], 3), r["evidence"]) for r in rows}


def test_postgres_gives_the_labels_sqlite_gives(pg_url, tmp_path):
    path, training = passages_jsonl(tmp_path, 0), training_file(tmp_path)
    on_pg = labels_on(pg_url, path, training)
    assert on_pg == labels_on(str(tmp_path / "s.db"), path, training)
    # five climate passages name no climate word the gate takes ("planet", "temperatures",
    # "heat waves" alone also fill other pages): no label for them
    assert len({doc for doc, _ in on_pg}) >= 34


USER_TAXONOMY = """\
domain: NBA
title: Professional basketball
topic:
  description: News about NBA teams, players, coaches and games.
  examples: [The team won its third game in a row., The coach praised his players.]
  keywords: [NBA, basketball, coach*, Sixers, 76ers, playoff*]
narratives:
  - name: The coach is to blame
    description: A losing team's problems are the head coach's fault, and he must go.
    examples:
      - The team fired its head coach after a string of losses.
      - The coach was shown the door after a disappointing season.
      - Management blamed the coach for the team's collapse.
"""


def test_a_user_taxonomy_from_the_environment(run_cli, tmp_path, monkeypatch):
    lines = needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text().splitlines()
    docs = [x for x in lines if json.loads(x)["topic"] in (1, 5)]  # rehab, 76ers coach
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("\n".join(docs) + "\n")
    mine = tmp_path / "nba.yaml"
    mine.write_text(USER_TAXONOMY)
    monkeypatch.setenv("PRESSTRACE_TAXONOMIES", str(mine))
    ingested = run_cli("ingest", str(corpus), "--json", *SKIP)  # one record cleans to nothing
    assert steps_of(ingested)["labelled"] >= 40, ingested.stderr
    listed = {r["label"] for r in json.loads(run_cli("narratives", "--json").stdout)}
    assert listed <= {"NBA: The coach is to blame", "NBA: The coach is to blame: Other", "Other"}
    labelled = json.loads(run_cli("narratives", "NBA: The coach is to blame", "--json").stdout)
    assert len(labelled) >= 5
    store = open_store(str(run_cli.db))
    try:
        texts = [store.get(row["doc_id"]).text for row in labelled]
    finally:
        store.close()
    for text in texts:  # all about a fired coach, none about the actresses' rehab
        assert "coach" in text.lower() and "rehab" not in text, text[:200]

    monkeypatch.setenv("PRESSTRACE_TAXONOMIES", str(tmp_path / "nowhere.yaml"))
    more = tmp_path / "more.txt"
    more.write_text("The Sixers fired their coach after the NBA season ended badly.\n")
    result = run_cli("ingest", str(more), *SKIP)
    err = result.stderr.decode().strip()
    assert result.returncode == 1 and len(err.splitlines()) == 1 and "nowhere.yaml" in err


def test_the_step_says_why_a_document_has_no_label(tmp_path):
    """A language the classifier cannot read and an off-topic article: no label, and the
    reason in `abstained`, merged with what other stages recorded."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "de.txt").write_text(
        "Russische Truppen haben in der Nacht erneut die ukrainische Hauptstadt Kiew mit "
        "Raketen und Drohnen angegriffen, teilte die Militärverwaltung am Morgen mit. "
        "Die Luftabwehr habe die meisten Geschosse abgefangen, sagte ein Sprecher. " * 3
    )
    (folder / "en.txt").write_text(
        "The city council approved a new budget for the public library on Tuesday evening. "
        "The library will extend its opening hours and buy more children's books next year, "
        "the mayor said after the vote. Residents welcomed the decision at the meeting. " * 3
    )
    store = open_store(str(tmp_path / "s.db"))
    try:
        ingest([str(folder)], store, skip_steps=["extract", "stories", "threads"])
        docs = {Path(d.source).name: d for d in (store.get(r["id"]) for r in store.sql(
            "SELECT id FROM documents"))}  # fmt: skip
        assert docs["de.txt"].language == "de" and not docs["de.txt"].narratives
        assert docs["de.txt"].abstained["narratives"] == (
            "no narrative classifier for language 'de'"
        )
        assert docs["en.txt"].abstained["narratives"] == "off-domain"
        store.patch([(docs["en.txt"].id, {"abstained": {"entities": "test", "narratives": "x"}})])
        classifier, version = step.load_classifier(store)
        rows = [r for r in table.pending(store, "other-version", "", 10)]
        step.label_batch(store, classifier, "other-version", rows)
        assert store.get(docs["en.txt"].id).abstained == {
            "entities": "test",
            "narratives": "off-domain",
        }
    finally:
        store.close()


def test_an_ingest_with_unchanged_training_fits_no_head(tmp_path, monkeypatch):
    """train-narratives fits the heads once and keeps them in the store; a later ingest
    (another process, same training) reads them back and labels its new documents without
    fitting anything."""
    from presstrace.group import narrative_head

    monkeypatch.setattr(narrative_head, "MIN_DOCS", 3)  # the passages hold 3-5 per label
    store = open_store(str(tmp_path / "s.db"))
    try:
        skip = ["extract", "stories", "threads"]
        ingest([str(passages_jsonl(tmp_path, 1))], store, skip_steps=skip)
        with store.corpus_lock():
            step.train(store, str(training_file(tmp_path)))
        kept = store.sql("SELECT key FROM narrative_heads")
        assert len(kept) == 1
        fits = []
        monkeypatch.setattr(narrative_head, "fit", lambda ex: fits.append(ex))
        classifier, _ = step.load_classifier(store)
        assert classifier.heads and fits == []
        summary = ingest([str(passages_jsonl(tmp_path, 0))], store, skip_steps=skip)
        assert summary.steps["narratives"]["labelled"] == 40, summary
        assert fits == [] and store.sql("SELECT key FROM narrative_heads") == kept
        scores = store.sql("SELECT score FROM narrative_labels")
    finally:
        store.close()
    assert scores and all(0.0 < r["score"] < 1.0 for r in scores)
