"""Words and word shingles of a cleaned text, hashed to 32 bits.

Normalisation folds case, Unicode compatibility forms, quote marks, dashes and spacing, so
copies that differ only in typography have the same words. Shingles are word 5-grams: long
enough that two reports written separately about one event share almost none, short enough
that one changed word costs only five of them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")
# Odd multipliers, one per position in a shingle: the position matters ("a b" != "b a").
_POSITION = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint32)


def words(text: str) -> list[str]:
    """The text's words, case-folded, after NFKC (punctuation and quotes drop out)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def text_hash(tokens: list[str]) -> str:
    """Identity of the normalised text: equal for exact copies up to typography."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


class _Crc32Cache(dict):
    def __missing__(self, token: str) -> int:
        value = self[token] = zlib.crc32(token.encode("utf-8"))
        return value


class WordHasher:
    """crc32 of each distinct word, cached: news vocabulary repeats, so most words are hashed
    once per process (deterministic across processes, unlike hash()). One hasher serves the
    whole process (`hash_words`): a fresh cache per batch re-hashed 46 words a document."""

    def __init__(self) -> None:
        self._cache = _Crc32Cache()

    def __call__(self, tokens: list[str]) -> np.ndarray:
        if len(self._cache) > 2_000_000:
            self._cache.clear()
        return np.fromiter(map(self._cache.__getitem__, tokens), np.uint32, len(tokens))


_SHARED = WordHasher()


def hash_words(tokens: list[str]) -> np.ndarray:
    return _SHARED(tokens)


def shingle_hashes(word_hashes: np.ndarray, k: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of every run of k consecutive words (one shingle of all words when the
    text is shorter than k; none when it has no words)."""
    n = len(word_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    k = min(k, n)
    out = np.zeros(n - k + 1, dtype=np.uint32)
    for pos in range(k):
        out += word_hashes[pos : n - k + 1 + pos] * _POSITION[pos]
    return out


def shingle_set(text: str) -> np.ndarray:
    """Sorted distinct shingle hashes of a text: what overlaps are measured on."""
    return np.unique(shingle_hashes(hash_words(words(text))))
