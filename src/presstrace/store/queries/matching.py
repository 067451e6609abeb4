"""A parsed `Query` as SQL: one WHERE fragment over `documents d` with `?` placeholders and
its bound values, shared by search, the documents list, the facets and the timelines, so
that every view of a query counts the same documents.

The full-text part is the one thing that differs between backends (dialect.FullText): on
SQLite a rowid set from the FTS5 index (`d.rowid IN (SELECT rowid FROM documents_fts WHERE …
MATCH ?)`), on PostgreSQL the generated tsvector (`d.search @@ to_tsquery('presstrace', ?)`).
The MATCH
or tsquery string is built by query_language.py with every word quoted and is bound as a
value, like every other value here; only our own column names are formatted in.

Copies (documents whose `duplicate_of` is set by the copies step) are left out unless
asked for, so a syndicated article is listed once, under its original, with a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from presstrace.store.protocol import Store
from presstrace.store.queries.query_language import (
    SINGLE_VALUED,
    Filter,
    Node,
    Query,
    fts5_match,
    split_negative,
    tsquery,
)

# field -> column of documents d (single-valued fields)
_COLUMNS = {"lang": "d.language", "outlet": "d.outlet", "story": "d.story_id",
            "thread": "d.thread_id", "type": "d.kind", "id": "d.id"}  # fmt: skip
# has:X -> (stage part whose tables must exist, subquery of document ids)
_HAS = {
    "quotes": ("extract", "SELECT doc_id FROM quotes"),
    "claims": ("extract", "SELECT doc_id FROM claims"),
    "entities": ("extract", "SELECT doc_id FROM entity_mentions"),
    "copies": ("copies", "SELECT canonical_id FROM copies"),
    "narratives": ("narratives", "SELECT doc_id FROM narrative_labels"),
}


@dataclass
class Where:
    """`sql` is a boolean over `documents d`; `rank` the positive full-text string
    (MATCH or tsquery) when there is one, for ordering by relevance."""

    sql: str
    values: list[Any]
    rank: str | None = None
    # the same condition without the positive full-text part (a search joins the index)
    rest_sql: str = "1 = 1"
    rest_values: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    collapsed: bool = False
    # whether `sql` and `rest_sql` hold the copy check (collapsed, and the store has copies)
    copy_check: bool = False
    # the field filters and a negative full-text part alone ("" when none)
    fields_sql: str = ""
    fields_values: list[Any] = field(default_factory=list)


# FullText.syntax -> the translator that writes the bound string
_SYNTAX = {"fts5": fts5_match, "tsquery": tsquery}


def full_text(store: Store, node: Node) -> tuple[str, str]:
    """(SQL condition over d with one `?`, the bound string) for a positive node."""
    fts = store.dialect.full_text
    return fts.matches, _SYNTAX[fts.syntax](node)


def where(store: Store, query: Query, have: set[str], copies: bool = False) -> Where:
    """The WHERE fragment for `query`; `copies` keeps copies as rows of their own."""
    rest: list[str] = []
    values: list[Any] = []
    notes: list[str] = []
    positive, negative = split_negative(query.text)
    if negative is not None:
        cond, arg = full_text(store, negative)
        rest.append(f"NOT ({cond})")
        values.append(arg)
    grouped: dict[tuple[str, bool], list[str]] = {}
    for f in query.filters:
        if f.field in SINGLE_VALUED:
            grouped.setdefault((f.field, f.negate), []).append(f.value)
            continue
        cond, vals = _filter(store, f, have, notes)
        rest.append(_negated(cond) if f.negate else cond)
        values.extend(vals)
    for (name, negate), vals in grouped.items():
        if name == "outlet":
            vals = _outlets(store, vals)
        marks = ",".join("?" * len(vals))
        cond = f"{_COLUMNS[name]} IN ({marks})"
        rest.append(_negated(cond) if negate else cond)
        values.extend(vals)
    fields_sql, fields_values = " AND ".join(rest), list(values)
    collapsed = not copies and not query.values("id")
    copy_check = collapsed and any_copies(store, have)
    if copy_check:
        rest.append(not_a_copy(store))
    rest_sql = " AND ".join(rest) or "1 = 1"
    if positive is None:
        return Where(rest_sql, values, None, rest_sql, values, notes, collapsed, copy_check,
                     fields_sql, fields_values)  # fmt: skip
    cond, arg = full_text(store, positive)
    return Where(f"{cond} AND {rest_sql}", [arg, *values], arg, rest_sql, values, notes,
                 collapsed, copy_check, fields_sql, fields_values)  # fmt: skip


def any_copies(store: Store, have: set[str]) -> bool:
    """Whether some document is a copy. Leaving copies out is checked on every match (on
    SQLite a lookup per match, even in an empty table of copies: counting `first`, 31k of
    bench/serve.py's 100k documents, 2.4 ms without, 3.8-4.1 ms with), and where no
    document is a copy (before the copies step has run, or a corpus without syndicated
    articles) the check is dropped: it could not leave anything out. One probe of the index
    of copies (query_indexes.py) per query; without that index (its part not yet added) the
    check is kept rather than scan for copies."""
    if "queries" not in have:
        return True
    return bool(store.sql("SELECT 1 AS x FROM documents WHERE duplicate_of IS NOT NULL LIMIT 1"))


def not_a_copy(store: Store, key: str | None = None) -> str:
    """d (or the row of `key`) is not a copy (FullText.not_a_copy)."""
    fts = store.dialect.full_text
    return fts.not_a_copy.format(key=key or fts.row_key)


def _negated(cond: str) -> str:
    """NOT cond, where a NULL (an undated document for -after:) counts as not matching."""
    return f"(CASE WHEN {cond} THEN 1 ELSE 0 END) = 0"


def _filter(store: Store, f: Filter, have: set[str], notes: list[str]) -> tuple[str, list]:
    if f.field == "after":
        return "d.published_date >= ?", [f.value]
    if f.field == "before":
        return "d.published_date <= ?", [f.value + "~"]  # '~' sorts after a time of that day
    if f.field == "has":
        if f.value == "date":
            return "d.published_date IS NOT NULL", []
        part, sub = _HAS[f.value]
        if part not in have:
            notes.append(f"has:{f.value}: the {part} step has not run on this store")
            return "1 = 0", []
        return f"d.id IN ({sub})", []
    if f.field == "entity":
        if "extract" not in have:
            notes.append("entity: no entities extracted in this store yet")
            return "1 = 0", []
        from presstrace.store.timeline import find_entity

        found = find_entity(store, f.value)
        if found is None:
            notes.append(f"entity:{f.value}: no such entity (give a key, a name or an alias)")
            return "1 = 0", []
        if found["name"] != f.value and found["key"] != f.value:
            notes.append(f"entity:{f.value} is {found['name']} ({found['key']})")
        return "d.id IN (SELECT doc_id FROM entity_mentions WHERE entity_key = ?)", [found["key"]]
    if f.field == "narrative":
        if "narratives" not in have:
            notes.append("narrative: the narratives step has not run on this store")
            return "1 = 0", []
        return "d.id IN (SELECT doc_id FROM narrative_labels WHERE label = ?)", [f.value]
    raise AssertionError(f"unhandled field {f.field}")


def _outlets(store: Store, names: list[str]) -> list[str]:
    """Outlet names as stored: exact when one is, else matched without regard to case."""
    out = []
    for name in names:
        if store.sql("SELECT 1 AS x FROM documents WHERE outlet = ? LIMIT 1", [name]):
            out.append(name)
            continue
        rows = store.sql(
            "SELECT DISTINCT outlet FROM documents WHERE lower(outlet) = ?", [name.lower()]
        )
        out.extend(r["outlet"] for r in rows) if rows else out.append(name)
    return out
