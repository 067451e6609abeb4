"""The whole pipeline as a corpus of new text grows: CPU per document of every stage and
step, chunk after chunk, and what 1M documents would cost, extrapolated from the chunks.

    nice -n 10 python bench/scale.py --stop 100000 --chunk 5000
    nice -n 10 python bench/scale.py --stop 20000 --chunk 2000 --budget 1800

Corpus: bench/dedup_scale.py's wire corpus (reproducible, seed 11): sentences of the ECB+
dev-set texts (topics 1-20) and the seed articles with 45% of their words replaced, capitalised
words by capitalised words, so the names and stories are new; 43% of documents reprint one of
a few recent wire stories, 12% combine parts of 2-3, the rest are in-house; 300 a day.
Each chunk is ingested into one growing SQLite store in this process, one core: first ingest +
clean + meta (`--skip` every step), then each corpus step timed on its own in running order
(what `run_steps` does). CPU seconds (this process and its finished workers) per document of
the chunk; flat is the target. After the last chunk: search p95 over 40 queries through the
Python API (the same search the CLI runs), and the cost of 1M documents: the measured
per-document cost of each step fitted as a + b * corpus size over the chunks and summed over
1M / chunk chunks (a growing cost shows up as b > 0). Stops when --budget seconds are spent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

QUERIES = 40


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def write_chunk(path: Path, start: int, stop: int) -> None:
    from dedup_scale import wire_documents

    with path.open("w", encoding="utf-8") as out:
        for doc_id, text, day in wire_documents(start, stop):
            out.write(json.dumps({"id": doc_id, "text": text, "date": day}) + "\n")


def grow_chunk(store, path: Path, size: int, skip: list[str], jobs: int) -> dict[str, float]:
    """CPU seconds per document of the chunk for ingest+clean+meta and each step."""
    from presstrace.pipeline import ingest
    from presstrace.steps import registered_steps, step_names

    costs: dict[str, float] = {}
    start = cpu()
    report = ingest([str(path)], store, skip_steps=step_names())
    size = report.added  # a generated text can clean to nothing (a failure, not stored)
    costs["ingest+clean+meta"] = (cpu() - start) / size
    with store.corpus_lock():
        for step in registered_steps(skip):
            start = cpu()
            step.run(store, progress=False, jobs=jobs)
            costs[step.name] = (cpu() - start) / size
    return costs


def search_p95(store) -> float:
    """p95 milliseconds of the search the CLI runs, over words and names of the corpus."""
    from presstrace.library import search

    rng = np.random.default_rng(3)
    rows = store.sql("SELECT name FROM entities ORDER BY documents DESC LIMIT 200")
    names = [r["name"] for r in rows] or ["president"]
    words = ["police", "minister", "earthquake", "killed", "election", "court", "said"]
    times = []
    for i in range(QUERIES):
        query = names[int(rng.integers(len(names)))] if i % 2 else words[i % len(words)]
        t0 = time.perf_counter()
        search(store, query, limit=20)
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.percentile(times, 95))


def extrapolate(history: list[tuple[int, dict[str, float]]], total: int) -> dict:
    """CPU hours for `total` documents per stage at the mean measured per-document cost, and
    the per-document cost's least-squares growth per 100k documents (a flat cost: about 0;
    with a few noisy chunks the slope is noise, so it is reported, not extrapolated)."""
    if len(history) > 2:
        history = history[1:]  # the first chunk pays for loading models and word lists
    sizes = np.array([n for n, _ in history], dtype=float)
    out = {}
    for stage in history[0][1]:
        cost = np.array([c[stage] for _, c in history])
        slope = float(np.polyfit(sizes, cost, 1)[0]) if len(sizes) > 1 else 0.0
        out[stage] = (float(cost.mean()) * total / 3600, slope * 100_000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--start", type=int, default=0, help="continue a grown --db from here")
    parser.add_argument("--stop", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--budget", type=float, default=3600, help="seconds, then stop")
    parser.add_argument("--skip", nargs="*", default=[], help="steps left out (e.g. extract)")
    parser.add_argument("--db", help="a new store's path (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for the steps")
    args = parser.parse_args()

    from presstrace.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or str(Path(tmp) / "scale.db"))
        began, history = time.perf_counter(), []
        for start in range(args.start, args.stop, args.chunk):
            path = Path(tmp) / "chunk.jsonl"
            write_chunk(path, start, start + args.chunk)
            t0 = time.perf_counter()
            costs = grow_chunk(store, path, args.chunk, args.skip, args.jobs)
            chunk_wall = time.perf_counter() - t0
            history.append((start, costs))
            if len(history) == 1:
                head = " | ".join(costs)
                print(f"| corpus before chunk | {head} | total | chunk wall s | wall s |")
                print("|---" * (len(costs) + 4) + "|")
            wall = time.perf_counter() - began
            cells = " | ".join(f"{v * 1000:.1f}" for v in costs.values())
            total = sum(costs.values()) * 1000
            print(
                f"| {start:,} | {cells} | {total:.1f} | {chunk_wall:.0f} | {wall:.0f} |", flush=True
            )
            if wall > args.budget:
                break
        print("\nms of CPU per document of the chunk (one core, this process and its workers)")
        size = store.count()
        print(f"search p95 at {size:,} documents: {search_p95(store):.1f} ms ({QUERIES} queries)")
        print(f"\n1M documents in chunks of {args.chunk:,}, extrapolated (CPU hours, one core):")
        fitted = extrapolate(history, 1_000_000)
        for stage, (hours, slope) in fitted.items():
            print(f"- {stage}: {hours:.1f} h (per-document cost {slope * 1000:+.2f} ms per 100k)")
        print(f"- all: {sum(h for h, _ in fitted.values()):.1f} h")
        store.close()


if __name__ == "__main__":
    main()
