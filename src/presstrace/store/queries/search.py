"""The one search: `presstrace search` and `list`, the API, the web pages and the Python API
all call `run` with a query in the query language (query_language.py), and get the total,
one page of rows, and facet counts of everything that matched.

Rows are ranked by relevance when the query has words (FTS5's bm25 on SQLite, ts_rank on
PostgreSQL, title words weighing 5 times text words on both), newest first otherwise; the
rank is computed first and snippets are built for the rows shown only (in one statement
SQLite builds the snippet of every matching row before sorting). Copies are collapsed under
their original by default: each row says how many copies it stands for ("+3 copies").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from presstrace.store.protocol import SearchHit, Store
from presstrace.store.queries.corpus import MAX_LIMIT, parts
from presstrace.store.queries.facets import FACET_SAMPLE
from presstrace.store.queries.facets import facets as facet_counts
from presstrace.store.queries.matching import Where, not_a_copy, where
from presstrace.store.queries.query_language import Query, QueryError, parse, with_filters

__all__ = ["MAX_LIMIT", "SORTS", "fold", "hits", "query_terms", "run", "search",
           "snippet_segments"]  # fmt: skip

SORTS = ("relevance", "newest", "oldest")
_ORDER = {
    "newest": " ORDER BY d.published_date DESC NULLS LAST, d.id DESC",
    "oldest": " ORDER BY d.published_date ASC NULLS LAST, d.id ASC",
}
_ROW = ("d.id AS id, d.source AS source, d.title AS title, d.published_date AS published_date, "
        "d.outlet AS outlet, d.language AS language, d.duplicate_of AS duplicate_of, "
        "d.story_id AS story_id, d.thread_id AS thread_id")  # fmt: skip
# Matches ranked by relevance at most: beyond it the latest-ingested RANK_WINDOW matches are
# ranked and a note says so. Why: FTS5 has no top-k, it computes bm25 for every match before
# the sort (~3 us of CPU per match read in rowid order, bm25 included, at 100k documents), so
# a word found in 57k of 100k documents took 68 ms to rank while the rest of a search page
# (count, 500-row facet sample, snippets) costs ~20 ms. Measured on bench/serve.py's 100k
# store for the word "other" (30k matches): window 2,000 / 5,000 / 10,000 / 20,000 took
# 9 / 16 / 28 / 45 ms; 5,000 is the largest that keeps a page under the 50 ms p95 target.
# A query matching fewer documents is ranked exactly as before, and one that narrows below
# it (more words, a field, a period) is ranked over all its matches.
RANK_WINDOW = 5_000
# Characters of text shown for a row found by its fields alone (no word to centre on).
LEAD_CHARS = 200


def run(
    store: Store,
    query: str | Query,
    *,
    limit: int = 20,
    offset: int = 0,
    copies: bool = False,
    facets: bool = True,
    sort: str | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Total, one page of rows (with snippets) and facets for `query`.

    `copies`: list copies as rows of their own instead of counting them under their
    original; `sort`: relevance (the default when the query has words), newest (the
    default otherwise) or oldest; `language`: the same as lang:CODE in the query. Facets
    count the first FACET_SAMPLE rows in this order (all of them when fewer match)."""
    parsed = parse(query) if isinstance(query, str) else query
    if language:
        parsed = with_filters(parsed, [("lang", language)])
    if sort not in (None, *SORTS):
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    have = parts(store)
    w = where(store, parsed, have, copies=copies)
    sort = sort or ("relevance" if w.rank else "newest")
    if sort == "relevance" and not w.rank:
        sort = "newest"
    # With field filters, SQLite ranks the latest RANK_WINDOW matches whatever their number
    # (the same rows and order as ranking all of them when fewer match) and counts the
    # window in the same statement, whose size is the total when it is smaller: one pass
    # over the matches instead of a count that checks each against the filters again
    # (`first after:2023-12 before:2023-12`, 31k matches of which 1,301 pass: 8-9 ms). Not
    # without filters: keeping the window to count it costs 1-1.6 ms (bench/serve.py's 100k
    # store, fastest of 30), more than counting a word's matches on the index alone.
    one_pass = sort == "relevance" and bool(w.fields_sql) and _index_only(store, w) is not None
    total = None if one_pass else _count(store, w)
    window = RANK_WINDOW if sort == "relevance" and (one_pass or total > RANK_WINDOW) else None
    first = FACET_SAMPLE if facets else 0  # the rows the facets count
    within = offset + limit <= max(first, limit)  # the page is among them
    ordered: list[tuple] = []
    if total != 0:
        wanted = max(first, offset + limit) if within else max(first, 1 if one_pass else 0)
        ordered, in_window = _ordered(store, w, sort, wanted, 0, window, counted=one_pass)
        if one_pass:
            total = in_window if in_window < RANK_WINDOW else _count(store, w)
    total = total or 0
    if sort == "relevance" and total > RANK_WINDOW:
        w.notes.append(f"ranked by relevance among the {RANK_WINDOW:,} latest of {total:,} "
                       "matches (narrow the query to rank them all, or sort by date)")  # fmt: skip
    if within:
        shown = ordered[offset : offset + limit]
    else:
        ordered = ordered[:first]
        shown = _ordered(store, w, sort, limit, offset, window)[0] if total else []
    items = _rows(store, shown, w, have)
    terms = query_terms(" ".join(t + ("*" if p else "") for t, p in parsed.terms()))
    for item in items:
        item["published"] = item["published_date"]
        item["snippet"] = snippet_segments(item.pop("snip") or "", terms)
    return {
        "query": parsed.source,
        "total": total,
        "limit": limit,
        "offset": offset,
        "sort": sort,
        "copies": "collapsed" if w.collapsed else "listed",
        "items": items,
        "facets": facet_counts(store, [k for k, _ in ordered], key_column(store), have, total)
        if facets
        else {},
        "notes": w.notes,
    }


