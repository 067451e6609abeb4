"""Facet counts of a query's matches: language, outlet, month, story, entity, narrative; the
top FACET_TOP values of each (months: the latest FACET_MONTHS), each with the field filter
that narrows the query to it (`lang:de`, `after:2023-05 before:2023-05`), so every
interface can offer it as a link.

Counted over the first FACET_SAMPLE matches in the result's own order (the best-ranked
for a search, the newest for a list): over every match when fewer match, which is exact,
and otherwise said (`sampled`: [counted, of how many]). Why a sample: a common word matches
two thirds of a synthetic 10k corpus, and each facet over every match read 6,500 article
rows (a GROUP BY each, 25-45 ms apiece at 10k, eight times that at 100k), while the first
FACET_SAMPLE rows cost a few milliseconds whatever the corpus size (bench/serve.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from presstrace.store.protocol import JsonValue, Store
from presstrace.store.queries.query_language import quote_value

FACET_TOP = 10
FACET_MONTHS = 24
# Matches counted at most. Reading a matching row's facet columns costs ~10 us of CPU on
# SQLite (they are stored after the text, in overflow pages): 500 rows 4 ms CPU at 100k
# documents, and counting their ~4,000 entity mentions 6 ms more; a share read from 500
# documents is within about ±4 points (95%). (A covering index of the facet columns by id
# was tried: the id lookups cost as much CPU as the record reads they replaced.)
FACET_SAMPLE = 500
# facet -> field of the query language
FIELDS = {"language": "lang", "outlet": "outlet", "month": "month", "story": "story",
          "entity": "entity", "narrative": "narrative"}  # fmt: skip


def facets(
    store: Store, keys: Sequence[str | int], key: str, have: set[str], total: int
) -> dict[str, Any]:
    """{facet: {"field", "values": [{value, label, n, filter}], "sampled": None or
    [counted, of]}} over the documents `keys` (values of the `key` column of documents d)."""
    sampled = [len(keys), total] if total > len(keys) else None
    out = {name: {"field": fld, "values": [], "sampled": sampled} for name, fld in FIELDS.items()}
    if not keys:
        return out
    rows: list[tuple] = []  # (id, language, outlet, month, story): FACET_SAMPLE rows as tuples
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        rows += store.sql_tuples(
            "SELECT d.id, d.language, d.outlet, substr(d.published_date, 1, 7), d.story_id "
            f"FROM documents d WHERE {key} IN ({','.join('?' * len(chunk))})",
            chunk,
        )
    for column, name in enumerate(("language", "outlet", "month", "story"), start=1):
        counts = Counter(r[column] for r in rows if r[column])
        if name == "month":
            top = sorted(counts.items(), reverse=True)[:FACET_MONTHS]
        else:
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_TOP]
        out[name]["values"] = [{"value": v, "label": v, "n": n} for v, n in top]
    _story_labels(store, out["story"]["values"], have)
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    if "extract" in have:
        out["entity"]["values"] = _top_entities(store, ids)
    if "narratives" in have:
        found = store.sql(
            "SELECT label AS value, label, count(*) AS n FROM narrative_labels "
            f"WHERE doc_id IN ({marks}) GROUP BY label ORDER BY n DESC, label LIMIT ?",
            [*ids, FACET_TOP],
        )
        out["narrative"]["values"] = [{**r, "n": int(r["n"])} for r in found]
    for v in out["month"]["values"]:  # a month is a span of days: both ends, inclusive
        v["filter"] = f"after:{v['value']} before:{v['value']}"
    for facet in out.values():
        for v in facet["values"]:
            v.setdefault("filter", f"{facet['field']}:{quote_value(str(v['value']))}")
    return out


def _top_entities(store: Store, ids: list[str]) -> list[dict[str, JsonValue]]:
    """The FACET_TOP entities mentioned in most of the documents `ids`, with their names.

    Counted by key and cut to the top first, then named: joining the names before the cut
    looked up every entity of the sample (~1,000 for 500 documents; 4.2 -> 3.0 ms of CPU
    at bench/serve.py's 100k documents). A key with no row in `entities` (mentions written
    before the entities are rebuilt) is left out, as the join left it out: then the join
    over every key is run instead, so the top stays the same."""
    marks = ",".join("?" * len(ids))
    counted = (f"SELECT entity_key AS value, count(*) AS n FROM entity_mentions "
               f"WHERE doc_id IN ({marks}) GROUP BY entity_key")  # fmt: skip
    top = store.sql(f"{counted} ORDER BY n DESC, value LIMIT ?", [*ids, FACET_TOP])
    named = _entity_names(store, [r["value"] for r in top])
    if len(named) < len(top):
        top = store.sql(
            f"SELECT c.value AS value, c.n AS n FROM ({counted}) c "
            "JOIN entities e ON e.key = c.value ORDER BY n DESC, value LIMIT ?",
            [*ids, FACET_TOP],
        )
        named = _entity_names(store, [r["value"] for r in top])
    return [{"value": r["value"], "label": named[r["value"]]["name"],
             "type": named[r["value"]]["type"], "n": int(r["n"])} for r in top]  # fmt: skip


def _entity_names(store: Store, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    rows = store.sql(
        f"SELECT key, name, type FROM entities WHERE key IN ({','.join('?' * len(keys))})", keys
    )
    return {r["key"]: r for r in rows}


def _story_labels(store: Store, values: list[dict[str, JsonValue]], have: set[str]) -> None:
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
