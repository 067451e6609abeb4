"""LSH keys held in memory during one run of the copies step, written to the store in sorted
order at the end (or when the buffer is full).

Why: a million documents put about 24 million (key, document number) rows into the persisted
LSH index. Keys are hashes, so each batch's rows land at random places of the B-tree: every
batch of 1,000 documents dirtied some 16,000 pages, and SQLite wrote about 190 MB (WAL, then
checkpoint) per batch, 134 GB for the corpus. Buffered, the same rows go to the B-tree in one
sorted pass per flush, which touches each page once.

The buffer is a small log-structured merge of sorted numpy runs: adding a batch appends a
run and merges runs of similar size, so a lookup is a binary search in a few sorted arrays
whatever the number of batches. 16 bytes a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np


class KeyBuffer:
    """(key, document number) pairs, looked up by key; drained in (key, number) order."""

    def __init__(self) -> None:
        self._runs: list[
            tuple[np.ndarray, np.ndarray]
        ] = []  # (keys, numbers), int64 (keys are < 2**63)

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self._runs)

    def add(self, rows: Iterable[tuple[int, int]]) -> None:
        pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
        if not len(pairs):
            return
        self._runs.append(_sorted(pairs[:, 0], pairs[:, 1]))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k2, n2), (k1, n1) = self._runs.pop(), self._runs.pop()
            self._runs.append(_sorted(np.concatenate([k1, k2]), np.concatenate([n1, n2])))

    def lookup(self, keys: Iterable[int]) -> dict[int, list[int]]:
        """key -> document numbers holding it, for the keys that are here."""
        wanted = np.unique(np.fromiter(keys, dtype=np.int64))
        found: dict[int, list[int]] = {}
        for run_keys, numbers in self._runs:
            lo = np.searchsorted(run_keys, wanted, side="left")
            hi = np.searchsorted(run_keys, wanted, side="right")
            for i in np.flatnonzero(hi > lo):
                found.setdefault(int(wanted[i]), []).extend(numbers[lo[i] : hi[i]].tolist())
        return found

    def drain(self, chunk: int = 100_000) -> Iterator[list[tuple[int, int]]]:
        """Every row, sorted by (key, number) as the index stores them, in lists of `chunk`
        rows (8 million rows as Python tuples would take about 1 GB); the buffer empties."""
        if not self._runs:
            return
        keys = np.concatenate([k for k, _ in self._runs])
        numbers = np.concatenate([n for _, n in self._runs])
        self._runs = []
        order = np.lexsort((numbers, keys))
        keys, numbers = keys[order], numbers[order]
        del order
        for start in range(0, len(keys), chunk):
            yield list(
                zip(
                    keys[start : start + chunk].tolist(),
                    numbers[start : start + chunk].tolist(),
                    strict=True,
                )
            )


def _sorted(keys: np.ndarray, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return keys[order], numbers[order]
