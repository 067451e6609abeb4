"""Cost of the group steps as the corpus grows, beside a plain k-means on the same vectors.

    .venv/bin/python bench/group.py --sizes 10000 100000 [--steps stories narratives threads]

Synthetic corpus (reproducible, seed 5) with real clusters: events of 1 to ~30 articles
(geometric sizes, mean 8). Each event takes one ECB+ dev document as its base text and
made-up names (a person, a place, an organisation) and a date between 2010 and 2024; each
of its articles is the base text with sentences dropped and shuffled, words changed, the
event's names written in, the entities filled in as extraction would (canonical keys for
the made-up names plus a few common real ones) and the event's date moved by 0-3 days
(one in ten undated). About 30 events share each base text, so the text alone cannot tell
them apart: entities and dates have to. Documents go into a fresh SQLite store first (not
timed: ingest is bench/ingest.py's); then each row runs in a fresh process, so that its
peak memory (VmHWM) is its own:

- stories: `presstrace.steps.stories.run` over the whole store (embed, assign, write);
- stories +1,000: 1,000 more articles (new events and more of the old ones) added and the
  step run again: a daily top-up;
- k-means: the same vectors (`embed.encode` of the same title-and-lead texts, included in
  its time, as the step's time includes them) clustered by sklearn MiniBatchKMeans with
  k = the true number of events (an oracle the step does not get), random init, 10 epochs;
- any other step named in --steps (narratives, threads) over the same store, after stories.

B-cubed F1 against the events is printed beside stories and k-means.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
MEAN_EVENT = 8
SYLLABLES = tuple(
    [
        "ka",
        "lo",
        "mi",
        "ren",
        "tar",
        "vel",
        "sun",
        "dor",
        "ash",
        "bri",
        "cal",
        "fen",
        "gor",
        "hal",
        "is",
        "jun",
        "kev",
        "lor",
        "mar",
        "nox",
    ]
)
COMMON = [("GPE", "United States"), ("GPE", "London"), ("ORG", "Reuters"), ("PERSON", "Obama")]


def vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _name(rng: np.random.Generator, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 4)))).capitalize()
        for _ in range(parts)
    )


def event(e: int, bases: list[list[str]], seed: int = 5) -> dict:
    rng = np.random.default_rng((seed, e, 7))
    # one event in four features the person of an earlier event (people recur in the news)
    person_of = int(rng.integers(0, e)) if e and rng.random() < 0.25 else e
    return {
        "base": int(rng.integers(len(bases))),
        "person": _name(np.random.default_rng((seed, person_of, 8)), 2),
        "place": _name(rng, 1),
        "org": _name(rng, 1) + " Group",
        "day": date(2010, 1, 1) + timedelta(days=int(rng.integers(0, 15 * 365))),
    }


def articles(start: int, stop: int, seed: int = 5, topics=None):
    """(doc id, event id, Document) for article numbers start..stop; article n is the same
    whatever range it is made in. Events are numbered in order, sizes geometric. `topics`
    (a predicate on the ECB+ topic number) limits the base texts (bench/stories_eval.py
    tunes on a stream made from the odd topics only)."""
    from devsets import load_ecbplus

    from presstrace.model import Document, Entity, Published

    base_docs = [d for d in load_ecbplus() if topics is None or topics(d["topic"])]
    bases = [[s for s in d["text"].splitlines() if s.strip()] for d in base_docs]
    for n in range(start, stop):
        rng = np.random.default_rng((seed, n))
        # a new event every MEAN_EVENT articles on average; an article joins one of the
        # events opened so far, mostly a recent one
        newest = n // MEAN_EVENT
        e = newest - min(newest, int(rng.geometric(1 / 3)) - 1)
        ev = event(e, bases, seed)
        sentences = list(bases[ev["base"]])
        head, body = sentences[0], sentences[1:]
        keep = [s for s in body if rng.random() < 0.8] or body[:1]
        if len(keep) > 2:
            i = int(rng.integers(len(keep) - 1))
            keep[i], keep[i + 1] = keep[i + 1], keep[i]
        # the names go into the text as bare words at random places (no shared template
        # sentence: that would make every synthetic article alike), about 3% of words dropped
        words = "\n".join(keep).split(" ")
        for name in (ev["person"], ev["place"], ev["org"]):
            words.insert(int(rng.integers(len(words) + 1)), name)
        drop = set(rng.choice(len(words), size=len(words) // 30, replace=False).tolist())
        words = [w for i, w in enumerate(words) if i not in drop]
        text = " ".join(words)
        day = ev["day"] + timedelta(days=int(rng.integers(0, 4)))
        iso = None if rng.random() < 0.1 else day.isoformat()
        ents = [
            Entity(ev["person"], "PERSON", [ev["person"]], 2, f"person:{_key(ev['person'])}"),
            Entity(ev["place"], "GPE", [ev["place"]], 1, f"gpe:{_key(ev['place'])}"),
            Entity(ev["org"], "ORG", [ev["org"]], 1, f"org:{_key(ev['org'])}"),
        ]
        for k in rng.choice(len(COMMON), size=int(rng.integers(0, 3)), replace=False):
            etype, name = COMMON[int(k)]
            ents.append(Entity(name, etype, [name], 1, f"{etype.lower()}:{_key(name)}"))
        doc_id = f"doc{n:08d}"
        yield (
            doc_id,
            e,
            Document(
                doc_id,
                doc_id,
                title=f"{head} ({ev['place']})",
                text=text,
                published=Published(iso, iso, iso, 0.9 if iso else 0.0),
                entities=ents,
                hints={"event": e},
            ),
        )


def _key(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower())


# -- rows, each in its own process ----------------------------------------------------------------
def fill(db: str, start: int, stop: int) -> dict:
    from presstrace.model import RawDocument
    from presstrace.store import open_store

    store = open_store(db)
    t0 = time.perf_counter()
    batch = []
    for doc_id, _, doc in articles(start, stop):
        batch.append((RawDocument(doc_id, doc_id, doc.text), doc))
        if len(batch) == 2000:
            store.add_batch(batch)
            batch = []
    store.add_batch(batch)
    # what the extract step would leave: the corpus entity table the stories step reads
    store.sql("DELETE FROM entities")
    counts: dict[str, int] = defaultdict(int)
    for row in store.sql("SELECT data FROM documents"):
        for ent in json.loads(row["data"])["entities"]:
            counts[(ent["key"], ent["name"], ent["type"])] += 1
    with store.transaction():
        store.sql_many(
            "INSERT INTO entities (key, name, type, aliases, documents, mentions) "
            "VALUES (?, ?, ?, '[]', ?, ?)",
            [(k, name, t, n, n) for (k, name, t), n in counts.items()],
        )
        # the extract step's bookmark, so a step that reads it finds nothing to do
        store.sql_many(
            "INSERT INTO extract_docs (doc_id, data, patched) VALUES (?, '{}', 1) "
            "ON CONFLICT (doc_id) DO NOTHING",
            [(r["id"],) for r in store.sql("SELECT id FROM documents")],
        )
    store.close()
    return {"seconds": time.perf_counter() - t0, "peak_mb": vmhwm_mb()}


def gold_and_stories(store) -> tuple[dict[str, str], dict[str, str]]:
    gold, pred = {}, {}
    for row in store.sql("SELECT id, story_id, data FROM documents"):
        gold[row["id"]] = str(json.loads(row["data"])["hints"]["event"])
        pred[row["id"]] = row["story_id"]
    return gold, pred


def run_step(db: str, name: str) -> dict:
    from presstrace.store import open_store

    module = importlib.import_module(f"presstrace.steps.{name}")
    store = open_store(db)
    t0 = time.perf_counter()
    summary = module.run(store, progress=False, jobs=1)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "peak_mb": vmhwm_mb(), **summary}
    if name == "stories":
        gold, pred = gold_and_stories(store)
        out.update(bcubed(pred, gold))
    store.close()
    return out


def kmeans(db: str) -> dict:
    from sklearn.cluster import MiniBatchKMeans

    from presstrace.group import embed
    from presstrace.group.stories import article_text
    from presstrace.model import Document
    from presstrace.store import open_store

    store = open_store(db)
    rows = store.sql("SELECT id, data FROM documents ORDER BY id")
    store.close()
    t0 = time.perf_counter()
    docs = [Document.from_dict(json.loads(r["data"])) for r in rows]
    vectors = embed.encode([article_text(d) for d in docs])
    gold = {d.id: str(d.hints["event"]) for d in docs}
    k = len(set(gold.values()))
    labels = MiniBatchKMeans(
        n_clusters=k, init="random", n_init=1, max_iter=10, batch_size=4096, random_state=0
    ).fit_predict(vectors)
    seconds = time.perf_counter() - t0
    pred = {d.id: str(c) for d, c in zip(docs, labels, strict=True)}
    return {"seconds": seconds, "peak_mb": vmhwm_mb(), "k": k, **bcubed(pred, gold)}


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision/recall/F1 over the documents of `gold`, and the cluster counts."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i in gold:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in gold:
        same = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += same / len(by_pred[pred[i]])
        r += same / len(by_gold[gold[i]])
    p, r = p / len(gold), r / len(gold)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f1, "stories": len(by_pred), "gold": len(by_gold)}


def child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--steps", nargs="+", default=["stories"], help="group steps to time")
    parser.add_argument("--no-kmeans", action="store_true")
    parser.add_argument("--dir", default=None, help="where the stores go (default: a temp dir)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, db, *rest = args.child
        result = {
            "fill": lambda: fill(db, int(rest[0]), int(rest[1])),
            "step": lambda: run_step(db, rest[0]),
            "kmeans": lambda: kmeans(db),
        }[kind]()
        print(json.dumps(result))
        return
    folder = Path(args.dir or tempfile.mkdtemp(prefix="group_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| documents | row | seconds | docs/s | peak MB | result | B³ F1 | time vs stories |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for n in args.sizes:
        db = str(folder / f"group-{n}.db")
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(db + suffix).unlink(missing_ok=True)
        child(["fill", db, "0", str(n)])
        rows = []
        base = None
        if not args.no_kmeans:
            km = child(["kmeans", db])
            rows.append(("k-means (k = true events)", km, f"{km['k']:,} clusters"))
        for name in args.steps:
            got = child(["step", db, name])
            if name == "stories":
                base = got["seconds"]
                rows.append(("stories", got, f"{got.get('stories', 0):,} stories"))
            else:
                extra = {k: v for k, v in got.items() if k not in ("seconds", "peak_mb")}
                rows.append((name, got, ", ".join(f"{k} {v}" for k, v in extra.items())))
        if "stories" in args.steps:
            child(["fill", db, str(n), str(n + 1000)])
            more = child(["step", db, "stories"])
            rows.append(("stories +1,000", more, f"+{more.get('new_stories', 0):,} stories"))
        for label, got, result in rows:
            ratio = f"{got['seconds'] / base:.2f}x" if base else "–"
            f1 = f"{got['F1']:.3f}" if "F1" in got else "–"
            docs = 1000 if label.endswith("+1,000") else n
            print(
                f"| {n:,} | {label} | {got['seconds']:.1f} | {docs / got['seconds']:,.0f} "
                f"| {got['peak_mb']:.0f} | {result} | {f1} | {ratio} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
