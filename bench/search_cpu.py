"""CPU time of one search, in this process, per query form of bench/serve.py.

    python bench/search_cpu.py --store /work/devdata/serve-100000.db --requests 100

On a machine shared with other jobs wall time measures the queue as much as the search;
`time.process_time` around each `presstrace.query` call (what the search API, the search
page and `presstrace search` all run, before HTTP and rendering) measures the search alone.
The queries are bench/serve.py's: the plain words of the "search API" / "search page" rows
and the same words in the query language's forms (OR, a phrase, NOT, a prefix, an outlet,
a month), reported by form. Each query is timed `--repeat` times after one untimed warm-up
round; a row gives p50 / p95 / max over all the timed calls, and the p95 over the queries of
each one's fastest call, which other jobs on the machine inflate the least (a search's CPU
time still grows under load: caches and memory bandwidth are shared).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import language_queries, queries  # noqa: E402

import presstrace  # noqa: E402
from presstrace.store import open_store  # noqa: E402

# bench/serve.py's query-language forms, in the order language_queries cycles through them
FORMS = ["OR", "phrase", "NOT", "prefix*", 'outlet:"…"', "after:/before: (a month)"]


def cpu_ms(call) -> float:
    started = time.process_time()
    call()
    return (time.process_time() - started) * 1000


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="bench/serve.py's store")
    parser.add_argument("--requests", type=int, default=100, help="queries per row (serve.py's)")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per query")
    args = parser.parse_args()
    conn = sqlite3.connect(args.store)
    plain = queries(conn, args.requests, random.Random(7))
    conn.close()
    mixed = language_queries(plain)
    store = open_store(str(args.store))
    rows: dict[str, list[float]] = {"plain words (search API / page / CLI)": []}
    rows |= {f"query language: {form}": [] for form in FORMS}
    fastest: dict[tuple[str, int], float] = {}
    worst: dict[str, tuple[float, str]] = {}
    try:
        calls = [("plain words (search API / page / CLI)", q) for q in plain]
        calls += [(f"query language: {FORMS[i % len(FORMS)]}", q) for i, q in enumerate(mixed)]
        for _, q in calls:
            presstrace.query(store, q)
        for _ in range(args.repeat):
            for i, (name, q) in enumerate(calls):
                ms = cpu_ms(lambda q=q: presstrace.query(store, q))
                rows[name].append(ms)
                fastest[name, i] = min(ms, fastest.get((name, i), ms))
                if ms > worst.get(name, (0.0, ""))[0]:
                    worst[name] = (ms, q)
    finally:
        store.close()
    mix_name = "query language, the whole mix"
    rows[mix_name] = [ms for name, v in rows.items() if name.startswith("query") for ms in v]
    for (name, i), ms in list(fastest.items()):
        if name.startswith("query"):
            fastest[mix_name, i] = ms
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| query form | calls | CPU ms p50 / p95 / max | p95 of each query's fastest | "
          "slowest query |")  # fmt: skip
    print("|---|---|---|---|---|")
    for name, values in rows.items():
        best = [ms for (n, _), ms in fastest.items() if n == name]
        slow = worst.get(name, (max(values), ""))
        print(f"| {name} | {len(values)} | {percentile(values, 50):.1f} / "
              f"{percentile(values, 95):.1f} / {max(values):.1f} | "
              f"{percentile(best, 95):.1f} | {slow[1]} |")  # fmt: skip


if __name__ == "__main__":
    main()
