"""Throughput and peak memory of ingest + clean + meta, with baselines side by side.

    python bench/ingest.py                 # 1k and 10k plain-text articles, and the HTML pages
    python bench/ingest.py --sizes 1000 10000 100000
    python bench/ingest.py --all-steps    # also the whole ingest, every corpus step included

Plain text: articles are generated reproducibly by recombining the example paragraphs with
scraper boilerplate (link lists, sign-up notices, ad markers, repeated captions), about 5 KB
each, written to one JSONL file and ingested into a fresh SQLite store. The baseline row is
the store alone (read, hash, insert the raw text with no cleaning or meta), so the ratio says
what the stages cost on top of the unavoidable I/O.
HTML: the trafilatura dev-set pages, presstrace's whole HTML path beside trafilatura.extract
alone on the same pages.
Each measurement runs in a fresh subprocess so that its peak RSS is its own.

Start-up (imports, then the first document, which loads the language model, the outlet list,
the marker vocabularies and the date calendar) is measured apart from the ingest that follows
it: `startup CPU-s` is paid once per process, `docs/CPU-s` is the steady per-core rate, and
`cold docs/CPU-s` is both together, what one short run of the corpus costs. `--repeat N`
runs each measurement N times and prints each run (other processes load the machine: CPU time
is the figure to compare, wall time is not).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD_START = (lambda t: t.user + t.system)(os.times())  # before presstrace is imported
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"

BOILERPLATE = [
    "[ad_1]",
    "close",
    "Advertisement",
    "We use your sign-up to provide content in ways you’ve consented to and to improve our "
    "understanding of you. This may include adverts from us and 3rd parties based on our "
    "understanding. You can unsubscribe at any time. More info",
    "Read more: Ukraine hails £21bn fund for rebuilding country after brutal attacks",
    "Don’t miss:\nRussian forces begin installing hypersonic missile system [REPORT]\n"
    "Putin critic placed in solitary confinement [REVEAL]\nShould NATO act? POLL",
    "Sign up to our free newsletter for the latest news straight to your inbox.",
    "Source: Read Full Article",
    "[ad_2]",
]


def example_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if len(block) > 80:
                paragraphs.append(block)
    return paragraphs


def make_corpus(path: Path, count: int, seed: int = 7) -> int:
    """Write `count` synthetic ~5 KB articles as JSONL; returns the bytes written."""
    rng = random.Random(seed)
    paragraphs = example_paragraphs()
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            body = []
            while sum(len(p) for p in body) < 4300:
                body.append(rng.choice(paragraphs))
            for _ in range(rng.randint(2, 4)):
                body.insert(rng.randrange(len(body) + 1), rng.choice(BOILERPLATE))
            if rng.random() < 0.5:  # a caption printed twice, as scrapers do
                caption = rng.choice(body)
                body.insert(body.index(caption) + 1, caption.replace("’", "'"))
            title = f"Article {i}: " + rng.choice(paragraphs)[:70].rsplit(" ", 1)[0]
            text = "\n\n".join([title, *body])
            out.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


# -- measurements, each run in its own process -------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: on a loaded machine docs per
    CPU second is the honest per-core rate, wall time is not."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _no_steps() -> list[str]:
    """Every corpus step (copies, extract, stories...): the row this bench gives is ingest +
    clean + meta + store; the steps have their own benches (or --all-steps)."""
    from presstrace.steps import step_names

    return step_names()


def _warm_up(corpus: str) -> None:
    """Build (and do not store) the corpus's first document: every one-off load happens here,
    so that the timed ingest after it is the steady per-document cost."""
    from presstrace.ingest import read_inputs
    from presstrace.pipeline import build_document

    first = next(iter(read_inputs([corpus])))
    build_document(first)


def run_pipeline(corpus: str, db: str) -> dict:
    from presstrace.pipeline import ingest
    from presstrace.store import open_store

    _warm_up(corpus)
    store = open_store(db)
    start, cpu = time.perf_counter(), _cpu()
    report = ingest([corpus], store, skip_steps=_no_steps())
    return {"docs": report.added, "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def run_pipeline_all(corpus: str, db: str) -> dict:
    """The whole ingest, every corpus step included (--all-steps)."""
    from presstrace.pipeline import ingest
    from presstrace.store import open_store

    store = open_store(db)
    start, cpu = time.perf_counter(), _cpu()
    report = ingest([corpus], store)
    return {"docs": report.added, "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def run_pipeline_2jobs(corpus: str, db: str) -> dict:
    """The same ingest with cleaning and meta in two worker processes (--jobs 2)."""
    from presstrace.pipeline import ingest
    from presstrace.store import open_store

    store = open_store(db)
    start, cpu = time.perf_counter(), _cpu()
    report = ingest([corpus], store, jobs=2, skip_steps=_no_steps())
    return {"docs": report.added, "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def run_store_only(corpus: str, db: str) -> dict:
    """Baseline: read, hash and store the raw text with no cleaning or meta at all."""
    from presstrace.ingest import IngestFailure, read_inputs
    from presstrace.model import Document
    from presstrace.store import open_store

    store = open_store(db)
    start, cpu = time.perf_counter(), _cpu()
    batch, added = [], 0
    for raw in read_inputs([corpus]):
        if isinstance(raw, IngestFailure):
            continue
        batch.append((raw, Document(id=raw.id, source=raw.source, text=raw.content)))
        if len(batch) == 200:
            added += store.add_batch(batch)
            batch = []
    added += store.add_batch(batch)
    return {"docs": added, "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def run_html_pipeline(_: str, db: str) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from devsets import load_trafilatura_cases

    from presstrace.model import RawDocument
    from presstrace.pipeline import build_document

    cases = list(load_trafilatura_cases())
    start, cpu = time.perf_counter(), _cpu()
    for i, case in enumerate(cases):
        build_document(RawDocument(id=str(i), source=case.name, content=case.html, kind="html"))
    return {"docs": len(cases), "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def run_html_trafilatura(_: str, db: str) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import trafilatura
    from devsets import load_trafilatura_cases

    cases = list(load_trafilatura_cases())
    start, cpu = time.perf_counter(), _cpu()
    for case in cases:
        trafilatura.extract(case.html, url=case.url, with_metadata=True)
    return {"docs": len(cases), "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


RUNNERS = {
    "pipeline": run_pipeline,
    "pipeline-all": run_pipeline_all,
    "pipeline-2jobs": run_pipeline_2jobs,
    "store-only": run_store_only,
    "html-pipeline": run_html_pipeline,
    "html-trafilatura": run_html_trafilatura,
}


def measure(runner: str, corpus: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--child", runner, corpus, str(Path(tmp) / "b.db")],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_repeated(runner: str, corpus: str, repeat: int) -> dict:
    """The run with the least CPU of `repeat` (what other processes add is never negative),
    with every run's docs/CPU-s kept for the printout."""
    runs = [measure(runner, corpus) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["cpu"])
    return {**best, "rates": [r["docs"] / r["cpu"] for r in runs]}


