"""Fuzz the ingest for longer than CI does, with time and peak memory per input.

    python bench/fuzz.py                      # 2,000 mutated cases, then the worst-case inputs
    python bench/fuzz.py --cases 10000 --seed 7 --timeout 60
    python bench/fuzz.py --cases 0            # only the worst-case inputs (memory bound)

Data: the mutator of tests/ingest/fuzzing.py over real samples (the bundled example articles
packed as text, UTF-16, cp1252, HTML, JSON, JSON array, wrapped JSON, JSONL, JSONL.gz, CSV,
TSV, RSS, Atom, WARC, WARC.gz), plus hand-made worst cases at the limits (a 50 MB text
file, a 10M-character HTML page, 91 KB of repetitive text, a gzip bomb in a WARC record,
deeply nested JSON, a 4,400-digit integer).

Each input runs in its own forked process: the readers, then clean and meta on every document
(`pipeline.build_document`, the per-document work; the corpus steps are not run). The parent
kills a case after --timeout seconds (a hang) and reads its peak RSS from wait4. Printed per
format: cases, documents, failures, bugs (an exception, or a failure that is a reader bug:
"could not read (…)"), hangs, p50/max seconds, and the max of peak RSS minus the parent's RSS
at fork (what one input added).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from presstrace.ingest import IngestFailure, IngestOptions, read_inputs  # noqa: E402
from presstrace.pipeline import build_or_fail  # noqa: E402
from tests.ingest.fuzzing import cases, samples, write  # noqa: E402
from tests.ingest.helpers import warc_record  # noqa: E402

BUG_MARKERS = ("could not read (", "could not open (", "could not process (")


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def run_case(path: str) -> dict:
    """In the child: read and build every document of one input."""
    out = {"docs": 0, "failures": 0, "bugs": [], "lines": []}
    try:
        for item in read_inputs([path], options=IngestOptions(delay=0)):
            if isinstance(item, IngestFailure):
                out["failures"] += 1
                line = str(item)
                if not line.isprintable() or any(m in item.reason for m in BUG_MARKERS):
                    out["bugs"].append(line[:300])
                continue
            built = build_or_fail(item)
            if isinstance(built, IngestFailure):
                out["failures"] += 1
                if any(m in built.reason for m in BUG_MARKERS):
                    out["bugs"].append(str(built)[:300])
            else:
                out["docs"] += 1
                json.dumps(built.to_dict() if hasattr(built, "to_dict") else built.text)
                built.text.encode("utf-8")
    except BaseException as exc:  # noqa: BLE001 - the finding itself
        out["bugs"].append(f"exception {type(exc).__name__}: {exc}"[:300])
    return out


def forked(path: str, timeout: float) -> dict:
    read_end, write_end = os.pipe()
    base = rss_kb()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        result = run_case(path)
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    chunks, hung = [], False
    while True:
        left = timeout - (time.monotonic() - started)
        ready, _, _ = select.select([read_end], [], [], max(left, 0))
        if not ready:
            hung = True
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    if hung:
        result = {"docs": 0, "failures": 0, "bugs": ["hang"]}
    elif not chunks:
        result = {"docs": 0, "failures": 0, "bugs": [f"child died (status {status})"]}
    else:
        result = json.loads(b"".join(chunks))
    result.update(hung=hung, seconds=seconds, rss_mb=max(usage.ru_maxrss - base, 0) / 1024)
    return result


def worst_cases(folder: Path) -> dict[str, Path]:
    """Inputs at the limits, by name."""
    body = "The minister said the bridge would open in spring. " * 20
    made = {
        "text 50 MB (max-bytes)": ("big.txt", (body + "\n\n") * (50 * 2**20 // (len(body) + 2))),
        "HTML 10M chars (cut to 5M)": (
            "big.html",
            "<html><body>"
            + "<p>"
            + body
            + "</p>" * 1
            + ("<div><p>" + body + "</p></div>") * (10_000_000 // 1040)
            + "</body></html>",
        ),  # fmt: skip
        "repetitive 91 KB": (
            "amplify.txt",
            '"It is," he said. The price rose 5% to $3 million. ' * 1800,
        ),  # fmt: skip
        "JSONL one 45 MB record": (
            "big.jsonl",
            json.dumps({"title": "Big", "text": body * (45 * 2**20 // len(body))})
            + "\n"
            + json.dumps({"text": body})
            + "\n",
        ),
        "JSON array, 45 MB record": (
            "big.json",
            json.dumps([{"text": body * (45 * 2**20 // len(body))}, {"text": body}]),
        ),
        "JSON nested 100k": ("deep.json", "[" * 100_000 + "]" * 100_000),
        "JSON 4,400-digit int": ("bigint.json", "[" + "1" * 4400 + "]"),
        "JSONL 990-deep line": (
            "deep.jsonl",
            json.dumps({"text": body}) + "\n" + "[" * 990 + "]" * 990 + "\n",
        ),  # fmt: skip
    }
    out = {}
    for label, (name, text) in made.items():
        path = folder / name
        path.write_text(text)
        out[label] = path
    bomb = gzip.compress(b"<html><body><p>" + b"a" * (1 << 30) + b"</p></body></html>")
    path = folder / "bomb.warc"
    path.write_bytes(warc_record("http://x/", bomb, http_headers="Content-Encoding: gzip\r\n"))
    out[f"WARC gzip bomb ({len(bomb) // 1024} KB -> 1 GB)"] = path
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    warm = next(i for i in read_inputs([str(ROOT / "examples" / "articles")]))
    build_or_fail(warm)  # models and caches load once, here, not in every forked case
    with tempfile.TemporaryDirectory(prefix="presstrace-fuzz-") as tmp:
        folder = Path(tmp)
        rows: dict[str, list[dict]] = {}
        bugs: list[str] = []
        for case in cases(args.cases, seed=args.seed):
            path = write(case, folder)
            result = forked(str(path), args.timeout)
            rows.setdefault(case.fmt, []).append(result)
            bugs += [f"case {case.number} {case.fmt} {case.mutations}: {b}" for b in result["bugs"]]
            path.unlink()
        if rows:
            print(f"mutated cases (seed {args.seed}; timeout {args.timeout:g} s; "
                  f"{len(samples())} formats)")  # fmt: skip
            table(rows)
        worst = {label: [forked(str(p), args.timeout)] for label, p in worst_cases(folder).items()}
        print("\nworst-case inputs")
        table(worst)
        for label, (result,) in worst.items():
            bugs += [f"{label}: {b}" for b in result["bugs"]]
    print(f"\nbugs: {len(bugs)}")
    for bug in bugs[:40]:
        print("  " + bug)


def table(rows: dict[str, list[dict]]) -> None:
    print(f"{'input':28} {'cases':>6} {'docs':>6} {'fail':>6} {'bugs':>5} {'hangs':>5} "
          f"{'p50 s':>7} {'max s':>7} {'max MB':>7}")  # fmt: skip
    total: list[dict] = []
    for name, results in sorted(rows.items()):
        total += results
        line(name, results)
    if len(rows) > 1:
        line("all", total)


def line(name: str, results: list[dict]) -> None:
    seconds = [r["seconds"] for r in results]
    print(
        f"{name:28} {len(results):6d} {sum(r['docs'] for r in results):6d} "
        f"{sum(r['failures'] for r in results):6d} {sum(len(r['bugs']) for r in results):5d} "
        f"{sum(r['hung'] for r in results):5d} {statistics.median(seconds):7.2f} "
        f"{max(seconds):7.2f} {max(r['rss_mb'] for r in results):7.0f}"
    )


if __name__ == "__main__":
    main()
