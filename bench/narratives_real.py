"""Narrative labels on real, publicly labelled propaganda: per source, per narrative, on a split.

Sources (fetched into /work/devdata, read where they lie, never committed; SemEval-2025 Task
10 data is held out and not used):

- VoxCheck "Propaganda diary" (github.com/sergesoroka/propaganda-app, data/dataEng.js): 623
  English quotes from German and Italian outlets 2014-2022, each filed by VoxCheck's
  fact-checkers under a Russian disinformation narrative and a sub-type ("Fakes"). The
  repository states no licence: used here for measurement only (nothing of it is shipped or
  committed). VOXCHECK_MAP below maps its (narrative, sub-type) pairs to the shipped URW
  labels; pairs with no clear counterpart (MH17, Nord Stream 2, an empty narrative) are left
  out. The map was written from the label names alone, before any classifier run.
- CLIMATE-FEVER (github.com/tdiggelm/climate-fever-dataset, dataset/climate-fever.jsonl;
  the repository states no licence, the paper and derived dataset cards give CC BY-SA):
  1,535 real claims about climate found on the web, each judged against Wikipedia evidence.
  They carry no narrative label, so it measures stance, not narrative: a claim REFUTED by the
  evidence is mostly contrarian (it should get a CC narrative), a SUPPORTED one mostly
  mainstream (it should not). Read as "share given a narrative" per verdict.
- Real on-topic articles that push no narrative (tests/data/narratives/real_articles.jsonl):
  the "Other" side of the real dev set.

Split: odd quote ids (VoxCheck) and odd lines (real articles) tune or train, even ones are
held out. Training uses the same path as `presstrace train-narratives` (Classifier.learn).

Run: python bench/narratives_real.py [--sweep] [--calibrate]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from narratives_eval import load_real  # noqa: E402

from presstrace.group.narratives import Classifier, Settings  # noqa: E402
from presstrace.group.taxonomy import OTHER, load_set  # noqa: E402

DEVDATA = Path("/work/devdata/narr13")
VOXCHECK = DEVDATA / "propaganda_dataEng.js"  # data/dataEng.js of sergesoroka/propaganda-app
CLIMATE_FEVER = Path("/work/.mirror/tdiggelm+climate-fever-dataset/repo")  # git snapshot

_B = "URW: Blaming the war on others rather than the invader"
_D = "URW: Discrediting Ukraine"
_V = "URW: Russia is the Victim"
_W = "URW: Discrediting the West, Diplomacy"

# VoxCheck narrative -> sub-type -> the shipped label ("<narrative>: Other" where the
# narrative fits and no sub-narrative does); "*" is every sub-type of that narrative.
VOXCHECK_MAP: dict[str, dict[str, str]] = {
    "Russia is not an agressor towards Ukraine": {"*": f"{_B}: {OTHER}"},
    "Ukraine is conducting an aggressive policy": {"*": f"{_B}: Ukraine is the aggressor"},
    "The West controls Ukraine and uses it to its advantage": {
        "*": f"{_D}: Ukraine is a puppet of the West",
        "The West is fueling the war in Ukraine": f"{_B}: The West are the aggressors",
    },
    "Maidan in 2014 was a coup d'état": {
        "*": f"{_D}: Discrediting Ukrainian government and officials and policies",
        "Nazi coup d'état": f"{_D}: Ukraine is associated with nazism",
        "Maidan was organised or supported by other countries or foreigners, in particular to "
        "remove the ruling class close to Russia and replace it with the usual pro-Western "
        "puppets": f"{_D}: Ukraine is a puppet of the West",
        "Maidan was organised to destabilize Russia": f"{_D}: Ukraine is a puppet of the West",
    },
    "Nazis and ultra-nationalists in Ukraine": {"*": f"{_D}: Ukraine is associated with nazism"},
    "Russia needs to protect itself": {
        "*": f"{_B}: The West are the aggressors",
        'Russia needs to protect "LDPR" citizens':
            f"{_V}: Russia actions in Ukraine are only self-defence",
        "Russia just conducts military exercises near Ukrainian boarders":
            f"{_V}: Russia actions in Ukraine are only self-defence",
        "Ukrainian authorities are preparing the next provocation against Russia":
            f"{_B}: Ukraine is the aggressor",
    },  # fmt: skip
    "Russians are discriminated in Ukraine": {"*": f"{_V}: UA is anti-RU extremists"},
    "Ukraine is a failed state": {
        "*": f"{_D}: Situation in Ukraine is hopeless",
        "Historically, Ukraine is a part of Russia": f"{_D}: Rewriting Ukraine’s history",
    },
    "Schismatic Ukrainian Church": {
        "*": f"{_D}: Discrediting Ukrainian nation and society",
        "Poroshenko has made division among churches in Ukraine":
            f"{_D}: Discrediting Ukrainian government and officials and policies",
    },  # fmt: skip
    "Ukraine is an illiberal state": {
        "*": f"{_D}: Discrediting Ukrainian government and officials and policies"
    },
    "The West is not interested in dealing with Ukraine, moreover, solving its problems.": {
        "*": f"{_W}: The West does not care about Ukraine, only about its interests",
        "The West is tired of Ukraine": f"{_W}: West is tired of Ukraine",
    },
}


def load_voxcheck() -> list[dict]:
    """Mapped VoxCheck quotes: {"id", "text", "labels": [sub-narrative label], "source"}."""
    raw = VOXCHECK.read_text(encoding="utf-8")
    rows = json.loads(raw[raw.index("[") :].rstrip().rstrip(";"))
    out = []
    for row in rows:
        mapping = VOXCHECK_MAP.get(row["Narrative"])
        text = (row.get("Disinfo_cases_en") or "").strip()
        if not mapping or not text:
            continue
        label = mapping.get(row["Fakes"].strip(), mapping["*"])
        out.append({"id": int(row["id"]), "text": text, "labels": [label], "source": "voxcheck"})
    return out


def load_climate_fever() -> list[dict]:
    """CLIMATE-FEVER claims with their verdict (SUPPORTS, REFUTES, DISPUTED, NOT_ENOUGH_INFO)."""
    import subprocess

    blob = subprocess.run(
        ["git", "-C", str(CLIMATE_FEVER), "show", "HEAD:dataset/climate-fever.jsonl"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [json.loads(x) for x in blob.splitlines() if x.strip()]


def narrative_of(label: str, parent: dict[str, str]) -> str:
    return OTHER if label == OTHER else parent.get(label, label)


def predict(classifier: Classifier, docs: list[dict]) -> list[tuple[set[str], set[str]]]:
    """(gold, predicted) label sets with sub-narratives implying their narrative."""
    parent = classifier.taxonomies.parent()
    out = []
    for d, labels in zip(docs, classifier.classify_many([d["text"] for d in docs]), strict=True):
        gold = set(d["labels"]) | {narrative_of(x, parent) for x in d["labels"]}
        pred = {x.label for x in labels} or {OTHER}
        out.append((gold, pred))
    return out


def samples_f1(pairs: list[tuple[set[str], set[str]]], level: str, parent) -> float:
    """SemEval's per-document F1 at one level ("narrative" or "sub"), averaged."""
    scores = []
    for gold, pred in pairs:
        g, p = _level(gold, level, parent), _level(pred, level, parent)
        scores.append(2 * len(g & p) / (len(g) + len(p)) if g or p else 1.0)
    return sum(scores) / len(scores) if scores else 0.0


