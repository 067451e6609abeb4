"""Taxonomy narrative labels: how well the zero-shot classifier and training do.

There is no labelled narrative set on this machine, so this measures on what can be built
honestly:

- positives: tests/data/narratives/passages.jsonl, 53 short passages written for presstrace
  (see the README there), each with its gold SemEval label; odd-numbered passages are the
  tuning half, even-numbered ones the held-out half;
- negatives: the 413 ECB+ dev documents and the 105 trafilatura pages (cleaned), which are
  not about the war or climate and should get no URW/CC label;
- training gain: learn from the tuning half, label the held-out half; and 5-fold
  cross-validation over all passages (learn from four folds, label the fifth), against
  zero-shot on the same documents;
- the five seeds: what they get, printed for reading.

`--sweep` also prints micro F1 on the tuning half over a grid of thresholds, and the
training settings by 5-fold CV on the tuning half (how the defaults were chosen).
Run: .venv/bin/python bench/narratives_eval.py [--sweep]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from devsets import SHARED, TRAFILATURA_EVAL, load_ecbplus, load_trafilatura_cases  # noqa: E402

from presstrace.group.narratives import Classifier, Settings  # noqa: E402
from presstrace.group.taxonomy import OTHER, load_set  # noqa: E402

PASSAGES = ROOT / "tests" / "data" / "narratives" / "passages.jsonl"


def load_passages() -> list[dict]:
    return [json.loads(x) for x in PASSAGES.read_text(encoding="utf-8").splitlines() if x]


def gold_sets(labels: list[str], parent: dict[str, str]) -> set[str]:
    out = set(labels)
    for label in labels:
        if label != OTHER:
            out.add(parent[label])
    return out


def split_levels(labels: set[str], parent: dict[str, str]) -> tuple[set[str], set[str]]:
    """(narrative-level labels, sub-narrative-level labels); "Other" counts at both."""
    narr = {x for x in labels if x == OTHER or parent.get(x) == x}
    sub = {x for x in labels if x == OTHER or (x in parent and parent[x] != x)}
    return narr, sub


def prf(pairs: list[tuple[set[str], set[str]]]) -> dict[str, float]:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    samples = [
        (2 * len(g & p) / (len(g) + len(p))) if g or p else 1.0 for g, p in pairs
    ]  # SemEval's per-document F1, averaged
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "samples_f1": sum(samples) / len(samples) if samples else 0.0,
    }


def evaluate(classifier: Classifier, passages: list[dict]) -> dict[str, dict[str, float]]:
    parent = classifier.taxonomies.parent()
    predicted = classifier.classify_many([p["text"] for p in passages])
    narr_pairs, sub_pairs = [], []
    for p, labels in zip(passages, predicted, strict=True):
        gold = gold_sets(p["labels"], parent)
        pred = {x.label for x in labels} or {OTHER}
        g_n, g_s = split_levels(gold, parent)
        p_n, p_s = split_levels(pred, parent)
        narr_pairs.append((g_n, p_n))
        sub_pairs.append((g_s, p_s))
    return {"narrative": prf(narr_pairs), "subnarrative": prf(sub_pairs)}


def negatives_texts() -> dict[str, list[str]]:
    from presstrace.clean.html import clean_html

    ecb = [d["text"] for d in load_ecbplus()]
    pages = []
    if TRAFILATURA_EVAL.exists():
        for case in load_trafilatura_cases():
            pages.append(clean_html(case.html, case.url).text)
    return {"ECB+ (413 news documents)": ecb, "trafilatura pages (105)": pages}


def labelled_share(classifier: Classifier, texts: list[str]) -> tuple[int, int, list[str]]:
    results = classifier.classify_many(texts)
    hit = [r for r in results if any(x.label != OTHER for x in r)]
    other = [r for r in results if any(x.label == OTHER for x in r)]
    examples = sorted({x.label for r in hit for x in r})[:5]
    return len(hit), len(other), examples


def train_test(taxonomies, settings: Settings, train: list[dict], test: list[dict]):
    base = Classifier(taxonomies, None, settings)
    learned = base.learn([(p["text"], p["labels"]) for p in train])
    return evaluate(base, test), evaluate(Classifier(taxonomies, learned, settings), test)


def cross_validated(taxonomies, settings: Settings, passages: list[dict], folds: int = 5):
    zero, trained = [], []
    for k in range(folds):
        test = [p for i, p in enumerate(passages) if i % folds == k]
        train = [p for i, p in enumerate(passages) if i % folds != k]
        z, t = train_test(taxonomies, settings, train, test)
        zero.append(z)
        trained.append(t)

    def mean(runs, level, key):
        return sum(r[level][key] for r in runs) / len(runs)

    return {
        name: {
            level: {key: mean(runs, level, key) for key in ("precision", "recall", "f1")}
            for level in ("narrative", "subnarrative")
        }
        for name, runs in (("zero-shot", zero), ("trained", trained))
    }


def sweep_training(taxonomies, settings: Settings, tune: list[dict]) -> None:
    """CONTRAST_WEIGHT by 5-fold CV on the tuning half only."""
    from presstrace.group import narrative_training as nt

    print("\n| contrast weight | CV narrative F1 (zero-shot -> trained) | sub F1 |")
    print("| --- | --- | --- |")
    saved = nt.CONTRAST_WEIGHT
    for weight in (2.0, 5.0, 10.0, 20.0):
        nt.CONTRAST_WEIGHT = weight
        m = cross_validated(taxonomies, settings, tune)
        z, t = m["zero-shot"], m["trained"]
        print(
            f"| {weight} | {z['narrative']['f1']:.3f} -> {t['narrative']['f1']:.3f} "
            f"| {z['subnarrative']['f1']:.3f} -> {t['subnarrative']['f1']:.3f} |"
        )
    nt.CONTRAST_WEIGHT = saved


def row(name: str, m: dict[str, float]) -> str:
    return (
        f"| {name} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | "
        f"{m.get('samples_f1', float('nan')):.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    started = time.time()
    taxonomies = load_set()
    settings = Settings()
    passages = load_passages()
    tune = [p for p in passages if int(p["id"][1:]) % 2 == 1]
    held = [p for p in passages if int(p["id"][1:]) % 2 == 0]
    if args.sweep:
        print("| z_narrative | z_sub | margin | tune narrative F1 | tune sub F1 |")
        print("| --- | --- | --- | --- | --- |")
        for zn in (1.8, 2.0, 2.2, 2.4, 2.6):
            for zs in (2.0, 2.2, 2.4, 2.6):
                for margin in (0.25, 0.5, 1.0, 9.0):
                    c = Classifier(
                        taxonomies,
                        None,
                        replace(settings, z_narrative=zn, z_sub=zs, margin=margin),
                    )
                    m = evaluate(c, tune)
                    n, s = m["narrative"]["f1"], m["subnarrative"]["f1"]
                    print(f"| {zn} | {zs} | {margin} | {n:.3f} | {s:.3f} |")
        sweep_training(taxonomies, settings, tune)
    classifier = Classifier(taxonomies, None, settings)
    print(f"\nsettings: {settings}")
    print("\n| zero-shot | precision | recall | micro F1 | samples F1 |")
    print("| --- | --- | --- | --- | --- |")
    for name, part in (("tuning half", tune), ("held-out half", held)):
        m = evaluate(classifier, part)
        print(row(f"{name}, narratives", m["narrative"]))
        print(row(f"{name}, sub-narratives", m["subnarrative"]))
    print("\n| negatives | documents | with a URW/CC label | labelled Other | labels seen |")
    print("| --- | --- | --- | --- | --- |")
    for name, texts in negatives_texts().items():
        hit, other, labels = labelled_share(classifier, texts)
        print(f"| {name} | {len(texts)} | {hit} | {other} | {'; '.join(labels) or '–'} |")
    print("\n| training | narrative P | R | F1 | sub-narrative P | R | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    zero, trained = train_test(taxonomies, settings, tune, held)
    runs = {"held-out half, zero-shot": zero, "held-out half, trained on tuning half": trained}
    for name, m in cross_validated(taxonomies, settings, passages).items():
        runs[f"5-fold CV, all {len(passages)} passages, {name}"] = m
    for name, m in runs.items():
        n, s = m["narrative"], m["subnarrative"]
        print(
            f"| {name} | {n['precision']:.2f} | {n['recall']:.2f} | {n['f1']:.2f} | "
            f"{s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} |"
        )
    print("\nseeds:")
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        labels = classifier.classify(path.read_text(encoding="utf-8"))
        print(f"  {path.name}: " + "; ".join(f"{x.label} ({x.score:.2f})" for x in labels))
    print(f"\n({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
