"""A sketch per text: MinHash signature, LSH band keys and MOD-m containment keys.

The signature is datasketch's MinHash in its `affine32` scheme (its own permutations and
mixing function), computed for a whole batch of texts at once with numpy instead of one
`MinHash.update_batch` call per text: identical values (a test checks it), about 50 times
faster. Band keys are the LSH index (BANDS bands of ROWS values; two texts share a band key
with probability 1 - (1 - J^ROWS)^BANDS for Jaccard similarity J). MOD keys are Broder's
MOD-m sample (every shingle whose mixed hash falls in 1/MOD_SAMPLE of the range): the same
shingle is sampled in every text that has it, so a text whose paragraphs reappear in a longer
one shares most of its MOD keys with it even when their Jaccard similarity is low.

Changing any constant here changes every sketch: bump SKETCH_VERSION, and stored sketches
are rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from presstrace.dedup.shingles import hash_words, shingle_hashes, text_hash, words

SKETCH_VERSION = 1
NUM_PERM = 64
BANDS = 16
ROWS = 4
SEED = 1
MOD_SAMPLE = 32
_MOD_SHIFT = 32 - MOD_SAMPLE.bit_length() + 1  # top 5 bits zero: 1 in 32
BAND_KEY_MIN = 1 << 62  # band keys are >= this, MOD keys < 2**41
_BAND_TAG = np.uint64(BAND_KEY_MIN)
_MOD_TAG = 1 << 40
_BAND_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63],
    dtype=np.uint64,
)
_CHUNK_SHINGLES = 200_000  # shingles per numpy pass: 200k x 64 perms x 4 B = 51 MB


@dataclass
class Sketch:
    """What dedup knows of one text. `shingles` (the sorted distinct shingle hashes) is kept
    only while a batch is being matched; the store keeps the rest."""

    id: str
    text_hash: str
    size: int  # distinct shingles
    minhash: np.ndarray  # NUM_PERM uint32
    mod_keys: list[int] = field(default_factory=list)
    shingles: np.ndarray | None = None
    band_keys: list[int] = field(default_factory=list)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def sketch_texts(items: Iterable[tuple[str, str]]) -> list[Sketch]:
    """Sketches of (id, cleaned text) pairs, vectorised over the batch."""
    sketches: list[Sketch] = []
    for doc_id, text in items:
        tokens = words(text)
        shingles = np.unique(shingle_hashes(hash_words(tokens)))
        sketches.append(
            Sketch(doc_id, text_hash(tokens), len(shingles), np.empty(0, np.uint32), [], shingles)
        )
    start = 0
    while start < len(sketches):
        end, total = start, 0
        while end < len(sketches) and (total == 0 or total + sketches[end].size <= _CHUNK_SHINGLES):
            total += sketches[end].size
            end += 1
        _sign(sketches[start:end])
        start = end
    return sketches


def _sign(chunk: list[Sketch]) -> None:
    a, b = _permutations()
    sizes = np.array([s.size for s in chunk])
    empty = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    present = [s for s in chunk if s.size]
    if not present:
        for s in chunk:
            s.minhash = empty.copy()
        return
    mixed = _fmix(np.concatenate([s.shingles for s in present]), 32)
    # (perm, shingle) layout: each permutation is one contiguous pass, 25x faster than
    # (shingle, perm) for the multiply and the per-text minimum.
    with np.errstate(over="ignore"):
        permuted = a[:, None] * mixed[None, :]
        permuted += b[:, None]
    offsets = np.concatenate([[0], np.cumsum(sizes[sizes > 0])[:-1]])
    minima = np.minimum.reduceat(permuted, offsets, axis=1).T
    sampled = (mixed >> np.uint32(_MOD_SHIFT)) == 0
    bands = band_keys(minima).tolist()
    for row, (s, lo) in enumerate(zip(present, offsets, strict=True)):
        s.minhash = minima[row].copy()
        s.band_keys = bands[row]
        chosen = mixed[lo : lo + s.size][sampled[lo : lo + s.size]]
        s.mod_keys = (chosen.astype(np.int64) | _MOD_TAG).tolist()
    for s in chunk:
        if not s.size:
            s.minhash = empty.copy()


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """LSH keys, one per band, for each row of a (n, NUM_PERM) signature matrix: a 62-bit
    mix of the band's ROWS values and its number (int64, positive, never a MOD key)."""
    values = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (values * _BAND_MIX[:ROWS]).sum(axis=2, dtype=np.uint64)
        mixed += np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
        mixed ^= mixed >> np.uint64(31)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(29)
    return ((mixed >> np.uint64(2)) | _BAND_TAG).astype(np.int64)


def minhash_bytes(minhash: np.ndarray) -> bytes:
    return minhash.astype("<u4").tobytes()


def minhash_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
