"""Lines of Python per layer of presstrace at two git revisions: the before/after of a
restructuring (issue 14's closing note asks for the tree and the line counts per layer).

    python bench/layers.py                      # 74f569b (before issue 14) against HEAD
    python bench/layers.py c03a638 HEAD --tree  # any two revisions; --tree adds the trees

Files are read from git (`git ls-tree`, `git cat-file`), so neither revision needs to be
checked out. A file's layer is the first rule of LAYERS its path starts with; a line is any
line of a .py file (blank and comment lines too: what a reader pages through).
"""

from __future__ import annotations

import argparse
import subprocess
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "src/presstrace/"
# The last commit before issue 14's work (74f569b: "model: Document.abstained"); its first
# commit, 06c91f7, added the test markers.
BEFORE = "74f569b"
STAGES = ("ingest", "clean", "meta", "extract", "dedup", "group")
# layer -> path prefixes under src/presstrace/ (or from the repository root: tests/, bench/);
# the first layer with a matching prefix wins. store/browse.py was the read side before
# store/queries/, and cli.py, cli_*.py and render.py the command line before cli/.
LAYERS: dict[str, tuple[str, ...]] = {
    "store/queries (the read side)": ("store/queries/", "store/browse.py"),
    "store (backends, dialect, tables)": ("store/",),
    "cli": ("cli", "render.py"),
    "api": ("api/",),
    "web": ("web/",),
    "interfaces (HTTP parameters)": ("interfaces/",),
    "orchestration (steps, pipeline, engines)": ("steps/", "pipeline.py", "engines.py"),
    "stages (" + ", ".join(STAGES) + ")": tuple(f"{stage}/" for stage in STAGES),
    "core (model, library, settings, errors, exports, report, …)": ("",),
    "tests": ("/tests/",),
    "bench": ("/bench/",),
}


def git(*args: str, stdin: str | None = None) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], input=stdin, capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def line_counts(rev: str) -> dict[str, int]:
    """path -> lines, for every .py file at `rev`."""
    paths = [p for p in git("ls-tree", "-r", "--name-only", rev).splitlines() if p.endswith(".py")]
    out = subprocess.run(["git", "-C", str(ROOT), "cat-file", "--batch"],
                         input="".join(f"{rev}:{p}\n" for p in paths).encode(),
                         capture_output=True, check=True).stdout  # fmt: skip
    counts, pos = {}, 0
    for path in paths:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        body = out[header_end + 1 : header_end + 1 + size]
        counts[path] = body.count(b"\n") + (1 if body and not body.endswith(b"\n") else 0)
        pos = header_end + 1 + size + 1
    return counts


def layer(path: str) -> str | None:
    """The layer of a repository path (None outside src/presstrace, tests and bench)."""
    for name, prefixes in LAYERS.items():
        for prefix in prefixes:
            full = prefix[1:] if prefix.startswith("/") else PKG + prefix
            if path.startswith(full):
                return name
    return None


def per_layer(counts: dict[str, int]) -> tuple[Counter[str], Counter[str]]:
    files: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for path, n in counts.items():
        if (name := layer(path)) is not None:
            files[name] += 1
            lines[name] += n
    return files, lines


def tree(counts: dict[str, int]) -> list[str]:
    """src/presstrace as a tree one level deep (a package with its modules, each with its
    lines)."""
    entries: dict[str, dict[str, int]] = {}
    for path, n in counts.items():
        if path.startswith(PKG):
            top, _, rest = path[len(PKG) :].partition("/")
            entries.setdefault(top + ("/" if rest else ""), {})[rest] = n
    out = []
    for top in sorted(entries, key=lambda t: (not t.endswith("/"), t)):
        total = sum(entries[top].values())
        out.append(f"{top:<28}{total:>7}")
        if top.endswith("/"):
            out += [f"    {sub:<24}{n:>7}" for sub, n in sorted(entries[top].items())]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", nargs="?", default=BEFORE)
    parser.add_argument("after", nargs="?", default="HEAD")
    parser.add_argument("--tree", action="store_true", help="also print both trees")
    args = parser.parse_args()
    revs = [git("rev-parse", "--short", r).strip() for r in (args.before, args.after)]
    counts = [line_counts(r) for r in revs]
    (files_a, lines_a), (files_b, lines_b) = (per_layer(c) for c in counts)
    print(f"| layer | files {revs[0]} | lines {revs[0]} | files {revs[1]} | lines {revs[1]} "
          "| lines change |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in LAYERS:
        a, b = lines_a[name], lines_b[name]
        print(f"| {name} | {files_a[name]} | {a:,} | {files_b[name]} | {b:,} | {b - a:+,} |")
    src = [sum(n for p, n in c.items() if p.startswith(PKG)) for c in counts]
    print(f"| all of src/presstrace | | {src[0]:,} | | {src[1]:,} | {src[1] - src[0]:+,} |")
    if args.tree:
        for rev, c in zip(revs, counts, strict=True):
            print(f"\nsrc/presstrace at {rev} (lines)\n```")
            print("\n".join(tree(c)))
            print("```")


if __name__ == "__main__":
    main()