def key_column(store: Store) -> str:
    """How rows are carried between statements (FullText.row_key)."""
    return store.dialect.full_text.row_key


def _index_only(store: Store, w: Where) -> tuple[str, str, list[Any]] | None:
    """Where the full-text index is a table of its own (SQLite's FTS5) and the query has
    words: (the index, its conditions alone, their values), so counting and ranking never
    read an article row; None elsewhere."""
    fts = store.dialect.full_text
    if fts.index_table is None or fts.index_key is None or fts.index_match is None:
        return None
    if not w.rank:
        return None
    # `+key`: the sets are checked against the matches, never handed to FTS5 as rowids
    # to look up one by one (which evaluated MATCH per row: 4.7 s for `warming outlet:AP`
    # at 100k documents; the field forms of bench/serve.py: median 55 ms with the `+`).
    key = fts.index_key
    extra, values = "", [w.rank]
    if w.copy_check:
        extra += " AND " + not_a_copy(store, "+" + key)
    if w.fields_sql:
        extra += (f" AND +{key} IN (SELECT {fts.row_key} FROM documents d "
                  f"WHERE {w.fields_sql})")  # fmt: skip
        values += w.fields_values
    return fts.index_table, f"{fts.index_match}{extra}", values


def _count(store: Store, w: Where) -> int:
    if w.rank is None and not w.fields_sql:
        # the whole corpus, less its copies: SQLite counts a bare table from its b-tree
        # alone (0.04 ms at 100k documents), while the same count with the copy check on
        # each row read every index entry (10 ms CPU); the copies come from their own index
        rows = store.sql("SELECT count(*) AS n FROM documents")
        copies = "SELECT count(*) AS n FROM documents WHERE duplicate_of IS NOT NULL"
        return int(rows[0]["n"]) - (int(store.sql(copies)[0]["n"]) if w.collapsed else 0)
    fast = _index_only(store, w)
    if fast:
        rows = store.sql(f"SELECT count(*) AS n FROM {fast[0]} WHERE {fast[1]}", fast[2])
    else:
        rows = store.sql(f"SELECT count(*) AS n FROM documents d WHERE {w.sql}", w.values)
    return int(rows[0]["n"])