def peak_rss_mb() -> float:
    """This process's own peak RSS. VmHWM, not ru_maxrss: the latter can carry the peak of
    the parent that forked us."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(runner: str, corpus: str, db: str) -> None:
    """One measurement; `startup` is the CPU spent before the timed part (imports, the
    warm-up document, opening the store; the interpreter's own start is not counted)."""
    result = RUNNERS[runner](corpus, db)
    result["startup"] = _cpu() - _CHILD_START - result["cpu"]
    result["peak_mb"] = peak_rss_mb()
    # worker processes (--jobs) report their own peak; the largest one is added
    result["peak_mb"] += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs2", action="store_true", help="also run each size with --jobs 2")
    parser.add_argument(
        "--all-steps", action="store_true", help="also run each size with every corpus step"
    )
    parser.add_argument("--no-html", action="store_true", help="leave out the HTML pages")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    def run(runner: str, corpus: str) -> dict:
        return measure_repeated(runner, corpus, args.repeat)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            nbytes = make_corpus(corpus, size)
            ours = run("pipeline", str(corpus))
            base = run("store-only", str(corpus))
            rows.append((f"plain text {size:,} ({nbytes / size / 1024:.1f} KB/doc)", ours, base))
            if args.all_steps:
                rows.append(("  same, all corpus steps", run("pipeline-all", str(corpus)), base))
            if args.jobs2:
                rows.append(("  same, --jobs 2", run("pipeline-2jobs", str(corpus)), base))
        if not args.no_html:
            ours = run("html-pipeline", "-")
            base = run("html-trafilatura", "-")
            rows.append((f"HTML dev pages {ours['docs']}", ours, base))

    head = (
        f"{'corpus':34} {'docs/s':>8} {'docs/CPU-s':>10} {'startup CPU-s':>13} "
        f"{'cold docs/CPU-s':>15} {'peak MB':>8} | {'baseline docs/s':>15} {'docs/CPU-s':>10} "
        f"{'peak MB':>8} | {'time ratio':>10}"
    )
    print(head)
    print("-" * len(head))
    for name, ours, base in rows:
        rate = ours["docs"] / ours["seconds"]
        base_rate = base["docs"] / base["seconds"]
        cold = ours["docs"] / (ours["cpu"] + ours["startup"])
        print(
            f"{name:34} {rate:8.0f} {ours['docs'] / ours['cpu']:10.0f} {ours['startup']:13.2f} "
            f"{cold:15.0f} {ours['peak_mb']:8.0f} | "
            f"{base_rate:15.0f} {base['docs'] / base['cpu']:10.0f} {base['peak_mb']:8.0f} | "
            f"{ours['seconds'] / base['seconds']:9.2f}x"
        )
        if args.repeat > 1:
            runs = ", ".join(f"{r:.0f}" for r in ours["rates"])
            base_runs = ", ".join(f"{r:.0f}" for r in base["rates"])
            print(f"{'  docs/CPU-s of each run':34} {runs} | baseline {base_runs}")
    print(
        "\nbaseline: plain text = store only (read, hash, insert raw text); "
        "HTML = trafilatura.extract alone on the same pages. One process, one core.\n"
        "startup: imports and the first document's one-off loads (plain text: measured on a "
        "warm-up document that is not stored); cold = docs / (startup + ingest) CPU."
    )


if __name__ == "__main__":
    main()
