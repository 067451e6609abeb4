"""Repeated paragraphs kept once: scrapers duplicate headlines and image captions, often with
straight quotes in one copy and curly ones in the other, or with different spacing."""

from __future__ import annotations

import re
import unicodedata

from presstrace.model import Removed

_FOLD = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    }
)  # fmt: skip
# Quote marks and every kind of space are dropped from the key: copies differ in exactly these.
_NOISE = re.compile(r"[\s'\"]+")


def repeat_key(text: str) -> str:
    """The identity of a paragraph up to quote style, spacing, case and a final full stop."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _NOISE.sub("", folded).rstrip(".")


def drop_repeats(paragraphs: list[str], title: str | None) -> tuple[list[str], list[Removed]]:
    """Keep the first copy of each paragraph; drop later copies and copies of the title."""
    seen: set[str] = set()
    title_key = repeat_key(title) if title else None
    kept: list[str] = []
    removed: list[Removed] = []
    for para in paragraphs:
        key = repeat_key(para)
        if not key:
            continue
        if key == title_key:
            removed.append(Removed(para, "title-repeat"))
        elif key in seen:
            removed.append(Removed(para, "repeat"))
        else:
            seen.add(key)
            kept.append(para)
    return kept, removed
