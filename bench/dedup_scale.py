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
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import cache
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
    """Synthetic corpus: document n is the same whatever range it is generated in (seeded by
    n)."""
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


# -- the wire corpus: new text built from real sentences, many reprints of shared paragraphs --
SUBSTITUTE = 0.45  # share of words replaced in every generated sentence: 0.55**5 = 5% of a
# real sentence's 5-grams survive, so phrases recur across documents as stock phrases do,
# but the text is new (new names too: capitalised words are replaced by capitalised words)
STORY_EVERY = 20  # one new wire story per 20 documents
OWN_SHARE = 0.45  # documents written in-house (new text only)
ROUNDUP_SHARE = 0.12  # documents combining parts of 2-3 wire stories (join copy groups)
UNDATED_SHARE = 0.1
DOCS_PER_DAY = 300
DENSE_STORY_EVERY = 100  # --corpus wire-dense


@cache
def _pools() -> tuple[list[list[str]], np.ndarray, np.ndarray, np.ndarray]:
    """Real sentences (ECB+ dev-set texts, one sentence a line, and the seed articles'
    paragraphs), the word vocabulary with its cumulative frequencies, and the capitalised
    words (names) the substitutions draw from."""
    from devsets import SHARED, load_ecbplus

    lines = [x for d in load_ecbplus() for x in d["text"].split("\n")]
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        lines += re.split(r"\n\s*\n", seed.read_text(encoding="utf-8"))
    sentences = [x.split() for x in lines if len(x.split()) >= 6]
    counts = Counter(w for s in sentences for w in s)
    words, freq = zip(*counts.most_common(), strict=True)
    cumulative = np.cumsum(np.array(freq, dtype=np.float64))
    names = np.array(sorted({w for w in words if w[:1].isupper() and w.isalpha()}), dtype=object)
    return sentences, np.array(words, dtype=object), cumulative / cumulative[-1], names


def _sentence(rng: np.random.Generator) -> str:
    sentences, vocab, cumulative, names = _pools()
    tokens = list(sentences[int(rng.integers(len(sentences)))])
    for i in np.flatnonzero(rng.random(len(tokens)) < SUBSTITUTE):
        if tokens[i][:1].isupper():
            tokens[i] = names[int(rng.integers(len(names)))]
        else:
            tokens[i] = vocab[min(int(np.searchsorted(cumulative, rng.random())), len(vocab) - 1)]
    return " ".join(tokens)


def _paragraphs(rng: np.random.Generator, low: int, high: int) -> list[str]:
    return [
        " ".join(_sentence(rng) for _ in range(int(rng.integers(1, 4))))
        for _ in range(int(rng.integers(low, high + 1)))
    ]


@cache
def _story(w: int, seed: int) -> tuple[str, ...]:
    """Wire story w: 5-9 paragraphs of new text, reprinted by many documents."""
    return tuple(_paragraphs(np.random.default_rng((seed, 7, w)), 5, 9))


def _pick_story(n: int, rng: np.random.Generator, every: int = STORY_EVERY) -> int:
    """A recent story, most often one of the last few; one in ten stories is a big one that
    about three times as many outlets reprint."""
    newest = n // every
    while True:
        w = max(0, newest - int(rng.geometric(0.15)) + 1)
        if w % 10 == 0 or rng.random() < 0.3:
            return w