def _level(labels: set[str], level: str, parent: dict[str, str]) -> set[str]:
    if level == "narrative":
        return {x for x in labels if x == OTHER or parent.get(x) == x}
    return {x for x in labels if x == OTHER or (x in parent and parent[x] != x)}


def per_narrative(pairs, parent) -> list[tuple[str, int, int, int]]:
    """(narrative, true positives, false positives, false negatives) at narrative level."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold, pred in pairs:
        g, p = _level(gold, "narrative", parent), _level(pred, "narrative", parent)
        for x in g & p:
            counts[x][0] += 1
        for x in p - g:
            counts[x][1] += 1
        for x in g - p:
            counts[x][2] += 1
    return sorted((k, *v) for k, v in counts.items())


def report(name: str, pairs, parent) -> None:
    tp = sum(len(_level(g, "narrative", parent) & _level(p, "narrative", parent)) for g, p in pairs)
    given = sum(1 for _, p in pairs if p != {OTHER})
    print(f"| {name} | {len(pairs)} | {given} | "
          f"{samples_f1(pairs, 'narrative', parent):.2f} | {samples_f1(pairs, 'sub', parent):.2f} "
          f"| {tp} |")  # fmt: skip


def balanced_f1(classifier: Classifier, labelled: list[dict], other: list[dict]) -> tuple:
    parent = classifier.taxonomies.parent()
    a, b = predict(classifier, labelled), predict(classifier, other)
    n = (samples_f1(a, "narrative", parent) + samples_f1(b, "narrative", parent)) / 2
    s = (samples_f1(a, "sub", parent) + samples_f1(b, "sub", parent)) / 2
    return n, s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="thresholds on the tuning half")
    args = parser.parse_args()
    started = time.time()
    taxonomies = load_set()
    parent = taxonomies.parent()
    settings = Settings()
    vox = load_voxcheck()
    real = load_real()
    tune_vox, held_vox = [d for d in vox if d["id"] % 2], [d for d in vox if not d["id"] % 2]
    tune_other, held_other = real[0::2], real[1::2]
    print(f"VoxCheck: {len(vox)} mapped quotes ({len(tune_vox)} tune / {len(held_vox)} held out);"
          f" real Other articles {len(tune_other)} / {len(held_other)}")  # fmt: skip
    print("gold narratives:", dict(Counter(narrative_of(d["labels"][0], parent) for d in vox)))
    if args.sweep:
        print("\n| z_narrative | gap | tune balanced narrative F1 | sub | held-out | sub |")
        print("| --- | --- | --- | --- | --- | --- |")
        for zn in (1.6, 1.9, 2.2, 2.5):
            for gap in (0.0, 0.25, 0.5, 0.8):
                c = Classifier(taxonomies, None, replace(settings, z_narrative=zn, gap=gap))
                a = balanced_f1(c, tune_vox, tune_other)
                b = balanced_f1(c, held_vox, held_other)
                print(f"| {zn} | {gap} | {a[0]:.3f} | {a[1]:.3f} | {b[0]:.3f} | {b[1]:.3f} |")
    zero = Classifier(taxonomies, None, settings)
    learned = zero.learn([(d["text"], d["labels"]) for d in tune_vox + tune_other])
    trained = Classifier(taxonomies, learned, settings)
    print("\nSamples F1 (SemEval's per-document F1); held-out half unless said.")
    print("\n| set | docs | given a narrative | narrative F1 | sub F1 | narrative hits |")
    print("| --- | --- | --- | --- | --- | --- |")
    runs = {}
    for cname, c in (("zero-shot", zero), ("trained on tune half", trained)):
        for sname, docs in (("VoxCheck URW", held_vox), ("real Other articles", held_other)):
            pairs = predict(c, docs)
            runs[(cname, sname)] = pairs
            report(f"{sname}, {cname}", pairs, parent)
        n, s = balanced_f1(c, held_vox, held_other)
        print(f"| balanced (labelled and Other weighed equally), {cname} | | | {n:.2f} | {s:.2f} |"
              " |")  # fmt: skip
    for cname in ("zero-shot", "trained on tune half"):
        print(f"\nper narrative, VoxCheck held-out, {cname}:")
        print("| narrative | TP | FP | FN | precision | recall |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, tp, fp, fn in per_narrative(runs[(cname, "VoxCheck URW")], parent):
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            print(f"| {name} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} |")
    claims = load_climate_fever()
    print("\nCLIMATE-FEVER claims (stance only): share given a CC narrative, zero-shot")
    print("| verdict | claims | on topic (any label) | given a narrative |")
    print("| --- | --- | --- | --- |")
    results = zero.classify_many([c["claim"] for c in claims])
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c, labels in zip(claims, results, strict=True):
        row = by[c["claim_label"]]
        row[0] += 1
        row[1] += bool(labels)
        row[2] += any(x.label != OTHER for x in labels)
    for verdict, (n, topical, given) in sorted(by.items()):
        print(f"| {verdict} | {n} | {topical} | {given} ({given / n:.0%}) |")
    print(f"\n({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
