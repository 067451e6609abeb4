"""The one full-text search: `presstrace search`, the API, the web page and the Python API
all call `hits` (or `search`, the same hits with their snippets split for a page).

The backend's full-text index answers (`Store.search`: FTS5's bm25 on SQLite, ts_rank on
PostgreSQL, both ranking first and building snippets for the rows shown only); this module
bounds the request and formats the snippet. An optional language (ISO 639-1) narrows the
hits before ranking.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from presstrace.store.protocol import SearchHit, Store
from presstrace.store.queries.corpus import MAX_LIMIT

__all__ = ["MAX_LIMIT", "fold", "hits", "query_terms", "search", "snippet_segments"]


def hits(
    store: Store, query: str, limit: int = 20, language: str | None = None
) -> list[SearchHit]:
    """Ranked hits (best first) for the words of `query`, all required; none for no words."""
    if not query.strip():
        return []
    return store.search(query, limit=max(1, limit), language=language or None)


def search(
    store: Store, query: str, limit: int = 20, language: str | None = None
) -> list[dict[str, Any]]:
    """Full-text hits with their snippet split into plain and matched pieces."""
    found = hits(store, query, max(1, min(limit, MAX_LIMIT)), language)
    terms = query_terms(query)
    return [
        {
            "id": hit.id,
            "title": hit.title,
            "source": hit.source,
            "published": hit.published,
            "score": hit.score,
            "snippet": snippet_segments(hit.snippet, terms),
        }
        for hit in found
    ]


def fold(text: str) -> str:
    """Lower case without accents: how both full-text indexes compare words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_terms(query: str) -> list[tuple[str, bool]]:
    """(folded word, is prefix) for each word of a search query."""
    terms = []
    for word in query.split():
        prefix = word.endswith("*")
        for part in re.findall(r"\w+", fold(word.rstrip("*"))):
            terms.append((part, prefix))
    return terms


_MARKED = re.compile(r"\[([^\[\]]{1,200})\]")


def snippet_segments(snippet: str, terms: list[tuple[str, bool]]) -> list[list[Any]]:
    """Split a store snippet (matches wrapped in `[` `]`) into [text, matched] pieces.

    Article text may hold brackets of its own, so a bracketed piece counts as a match only
    when it is a query word; other brackets stay as text. The pieces are plain text: the
    page escapes them and marks the matched ones, never trusting markup from the store.
    """
    out: list[list[Any]] = []
    pos = 0
    for m in _MARKED.finditer(snippet):
        if not _is_term(m.group(1), terms):
            continue
        if m.start() > pos:
            out.append([snippet[pos : m.start()], False])
        out.append([m.group(1), True])
        pos = m.end()
    if pos < len(snippet):
        out.append([snippet[pos:], False])
    return out


def _is_term(text: str, terms: list[tuple[str, bool]]) -> bool:
    words = re.findall(r"\w+", fold(text))
    return bool(words) and all(
        any(w == t or (prefix and w.startswith(t)) for t, prefix in terms) for w in words
    )