def _ordered(
    store: Store,
    w: Where,
    sort: str,
    limit: int,
    offset: int,
    window: int | None = None,
    counted: bool = False,
) -> tuple[list[tuple], int]:
    """(key, score) of `limit` rows from `offset` in the order asked (score None unless
    ranked; lower is better on both backends), and with `counted` how many rows the window
    ranked (0 otherwise). `window`: rank only the latest-ingested `window` matches
    (RANK_WINDOW)."""
    if not limit:
        return [], 0
    fts = store.dialect.full_text
    fast = _index_only(store, w)
    if sort == "relevance":
        if fast:
            index, cond, values = fast
            ranked = (f"SELECT {fts.index_key} AS k, {fts.score} AS score, "
                      f"{fts.order_ties} AS tie FROM {index} WHERE {cond}")  # fmt: skip
            values = [*[w.rank] * fts.score_binds, *values]
        else:
            ranked = (f"SELECT {fts.row_key} AS k, {fts.score} AS score, "
                      f"{fts.order_ties} AS tie FROM documents d "
                      f"WHERE {fts.matches} AND {w.rest_sql}")  # fmt: skip
            values = [*[w.rank] * fts.score_binds, w.rank, *w.rest_values]
        if window:  # the score is computed only for the rows the inner LIMIT lets through
            ranked += f" ORDER BY {fts.order_ties} DESC LIMIT {int(window)}"
        if counted:  # the window once, read twice: its size, then its best rows
            sql = (f"WITH ranked AS MATERIALIZED ({ranked}) SELECT k, score, "
                   "(SELECT count(*) FROM ranked) AS n FROM ranked")  # fmt: skip
        else:
            sql = f"SELECT k, score, 0 AS n FROM ({ranked}) ranked"
        rows = store.sql_tuples(f"{sql} ORDER BY score, tie LIMIT ? OFFSET ?",
                                [*values, limit, offset])  # fmt: skip
    else:
        rows = store.sql_tuples(
            f"SELECT {key_column(store)} AS k, NULL AS score, 0 AS n FROM documents d "
            f"WHERE {w.sql}{_ORDER[sort]} LIMIT ? OFFSET ?",
            [*w.values, limit, offset],
        )
    # (k, score, n) tuples: up to FACET_SAMPLE rows, read without a dict each
    keyed = [(k, None if score is None else float(score)) for k, score, _ in rows]
    return keyed, int(rows[0][2]) if rows else 0


def _rows(store: Store, shown: list[tuple], w: Where, have: set[str]) -> list[dict[str, Any]]:
    """The shown rows, in order, with a snippet (`snip`, FullText.snippets), score and copy
    count."""
    if not shown:
        return []
    keys = [k for k, _ in shown]
    key = key_column(store)
    marks = ",".join("?" * len(keys))
    if w.rank:
        fts = store.dialect.full_text
        ranged = [min(keys), max(keys)] if fts.snippets_ranged else []
        rows = store.sql(fts.snippets.format(key=key, row=_ROW, marks=marks),
                         [w.rank, *ranged, *keys])  # fmt: skip
    else:
        rows = store.sql(
            f"SELECT {key} AS k, {_ROW}, substr(d.text, 1, ?) AS snip FROM documents d "
            f"WHERE {key} IN ({marks})",
            [LEAD_CHARS, *keys],
        )
    by_key = {r.pop("k"): r for r in rows}
    ids = [r["id"] for r in rows]
    counts: dict[str, int] = {}
    if w.collapsed and "copies" in have and ids:
        counts = {
            r["id"]: int(r["n"])
            for r in store.sql(
                "SELECT canonical_id AS id, count(*) AS n FROM copies "
                f"WHERE canonical_id IN ({','.join('?' * len(ids))}) "
                "AND copy_id <> canonical_id GROUP BY canonical_id",
                ids,
            )
        }
    out = []
    for k, score in shown:
        if (row := by_key.get(k)) is not None:
            row["score"] = score
            row["copies"] = counts.get(row["id"], 0)
            out.append(row)
    return out


def hits(
    store: Store, query: str, limit: int = 20, language: str | None = None
) -> list[SearchHit]:
    """Ranked hits (best first) for a query; none for an empty one."""
    if not query.strip():
        return []
    page = run(store, query, limit=max(1, limit), facets=False, language=language)
    return [
        SearchHit(i["id"], i["title"], i["source"], i["published_date"],
                  "".join(f"[{t}]" if m else t for t, m in i["snippet"]),
                  i["score"] if i["score"] is not None else 0.0)
        for i in page["items"]
    ]  # fmt: skip


def search(
    store: Store, query: str, limit: int = 20, language: str | None = None
) -> list[dict[str, Any]]:
    """The rows of `run` (snippets split into [text, matched] pieces), without facets."""
    if not query.strip():
        return []
    return run(store, query, limit=limit, facets=False, language=language)["items"]


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
