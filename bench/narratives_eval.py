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


REAL = ROOT / "tests" / "data" / "narratives" / "real_articles.jsonl"
ML_PAGES = Path("/work/devdata/ml-pages.jsonl")  # helper-built multilingual pages, if present


def load_real() -> list[dict]:
    """The real on-topic articles of the dev set with their texts (see the README there)."""
    from presstrace.clean.html import clean_html

    refs = [json.loads(x) for x in REAL.read_text(encoding="utf-8").splitlines() if x]
    ecb = {d["id"]: d["text"] for d in load_ecbplus()}
    pages = {c.name: c for c in load_trafilatura_cases()} if TRAFILATURA_EVAL.exists() else {}
    out = []
    for r in refs:
        if r["set"] == "seeds":
            text = (SHARED / "seeds" / r["id"]).read_text(encoding="utf-8")
        elif r["set"] == "ecbplus":
            text = ecb[r["id"]]
        else:
            case = pages[r["id"]]
            text = clean_html(case.html, case.url).text
        out.append({"id": r["id"], "labels": r["labels"], "text": text})
    return out


def balanced(classifier: Classifier, docs: list[dict]) -> dict[str, float]:
    """SemEval samples F1 at both levels, on the labelled and on the "Other" documents apart,
    and their mean (real news is about half "Other": the mean weighs them so)."""
    parent = classifier.taxonomies.parent()
    out = {}
    for group in ("labelled", "other"):
        part = [d for d in docs if (d["labels"] != [OTHER]) == (group == "labelled")]
        if part:
            m = evaluate(classifier, part)
            out[f"{group}_narrative"] = m["narrative"]["samples_f1"]
            out[f"{group}_sub"] = m["subnarrative"]["samples_f1"]
    for level in ("narrative", "sub"):
        values = [out[k] for k in out if k.endswith(level)]
        out[f"balanced_{level}"] = sum(values) / len(values)
    out["labelled_docs"] = sum(1 for d in docs if d["labels"] != [OTHER])
    out["other_docs"] = len(docs) - out["labelled_docs"]
    del parent
    return out


def off_domain_sets() -> dict[str, list[tuple[str, str | None]]]:
    """(text, language) of pages on neither topic: ECB+ dev topics other than 9, the
    trafilatura pages not in the real on-topic set, and helper-built multilingual pages."""
    from presstrace.clean.html import clean_html
    from presstrace.meta import detect_language

    real = {json.loads(x)["id"] for x in REAL.read_text(encoding="utf-8").splitlines() if x}
    sets: dict[str, list[tuple[str, str | None]]] = {
        "ECB+ dev, topics 1-20 but 9": [
            (d["text"], "en") for d in load_ecbplus() if d["topic"] != 9
        ],  # fmt: skip
    }
    if TRAFILATURA_EVAL.exists():
        pages = []
        for case in load_trafilatura_cases():
            if case.name in real or case.name == "theatlantic.com.disasters.html":
                continue
            text = clean_html(case.html, case.url).text
            pages.append((text, detect_language(text)))
        sets["trafilatura eval pages"] = pages
    if ML_PAGES.with_suffix(".READY").exists():  # written by another helper; wait for it
        for line in ML_PAGES.read_text(encoding="utf-8").split("\n"):  # not splitlines: \r in JSON
            if not line.strip():
                continue
            row = json.loads(line)
            text = row.get("text") or ""
            lang = row.get("lang") or detect_language(text)
            key = "ml-pages (11a), English" if lang == "en" else "ml-pages (11a), other languages"
            sets.setdefault(key, []).append((text, lang))
    return sets


def off_domain(classifier: Classifier, items: list[tuple[str, str | None]]) -> tuple[int, int]:
    """(documents with any label, documents with a narrative label), with the step's
    language rule (only English is read)."""
    from presstrace.group.narratives import readable

    texts = [t for t, lang in items if readable(lang)]
    results = classifier.classify_many(texts)
    for text, r in zip(texts, results, strict=True):
        if any(x.label != OTHER for x in r):  # printed for reading: is the page on topic?
            print(f"    labelled: {text[:90]!r} -> {r[0].label}")
    return sum(1 for r in results if r), sum(1 for r in results if any(x.label != OTHER for x in r))


