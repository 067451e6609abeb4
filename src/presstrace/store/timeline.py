"""Timelines: articles and quotes over time for the corpus, a story, a thread, an entity or a
narrative label, from the inferred publication dates.

A timeline never drops an article silently: undated articles (no point estimate) are counted
apart, and dated ones whose date the meta stage gave a low confidence (below
LOW_CONFIDENCE) are counted per bucket, so a reader sees how much of a bar is a guess. An
entity's quotes are the quotes it made (as speaker); for the others, the quotes in the
selected articles. Buckets are days, ISO weeks (Monday to Sunday) or calendar months,
chosen from the span when not asked for: a day per bar up to DAILY_SPAN days, weeks up to
WEEKLY_SPAN, then months; empty buckets are kept (a gap in coverage is information).

For a story or a thread it also answers "who reported first": the first dated article and
each outlet in the order it first appeared. Those first dates are the inferred ones, so
each comes with its confidence and the articles tied with it on the same day.

Everything is grouped in SQL by the stored date and its confidence, a column of its own on
both backends (core migration 5) that indexes hold with the date, so no article row is read
for the counts. SQL is portable (`?` placeholders, bound values) but for SQLite's INDEXED BY
(Dialect.index_hints).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from presstrace.errors import NotFoundError
from presstrace.store.protocol import Store

BUCKETS = ("day", "week", "month")
DAILY_SPAN = 62  # days between the first and the last date: up to this, one bar a day
WEEKLY_SPAN = 366  # up to this, one bar a week; longer spans, one bar a month
# A date the meta stage is less sure of than this counts as low-confidence. Its confidence
# is below 0.5 when the winning clue is weak (a date only in running prose, a relative
# phrase) or contradicted, and at most 0.25 when the year itself is a guess (meta/dates.py).
LOW_CONFIDENCE = 0.5
OUTLETS_SHOWN = 100


class TimelineError(NotFoundError, ValueError):
    """A selection that names nothing in the store (unknown story, entity, label)."""


@dataclass
class Selection:
    """Which documents a timeline counts: a WHERE fragment over `documents d`."""

    kind: str  # corpus, story, thread, entity, narrative
    id: str | None = None
    label: str | None = None
    where: str = "1 = 1"
    values: list[Any] = field(default_factory=list)
    # Quotes counted: those in the selected documents, unless this narrows them (an
    # entity's timeline counts the quotes it made, over `quotes q`).
    quote_where: str | None = None


@dataclass
class Bucket:
    start: str  # first day of the bucket (ISO)
    end: str  # last day of the bucket (ISO)
    articles: int = 0
    quotes: int = 0
    low_confidence: int = 0


@dataclass
class Timeline:
    kind: str
    id: str | None
    label: str | None
    by: str
    articles: int
    dated: int
    undated: int
    low_confidence: int
    quotes: int
    quotes_undated: int
    first: dict[str, Any] | None
    last: dict[str, Any] | None
    buckets: list[Bucket]
    first_tied: list[dict[str, Any]] = field(default_factory=list)  # same day as `first`
    outlets: list[dict[str, Any]] | None = None  # stories and threads: order of appearance

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parts(store: Store) -> set[str]:
    return {row["name"] for row in store.sql("SELECT name FROM schema_parts")}


# -- choosing the documents ------------------------------------------------------------------
def select(
    store: Store,
    *,
    story: str | None = None,
    thread: str | None = None,
    entity: str | None = None,
    narrative: str | None = None,
) -> Selection:
    """The selection for at most one of the arguments (none: the whole corpus).
    Raises TimelineError when it names nothing."""
    given = [k for k, v in (("story", story), ("thread", thread), ("entity", entity),
                            ("narrative", narrative)) if v]  # fmt: skip
    if len(given) > 1:
        raise TimelineError("give one of story, thread, entity, narrative")
    have = parts(store)
    if story:
        return _group(store, have, "story", "stories", "story_id", story)
    if thread:
        return _group(store, have, "thread", "threads", "thread_id", thread)
    if entity:
        found = find_entity(store, entity) if "extract" in have else None
        if found is None:
            raise TimelineError(f"no entity {entity!r}")
        return Selection(
            "entity", found["key"], found["name"],
            "d.id IN (SELECT doc_id FROM entity_mentions WHERE entity_key = ?)", [found["key"]],
            "q.speaker_key = ?",
        )  # fmt: skip
    if narrative:
        if "narratives" not in have:
            raise TimelineError(f"no narrative label {narrative!r} (none computed yet)")
        n = store.sql("SELECT count(*) AS n FROM narrative_labels WHERE label = ?", [narrative])
        if not n[0]["n"]:
            raise TimelineError(f"no narrative label {narrative!r}")
        return Selection(
            "narrative", narrative, narrative,
            "d.id IN (SELECT doc_id FROM narrative_labels WHERE label = ?)", [narrative],
        )  # fmt: skip
    return Selection("corpus")


def _group(store: Store, have: set[str], kind: str, table: str, column: str, value: str):
    label = None
    if table in have:
        rows = store.sql(f"SELECT label FROM {table} WHERE {column} = ?", [value])
        label = rows[0]["label"] if rows else None
    if label is None:
        found = store.sql(f"SELECT count(*) AS n FROM documents WHERE {column} = ?", [value])
        if not found[0]["n"]:
            raise TimelineError(f"no {kind} {value!r}")
    return Selection(kind, value, label, f"d.{column} = ?", [value])


def find_entity(store: Store, name: str) -> dict[str, Any] | None:
    """An entity by key, else by canonical name, else by alias (case-insensitive); the most
    mentioned one when several share the name."""
    rows = store.sql("SELECT key, name FROM entities WHERE key = ?", [name])
    if rows:
        return rows[0]
    rows = store.sql(
        "SELECT key, name FROM entities WHERE lower(name) = ? "
        "ORDER BY documents DESC, mentions DESC, key LIMIT 1",
        [name.lower()],
    )
    if rows:
        return rows[0]
    # aliases are a JSON list of strings: a bound LIKE on the quoted form, checked exactly
    needle = '"' + name.lower().replace('"', "") + '"'
    rows = store.sql(
        "SELECT key, name, aliases FROM entities WHERE lower(aliases) LIKE ? ESCAPE '\\' "
        "ORDER BY documents DESC, mentions DESC, key LIMIT 20",
        ["%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
    )
    return {"key": rows[0]["key"], "name": rows[0]["name"]} if rows else None


# -- counting ---------------------------------------------------------------------------------
def confidence(store: Store) -> str:
    """The SQL expression for a document's date confidence: its column (core migration 5),
    the same on both backends."""
    return "d.date_confidence"


# The covering index (core migration 5) per kind of selection, and for rows found by id.
_INDEX = {"corpus": "documents_dated", "story": "documents_story_dated",
          "thread": "documents_thread_dated", "id": "documents_id_dated"}  # fmt: skip


def documents(store: Store, kind: str) -> str:
    """`documents d`, naming the covering index (date and confidence beside the selecting
    column) for this kind of selection ("id": rows found by document id) where the backend
    needs it named (Dialect.index_hints)."""
    return store.dialect.documents(_INDEX.get(kind, _INDEX["id"]))


def per_day(store: Store, sel: Selection) -> tuple[dict[str, list[int]], int]:
    """({day: [articles, low-confidence articles]}, undated articles)."""
    rows = store.sql(
        f"SELECT d.published_date AS day, count(*) AS n, "
        f"sum(CASE WHEN {confidence(store)} < ? THEN 1 ELSE 0 END) AS low "
        f"FROM {documents(store, sel.kind)} WHERE {sel.where} "
        "GROUP BY d.published_date",
        [LOW_CONFIDENCE, *sel.values],
    )
    days: dict[str, list[int]] = {}
    undated = 0
    for row in rows:
        day = _day(row["day"])
        if day is None:
            undated += int(row["n"])
            continue
        slot = days.setdefault(day, [0, 0])
        slot[0] += int(row["n"])
        slot[1] += int(row["low"] or 0)
    return days, undated


def quotes_per_day(store: Store, sel: Selection) -> tuple[dict[str, int], int]:
    """({day: quotes}, undated quotes); empty until the extraction tables exist."""
    if "extract" not in parts(store):
        return {}, 0
    where = sel.quote_where or sel.where
    rows = store.sql(
        "SELECT d.published_date AS day, count(*) AS n FROM quotes q "
        f"JOIN {documents(store, sel.kind if sel.kind in ('story', 'thread') else 'id')} "
        "ON d.id = q.doc_id "
        f"WHERE {where} "
        "GROUP BY d.published_date",
        sel.values,
    )
    days: dict[str, int] = {}
    undated = 0
    for row in rows:
        day = _day(row["day"])
        if day is None:
            undated += int(row["n"])
        else:
            days[day] = days.get(day, 0) + int(row["n"])
    return days, undated


def _day(value: str | None) -> str | None:
    """The ISO day of a stored date (which may carry a time), None when missing/malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def choose_by(first: date, last: date) -> str:
    span = (last - first).days
    return "day" if span <= DAILY_SPAN else "week" if span <= WEEKLY_SPAN else "month"


