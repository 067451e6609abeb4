"""What building a trained store's classifier costs: heads fitted, then read back.

The narratives step keeps the fitted heads in the store (`narrative_heads`), so only the
first build after a training pays the fit. Works on a copy of a trained store (e.g. the one
`bench/threads_eval.py purity-trained DIR` leaves in DIR/purity.db): forgets the kept heads,
builds the classifier twice (fit and keep, then read back), then runs the step with nothing
pending. CPU time is process time; wall time depends on the load.

Run: python bench/narrative_heads_cost.py TRAINED.db
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from presstrace.steps import narratives as step
from presstrace.store import open_store


def main(trained: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(trained, db)
        store = open_store(str(db))
        try:
            store.sql("DELETE FROM narrative_heads")
            for run in ("no heads kept: fit and keep", "heads kept: read back"):
                cpu, wall = time.process_time(), time.time()
                classifier, _ = step.load_classifier(store)
                print(f"{run}: {len(classifier.heads)} heads, "
                      f"{time.process_time() - cpu:.2f} s CPU, {time.time() - wall:.2f} s wall")
            cpu = time.process_time()
            result = step.run(store, progress=False, jobs=1)
            print(f"step with nothing pending: {result}, {time.process_time() - cpu:.3f} s CPU")
        finally:
            store.close()


if __name__ == "__main__":
    main(sys.argv[1])
