"""Taxonomy narrative labels: the shipped SemEval taxonomies, zero-shot labels with evidence on
real passages, no war/climate labels on unrelated news, training moving labels the right
way, and the label-file and taxonomy-file errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import needs_shared

from presstrace.group.narrative_examples import ExamplesError, read
from presstrace.group.narratives import Classifier, Settings
from presstrace.group.taxonomy import OTHER, TaxonomyError, load, load_set, shipped_files

DATA = Path(__file__).resolve().parents[1] / "data" / "narratives"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_set(shipped_files()))


@pytest.fixture(scope="module")
def bare() -> Classifier:
    """The classifier at its bare decision boundary, without the shipped taxonomies' extra
    margin (min_margin), which makes it say "Other" on nearly all real news."""
    return Classifier(load_set(shipped_files()), settings=Settings(min_margin=0.0))


def passages(half: int | None = None) -> list[dict]:
    rows = [json.loads(x) for x in (DATA / "passages.jsonl").read_text().splitlines() if x]
    return [r for r in rows if half is None or int(r["id"][1:]) % 2 == half]


def narratives_of(labels, parent) -> set[str]:
    return {parent[x] for x in labels if x != OTHER} or {OTHER}


def test_shipped_taxonomies_hold_every_official_label_with_texts():
    taxonomies = load_set(shipped_files())
    official = (DATA / "semeval2025_labels.txt").read_text(encoding="utf-8").splitlines()
    assert len(official) == 117
    assert set(official) <= set(taxonomies.labels())
    assert {t.domain for t in taxonomies.taxonomies} == {"URW", "CC"}
    for t in taxonomies.taxonomies:
        assert t.keywords and t.topic.description
        for n in t.narratives:
            for node in (n, *n.subnarratives):
                assert node.description and len(node.examples) >= 3, node.label


def test_a_bad_taxonomy_file_is_one_line_naming_the_file(tmp_path):
    broken = tmp_path / "mine.yaml"
    broken.write_text("domain: X\ntopic: {description: d, examples: [a]}\nnarratives:\n  - x: [\n")
    with pytest.raises(TaxonomyError) as err:
        load(broken)
    assert str(broken) in str(err.value) and "\n" not in str(err.value)
    assert "line" in str(err.value)
    missing = tmp_path / "missing.yaml"
    missing.write_text(
        "domain: X\ntopic: {description: war news, examples: [a war]}\n"
        "narratives:\n  - name: N\n    description: d\n"
    )
    with pytest.raises(TaxonomyError, match=r"missing\.yaml: narrative 'N': 'examples'"):
        load(missing)


def test_zero_shot_labels_real_passages_with_evidence_from_the_text(bare, classifier):
    parent = bare.taxonomies.parent()
    held = passages(half=0)
    found = given = right = 0
    for p, labels in zip(held, bare.classify_many([p["text"] for p in held]), strict=True):
        for label in labels:
            assert label.evidence, label
            assert all(sentence in p["text"] for sentence in label.evidence)
            assert 0.0 < label.score < 1.0
        assert len({x.label for x in labels}) == len(labels)
        for label in labels:  # a sub-narrative never comes without its narrative
            if label.label != OTHER:
                assert parent[label.label] in {x.label for x in labels}
        gold = narratives_of(p["labels"], parent)
        got = narratives_of([x.label for x in labels], parent)
        found += bool(gold & got)
        given += got != {OTHER}
        right += got != {OTHER} and bool(gold & got)
    # measured: the classifier abstains ("Other") unless one narrative stands out; it names
    # a narrative for 20 of the 40 held-out passages, the right one for 13, and is right
    # (narrative or Other) for 15
    assert given >= 12 and right >= 0.55 * given, (right, given)
    assert found >= 12, found
    # with the shipped margin (taxonomy min_margin, chosen on real news where half the
    # articles push nothing) it names a narrative only when it stands out far: measured, 3 of
    # the 40 held-out passages, all three right
    strict = [
        (narratives_of(p["labels"], parent), narratives_of([x.label for x in labels], parent))
        for p, labels in zip(held, classifier.classify_many([p["text"] for p in held]), strict=True)
    ]
    named = [(gold, got) for gold, got in strict if got != {OTHER}]
    assert 2 <= len(named) < given, (len(named), given)
    assert all(gold & got for gold, got in named), named


def test_a_denial_label_is_argued_by_denials_not_by_affirmations(bare):
    """"Ice is not melting" is argued by a sentence that denies the melting; a report that the
    ice is melting is the opposite claim, even though a static embedding puts the two close."""
    denial = "CC: Downplaying climate change: Ice is not melting"
    affirm = (
        "Arctic sea ice is melting away faster than scientists expected, a new climate study "
        "found. The polar bear's sea ice habitat is melting, the researchers said."
    )
    deny = (
        "Arctic sea ice is not melting at all, whatever the climate alarmists say. The ice "
        "caps are not shrinking and the polar bears are doing fine."
    )
    a, d = bare.score(affirm), bare.score(deny)
    assert a.gated == d.gated == ["CC"]
    za = dict(zip(a.labels, a.z.tolist(), strict=True))[denial]
    zd = dict(zip(d.labels, d.z.tolist(), strict=True))[denial]
    assert zd > za + 1.0, (zd, za)


def test_min_margin_comes_from_the_taxonomy_file(tmp_path):
    shipped = load_set(shipped_files())
    assert {t.domain: t.min_margin for t in shipped.taxonomies} == {"CC": 1.0, "URW": 1.0}
    bad = tmp_path / "bad.yaml"
    text = (shipped_files()[0]).read_text(encoding="utf-8")
    bad.write_text(text.replace("min_margin: 1.0", "min_margin: -1"), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="min_margin"):
        load(bad)


def test_unrelated_news_gets_no_war_or_climate_labels(classifier):
    docs = [json.loads(x) for x in needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text()
            .splitlines()]  # fmt: skip
    results = classifier.classify_many([d["text"] for d in docs])
    labelled = [d["id"] for d, r in zip(docs, results, strict=True) if r]
    rehab = [r for d, r in zip(docs, results, strict=True) if d["topic"] == 1]
    assert rehab and not any(rehab), "a celebrity's rehab is neither war nor climate"
    narrative = [d for d, r in zip(docs, results, strict=True) if any(x.label != OTHER for x in r)]
    # measured: 7 of 413 (6 of them from topic 9, on the Bush rule about global warming)
    assert len(narrative) <= 12, [d["id"] for d in narrative]
    assert len(labelled) <= 25


def test_training_moves_held_out_passages_towards_their_labels(classifier):
    parent = classifier.taxonomies.parent()
    tune, held = passages(half=1), passages(half=0)
    training = classifier.learn([(p["text"], p["labels"]) for p in tune])
    trained = Classifier(classifier.taxonomies, training, classifier.settings)
    before = classifier.score_many([p["text"] for p in held])
    raised = 0
    hits = {"zero-shot": 0, "trained": 0}
    for p, doc in zip(held, before, strict=True):
        gold = narratives_of(p["labels"], parent) - {OTHER}
        zero, learned = classifier.logits(doc), trained.logits(doc)
        for label in gold & set(zero):
            raised += learned[label] > zero[label]
        for name, model in (("zero-shot", classifier), ("trained", trained)):
            got = narratives_of([x.label for x in model.labels_of(doc)], parent)
            hits[name] += bool(got & (gold or {OTHER}))
    # measured: 17 of the 36 gold narratives gain; right narrative for 26 passages, not 24
    assert raised >= 12, raised
    assert hits["trained"] > hits["zero-shot"], hits


def test_label_files_in_the_three_layouts(tmp_path):
    known = set(load_set(shipped_files()).labels())
    label = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(
        json.dumps({"text": "Kyiv obeys Washington.", "labels": [label, "URW: Nope"]})
        + "\n"
        + json.dumps({"id": "abc123", "labels": ["Other"]})
        + "\n"
    )
    got = read(jsonl, known)
    assert [e.labels for e in got.items] == [[label], ["Other"]]
    assert got.items[1].doc_id == "abc123"
    assert got.warnings == [f"{jsonl}: line 1: unknown label 'URW: Nope' (ignored)"]

    csv = tmp_path / "b.csv"
    csv.write_text(f'text,labels\n"Kyiv obeys, always.","{label};Other"\n')
    assert read(csv, known).items[0].labels == [label, "Other"]

    folder = tmp_path / "EN"
    (folder / "raw-documents").mkdir(parents=True)
    (folder / "raw-documents" / "EN_1.txt").write_text("Kyiv obeys Washington.")
    tsv = folder / "subtask-2-annotations.txt"
    tsv.write_text(f"EN_1.txt\tURW: Discrediting Ukraine\t{label}\n")
    item = read(tsv, known).items[0]
    assert item.text == "Kyiv obeys Washington."
    assert item.labels == ["URW: Discrediting Ukraine", label]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"text": "a", "labels": ["Other"]}\n{"text": "b", labels: []}\n', "line 2: not valid"),
        ('{"text": "a", "labels": []}\n', "line 1: no labels"),
        ('{"labels": ["Other"]}\n', "line 1: needs a non-empty 'text' or 'id'"),
        ("EN_9.txt\tOther\tOther\n", "line 1: article EN_9.txt not found"),
        ("title,body\nx,y\n", "line 1: expected JSON Lines"),
        ('{"text": "a", "labels": ["Nope"]}\n', "none of its labels is in the taxonomy"),
    ],
)
def test_a_bad_label_file_is_one_line_naming_file_and_line(tmp_path, content, problem):
    path = tmp_path / "labels.txt"
    path.write_text(content)
    with pytest.raises(ExamplesError) as err:
        read(path, set(load_set(shipped_files()).labels()))
    message = str(err.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message


def test_real_reporting_language_and_refutation_abstain(classifier):
    """Real on-topic reporting is "Other" with topic evidence; a refuted claim is no evidence;
    a language the classifier cannot read and an off-topic text get no label, with a reason."""
    from presstrace.group.narratives import abstention, denies, refutes

    seeds = sorted(needs_shared("seeds").glob("*.txt"))
    results = classifier.classify_many([p.read_text(encoding="utf-8") for p in seeds])
    others = [r for r in results if [x.label for x in r] == [OTHER]]
    # measured: 4 of the 5 seeds (Western analysis of Putin's power) get "Other"; the Kursk
    # report no longer draws "Russia will also attack other countries" from its denials
    # ("We did not attack Putin"), one seed still gets "Overpraising the West"
    assert len(others) >= 4, [[x.label for x in r] for r in results]
    assert all(r[0].evidence for r in results)
    assert refutes("Russian propaganda falsely claims that Kyiv started the war.")
    assert not refutes("It is Kyiv that started this war, and the West armed it.")
    assert refutes("Allegations of a coup in Kyiv are typical rhetoric of the Kremlin.")
    assert refutes("This is not true: the Ukrainian army did not shell the city.")
    assert not refutes("The Kyiv regime is a puppet that takes its orders from Washington.")
    assert refutes("That is a myth.") and not refutes("He is the Kremlin's chief myth-maker.")
    assert denies("We did not attack Putin.") and not denies("Nothing will stop Russia.")
    assert abstention("de", []) == "no narrative classifier for language 'de'"
    assert abstention(None, []) == "no narrative classifier for language 'unknown'"
    assert abstention("en", []) == "off-domain"
    impeachment = (
        "The House impeachment inquiry heard testimony on Tuesday about the July phone call. "
        "Witnesses said the president asked Ukraine's new leader, Volodymyr Zelensky, to "
        "announce investigations into a political rival. "
        * 1
        + "Democrats said the request was an abuse of power. Republicans called the inquiry a "
        "sham and said the transcript showed no pressure. The committee will vote next week. "
        "Legal scholars disagreed about whether the conduct met the constitutional standard. "
        "The White House refused to let several officials testify, citing executive privilege. "
        "Polls show the country split along party lines on whether to remove the president. "
        "Senators prepared for a trial that could start in January. "
        * 2
        + "Some aid to Ukraine was delayed for weeks, officials said."
    )
    assert classifier.classify(impeachment) == []


def test_sub_narratives_are_listed_under_their_own_narrative():
    from presstrace.store.narratives import nested

    rows = [
        {"label": "Other", "documents": 50},
        {"label": "URW: Discrediting Ukraine: Ukraine is a puppet of the West", "documents": 9},
        {"label": "CC: Criticism of climate movement", "documents": 4},
        {"label": "URW: Discrediting Ukraine", "documents": 3},
        {"label": "URW: Discrediting the West, Diplomacy: Other", "documents": 2},
        {
            "label": "CC: Criticism of climate movement: Climate movement is alarmist",
            "documents": 1,
        },
    ]
    got = [(r["label"], r["parent"], r["documents"]) for r in nested(rows)]
    assert got == [
        ("CC: Criticism of climate movement", None, 4),
        (
            "CC: Criticism of climate movement: Climate movement is alarmist",
            "CC: Criticism of climate movement",
            1,
        ),
        ("URW: Discrediting Ukraine", None, 3),
        (
            "URW: Discrediting Ukraine: Ukraine is a puppet of the West",
            "URW: Discrediting Ukraine",
            9,
        ),
        ("URW: Discrediting the West, Diplomacy", None, 0),  # its row is made, not borrowed
        (
            "URW: Discrediting the West, Diplomacy: Other",
            "URW: Discrediting the West, Diplomacy",
            2,
        ),
        ("Other", None, 50),
    ]


def test_learned_heads_give_calibrated_labels_with_evidence_from_the_text(classifier, monkeypatch):
    """With enough labelled documents a label gets a learned head: its label carries the
    head's probability (in (0, 1), the score --min-score filters on) and the sentences the
    head rates highest, taken from the text and never a sentence that refutes its claim."""
    from presstrace.group import narrative_head
    from presstrace.group.narratives import refutes

    # the hand-written passages hold 3 to 5 documents per narrative in each half: lower the
    # bar so that they train heads (the shipped bar is for real training sets)
    monkeypatch.setattr(narrative_head, "MIN_DOCS", 3)
    rows = passages()
    training = classifier.learn([(p["text"], p["labels"]) for p in rows])
    trained = Classifier(classifier.taxonomies, training, classifier.settings)
    assert "URW: Discrediting Ukraine" in trained.heads
    parent = classifier.taxonomies.parent()
    learned = 0
    for p, labels in zip(rows, trained.classify_many([p["text"] for p in rows]), strict=True):
        for x in labels:
            assert 0.0 < x.score < 1.0
            if x.label in trained.heads and parent.get(x.label) == x.label:
                learned += 1
                assert x.evidence and all(s in p["text"] for s in x.evidence)
                assert not any(refutes(s) for s in x.evidence)
    # measured: 33 of the 80 training passages get a learned narrative back
    assert learned >= 10, learned
    refuted = (
        "Russian propaganda falsely claims that Ukraine is ruled by Nazis and that Kyiv "
        "started the war in Donbas. Fact-checkers debunked the claim that the Ukrainian army "
        "shelled its own cities."
    )
    assert [x.label for x in trained.classify(refuted)] == [OTHER]
    # stance per sentence: a refuting sentence is not used, a negated one counts for less
    from presstrace.group.narratives import NEGATED_PENALTY

    doc = trained.score(
        "Kyiv takes its orders from Washington. NATO did not surround Russia at all. "
        "VoxCheck has already refuted the fake about the shelling of Donetsk."
    )
    assert len(doc.sentences) == 3
    offsets = trained._stance_offsets(doc, "URW: Discrediting Ukraine")
    assert offsets.tolist() == [0.0, -NEGATED_PENALTY, float("-inf")] and NEGATED_PENALTY > 0


class MemoryHeads:
    """A HeadCache in a dict, counting what was written."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.writes = 0

    def get(self, key: str) -> bytes | None:
        return self.blobs.get(key)

    def put(self, key: str, blob: bytes) -> None:
        self.blobs[key] = blob
        self.writes += 1


