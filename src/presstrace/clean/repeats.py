"""Repeated paragraphs kept once: scrapers duplicate headlines and image captions, often with
straight quotes in one copy and curly ones in the other, or with different spacing."""

from __future__ import annotations

import re

from presstrace.model import Removed

# Quote marks, dashes and every kind of space are dropped from the key: copies of one caption
# differ in exactly these (a regex removal is much faster than str.translate). Text reaches
# here repaired by ftfy, which already folds ligatures and full-width forms.
_NOISE = re.compile("[`´′‘’‚‛“”„‟″«»–—‐‑−]+")


def repeat_key(text: str) -> str:
    """The identity of a paragraph up to quote style, dashes, spacing, case and a final stop."""
    return key_of_tokens(text.lower().split())


def key_of_tokens(lowered_tokens: list[str]) -> str:
    """repeat_key from the lower-cased whitespace tokens (the line classifier has them)."""
    key = "".join(lowered_tokens).replace("'", "").replace('"', "").replace("-", "")
    if not key.isascii():
        key = _NOISE.sub("", key)
    return key.rstrip(".")


def drop_repeats(paragraphs: list[str], title: str | None) -> tuple[list[str], list[Removed]]:
    """Keep the first copy of each paragraph; drop later copies and copies of the title."""
    return drop_repeats_keyed(paragraphs, [repeat_key(p) for p in paragraphs], title)


def drop_repeats_keyed(
    paragraphs: list[str], keys: list[str], title: str | None
) -> tuple[list[str], list[Removed]]:
    """drop_repeats with the paragraphs' repeat_key already computed (the text path has them)."""
    seen: set[str] = set()
    title_key = repeat_key(title) if title else None
    kept: list[str] = []
    removed: list[Removed] = []
    for para, key in zip(paragraphs, keys, strict=True):
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
