"""Time series for any query, and two queries compared on the same buckets ("ceasefire" vs
"counteroffensive" per week), for `presstrace timeline QUERY --compare QUERY2`, the API's
/api/timeline?q=…&compare=… and the web page /timeline.

Each query is counted by store/timeline.py over the documents its WHERE fragment selects
(matching.py: the same documents search and list count, copies collapsed), so a bar says
how many documents the search for that period would list, and links to it: the query with
`after:` and `before:` set to the bucket's first and last day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from presstrace.store import timeline as tl
from presstrace.store.protocol import Store
from presstrace.store.queries.corpus import parts
from presstrace.store.queries.matching import where
from presstrace.store.queries.query_language import QueryError, parse

__all__ = ["period_query", "query_timeline"]


def period_query(text: str, start: str, end: str) -> str:
    """The query narrowed to one bucket (its first and last day, both inclusive)."""
    return f"{text.strip()} after:{start} before:{end}".strip()


def query_timeline(
    store: Store, text: str, by: str = "auto", compare: str | None = None, copies: bool = False
) -> dict[str, Any]:
    """{"by", "series": [one timeline per query], "buckets": [{start, end, counts: [n, …],
    low: [n, …], links: [query text, …]}]}: the buckets are shared, from the first to the
    last dated document of either query, empty ones kept."""
    if by not in ("auto", *tl.BUCKETS):
        raise QueryError(f"by must be auto, {', '.join(tl.BUCKETS)}")
    texts = [text] + ([compare] if compare is not None and compare.strip() else [])
    have = parts(store)
    series, per_days = [], []
    for t in texts:
        q = parse(t)
        w = where(store, q, have, copies=copies)
        sel = tl.Selection("query", None, q.source, w.sql, w.values)
        one = tl.timeline(store, sel, "day").to_dict()  # days, folded below
        per_days.append({b["start"]: (b["articles"], b["low_confidence"])
                         for b in one.pop("buckets") if b["articles"]})  # fmt: skip
        one["query"] = q.source
        one["notes"] = w.notes
        series.append(one)
    union = {d: [0, 0] for days in per_days for d in days}
    shared, chosen = tl.buckets(union, {}, by)
    buckets = []
    index = {b.start: i for i, b in enumerate(shared)}
    for b in shared:
        links = [period_query(s["query"], b.start, b.end) for s in series]
        buckets.append({"start": b.start, "end": b.end, "counts": [0] * len(texts),
                        "low": [0] * len(texts), "links": links})  # fmt: skip
    for k, days in enumerate(per_days):
        for day, (n, low) in days.items():
            start = tl.bucket_start(date.fromisoformat(day), chosen).isoformat()
            slot = buckets[index[start]]
            slot["counts"][k] += n
            slot["low"][k] += low
    for s in series:
        s["by"] = chosen
    return {"by": chosen, "series": series, "buckets": buckets}
