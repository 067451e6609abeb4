"""Language of a document (ISO 639-1), via py3langid's bundled model (works offline)."""

from __future__ import annotations

import re
from functools import lru_cache

# langid is confused by long runs of digits, URLs and markup left over from scraping; they
# carry no language signal, so they are dropped before classification.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[\d\W_]{4,}")
_MAX_CHARS = 1000  # a few paragraphs decide the language; more only adds cost
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.S)


@lru_cache(maxsize=1)
def _identifier():
    """Load the model once: it takes ~0.3 s and is the same for every document."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`, or "und" when there is nothing to judge by."""
    sample = _NOISE.sub(" ", (text or "")[:_MAX_CHARS])
    if not _THREE_LETTERS.search(sample):
        return "und"
    lang, _prob = _identifier().classify(sample)
    return lang or "und"