def wire_documents(start: int, stop: int, seed: int = 11, every: int = STORY_EVERY):
    """(id, text, date) of documents n in [start, stop), each the same whatever the range.

    45% in-house articles; 43% reprints of one wire story (paragraphs dropped or the end cut,
    an in-house intro or a stock footer added, sometimes a few words changed); 12% roundups
    of parts of 2-3 stories. Dates follow n (300 a day) with a few late arrivals that are
    earlier than documents already stored; one in ten is undated."""
    _, vocab, cumulative, _ = _pools()
    for n in range(start, stop):
        rng = np.random.default_rng((seed, n))
        kind = rng.random()
        if kind < OWN_SHARE:
            paragraphs = _paragraphs(rng, 3, 9)
        elif kind < 1 - ROUNDUP_SHARE:
            story = list(_story(_pick_story(n, rng, every), seed))
            if rng.random() < 0.4:
                story = story[: max(2, int(len(story) * rng.uniform(0.5, 1.0)))]
            if rng.random() < 0.4:
                drop = set(rng.choice(len(story), size=min(2, len(story) - 2), replace=False))
                story = [p for i, p in enumerate(story) if i not in drop]
            if rng.random() < 0.3:
                words = " ".join(story).split(" ")
                for i in rng.choice(len(words), size=max(1, len(words) // 60), replace=False):
                    words[i] = vocab[int(np.searchsorted(cumulative, rng.random()))]
                story = [" ".join(words)]
            paragraphs = _paragraphs(rng, 0, 2) + story
            if rng.random() < 0.3:
                paragraphs.append(_sentence(rng))
        else:
            paragraphs = _paragraphs(rng, 1, 2)
            for _ in range(int(rng.integers(2, 4))):
                story = _story(_pick_story(n, rng, every), seed)
                first = int(rng.integers(0, len(story) - 2))
                paragraphs += story[first : first + int(rng.integers(2, 5))]
        day = n // DOCS_PER_DAY - (int(rng.integers(1, 11)) if rng.random() < 0.05 else 0)
        date = None if rng.random() < UNDATED_SHARE else str(BASE_DAY + timedelta(days=day))
        yield f"w{n:07d}", "\n\n".join(paragraphs), date


BASE_DAY = date(2024, 1, 1)


def corpus(name: str, start: int, stop: int):
    """(id, text, date or None) of documents [start, stop) of the named corpus."""
    if name == "wire":
        yield from wire_documents(start, stop)
    elif name == "wire-dense":  # one story per 100 documents: each reprinted 5 times as often
        yield from wire_documents(start, stop, every=DENSE_STORY_EVERY)
    else:
        for doc_id, text in documents(start, stop):
            yield doc_id, text, None


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


# -- growing a store chunk by chunk, the step after each chunk (as ingests run it) ---------------
def cached_corpus(name: str, stop: int, folder: Path) -> Path:
    """The first `stop` documents of a corpus as JSONL (generating the wire corpus costs
    about 2 ms a document: done once, read by every run)."""
    path = folder / f"{name}-{stop}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8") as out:
            for doc_id, text, day in corpus(name, 0, stop):
                out.write(json.dumps({"id": doc_id, "text": text, "date": day}) + "\n")
        tmp.rename(path)
    return path


def read_corpus(path: str, start: int, stop: int):
    with open(path, encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if i >= stop:
                return
            if i >= start:
                row = json.loads(line)
                yield row["id"], row["text"], row["date"]


def _pairs(rows) -> list:
    from presstrace.model import Document, Published, RawDocument

    return [
        (RawDocument(i, i, text),
         Document(i, i, text=text, published=Published(date=day, earliest=day, latest=day)))
        for i, text, day in rows
    ]  # fmt: skip


def grow(db: str, path: str, stop: int, chunk: int, budget: float, marks: str = "") -> dict:
    """Add `chunk` documents at a time to a fresh store and run the copies step after each:
    CPU and wall time of each step run (the fill is not counted). Stops after `budget`
    seconds of wall time. At each size in `marks` (comma-separated), a digest of the copy
    graph (the copies table and every duplicate_of), to compare two versions of the step."""
    from presstrace.steps import copies
    from presstrace.store import open_store

    at = {int(x) for x in marks.split(",") if x}
    store = open_store(db)
    rows, digests, t_start = [], {}, time.perf_counter()
    for start in range(0, stop, chunk):
        store.add_batch(_pairs(read_corpus(path, start, start + chunk)))
        t0, cpu0 = time.perf_counter(), time.process_time()
        summary = copies.run(store)
        rows.append({"size": start + chunk, "docs": summary["new_documents"],
                     "cpu": time.process_time() - cpu0, "wall": time.perf_counter() - t0,
                     **summary})  # fmt: skip
        rows[-1]["anchor"] = anchor(path)
        if start + chunk in at:
            digests[start + chunk] = graph_digest(store)
        if time.perf_counter() - t_start > budget:
            break
    store.close()
    return {"chunks": rows, "peak_mb": vmhwm_mb(), "digests": digests}


ANCHOR_DOCS = 300


def anchor(path: str) -> float:
    """CPU seconds to sketch the corpus's first ANCHOR_DOCS documents (a fixed amount of
    work, run after each chunk): on a machine shared with other jobs a CPU second is not
    the same from one minute to the next (SMT and cache contention), so per-document costs
    are also given as a ratio to this anchor, measured in the same process at the same
    moment."""
    from presstrace.dedup.sketch import sketch_texts

    items = [(i, text) for i, text, _ in read_corpus(path, 0, ANCHOR_DOCS)]
    cpu0 = time.process_time()
    sketch_texts(items)
    return time.process_time() - cpu0


def graph_digest(store) -> str:
    links = store.sql("SELECT copy_id, canonical_id, similarity, containment, method FROM copies")
    dup = store.sql("SELECT id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL")
    text = json.dumps([sorted(tuple(r.values()) for r in links),
                       sorted(tuple(r.values()) for r in dup)])  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def top_up(db: str, path: str, start: int, count: int) -> dict:
    """`count` more documents into a grown store, then the step, in a fresh process."""
    from presstrace.steps import copies
    from presstrace.store import open_store

    t0, cpu0 = time.perf_counter(), time.process_time()
    store = open_store(db)
    store.add_batch(_pairs(read_corpus(path, start, start + count)))
    t1, cpu1 = time.perf_counter(), time.process_time()
    summary = copies.run(store)
    out = {"step_s": time.perf_counter() - t1, "step_cpu": time.process_time() - cpu1,
           "open_add_s": t1 - t0, "open_add_cpu": cpu1 - cpu0, **summary}  # fmt: skip
    store.close()
    return out


def datasketch_grow(path: str, stop: int, chunk: int, budget: float) -> dict:
    """Plain datasketch on the same documents, chunk by chunk: 5-word shingles of the
    lower-cased words, MinHash (its defaults: 128 permutations), MinHashLSH(threshold=0.5)
    queried then inserted. It only proposes pairs: nothing is measured or decided."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    rows, proposed, t_start = [], 0, time.perf_counter()
    for start in range(0, stop, chunk):
        docs = list(read_corpus(path, start, start + chunk))
        t0, cpu0 = time.perf_counter(), time.process_time()
        for doc_id, text, _ in docs:
            words = re.findall(r"\w+", text.lower())
            shingles = {" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)}
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles))
            proposed += len(lsh.query(m))
            lsh.insert(doc_id, m)
        rows.append({"size": start + chunk, "docs": len(docs), "cpu": time.process_time() - cpu0,
                     "wall": time.perf_counter() - t0, "proposed": proposed,
                     "anchor": anchor(path)})  # fmt: skip
        if time.perf_counter() - t_start > budget:
            break
    return {"chunks": rows, "peak_mb": vmhwm_mb()}


def per_doc(chunks: list[dict], size: int, window: int = 5) -> tuple[float, float] | None:
    """Mean CPU ms per document of the `window` chunks ending at `size`, and the same as a
    ratio to the anchor (CPU per document over anchor CPU per anchor document)."""
    upto = [c for c in chunks if c["size"] <= size]
    if not upto or upto[-1]["size"] != size:
        return None
    last = upto[-window:]
    docs = sum(c["docs"] for c in last)
    cpu = sum(c["cpu"] for c in last) / docs
    return 1000 * cpu, cpu / (sum(c["anchor"] for c in last) / len(last) / ANCHOR_DOCS)


def grow_main(args: argparse.Namespace, folder: Path) -> None:
    path = cached_corpus(args.corpus, max(args.sizes) + args.top_up, Path(args.cache))
    stop, chunk = max(args.sizes), args.chunk
    marks = ",".join(str(x) for x in args.sizes)

    def grown(label: str, src: str) -> dict:
        db = str(folder / f"grow-{label}-{args.corpus}-{stop}.db")
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(db + suffix).unlink(missing_ok=True)
        out = child(["grow", db, str(path), str(stop), str(chunk), str(args.budget), marks], src)
        if out["chunks"][-1]["size"] == stop and args.top_up:
            out["top"] = child(["top", db, str(path), str(stop), str(args.top_up)], src)
        return out

    # the runs go side by side (each its own process; the anchor makes their CPU comparable)
    runs = [("after", str(ROOT / "src"))] + ([("before", args.before)] if args.before else [])
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {label: pool.submit(grown, label, src) for label, src in runs}
        if not args.no_datasketch:
            futures["datasketch"] = pool.submit(
                child, ["datasketch", str(path), str(stop), str(chunk), str(args.budget)]
            )
        results = {label: futures[label].result() for label in ("before", "after", "datasketch")
                   if label in futures}  # fmt: skip
    labels = list(results)
    print(f"corpus {args.corpus}, chunks of {chunk:,} documents, the step after each chunk; "
          "CPU ms per document over the last 5 chunks up to each size, and in brackets "
          "the same over the anchor's CPU per document (sketching a fixed set, measured "
          "after each chunk)")  # fmt: skip
    head = [f"{x} CPU ms/doc (/ anchor)" for x in labels]
    head += ["after / datasketch (anchored)"] if "datasketch" in results else []
    print("| documents | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(head))
    for size in args.sizes:
        cells = []
        for x in labels:
            got = per_doc(results[x]["chunks"], size)
            cells.append(f"{got[0]:.2f} ({got[1]:.2f})" if got else "not reached")
        if "datasketch" in results:
            mine, theirs = (per_doc(results[x]["chunks"], size) for x in ("after", "datasketch"))
            cells.append(f"{mine[1] / theirs[1]:.2f}x" if mine and theirs else "–")
        print(f"| {size:,} | " + " | ".join(cells) + " |")
    for x in labels:
        chunks = results[x]["chunks"]
        last = chunks[-1]
        extra = {k: last[k] for k in ("copies", "groups", "proposed") if k in last}
        total_cpu = sum(c["cpu"] for c in chunks)
        print(f"{x}: reached {last['size']:,} documents; step CPU {total_cpu:.1f} s in all, "
              f"peak {results[x]['peak_mb']:.0f} MB; {extra}")  # fmt: skip
        if "top" in results[x]:
            top = results[x]["top"]
            print(f"{x}: +{args.top_up} documents into the {stop:,} store: step "
                  f"{top['step_s']:.2f} s wall, {top['step_cpu']:.2f} s CPU "
                  f"(opening the store and adding them {top['open_add_s']:.2f} s); "
                  f"copies {top['copies']:,}, groups {top['groups']:,}")  # fmt: skip
    if "before" in results:
        before, after = results["before"]["digests"], results["after"]["digests"]
        same = [
            f"{int(size):,}: {'same' if before[size] == after[size] else 'DIFFERENT'}"
            for size in after
            if size in before
        ]
        print("copy graph (copies table and duplicate_of) before vs after at " + "; ".join(same))
    print(json.dumps(results), file=sys.stderr)


def child(args: list[str], src: str | None = None) -> dict:
    """Run one measurement in a fresh process (its own peak memory), with `src` first on
    its path when given (the code before a change, to measure both side by side)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=True, env=env)  # fmt: skip
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
    parser.add_argument(
        "--mode",
        choices=["grow", "whole"],
        default="grow",
        help="grow: chunks added one by one, the step after each (per-chunk "
        "CPU); whole: fill, then one step over all (the earlier table)",
    )
    parser.add_argument("--corpus", choices=["wire", "wire-dense", "synthetic"], default="wire")
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        help="grow: stop a run after this many seconds (and say how far)",
    )
    parser.add_argument(
        "--top-up",
        type=int,
        default=100,
        help="grow: documents added to the grown store at the end",
    )
    parser.add_argument(
        "--before",
        default=None,
        help="grow: a src/ folder of the code before a change, run alongside",
    )
    parser.add_argument("--no-datasketch", action="store_true")
    parser.add_argument(
        "--cache",
        default="/work/devdata/dedup_scale",
        help="grow: where the generated corpus is kept (JSONL)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, db, *rest = args.child
        result = {"fill": lambda: fill(db, int(rest[0]), int(rest[1])),
                  "step": lambda: step(db, int(rest[0])),
                  "brute": lambda: brute(db, int(rest[0])),
                  "grow": lambda: grow(db, rest[0], int(rest[1]), int(rest[2]), float(rest[3]),
                                       rest[4]),
                  "top": lambda: top_up(db, rest[0], int(rest[1]), int(rest[2])),
                  "datasketch": lambda: datasketch_grow(db, int(rest[0]), int(rest[1]),
                                                        float(rest[2]))}[kind]()  # fmt: skip
        print(json.dumps(result))
        return
    folder = Path(args.dir or tempfile.mkdtemp(prefix="dedup_scale_"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.mode == "grow":
        Path(args.cache).mkdir(parents=True, exist_ok=True)
        grow_main(args, folder)
        return
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