def bucket_start(day: date, by: str) -> date:
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _next(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def buckets(
    articles: dict[str, list[int]], quotes: dict[str, int], by: str = "auto"
) -> tuple[list[Bucket], str]:
    """Per-day counts folded into contiguous buckets (gaps kept as zeros)."""
    days = sorted({*articles, *quotes})
    if not days:
        return [], "day" if by == "auto" else by
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    if by == "auto":
        by = choose_by(first, last)
    out: dict[date, Bucket] = {}
    start = bucket_start(first, by)
    while start <= last:
        following = _next(start, by)
        out[start] = Bucket(start.isoformat(), (following - timedelta(days=1)).isoformat())
        start = following
    for day, (n, low) in articles.items():
        b = out[bucket_start(date.fromisoformat(day), by)]
        b.articles += n
        b.low_confidence += low
    for day, n in quotes.items():
        out[bucket_start(date.fromisoformat(day), by)].quotes += n
    return list(out.values()), by


def _edge(store: Store, sel: Selection, newest: bool) -> list[dict[str, Any]]:
    """The first (or last) dated articles, up to 11 (the first and those tied with it).
    Ids are picked on the covering index, then only those rows are read for their titles:
    sorting whole rows read every article of a big label (0.1 s of a 3,000-article one)."""
    order = "DESC" if newest else "ASC"
    picked = store.sql(
        f"SELECT d.id FROM {documents(store, sel.kind)} "
        f"WHERE {sel.where} AND d.published_date IS NOT NULL "
        f"ORDER BY d.published_date {order}, d.id {order} LIMIT 11",
        sel.values,
    )
    if not picked:
        return []
    ids = [row["id"] for row in picked]
    rows = store.sql(
        "SELECT d.id, d.title, d.outlet, d.published_date, "
        f"{confidence(store)} AS confidence FROM documents d "
        f"WHERE d.id IN ({','.join('?' * len(ids))})",
        ids,
    )
    by_id = {row["id"]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def outlets_in_order(store: Store, sel: Selection) -> list[dict[str, Any]]:
    """Each outlet with its first dated article, earliest first (ties: outlet name);
    outlets with undated articles only come last."""
    rows = store.sql(
        "SELECT d.outlet AS outlet, d.id AS id, d.published_date AS published_date, "
        f"{confidence(store)} AS confidence FROM documents d "
        f"WHERE {sel.where} AND d.outlet IS NOT NULL "
        "ORDER BY d.published_date ASC NULLS LAST, d.id",
        sel.values,
    )
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = seen.get(row["outlet"])
        if entry is None:
            seen[row["outlet"]] = {
                "outlet": row["outlet"],
                "first_date": _day(row["published_date"]),
                "first_id": row["id"],
                "confidence": row["confidence"],
                "articles": 1,
            }
        else:
            entry["articles"] += 1
    ordered = sorted(seen.values(), key=lambda e: (e["first_date"] is None,
                                                   e["first_date"] or "", e["outlet"]))  # fmt: skip
    return ordered[:OUTLETS_SHOWN]


def timeline(store: Store, sel: Selection, by: str = "auto") -> Timeline:
    """The timeline of a selection; `by` is day, week, month or auto."""
    if by not in ("auto", *BUCKETS):
        raise TimelineError(f"by must be auto, {', '.join(BUCKETS)}")
    days, undated = per_day(store, sel)
    quote_days, quotes_undated = quotes_per_day(store, sel)
    series, chosen = buckets(days, quote_days, by)
    dated = sum(n for n, _ in days.values())
    firsts = _edge(store, sel, newest=False) if dated else []
    lasts = _edge(store, sel, newest=True) if dated else []
    first = firsts[0] if firsts else None
    tied = [r for r in firsts[1:] if _day(r["published_date"]) == _day(first["published_date"])]
    return Timeline(
        kind=sel.kind,
        id=sel.id,
        label=sel.label,
        by=chosen,
        articles=dated + undated,
        dated=dated,
        undated=undated,
        low_confidence=sum(low for _, low in days.values()),
        quotes=sum(quote_days.values()) + quotes_undated,
        quotes_undated=quotes_undated,
        first=first,
        last=lasts[0] if lasts else None,
        buckets=series,
        first_tied=tied,
        outlets=outlets_in_order(store, sel) if sel.kind in ("story", "thread") else None,
    )
