"""Facet counts of a query's matches: language, outlet, month, story, entity, narrative; the
top FACET_TOP values of each (months: the latest FACET_MONTHS), each with the field filter
that narrows the query to it (`lang:de`), so every interface can offer it as a link.

Language, outlet, month and story are columns of the documents and are counted over every
match, exactly. Entities and narrative labels live in tables of their own, one row per
mention or label; over a broad match (a common word in 30,000 of 100,000 articles) that is
hundreds of thousands of rows, so those two are counted over at most FACET_SAMPLE matching
documents and say so (`sampled`: how many were counted, of how many).
"""

from __future__ import annotations

from typing import Any

from presstrace.store.protocol import Store
from presstrace.store.queries.matching import Where
from presstrace.store.queries.query_language import quote_value

FACET_TOP = 10
FACET_MONTHS = 24
# Documents whose entity mentions and narrative labels are counted at most: 5,000 keeps
# the two facets under ~10 ms at 100k documents (bench/serve.py, facets row).
FACET_SAMPLE = 5000

# facet -> (field of the query language, SQL value expression over documents d)
_COLUMNS = {
    "language": ("lang", "d.language"),
    "outlet": ("outlet", "d.outlet"),
    "month": ("month", "substr(d.published_date, 1, 7)"),
    "story": ("story", "d.story_id"),
}


def facets(store: Store, w: Where, have: set[str], total: int) -> dict[str, Any]:
    """{facet: {"field", "values": [{value, label, n, filter}], "sampled": None or
    [counted, of]}}; `filter` is the query-language text that narrows to the value."""
    out: dict[str, Any] = {}
    if not total:
        return {name: {"field": f, "values": [], "sampled": None}
                for name, (f, _) in _COLUMNS.items()}  # fmt: skip
    for name, (fld, expr) in _COLUMNS.items():
        order = "value DESC" if name == "month" else "n DESC, value"
        top = FACET_MONTHS if name == "month" else FACET_TOP
        rows = store.sql(
            f"SELECT {expr} AS value, count(*) AS n FROM documents d "
            f"WHERE {w.sql} AND {expr} IS NOT NULL GROUP BY {expr} ORDER BY {order} LIMIT ?",
            [*w.values, top],
        )
        values = [{"value": r["value"], "label": r["value"], "n": int(r["n"])} for r in rows]
        out[name] = {"field": fld, "values": values, "sampled": None}
    _story_labels(store, out["story"]["values"], have)
    for v in out["month"]["values"]:  # a month is a span of days: both ends, inclusive
        v["filter"] = f"after:{v['value']} before:{v['value']}"
    sample = f"SELECT d.id FROM documents d WHERE {w.sql} LIMIT ?"
    sampled = [FACET_SAMPLE, total] if total > FACET_SAMPLE else None
    if "extract" in have:
        rows = store.sql(
            "SELECT m.entity_key AS value, e.name AS label, e.type AS type, count(*) AS n "
            f"FROM entity_mentions m JOIN entities e ON e.key = m.entity_key "
            f"WHERE m.doc_id IN ({sample}) GROUP BY m.entity_key, e.name, e.type "
            "ORDER BY n DESC, value LIMIT ?",
            [*w.values, FACET_SAMPLE, FACET_TOP],
        )
        out["entity"] = {"field": "entity", "sampled": sampled,
                         "values": [{**r, "n": int(r["n"])} for r in rows]}  # fmt: skip
    if "narratives" in have:
        rows = store.sql(
            "SELECT label AS value, label, count(*) AS n FROM narrative_labels "
            f"WHERE doc_id IN ({sample}) GROUP BY label ORDER BY n DESC, label LIMIT ?",
            [*w.values, FACET_SAMPLE, FACET_TOP],
        )
        out["narrative"] = {"field": "narrative", "sampled": sampled,
                            "values": [{**r, "n": int(r["n"])} for r in rows]}  # fmt: skip
    for facet in out.values():
        for v in facet["values"]:
            v.setdefault("filter", f"{facet['field']}:{quote_value(str(v['value']))}")
    return out


def _story_labels(store: Store, values: list[dict[str, Any]], have: set[str]) -> None:
    if not values or "stories" not in have:
        return
    ids = [v["value"] for v in values]
    rows = store.sql(
        f"SELECT story_id, label FROM stories WHERE story_id IN ({','.join('?' * len(ids))})",
        ids,
    )
    labels = {r["story_id"]: r["label"] for r in rows}
    for v in values:
        v["label"] = labels.get(v["value"]) or v["value"]
