"""Narrative threads on the five seed articles: five events, one argument (Putin's hold on
power is weakening), so one thread; its label, evidence and span come from the articles; the
step is incremental and a re-ingest changes nothing."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import needs_shared, score_seed_export

from presstrace.group.thread_arguments import argument_sentences
from presstrace.pipeline import ingest
from presstrace.store import open_store


def _seed_text(name: str) -> str:
    return (needs_shared("seeds") / name).read_text(encoding="utf-8")


def test_argument_sentences_are_assessments_not_event_reports():
    doc = next(d for d in _threads_store_docs() if d["source"].endswith("000_bff60568e5864210.txt"))
    chosen = [s.text for s in argument_sentences(doc["title"], doc["text"])]
    assert any("weakened Vladimir Putin’s grip" in s for s in chosen)
    assert any("likely to increase pressure" in s for s in chosen)
    # event reporting: figures of the drone attack are not the argument
    assert not any("shoot down 11 drones" in s for s in chosen)
    assert not any("1,150 square kilometers" in s for s in chosen)


_DOCS: list[dict] = []


def _threads_store_docs() -> list[dict]:
    """The seeds as cleaned by the pipeline (no corpus steps: only title and text needed)."""
    if not _DOCS:
        seeds = needs_shared("seeds")
        from presstrace.ingest import read_inputs
        from presstrace.pipeline import build_document

        _DOCS.extend(
            {"source": raw.source, "title": d.title, "text": d.text}
            for raw in read_inputs([str(seeds)])
            for d in [build_document(raw)]
        )
    return _DOCS


def test_seeds_form_one_thread(run_cli, tmp_path):
    scores = score_seed_export(run_cli, tmp_path)
    assert scores["figures"]["one_thread"] == 1.0, scores["misses"]

    listed = json.loads(run_cli("threads", "--json").stdout)
    assert len(listed) == 1
    thread = listed[0]
    docs = {
        json.loads(line)["id"]: json.loads(line)
        for line in (tmp_path / "export.jsonl").read_text().splitlines()
    }
    assert thread["size"] == 5 and thread["stories"] == 5
    # label: a short claim taken from the articles' own words
    assert 3 <= len(thread["label"].split()) <= 13
    label_words = thread["label"].rstrip("…").split()
    assert any(
        " ".join(label_words) in f"{d['title'] or ''} {' '.join(d['text'].split())}"
        for d in docs.values()
    )
    assert "putin" in thread["label"].lower() or "putin" in thread["terms"]
    # evidence: sentences of member articles, several articles speaking
    assert len(thread["evidence"]) >= 3
    assert len({e["doc_id"] for e in thread["evidence"]}) >= 3
    for e in thread["evidence"]:
        doc = docs[e["doc_id"]]
        assert e["sentence"] in " ".join(f"{doc['title'] or ''}\n{doc['text']}".split())
    # span: first and last publication dates of its articles
    dates = sorted(d["published"]["date"] for d in docs.values() if d["published"]["date"])
    assert (thread["first_date"], thread["last_date"]) == (dates[0], dates[-1])

    one = json.loads(run_cli("threads", thread["thread_id"][:8], "--json").stdout)
    assert [d["published_date"] for d in one["documents"]] == sorted(
        d["published_date"] for d in one["documents"]
    )
    text = run_cli("threads", thread["thread_id"]).stdout.decode()
    assert thread["label"] in text and "Evidence:" in text
    shown = run_cli("show", next(iter(docs))).stdout.decode()
    assert f"Thread {thread['thread_id']}" in shown


def _threads_of(store) -> dict[str, str | None]:
    return {d.id: d.thread_id for d in store.iter_documents()}


def _tables(store) -> tuple:
    return (
        store.sql("SELECT * FROM threads ORDER BY thread_id"),
        store.sql("SELECT doc_id, component FROM thread_docs ORDER BY doc_id"),
        store.sql("SELECT a, b FROM thread_links ORDER BY a, b"),
    )


def test_incremental_ingest_gives_the_one_shot_threads_and_reingest_changes_nothing(tmp_path):
    seeds = sorted(needs_shared("seeds").glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for path in seeds[:2]:
        shutil.copy(path, first)
    for path in seeds[2:]:
        shutil.copy(path, second)

    one_shot = open_store(str(tmp_path / "one.db"))
    ingest([str(p) for p in seeds], one_shot)
    expected = _threads_of(one_shot)

    store = open_store(str(tmp_path / "two.db"))
    report = ingest([str(first)], store)
    assert report.steps["threads"]["new_documents"] == 2
    report = ingest([str(second)], store)
    assert report.steps["threads"]["new_documents"] == 3
    got = _threads_of(store)
    assert len(set(got.values())) == 1 and None not in got.values()
    assert got == expected  # same members and the same id, whatever the ingest order

    before = _tables(store)
    report = ingest([str(p) for p in seeds], store)
    assert report.steps["threads"] == {"new_documents": 0}
    assert _tables(store) == before and _threads_of(store) == got
    one_shot.close()
    store.close()


@pytest.mark.parametrize("name", ["004_735e68dbe1491b54.txt"])
def test_an_article_alone_has_no_thread(tmp_path, name):
    """One article argues with no one: it gets no thread (thread_id null), and its argument
    is kept so a later article can join it."""
    path = tmp_path / name
    path.write_text(_seed_text(name), encoding="utf-8")
    store = open_store(str(tmp_path / "s.db"))
    ingest([str(path)], store)
    [doc] = list(store.iter_documents())
    assert doc.thread_id is None
    assert store.sql("SELECT count(*) AS n FROM threads")[0]["n"] == 0
    row = store.sql("SELECT sentences, vector FROM thread_docs")[0]
    assert json.loads(row["sentences"]) and row["vector"] is not None
    store.close()


def test_interrupted_run_resumes_to_the_same_threads(tmp_path, monkeypatch):
    """Ctrl-C after the first batch of the threads step: the next run finishes the rest and
    the threads are those of an uninterrupted run."""
    from presstrace.steps import threads as step

    seeds = needs_shared("seeds")
    whole = open_store(str(tmp_path / "whole.db"))
    ingest([str(seeds)], whole)
    expected = _threads_of(whole)
    whole.close()

    store = open_store(str(tmp_path / "cut.db"))
    ingest([str(seeds)], store, skip_steps=["threads"])
    monkeypatch.setattr(step, "BATCH", 2)
    real = step.process_batch
    calls = []

    def interrupted(*args, **kwargs):
        if calls:
            raise KeyboardInterrupt
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(step, "process_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        step.run(store, progress=False, jobs=1)
    assert store.sql("SELECT count(*) AS n FROM thread_docs")[0]["n"] == 2
    monkeypatch.setattr(step, "process_batch", real)
    assert step.run(store, progress=False, jobs=1)["new_documents"] == 3
    assert _threads_of(store) == expected
    store.close()


def test_thread_labels_read_as_claims():
    from presstrace.group.threads import is_claim_label

    assert is_claim_label("Putin’s grip on Russia is faltering")
    assert is_claim_label("Kremlin insiders fear the regime could collapse…")
    for fragment in ("One could only assume it' s", "It is over now", "The war is lost for",
                     "Putin ' s grip is slipping", "analysts say the end is near"):  # fmt: skip
        assert not is_claim_label(fragment), fragment


def test_a_confident_sub_narrative_is_the_claim_an_article_argues():
    from presstrace.model import Document, NarrativeLabel
    from presstrace.steps.threads import claim_keys, pushes_unknown_claim, with_claim_evidence

    sub = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    text = (
        "Kyiv takes its orders from Washington. Every decision is made by its sponsors. "
        "The weather was mild on Tuesday."
    )
    labels = [
        NarrativeLabel(
            "URW: Discrediting Ukraine", 0.9, ["Kyiv takes its orders from Washington."]
        ),
        NarrativeLabel(
            sub,
            0.9,
            ["Kyiv takes its orders from Washington.", "Every decision is made by its sponsors."],
        ),  # fmt: skip
        NarrativeLabel("URW: Praise of Russia: Other", 0.95, ["x"]),
    ]
    assert claim_keys(labels) == [f"claim:{sub}"]
    assert claim_keys([NarrativeLabel(sub, 0.6, ["x"])]) == []  # not confident
    # a narrative pushed with confidence but no confident claim: no thread at all; a
    # zero-shot narrative (0.16) or "Other" leaves the article to the actor rule
    narrative = "URW: Discrediting Ukraine"
    assert pushes_unknown_claim([NarrativeLabel(narrative, 0.7, ["x"]),
                                 NarrativeLabel(f"{narrative}: Other", 0.7, ["x"])])  # fmt: skip
    assert pushes_unknown_claim([NarrativeLabel(sub, 0.6, ["x"])])
    assert not pushes_unknown_claim(labels)
    assert not pushes_unknown_claim([NarrativeLabel(narrative, 0.16, ["x"])])
    assert not pushes_unknown_claim([NarrativeLabel("Other", 0.5, ["x"])])
    doc = Document("d", "d.txt", text=text, language="en", narratives=labels)
    found = with_claim_evidence([], doc)
    assert [(s.text, s.position) for s in found] == [
        ("Kyiv takes its orders from Washington.", 1),
        ("Every decision is made by its sponsors.", 2),
    ]


def test_a_short_quote_pushing_a_confident_claim_argues_it_in_one_sentence():
    """A one-sentence real quote keyed by a confident sub-narrative has an argument (its
    claim's evidence sentence) and the claim as its only actor; the same quote without the
    confident claim argues too little (one sentence) for a thread."""
    from presstrace.model import Document, NarrativeLabel
    from presstrace.steps.threads import analyse

    sub = "URW: Discrediting Ukraine: Ukraine is associated with nazism"
    text = "The Kyiv regime is run by neo-Nazis who glorify Hitler's collaborators."
    keyed = Document("a", "a.txt", text=text, language="en", narratives=[
        NarrativeLabel("URW: Discrediting Ukraine", 0.9, [text]), NarrativeLabel(sub, 0.9, [text]),
    ])  # fmt: skip
    plain = Document("b", "b.txt", text=text, language="en", narratives=[])
    got = analyse([keyed, plain])
    assert got[0].vector is not None and got[0].actors == frozenset({f"claim:{sub}"})
    assert [s.text for s in got[0].sentences] == [text]
    assert got[1].vector is None and not got[1].actors


def test_only_full_names_make_a_person_an_actor():
    from presstrace.group.thread_arguments import ArgumentSentence
    from presstrace.group.threads import argument_actors

    sentences = [
        ArgumentSentence("Harry could be the weak link, critics warn.", 0, 3.0),
        ArgumentSentence("Vladimir Putin is likely to face more pressure, analysts say.", 2, 3.0),
    ]
    entities = [
        ("person:harry", "PERSON", ("Harry",), 5),
        ("person:vladimir-putin", "PERSON", ("Vladimir Putin", "Putin"), 4),
    ]
    assert argument_actors(sentences, entities) == frozenset({"person:vladimir-putin"})
