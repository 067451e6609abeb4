"""Outlets: every publisher the meta stage named, and one outlet's page: what it published
(how many, per month, in which languages), whom it copies and who copies it (from the copy
graph: a copy's outlet against its original's), the entities it writes about most.

Portable SQL through `store.sql`; the copies and extraction tables are read only when the
store has them (`parts`), so a store before those steps answers with empty lists.
"""

from __future__ import annotations

from typing import Any

from presstrace.store import timeline as tl
from presstrace.store.protocol import Store
from presstrace.store.queries.corpus import MAX_LIMIT, parts

# Rows in each list of an outlet's page: what a reader scans, not the whole corpus.
TOP = 20
UNKNOWN = None  # an original or copy whose outlet the meta stage could not name


def outlets(store: Store, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Outlets, most documents first, with their first and last dates."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    total = store.sql("SELECT count(DISTINCT outlet) AS n FROM documents WHERE outlet IS NOT NULL")
    rows = store.sql(
        "SELECT outlet, count(*) AS documents, min(published_date) AS first, "
        "max(published_date) AS last FROM documents WHERE outlet IS NOT NULL "
        "GROUP BY outlet ORDER BY documents DESC, outlet LIMIT ? OFFSET ?",
        [limit, offset],
    )
    unnamed = store.sql("SELECT count(*) AS n FROM documents WHERE outlet IS NULL")[0]["n"]
    return {"total": int(total[0]["n"]), "limit": limit, "offset": offset, "items": rows,
            "unnamed": int(unnamed)}  # fmt: skip


def outlet(store: Store, name: str, by: str = "month") -> dict[str, Any] | None:
    """One outlet's page; None when no document has this outlet."""
    head = store.sql(
        "SELECT count(*) AS documents, min(published_date) AS first, "
        "max(published_date) AS last FROM documents WHERE outlet = ?",
        [name],
    )[0]
    if not head["documents"]:
        return None
    have = parts(store)
    per_month = store.sql(
        "SELECT substr(published_date, 1, 7) AS month, count(*) AS n FROM documents "
        "WHERE outlet = ? AND published_date IS NOT NULL "
        "GROUP BY substr(published_date, 1, 7) ORDER BY month",
        [name],
    )
    languages = store.sql(
        "SELECT language, count(*) AS n FROM documents WHERE outlet = ? "
        "GROUP BY language ORDER BY n DESC, language",
        [name],
    )
    sel = tl.Selection("outlet", name, name, "d.outlet = ?", [name])
    return {
        "outlet": name,
        "documents": int(head["documents"]),
        "first": head["first"],
        "last": head["last"],
        "per_month": [{"month": r["month"], "n": int(r["n"])} for r in per_month],
        "languages": [{"language": r["language"], "n": int(r["n"])} for r in languages],
        "copies_from": _copy_links(store, name, "copy", have),
        "copied_by": _copy_links(store, name, "canonical", have),
        "top_entities": _top_entities(store, name, have),
        "timeline": tl.timeline(store, sel, by).to_dict(),
        "documents_list": store.sql(
            "SELECT id, source, title, published_date, outlet, language, duplicate_of, "
            "story_id, thread_id FROM documents WHERE outlet = ? "
            "ORDER BY published_date DESC NULLS LAST, id DESC LIMIT 50",
            [name],
        ),
    }


def _copy_links(store: Store, name: str, side: str, have: set[str]) -> list[dict[str, Any]]:
    """side "copy": the outlets whose articles this outlet's copies reproduce (whom it
    copies); side "canonical": the outlets whose copies reproduce this outlet's articles
    (who copies it). Each with the number of copies; an outlet copying itself included."""
    if "copies" not in have:
        return []
    mine, other = ("a", "b") if side == "copy" else ("b", "a")
    rows = store.sql(
        f"SELECT {other}.outlet AS outlet, count(*) AS copies FROM copies c "
        "JOIN documents a ON a.id = c.copy_id JOIN documents b ON b.id = c.canonical_id "
        f"WHERE {mine}.outlet = ? GROUP BY {other}.outlet "
        f"ORDER BY copies DESC, {other}.outlet LIMIT ?",
        [name, TOP],
    )
    return [{"outlet": r["outlet"], "copies": int(r["copies"]), "self": r["outlet"] == name}
            for r in rows]  # fmt: skip


def _top_entities(store: Store, name: str, have: set[str]) -> list[dict[str, Any]]:
    if "extract" not in have:
        return []
    return store.sql(
        "SELECT e.key, e.name, e.type, count(*) AS documents, sum(m.count) AS mentions "
        "FROM documents d JOIN entity_mentions m ON m.doc_id = d.id "
        "JOIN entities e ON e.key = m.entity_key WHERE d.outlet = ? "
        "GROUP BY e.key, e.name, e.type ORDER BY documents DESC, mentions DESC, e.key LIMIT ?",
        [name, TOP],
    )