def test_fitted_heads_are_read_back_while_the_training_is_unchanged(classifier, monkeypatch):
    """Heads are fitted once per training: a second classifier on the same training reads
    them from the cache (no fit at all) and labels exactly as the first; a changed training
    is fitted anew under another key."""
    from presstrace.group import narrative_head

    monkeypatch.setattr(narrative_head, "MIN_DOCS", 3)  # the passages hold 3-5 per label
    rows = passages()
    training = classifier.learn([(p["text"], p["labels"]) for p in rows])
    cache = MemoryHeads()
    first = Classifier(classifier.taxonomies, training, classifier.settings, cache)
    assert first.heads and cache.writes == 1
    fits = []
    real_fit = narrative_head.fit
    monkeypatch.setattr(narrative_head, "fit", lambda ex: fits.append(1) or real_fit(ex))
    again = Classifier(classifier.taxonomies, training, classifier.settings, cache)
    assert fits == [] and cache.writes == 1
    assert sorted(again.heads) == sorted(first.heads)
    for label, head in first.heads.items():
        kept = again.heads[label]
        assert np.array_equal(kept.weights, head.weights)
        assert (kept.bias, kept.a, kept.b, kept.fitted_on) == (
            head.bias, head.a, head.b, head.fitted_on)  # fmt: skip
    texts = [p["text"] for p in rows[:12]]
    assert again.classify_many(texts) == first.classify_many(texts)
    fewer = classifier.learn([(p["text"], p["labels"]) for p in rows[:-1]])
    Classifier(classifier.taxonomies, fewer, classifier.settings, cache)
    assert fits and cache.writes == 2 and len(cache.blobs) == 2
