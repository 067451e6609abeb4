"""CPU time of one search, in this process, per query form of bench/serve.py.

    python bench/search_cpu.py --store /work/devdata/serve-100000.db --requests 100

On a machine shared with other jobs wall time measures the queue as much as the search;
`time.process_time` around each `presstrace.query` call (what the search API, the search
page and `presstrace search` all run, before HTTP and rendering) measures the search alone.
The queries are bench/serve.py's: the plain words of the "search API" / "search page" rows
and the same words in the query language's forms (OR, a phrase, NOT, a prefix, an outlet,
a month), reported by form. Each call is timed `--repeat` times after one untimed warm-up
round, and the row gives p50 / p95 / max over all the timed calls.
"""

from __future__ import annotations

import argparse
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
    worst: dict[str, tuple[float, str]] = {}
    try:
        calls = [("plain words (search API / page / CLI)", q) for q in plain]
        calls += [(f"query language: {FORMS[i % len(FORMS)]}", q) for i, q in enumerate(mixed)]
        for _, q in calls:
            presstrace.query(store, q)
        for _ in range(args.repeat):
            for name, q in calls:
                ms = cpu_ms(lambda q=q: presstrace.query(store, q))
                rows[name].append(ms)
                if ms > worst.get(name, (0.0, ""))[0]:
                    worst[name] = (ms, q)
    finally:
        store.close()
    mix = [ms for name, values in rows.items() if name.startswith("query") for ms in values]
    print("| query form | calls | CPU ms p50 / p95 / max | slowest query |")
    print("|---|---|---|---|")
    for name, values in [*rows.items(), ("query language, the whole mix", mix)]:
        slow = worst.get(name, (max(values), ""))
        print(f"| {name} | {len(values)} | {percentile(values, 50):.1f} / "
              f"{percentile(values, 95):.1f} / {max(values):.1f} | {slow[1]} |")  # fmt: skip


if __name__ == "__main__":
    main()
