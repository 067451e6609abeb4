"""Language-neutral text vectors for stories in languages the sentence model cannot read.

The sentence model (embed.py) is English-only: on German text its word pieces are mostly
function-word fragments, so any two German pages look alike (95 unrelated German pages once
made one story). For every other language a story is found from the words themselves:
hashed bag-of-words (character bigrams for Chinese, Japanese, Korean and Thai, which do not
separate words), each word weighted by how rare it is in that language (wordfreq's Zipf
frequency, from large corpora of 40+ languages: "der" weighs nothing, "Kalifat" a lot) and by
`1 + log(tf)`. The hash is salted with the language, so two languages never share a
dimension by design (their cosine is hashing noise around 0).

Vectors are float32 and L2-normalised (a zero row for a text with no usable word), like
embed.encode's.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from presstrace.word_frequencies import frequencies

DIM = 256  # hashed dimensions: unrelated texts' cosine noise ~ 1/sqrt(DIM) = 0.06
ZIPF_CAP = 7.0  # Zipf frequency at which a word carries no weight ("der" 7.5, "und" 7.6)
ZIPF_UNKNOWN = 2.0  # a word wordfreq does not list counts as this rare (weight 5)
FLAT_WEIGHT = 3.0  # weight of a word in a language wordfreq does not cover (stop words: 0)
MIN_LETTERS = 3  # shorter words in spaced scripts are function words or abbreviations
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+")


def tokens(text: str, language: str) -> list[str]:
    """Lower-case words (spaced scripts) and character bigrams (spaceless scripts)."""
    out: list[str] = []
    for run in _SPACELESS.findall(text):
        out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    rest = _SPACELESS.sub(" ", text).lower()
    out.extend(w for w in _WORD.findall(rest) if len(w) >= MIN_LETTERS)
    return out


@lru_cache(maxsize=16)
def _stop_words(language: str) -> frozenset[str]:
    try:
        from spacy.util import get_lang_class

        return frozenset(get_lang_class(language).Defaults.stop_words)
    except Exception:  # a language spaCy does not know: no stop list
        return frozenset()


def weight(word: str, language: str) -> float:
    freqs = frequencies(language)
    if freqs is None:
        return 0.0 if word in _stop_words(language) else FLAT_WEIGHT
    freq = freqs.get(word)
    zipf = math.log10(freq) + 9.0 if freq else ZIPF_UNKNOWN
    return max(0.0, ZIPF_CAP - zipf)


def _slot(token: str, language: str) -> tuple[int, float]:
    h = zlib.crc32(f"{language}\x00{token}".encode())
    return h % DIM, (1.0 if (h >> 16) & 1 else -1.0)


def encode_one(text: str, language: str | None) -> np.ndarray:
    lang = (language or "xx").lower()[:3]
    vector = np.zeros(DIM, dtype=np.float32)
    for token, n in Counter(tokens(text, lang)).items():
        w = weight(token, lang)
        if w > 0:
            i, sign = _slot(token, lang)
            vector[i] += sign * w * (1.0 + math.log(n))
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def encode(texts: Sequence[str], languages: Sequence[str | None]) -> np.ndarray:
    """One L2-normalised float32 row per text, hashed within its own language."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([encode_one(t, lang) for t, lang in zip(texts, languages, strict=True)])
