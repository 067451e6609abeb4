"""What one small ingest costs in a big store: +N new documents, every stage and step, CPU and
wall seconds, in successive rounds (the first into a store made by older code also opens the
steps' queues, store/todo.py); then the last ingest again (it must change nothing and cost
next to nothing).

    python bench/increment.py /work/devdata/s17/grow.db --add 100 --skip extract

The store is copied first (`--work`, default next to it) and the copy is what grows, so the
source stays as it was and each run starts from the same corpus. New documents are
bench/dedup_scale.py's wire corpus from `--offset` on (documents the store does not hold:
the scale bench grows stores from 0), so they carry new names, reprints of recent wire
stories and in-house articles, as a day of news would. `--profile` prints the ten costliest
functions (cumulative CPU) of each step: where a cost that grows with the corpus hides.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from scale import cpu, write_chunk  # noqa: E402

OFFSET = 1_000_000  # first new document number: far beyond any store the scale bench grows


def timed(label: str, work, profile: bool, rows: list[tuple[str, float, float]]):
    """Run `work`, add (label, CPU s, wall s) to rows; print its profile when asked."""
    profiler = cProfile.Profile() if profile else None
    c0, w0 = cpu(), time.perf_counter()
    if profiler:
        profiler.enable()
    result = work()
    if profiler:
        profiler.disable()
    rows.append((label, cpu() - c0, time.perf_counter() - w0))
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(12)
        print(f"--- {label}\n" + "\n".join(out.getvalue().splitlines()[6:24]), file=sys.stderr)
    return result


def one_ingest(store, path: Path, skip: list[str], profile: bool) -> list[tuple[str, float, float]]:
    """CPU and wall seconds of ingest+clean+meta and of each step, in running order."""
    from presstrace.pipeline import ingest
    from presstrace.steps import registered_steps, step_names

    rows: list[tuple[str, float, float]] = []
    report = timed(
        "ingest+clean+meta",
        lambda: ingest([str(path)], store, skip_steps=step_names()),
        profile,
        rows,
    )
    with store.corpus_lock():
        for step in registered_steps(skip):
            timed(step.name, lambda s=step: s.run(store, progress=False, jobs=1), profile, rows)
    rows.append(("(documents added)", float(report.added), 0.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", help="a grown SQLite store (copied, never changed)")
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--offset", type=int, default=OFFSET)
    parser.add_argument("--skip", nargs="*", default=[], help="steps left out (e.g. extract)")
    parser.add_argument("--work", help="where the copy goes (default: beside the store)")
    parser.add_argument("--rounds", type=int, default=2, help="successive +N ingests")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from presstrace.store import open_store

    source = Path(args.store)
    copy = Path(args.work or source.with_name(source.stem + ".increment.db"))
    shutil.copyfile(source, copy)
    with tempfile.TemporaryDirectory() as tmp:
        c0, w0 = cpu(), time.perf_counter()
        store = open_store(str(copy))
        opened = (cpu() - c0, time.perf_counter() - w0)
        size = store.count()
        rounds = []
        for r in range(args.rounds):
            path = Path(tmp) / f"new{r}.jsonl"
            start = args.offset + r * args.add
            write_chunk(path, start, start + args.add)
            rounds.append(one_ingest(store, path, args.skip, args.profile))
        rounds.append(one_ingest(store, path, args.skip, False))  # the last one again
        store.close()
    print(f"+{args.add} new documents into a store of {size:,} ({source.name}), then")
    print(f"+{args.add} more each round; 'again' re-runs the last ingest")
    print(f"opening the store (migrations included): {opened[0]:.2f} s CPU, {opened[1]:.2f} s wall")
    heads = [f"round {i + 1}" for i in range(args.rounds)] + ["again"]
    print("| stage | " + " | ".join(f"{h}: CPU s | {h}: wall s" for h in heads) + " |")
    print("|---" * (1 + 2 * len(heads)) + "|")
    for i, (label, _, _) in enumerate(rounds[0]):
        if label.startswith("("):
            print(f"| {label} | " + " | ".join(f"{int(r[i][1])} | " for r in rounds) + " |")
            continue
        cells = " | ".join(f"{r[i][1]:.2f} | {r[i][2]:.2f}" for r in rounds)
        print(f"| {label} | {cells} |")
    sums = [
        f"{sum(x[j] for x in r if not x[0].startswith('(')):.2f}" for r in rounds for j in (1, 2)
    ]
    print("| all | " + " | ".join(sums) + " |")
    print(json.dumps({"store": str(source), "documents": size}), file=sys.stderr)


if __name__ == "__main__":
    main()
