"""Story clustering on ECB+ (../shared/data/ecbplus-dev): B-cubed precision, recall, F1 and the
number of stories against the 36 gold stories (gold story = topic and subtopic).

The documents go through the real pipeline (`presstrace ingest` of docs.jsonl into a fresh
store: cleaning, dates, copies, entities, and the stories step with its defaults). The
settings are then tuned on the odd topics only, with the stage's own `cluster` (the same
code the step runs) over the stored documents, and reported on the even topics (held out)
and on all. Baselines on the same vectors: an embedding-only threshold (the same incremental
pass, text only, no entities, no dates; threshold tuned on odd topics), k-means with k = the
gold count (an oracle number of stories), and average-linkage agglomerative clustering
(cosine distance threshold tuned on odd topics).

    .venv/bin/python bench/stories_eval.py [--rebuild] [--store PATH] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import ECBPLUS_DEV  # noqa: E402
from group import bcubed  # noqa: E402

from presstrace.group import embed, lexical  # noqa: E402
from presstrace.group import stories as stage  # noqa: E402
from presstrace.pipeline import ingest  # noqa: E402
from presstrace.store import open_store  # noqa: E402
from presstrace.store import stories as table  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
GRID_TEXT_WEIGHT = (0.5, 0.6, 0.7, 0.8, 0.9)
GRID_THRESHOLD = tuple(round(x, 3) for x in np.arange(0.30, 0.751, 0.025))
NO_GATE = 10**6
PRECISION_FLOOR = 0.85  # B-cubed precision the chosen setting must keep on the tuning half
NEAR_TIE = 0.01
GRID_GAP = (7, 14, 30, 60, NO_GATE)
GRID_LEAD = (300, 1000, 3000)


# -- scoring ------------------------------------------------------------------------------------
# -- data ---------------------------------------------------------------------------------------
def build_store(path: Path) -> None:
    """Ingest docs.jsonl into a fresh store with every step, as a user would."""
    if path.exists():
        path.unlink()
    store = open_store(str(path))
    try:
        t0 = time.perf_counter()
        report = ingest([str(ECBPLUS_DEV / "docs.jsonl")], store)
        print(
            f"ingested {report.added} documents in {time.perf_counter() - t0:.0f} s "
            f"({report.steps.get('stories')})",
            file=sys.stderr,
        )
    finally:
        store.close()


def load(store_path: Path) -> tuple[list, dict[str, str], dict[str, int], dict]:
    """Stored documents, gold story by document id, topic by id, and the step's stories."""
    gold_lines = [
        json.loads(x) for x in (ECBPLUS_DEV / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    store = open_store(str(store_path))
    try:
        docs = list(store.iter_documents())
        keys = sorted({e.key for d in docs for e in d.entities if e.key})
        idf = stage.make_idf(table.entity_document_counts(store, keys), len(docs))
        step = {
            r["doc_id"]: r["story_id"]
            for r in store.sql("SELECT doc_id, story_id FROM story_members")
        }
    finally:
        store.close()
    gold, topic = {}, {}
    for d in docs:
        line = gold_lines[int(d.source.rsplit("#", 1)[1]) - 1]
        gold[d.id] = f"{line['topic']}-{line['subtopic']}"
        topic[d.id] = int(line["topic"])
    return docs, gold, topic, {"idf": idf, "step": step}


def ordered(docs: list) -> list:
    order = stage.processing_order(
        (d.id, d.published.date, d.duplicate_of is not None) for d in docs
    )
    by_id = {d.id: d for d in docs}
    return [by_id[i] for i in order]


# -- methods ------------------------------------------------------------------------------------
def incremental(docs, vectors, idf, settings, text_only=False) -> dict[str, str]:
    arts = []
    for d in docs:
        a = stage.article(d, vectors[d.id])
        if text_only:
            a = replace(a, entities={}, day=None, earliest=None, latest=None)
        arts.append(a)
    return stage.cluster(arts, idf, settings)


def kmeans(docs, vectors, k: int) -> dict[str, str]:
    from sklearn.cluster import KMeans

    x = np.stack([vectors[d.id] for d in docs])
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
    return {d.id: str(c) for d, c in zip(docs, labels, strict=True)}


def agglomerative(docs, vectors, threshold: float | None = None, k: int | None = None):
    from sklearn.cluster import AgglomerativeClustering

    x = np.stack([vectors[d.id] for d in docs])
    model = AgglomerativeClustering(
        n_clusters=k, distance_threshold=threshold, metric="cosine", linkage="average"
    )
    labels = model.fit_predict(x)
    return {d.id: str(c) for d, c in zip(docs, labels, strict=True)}


DENSE_WEIGHTS = (0.5, 0.6, 0.7, 0.8)
DENSE_THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)
DENSE_GAPS = (7, 14)
DENSE_SIZE = 20_000


def dense_stream(topics) -> tuple[list, object, dict[str, str]]:
    """Articles (in processing order), idf and gold events of a synthetic stream built from
    the texts of some ECB+ topics: about 70 events of each kind, days to weeks apart."""
    from collections import Counter

    import group as synthetic

    items = list(synthetic.articles(0, DENSE_SIZE, topics=topics))
    docs = {d.id: d for _, _, d in items}
    gold = {d.id: str(e) for _, e, d in items}
    counts = Counter(en.key for d in docs.values() for en in d.entities)
    idf = stage.make_idf(dict(counts), len(docs))
    order = stage.processing_order((d.id, d.published.date, False) for d in docs.values())
    vectors = embed.encode([stage.article_text(docs[i]) for i in order])
    return [stage.article(docs[i], v) for i, v in zip(order, vectors, strict=True)], idf, gold


def dense_f1(stream, settings: stage.Settings) -> float:
    arts, idf, gold = stream
    return bcubed(stage.cluster(arts, idf, settings), gold)["F1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=OUT / "stories_ecbplus.db")
    parser.add_argument("--rebuild", action="store_true", help="ingest into a fresh store")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.store.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or not args.store.exists():
        build_store(args.store)
    docs, gold, topic, extra = load(args.store)
    idf = extra["idf"]
    docs = ordered(docs)
    halves = {
        "odd (tuning)": [d for d in docs if topic[d.id] % 2 == 1],
        "even (held out)": [d for d in docs if topic[d.id] % 2 == 0],
        "all": docs,
    }
    t0 = time.perf_counter()
    vectors_by_lead = {
        lead: dict(
            zip(
                (d.id for d in docs),
                embed.encode([stage.article_text(d, lead) for d in docs]),
                strict=True,
            )
        )
        for lead in GRID_LEAD
    }
    print(f"vectors: {time.perf_counter() - t0:.1f} s for {len(GRID_LEAD)} leads", file=sys.stderr)
    # the path every language but English takes (lexical vectors), run on these English texts
    lexical_vectors = dict(
        zip(
            (d.id for d in docs),
            np.hstack(
                [
                    np.zeros((len(docs), stage.SEMANTIC_DIM), np.float32),
                    lexical.encode([stage.article_text(d) for d in docs], ["en"] * len(docs)),
                ]
            ),
            strict=True,
        )
    )

    def gold_of(subset):
        return {d.id: gold[d.id] for d in subset}

    tune = halves["odd (tuning)"]
    # 1. presstrace: text weight, threshold, date gap, lead length, on odd topics
    grid = {}
    for lead, w, t, gap in itertools.product(GRID_LEAD, GRID_TEXT_WEIGHT, GRID_THRESHOLD, GRID_GAP):
        s = stage.Settings(text_weight=w, threshold=t, max_gap_days=gap)
        grid[(lead, s)] = bcubed(incremental(tune, vectors_by_lead[lead], idf, s), gold_of(tune))
    best_f1 = max(r["F1"] for r in grid.values())
    # ties (to 3 decimals) go to the tighter date gate: it is what keeps recurring events of
    # the same kind apart, which ECB+ (two events years apart per topic) hardly tests
    best_lead, best_settings = max(
        grid, key=lambda k: (round(grid[k]["F1"], 3), -k[1].max_gap_days)
    )
    # precision first: a merged story hides an event, a split one shows twice; and ECB+'s
    # gold stories lump an event with its follow-ups weeks later, which rewards merging
    precise = [k for k in grid if grid[k]["P"] >= PRECISION_FLOOR]
    # ECB+ puts its two events of a kind years apart; a news stream has them days apart.
    # The defaults are the best worst case of ECB+ odd topics and a dense stream made from
    # the odd topics' texts (bench/group.py's generator: same-kind events days apart)
    dense_odd = dense_stream(lambda t: t % 2 == 1)
    dense_even = dense_stream(lambda t: t % 2 == 0)
    worst = {}
    for w, t, gap in itertools.product(DENSE_WEIGHTS, DENSE_THRESHOLDS, DENSE_GAPS):
        s = stage.Settings(text_weight=w, threshold=t, max_gap_days=gap)
        ecb = grid.get((stage.LEAD_CHARS, s)) or bcubed(
            incremental(tune, vectors_by_lead[stage.LEAD_CHARS], idf, s), gold_of(tune)
        )
        worst[s] = min(ecb["F1"], dense_f1(dense_odd, s))
    # within NEAR_TIE of the best worst case: the tightest gate, the most weight on entities,
    # then the higher threshold (fewer merges)
    robust = min(
        (s for s in worst if worst[s] >= max(worst.values()) - NEAR_TIE),
        key=lambda s: (s.max_gap_days, s.text_weight, -s.threshold),
    )
    print(f"robust choice {robust}: worst case {worst[robust]:.3f}", file=sys.stderr)
    # one document moved changes F1 by about 0.005 here: within NEAR_TIE of the best, take
    # the tightest date gate, then the most weight on entities (what separates events of one
    # kind close in time, which ECB+ does not test and the seeds do), then F1
    top = max(grid[k]["F1"] for k in precise)
    chosen_lead, chosen = min(
        (k for k in precise if grid[k]["F1"] >= top - NEAR_TIE),
        key=lambda k: (k[1].max_gap_days, k[1].text_weight, -grid[k]["F1"], k[0]),
    )
    # sensitivity: the chosen procedure under each date gate and each lead
    even = halves["even (held out)"]
    sensitivity = []
    for name, keep in [(f"gap {g} d", lambda k, g=g: k[1].max_gap_days == g) for g in GRID_GAP] + [
        (f"lead {n}", lambda k, n=n: k[0] == n) for n in GRID_LEAD
    ]:
        lead, s = max((k for k in precise if keep(k)), key=lambda k: grid[k]["F1"])
        held = bcubed(incremental(even, vectors_by_lead[lead], idf, s), gold_of(even))
        sensitivity.append((name, lead, s, grid[(lead, s)]["F1"], held["F1"]))
    print(f"best F1 on odd topics {best_f1:.3f}", file=sys.stderr)
    # 2. embedding only, same pass: threshold on odd
    best_text = max(
        [round(x, 3) for x in np.arange(0.5, 0.951, 0.025)],
        key=lambda t: bcubed(
            incremental(tune, vectors_by_lead[best_lead], idf, stage.Settings(1.0, t, 10**6), True),
            gold_of(tune),
        )["F1"],
    )
    # 3. agglomerative, distance threshold on odd
    grid_dist = [round(x, 3) for x in np.arange(0.1, 0.9, 0.025)]
    best_dist = max(
        grid_dist,
        key=lambda t: bcubed(agglomerative(tune, vectors_by_lead[best_lead], t), gold_of(tune))[
            "F1"
        ],
    )
    default = stage.Settings()
    default_lead = stage.LEAD_CHARS
    methods = {
        f"presstrace defaults (w {default.text_weight}, t {default.threshold}, "
        f"{default.max_gap_days} d, lead {default_lead})": lambda sub: incremental(
            sub, vectors_by_lead[default_lead], idf, default
        ),
        f"presstrace chosen on odd, P >= {PRECISION_FLOOR} (w {chosen.text_weight}, "
        f"t {chosen.threshold}, {chosen.max_gap_days} d, lead {chosen_lead})": lambda sub: (
            incremental(sub, vectors_by_lead[chosen_lead], idf, chosen)
        ),
        f"presstrace best worst case with the dense odd stream (w {robust.text_weight}, "
        f"t {robust.threshold}, {robust.max_gap_days} d)": lambda sub: incremental(
            sub, vectors_by_lead[stage.LEAD_CHARS], idf, robust
        ),
        f"presstrace best F1 on odd (w {best_settings.text_weight}, t {best_settings.threshold}, "
        f"{best_settings.max_gap_days} d, lead {best_lead})": lambda sub: incremental(
            sub, vectors_by_lead[best_lead], idf, best_settings
        ),
        "stories step as ingested (all topics in one store)": lambda sub: extra["step"],
        f"language-neutral path, as for non-English (lexical vectors, floor "
        f"{default.lexical_floor})": lambda sub: incremental(sub, lexical_vectors, idf, default),
        f"embedding-only threshold (t {best_text})": lambda sub: incremental(
            sub, vectors_by_lead[best_lead], idf, stage.Settings(1.0, best_text, 10**6), True
        ),
        "k-means, k = gold count": lambda sub: kmeans(
            sub, vectors_by_lead[best_lead], len(set(gold_of(sub).values()))
        ),
        f"agglomerative average cosine (distance {best_dist})": lambda sub: agglomerative(
            sub, vectors_by_lead[best_lead], best_dist
        ),
        "agglomerative average cosine, k = gold count": lambda sub: agglomerative(
            sub, vectors_by_lead[best_lead], None, len(set(gold_of(sub).values()))
        ),
    }
    results = []
    for name, method in methods.items():
        for half, subset in halves.items():
            pred = method(subset)
            results.append({"method": name, "topics": half, **bcubed(pred, gold_of(subset))})
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"Dense same-kind stream ({DENSE_SIZE:,} synthetic articles), B-cubed F1\n")
    print("| setting | stream from odd topics (tuning) | from even topics (held out) |")
    print("| --- | ---: | ---: |")
    for name, s in [
        ("defaults", stage.Settings()),
        ("best worst case (chosen)", robust),
        ("chosen on ECB+ odd alone, P floor", chosen),
        ("best F1 on ECB+ odd alone", best_settings),
    ]:
        print(f"| {name}: w {s.text_weight}, t {s.threshold}, {s.max_gap_days} d "
              f"| {dense_f1(dense_odd, s):.3f} | {dense_f1(dense_even, s):.3f} |")  # fmt: skip
    print()
    print(
        f"Sensitivity (each row: the best F1 on odd topics with P >= {PRECISION_FLOOR}, under "
        "that constraint)\n"
    )
    print("| constraint | text weight | threshold | gap d | lead | F1 odd | F1 even (held out) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, lead, s, f_odd, f_even in sensitivity:
        gap = "none" if s.max_gap_days == NO_GATE else s.max_gap_days
        print(f"| {name} | {s.text_weight} | {s.threshold} | {gap} | {lead} | {f_odd:.3f} "
              f"| {f_even:.3f} |")  # fmt: skip
    print()
    print(f"ECB+ dev: {len(docs)} documents, {len(set(gold.values()))} gold stories\n")
    print("| method | topics | B³ P | B³ R | B³ F1 | stories (gold) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['method']} | {r['topics']} | {r['P']:.3f} | {r['R']:.3f} | {r['F1']:.3f} "
            f"| {r['stories']} ({r['gold']}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