def calibrate(classifier: Classifier, docs: list[dict]) -> None:
    """Platt scaling of the decision margin: P(the narrative given is right) over the dev
    documents that get one, with the right rate per margin band (how CALIBRATION_A/B in
    group/narratives.py were set)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    parent = classifier.taxonomies.parent()
    given = []
    for d, doc in zip(docs, classifier.score_many([d["text"] for d in docs]), strict=True):
        narrative, margin = classifier.decision(doc)
        if narrative is not None and margin >= 0:
            gold = {parent[x] for x in d["labels"] if x != OTHER}
            given.append((margin, int(narrative in gold)))
    model = LogisticRegression(C=100).fit(np.array([[m] for m, _ in given]), [y for _, y in given])
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])
    print(f"\ncalibration: A = {a:.2f}, B = {b:.2f} over {len(given)} documents given a narrative")
    for low, high in ((0.0, 0.3), (0.3, 0.7), (0.7, 99.0)):
        band = [y for m, y in given if low <= m < high]
        if band:
            print(f"  margin {low}-{high}: {len(band)} docs, right {sum(band) / len(band):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    started = time.time()
    taxonomies = load_set()
    settings = Settings()
    passages = load_passages()
    real = load_real()
    dev = passages + real
    tune = [p for p in passages if int(p["id"][1:]) % 2 == 1] + real[0::2]
    held = [p for p in passages if int(p["id"][1:]) % 2 == 0] + real[1::2]
    if args.sweep:
        print("| z_narrative | gap | tune balanced narrative | sub | held-out narrative | sub |")
        print("| --- | --- | --- | --- | --- | --- |")
        for zn in (2.2, 2.5, 2.8, 3.1):
            for gap in (0.0, 0.5, 0.8, 1.2):
                c = Classifier(taxonomies, None, replace(settings, z_narrative=zn, gap=gap))
                a, b = balanced(c, tune), balanced(c, held)
                print(f"| {zn} | {gap} | {a['balanced_narrative']:.3f} | {a['balanced_sub']:.3f}"
                      f" | {b['balanced_narrative']:.3f} | {b['balanced_sub']:.3f} |")  # fmt: skip
    classifier = Classifier(taxonomies, None, settings)
    if args.calibrate:
        calibrate(classifier, dev)
    print(f"\nsettings: {settings}")
    print("\nLabelled dev set: hand-written passages (tests/data/narratives/passages.jsonl) + real")
    print('on-topic articles read for presstrace (real_articles.jsonl, all gold "Other").')
    print("Samples F1 (SemEval's per-document F1), labelled and Other documents apart, and")
    print('their mean ("balanced": real news is about half Other; answering Other everywhere')
    print("scores 0.50 balanced).")
    print("\n| split | docs (labelled/Other) | narrative F1 labelled | Other | balanced |"
          " sub F1 labelled | Other | balanced |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, part in (("tuning half", tune), ("held-out half", held), ("all", dev)):
        m = balanced(classifier, part)
        print(f"| {name} | {m['labelled_docs']}/{m['other_docs']} | "
              f"{m['labelled_narrative']:.2f} | {m['other_narrative']:.2f} | "
              f"{m['balanced_narrative']:.2f} | {m['labelled_sub']:.2f} | "
              f"{m['other_sub']:.2f} | {m['balanced_sub']:.2f} |")  # fmt: skip
    print("\n| off-domain set | pages | read (English) | any label | narrative label |")
    print("| --- | --- | --- | --- | --- |")
    for name, items in off_domain_sets().items():
        english = sum(1 for _, lang in items if lang == "en")
        anything, narrative = off_domain(classifier, items)
        print(f"| {name} | {len(items)} | {english} | {anything} | {narrative} |")
    print("\n| training (labelled passages only) | narrative P | R | F1 | sub P | R | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    p_tune = [p for p in tune if p in passages]
    p_held = [p for p in held if p in passages]
    zero, trained = train_test(taxonomies, settings, p_tune, p_held)
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
