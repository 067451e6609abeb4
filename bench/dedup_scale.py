"""Cost of the copies step as the corpus grows, beside a brute-force pairwise baseline.

    python bench/dedup_scale.py --sizes 10000 100000 1000000

Synthetic corpus (reproducible, seed 5): articles of about 250 words (1.6 KB) drawn from the
word frequencies of the ECB+ dev-set news texts, in paragraphs; one in ten is a copy of an
earlier article (truncated to 60-95%, about 2% of words changed), so matching and measuring
are part of the work. Documents are put in a fresh SQLite store first (without cleaning:
that cost is bench/ingest.py's); then, each in a fresh process so that the peak memory
(VmHWM) is its own:
- step: `presstrace.steps.copies.run` over the whole store (sketch, look up, measure,
  write the graph, sketches and LSH keys);
- incremental: 1,000 more documents (100 of them copies of stored ones) ingested into the
  grown store, the step run again: what a daily top-up costs;
- baseline: every pair of MinHash signatures compared (numpy, blocks of 2,000 rows): the
  brute force LSH avoids. Measured up to --brute-max documents; above, its time is the
  measured per-pair rate times n(n-1)/2 (marked "est.").
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
COPY_SHARE = 10  # one in ten documents is a copy
WORDS = 250


def vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def vocabulary() -> tuple[list[str], np.ndarray]:
    from devsets import load_ecbplus

    counts = Counter(w for d in load_ecbplus() for w in re.findall(r"[\w'’-]+", d["text"]))
    words, freq = zip(*counts.most_common(), strict=True)
    cumulative = np.cumsum(np.array(freq, dtype=np.float64))
    return list(words), cumulative / cumulative[-1]


def documents(start: int, stop: int, seed: int = 5):
    """Document n is the same whatever range it is generated in (seeded by n)."""
    words, cumulative = vocabulary()
    vocab = np.array(words, dtype=object)
    for n in range(start, stop):
        rng = np.random.default_rng((seed, n))
        if n >= COPY_SHARE and n % COPY_SHARE == 0:
            source = int(rng.integers(0, n))
            source -= 1 if source >= COPY_SHARE and source % COPY_SHARE == 0 else 0  # an original
            text = _base(source, seed, vocab, cumulative).split(" ")
            text = text[: int(len(text) * rng.uniform(0.6, 0.95))]
            for i in rng.choice(len(text), size=max(1, len(text) // 50), replace=False):
                text[i] = vocab[int(np.searchsorted(cumulative, rng.random()))]
            yield f"doc{n}", " ".join(text)
        else:
            yield f"doc{n}", _base(n, seed, vocab, cumulative)


def _base(n: int, seed: int, vocab: np.ndarray, cumulative: np.ndarray) -> str:
    rng = np.random.default_rng((seed, n, 1))
    length = int(rng.integers(WORDS // 2, WORDS * 3 // 2))
    idx = np.searchsorted(cumulative, rng.random(length))
    tokens = vocab[np.minimum(idx, len(vocab) - 1)].tolist()
    for at in range(50, length, 50):
        tokens[at] = "\n\n" + tokens[at]
    return " ".join(tokens)


def fill(db: str, start: int, stop: int) -> dict:
    from presstrace.model import Document, RawDocument
    from presstrace.store import open_store

    store = open_store(db)
    t0 = time.perf_counter()
    batch = []
    for doc_id, text in documents(start, stop):
        batch.append((RawDocument(doc_id, doc_id, text), Document(doc_id, doc_id, text=text)))
        if len(batch) == 2000:
            store.add_batch(batch)
            batch = []
    store.add_batch(batch)
    store.close()
    return {"seconds": time.perf_counter() - t0, "peak_mb": vmhwm_mb()}


def step(db: str, jobs: int) -> dict:
    from presstrace.steps import copies
    from presstrace.store import open_store

    store = open_store(db)
    t0, cpu0 = time.perf_counter(), time.process_time()
    summary = copies.run(store, jobs=jobs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    store.close()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": vmhwm_mb(), **summary}


def brute(db: str, limit: int) -> dict:
    """All pairs of MinHash signatures, no LSH; pairs sharing >= 50% of values."""
    from presstrace.dedup import sketch_texts
    from presstrace.store import open_store

    store = open_store(db)
    rows = store.sql("SELECT id, text FROM documents ORDER BY id LIMIT ?", (limit,))
    store.close()
    t0 = time.perf_counter()
    sigs = np.stack([s.minhash for s in sketch_texts((r["id"], r["text"]) for r in rows)])
    sketch_seconds = time.perf_counter() - t0
    found, block = 0, 2000
    for i in range(0, len(sigs), block):
        a = sigs[i : i + block]
        for j in range(i, len(sigs), block):
            b = sigs[j : j + block]
            same = (a[:, None, :] == b[None, :, :]).mean(axis=2) >= 0.5
            if i == j:
                same = np.triu(same, 1)
            found += int(same.sum())
    seconds = time.perf_counter() - t0
    n = len(sigs)
    pairs = n * (n - 1) / 2
    return {"seconds": seconds, "peak_mb": vmhwm_mb(), "n": n, "pairs": pairs,
            "per_pair": (seconds - sketch_seconds) / pairs, "sketch_seconds": sketch_seconds,
            "found": found}  # fmt: skip


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--brute-max", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dir", default=None, help="where the stores go (default: a temp dir)")
    parser.add_argument(
        "--filled",
        default=None,
        help="keep a copy of each filled store here and reuse it next time (the fill is the "
        "same for a size; a re-measure of the step then skips it)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, db, *rest = args.child
        result = {"fill": lambda: fill(db, int(rest[0]), int(rest[1])),
                  "step": lambda: step(db, int(rest[0])),
                  "brute": lambda: brute(db, int(rest[0]))}[kind]()  # fmt: skip
        print(json.dumps(result))
        return
    folder = Path(args.dir or tempfile.mkdtemp(prefix="dedup_scale_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        "| documents | fill store s | step s | step CPU s | docs/s | peak MB | copies | groups "
        "| incremental +1,000: s | peak MB | brute-force pairs s | brute peak MB "
        "| brute / step time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rate = None
    for n in args.sizes:
        db = str(folder / f"scale-{n}.db")
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        kept = Path(args.filled) / f"scale-{n}.db" if args.filled else None
        if kept and kept.exists():
            shutil.copyfile(kept, db)
            filled = {"seconds": float("nan")}  # not measured: a copy of an earlier fill
        else:
            filled = child(["fill", db, "0", str(n)])
            if kept:
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(db, kept)  # the fill closed the store: WAL checkpointed
        run = child(["step", db, str(args.jobs)])
        child(["fill", db, str(n), str(n + 1000)])
        more = child(["step", db, str(args.jobs)])
        if n <= args.brute_max:
            base = child(["brute", db, str(n)])
            rate = base["per_pair"]
            brute_s, brute_mb = f"{base['seconds']:.1f}", f"{base['peak_mb']:.0f}"
            ratio = base["seconds"] / run["seconds"]
        else:
            est = rate * n * (n - 1) / 2 if rate else float("nan")
            brute_s, brute_mb = f"{est:,.0f} (est.)", "–"
            ratio = est / run["seconds"]
        print(f"| {n:,} | {filled['seconds']:.1f} | {run['seconds']:.1f} "
              f"| {run['cpu_seconds']:.1f} "
              f"| {n / run['seconds']:,.0f} | {run['peak_mb']:.0f} | {run['copies']:,} "
              f"| {run['groups']:,} | {more['seconds']:.2f} | {more['peak_mb']:.0f} "
              f"| {brute_s} | {brute_mb} | {ratio:,.1f}x |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
