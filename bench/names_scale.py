"""Cost of the corpus-wide name merge (`extract.names.canonicalise`) as distinct names grow.

    python bench/names_scale.py --sizes 5000 10000 20000 100000

Synthetic names (synthetic_names.py, reproducible, seed 3), since no public corpus holds
100k distinct people: first names from a fixed list of 60 in several transliterations,
family names built from syllables (so most are new, and many share their first letters and
length, the block the typo comparison looks in); one name in twenty is a one-letter typo of
an earlier family name (Gerasimov/Gersimov), one in five also appears alone ("Mr
Kovalenko"), one in ten as a first name alone. Every surface is a PERSON; the seeds' own
surfaces are not mixed in. Each size runs in this process, timed with `time.process_time`
(CPU seconds).

`--new N` then times the incremental merge (extract/incremental.py) of one ingest: N new
names plus 10 more mentions of each of 200 known surfaces, merged against the stored merge
(an in-memory index), and checks it against the full merge of the grown corpus.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # bench/ itself is on the path as the script's folder

from synthetic_names import distinct_names as names  # noqa: E402

from presstrace.extract.incremental import MemoryIndex, merge_part  # noqa: E402
from presstrace.extract.names import SurfaceStat, canonicalise, merge  # noqa: E402

RETOLD = 200  # known surfaces a new batch mentions again (news repeats its people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--new", type=int, default=0, help="names of one incremental ingest")
    args = parser.parse_args()
    canonicalise(names(100))  # word lists, gazetteer and alias table loaded outside the timing
    print(
        "| distinct person names | surfaces | entities | CPU s | +new: re-merged | CPU s | same |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        stats = names(size)
        start = time.process_time()
        merged = merge(stats)
        took = time.process_time() - start
        entities = len({c.key for c in merged.mapping.values()})
        extra = _increment(stats, merged, size, args.new) if args.new else ""
        print(f"| {size:,} | {len(stats):,} | {entities:,} | {took:.2f} |{extra}", flush=True)


def _increment(stats: list[SurfaceStat], merged, size: int, new: int) -> str:
    """' re-merged | CPU s | same |' cells of one incremental ingest of `new` names."""
    grown = names(size + new)
    known = {s.surface for s in stats}
    batch = [s for s in grown if s.surface not in known]
    batch += [SurfaceStat(s.surface, s.type, 10) for s in random.Random(5).sample(stats, RETOLD)]
    index = MemoryIndex(stats, merged)
    index.add_stats(batch)
    start = time.process_time()
    part = merge_part(index, {s.surface for s in batch})
    took = time.process_time() - start
    if part is None:
        return f" all | {took:.2f} | - |"
    index.apply(part)
    same = index.mapping == merge(stats + batch).mapping
    return f" {len(part.surfaces):,} | {took:.2f} | {same} |"


if __name__ == "__main__":
    main()
