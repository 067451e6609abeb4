"""Language of a document (ISO 639-1), via py3langid's bundled model (works offline).

Every later stage keys on this answer (which date names to read, which models to run or to
abstain from), so an unsure guess is worse than none: below MIN_CONFIDENCE the language is
"und" (undetermined) and `identify_language` says how sure the model was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .langid_model import load_identifier

# langid is confused by long runs of digits, URLs and markup left over from scraping; they
# carry no language signal, so they are dropped before classification.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[\d\W_]{4,}")
# The prefix of the cleaned text that is classified: the cost grows with the length (4.7 ms a
# page whole, 1.2 ms at 1,000 characters). Chosen on the 544 real pages of 30 languages in
# ml-pages.jsonl (bench/multilingual_devset.py), cleaned as ingest cleans them (median 4,284
# characters): from 1,000 characters on, the answer is the whole text's on 544 of 544; at
# 300-700 on 543 (a page the whole text calls "zxx" is German), at 150 on 541.
_MAX_CHARS = 1000
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.S)
# py3langid's normalised probability under which the language is "und". Chosen on the
# multilingual dev set (bench/multilingual_devset.py, 523 pages, 30 languages): on 30-character
# snippets guesses at >= 0.5 were right 99% of the time (77% of snippets reach it) against 91%
# for all guesses; from 80 characters on, 95% of snippets reach it at 99.8%.
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class LanguageGuess:
    """The most likely language and the model's normalised probability for it."""

    lang: str
    confidence: float

    @property
    def sure(self) -> bool:
        return self.lang != "und" and self.confidence >= MIN_CONFIDENCE


@lru_cache(maxsize=1)
def _identifier():
    """Load the model once per process (unpacked once per machine: langid_model.py)."""
    return load_identifier()


def identify_language(text: str) -> LanguageGuess:
    """The model's best guess for `text` with its confidence ("und", 0.0 on no letters)."""
    sample = _NOISE.sub(" ", (text or "")[:_MAX_CHARS])
    if not _THREE_LETTERS.search(sample):
        return LanguageGuess("und", 0.0)
    lang, prob = _identifier().classify(sample)
    return LanguageGuess(lang or "und", round(float(prob), 3))


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`, or "und" when there is nothing to judge by or the model is
    unsure (confidence below MIN_CONFIDENCE)."""
    guess = identify_language(text)
    return guess.lang if guess.sure else "und"
