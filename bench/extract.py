"""Throughput and peak memory of the extraction stage beside a bare spaCy NER pass.

    python bench/extract.py                      # 1k and 10k articles
    python bench/extract.py --sizes 1000

Articles: the 413 ECB+ dev news texts (../shared/data/ecbplus-dev) and the five example
articles, cycled to the size asked for (the NER cost per character is the same for a
repeat; name canonicalisation sees fewer distinct names than a real corpus would).
Baseline: `nlp.pipe` over the same texts with the same model and components presstrace
uses (the NER alone, with its own tok2vec; the shared tok2vec is excluded since it feeds
nothing presstrace runs), doing nothing with the Docs. Stage: the same pipe, then presstrace's
rules per document (mentions, quotes and attribution with its parse of the sentences that hold
a reporting verb, claims; 32 documents at a time, as the step runs them), corpus-wide
canonicalisation of every name (gazetteer included) and assembling each document's
entities/quotes/claims: everything the `extract` step does except the SQL.
Each measurement runs in a fresh subprocess, so its peak RSS (VmHWM) is its own; the
baseline runs in the same invocation, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PRESSTRACE_SHARED", ROOT.parent / "shared"))


def corpus(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples/articles").glob("*"))]
    ecb = SHARED / "data" / "ecbplus-dev" / "docs.jsonl"
    if ecb.exists():
        texts += [json.loads(line)["text"] for line in ecb.open(encoding="utf-8")]
    return [texts[i % len(texts)] for i in range(n)]


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _groups(pairs, size: int):
    """Lists of `size` (text, Doc) pairs, as the extract step takes them from spaCy's pipe
    (steps/extract.py)."""
    pairs = iter(pairs)
    while group := list(islice(pairs, size)):
        yield group


def worker(kind: str, n: int) -> dict:
    from presstrace.extract import assemble, extract_many, nlp, surface_counts
    from presstrace.extract.names import SurfaceStat, canonicalise

    texts = corpus(n)
    model = nlp.load()
    list(model.pipe(texts[:20]))  # warm-up: model weights paged in for both rows alike
    start, cpu = time.perf_counter(), time.process_time()
    if kind == "baseline":
        for _ in model.pipe(texts, batch_size=32):
            pass
    else:
        raws = [
            raw
            for group in _groups(zip(texts, model.pipe(texts, batch_size=32), strict=True), 32)
            for raw in extract_many(group)
        ]
        stats = [SurfaceStat(s, t, c) for r in raws for (s, t), c in surface_counts(r).items()]
        mapping = canonicalise(stats)
        for raw in raws:
            assemble(raw, mapping)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu  # what a loaded machine does not inflate
    chars = sum(len(t) for t in texts)
    return {
        "kind": kind,
        "n": n,
        "seconds": seconds,
        "cpu": cpu,
        "chars": chars,
        "peak_mb": peak_mb(),
    }


def measure(kind: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--n", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--worker", choices=["baseline", "stage"], help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.n)))
        return
    print(
        "| articles | system | seconds | CPU seconds | articles/s | KB/s | peak MB | "
        "time ratio | CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        base = measure("baseline", n)
        stage = measure("stage", n)
        for row, label in ((base, "bare spaCy NER (`nlp.pipe`)"), (stage, "extraction stage")):
            print(
                f"| {n:,} | {label} | {row['seconds']:.1f} | {row['cpu']:.1f} | "
                f"{n / row['seconds']:.1f} | {row['chars'] / 1024 / row['seconds']:.0f} | "
                f"{row['peak_mb']:.0f} | {row['seconds'] / base['seconds']:.2f}x | "
                f"{row['cpu'] / base['cpu']:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
