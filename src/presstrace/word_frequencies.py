"""How common a word is in a language, from wordfreq's shipped lists.

Why here: entities (extract: a common word is no town's alternate name) and stories (group:
rare words weigh more) both need it, and stages do not import each other.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=16)
def frequencies(language: str) -> dict[str, float] | None:
    """word -> frequency for a language wordfreq covers (loaded once per process), else None."""
    try:
        import wordfreq

        if language not in wordfreq.available_languages():
            return None
        return wordfreq.get_frequency_dict(language)
    except (ImportError, OSError, ValueError):
        return None
