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
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # bench/ itself is on the path as the script's folder

from synthetic_names import distinct_names as names  # noqa: E402

from presstrace.extract.names import canonicalise  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    args = parser.parse_args()
    canonicalise(names(100))  # word lists, gazetteer and alias table loaded outside the timing
    print("| distinct person names | surfaces | entities | CPU s |")
    print("|---|---|---|---|")
    for size in args.sizes:
        stats = names(size)
        start = time.process_time()
        mapping = canonicalise(stats)
        took = time.process_time() - start
        entities = len({c.key for c in mapping.values()})
        print(f"| {size:,} | {len(stats):,} | {entities:,} | {took:.2f} |", flush=True)


if __name__ == "__main__":
    main()
