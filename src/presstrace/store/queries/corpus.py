"""Read-side queries for the CLI, the API, the web pages and the report.

Everything here goes through `store.sql` (portable SQL with `?` placeholders, every value
bound, never formatted in) and the store's own methods, so the same code runs on SQLite and
PostgreSQL. Tables of later stages (copies, entities, quotes) are read only when the store
says they exist (`schema_parts`); until then the answers are empty, never errors.

Narrative labels are read from the narratives step's `narrative_labels` table (indexed by
label). A store without that table may still carry labels in each document's JSON (`data`):
there the narrative filter is a portable `LIKE` prefilter on that JSON followed by an exact
check of the parsed labels in Python. Story and thread labels and spans come from the
`stories` and `threads` tables when they exist, else from the documents' columns alone;
timelines from store/timeline.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from presstrace.model import Document
from presstrace.store import timeline as tl
from presstrace.store.protocol import Record, Row, SqlValue, Store

MAX_LIMIT = 200
# Candidate rows read for a filter that finishes in Python (quotes about X).
_CANDIDATES = 5000


def parts(store: Store) -> set[str]:
    """Names of the later-stage table groups this store has ("copies", "extract", …)."""
    return {row["name"] for row in store.sql("SELECT name FROM schema_parts")}


@dataclass
class DocumentFilter:
    """What the documents list may be narrowed by; every field is optional."""

    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    story: str | None = None
    thread: str | None = None
    narrative: str | None = None
    language: str | None = None  # ISO 639-1, as detected by the meta stage

    def where(self, have: set[str]) -> tuple[str, list[Any]]:
        """A WHERE clause with `?` placeholders and its values."""
        clauses: list[str] = []
        values: list[Any] = []
        if self.date_from:
            clauses.append("published_date >= ?")
            values.append(self.date_from)
        if self.date_to:
            clauses.append("published_date <= ?")
            values.append(self.date_to + "~")  # '~' sorts after any time part of that day
        for column, value in (
            ("outlet", self.outlet),
            ("story_id", self.story),
            ("thread_id", self.thread),
            ("language", self.language),
        ):
            if value:
                clauses.append(f"{column} = ?")  # column names are ours, values bound
                values.append(value)
        if self.entity:
            if "extract" not in have:
                clauses.append("1 = 0")  # no entities extracted yet: nothing mentions one
            else:
                clauses.append("id IN (SELECT doc_id FROM entity_mentions WHERE entity_key = ?)")
                values.append(self.entity)
        if self.narrative and "narratives" in have:
            clauses.append("id IN (SELECT doc_id FROM narrative_labels WHERE label = ?)")
            values.append(self.narrative)
        elif self.narrative:
            clauses.append("data LIKE ? ESCAPE '\\'")
            label = json.dumps(self.narrative, ensure_ascii=False)[1:-1]  # as Document.to_json
            values.append("%" + _like_escape(label) + "%")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", values


_LIST_COLUMNS = (
    "id, source, title, published_date, outlet, language, duplicate_of, story_id, thread_id"
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- one document ---------------------------------------------------------------------------
@dataclass
class DocumentView:
    """A document with what other stages know about it, ready for a page or JSON."""

    doc: Document
    copy_of: dict[str, Any] | None = None
    copies: list[dict[str, Any]] = field(default_factory=list)
    entity_keys: dict[str, str] = field(default_factory=dict)  # entity name -> key
    story: dict[str, Any] | None = None  # id, label, size, first, last
    thread: dict[str, Any] | None = None
    narratives: list[dict[str, Any]] = field(default_factory=list)  # label, score, evidence


def document(store: Store, doc_id: str) -> DocumentView | None:
    doc = store.get(doc_id)
    if doc is None:
        return None
    view = DocumentView(doc)
    have = parts(store)
    if "copies" in have:
        rows = store.sql(
            "SELECT c.copy_id, c.canonical_id, c.similarity, c.containment, c.method, "
            "d.title, d.outlet, d.published_date FROM copies c "
            "JOIN documents d ON d.id = c.canonical_id WHERE c.copy_id = ?",
            [doc.id],
        )
        view.copy_of = rows[0] if rows else None
        canonical = view.copy_of["canonical_id"] if view.copy_of else doc.id
        view.copies = store.sql(
            "SELECT c.copy_id, c.similarity, c.containment, c.method, d.title, d.outlet, "
            "d.published_date FROM copies c JOIN documents d ON d.id = c.copy_id "
            "WHERE c.canonical_id = ? AND c.copy_id <> ? ORDER BY c.copy_id",
            [canonical, doc.id],
        )
    elif doc.duplicate_of:
        view.copy_of = {"canonical_id": doc.duplicate_of, "method": None}
    if "extract" in have:
        rows = store.sql(
            "SELECT e.key, e.name FROM entity_mentions m JOIN entities e ON e.key = m.entity_key "
            "WHERE m.doc_id = ?",
            [doc.id],
        )
        view.entity_keys = {row["name"]: row["key"] for row in rows}
    for kind, group_id in (("story", doc.story_id), ("thread", doc.thread_id)):
        if group_id:
            setattr(view, kind, group_summary(store, kind, group_id, have))
    if "narratives" in have:
        rows = store.sql(
            "SELECT label, score, evidence FROM narrative_labels WHERE doc_id = ? ORDER BY label",
            [doc.id],
        )
        view.narratives = [{**row, "evidence": _json_list(row["evidence"])} for row in rows]
    else:
        view.narratives = [
            {"label": n.label, "score": n.score, "evidence": list(n.evidence)}
            for n in doc.narratives
        ]
    return view


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


# -- entities and quotes --------------------------------------------------------------------
def entities(
    store: Store, q: str | None = None, type_: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    limit = max(1, limit)  # the API and pages bound it (MAX_LIMIT); the CLI does not
    offset = max(0, offset)
    if "extract" not in parts(store):
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    clauses, values = [], []
    if q:
        clauses.append("lower(name) LIKE ? ESCAPE '\\'")
        values.append("%" + _like_escape(q.lower()) + "%")
    if type_:
        clauses.append("type = ?")
        values.append(type_)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = store.sql(f"SELECT count(*) AS n FROM entities{where}", values)[0]["n"]
    rows = store.sql(
        "SELECT key, name, type, aliases, documents, mentions, country, lat, lon "
        f"FROM entities{where} ORDER BY documents DESC, mentions DESC, key LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    return {
        "total": int(total),
        "limit": limit,
        "offset": offset,
        "items": [_entity(row) for row in rows],
    }


def _entity(row: Row) -> dict[str, Any]:
    row = dict(row)
    try:
        row["aliases"] = json.loads(row.get("aliases") or "[]")
    except (TypeError, ValueError):
        row["aliases"] = []
    return row


def entity(store: Store, key: str) -> dict[str, Any] | None:
    """An entity with quotes by it, quotes about it, co-mentioned entities and a timeline."""
    if "extract" not in parts(store):
        return None
    rows = store.sql(
        "SELECT key, name, type, aliases, documents, mentions, country, lat, lon "
        "FROM entities WHERE key = ?",
        [key],
    )
    if not rows:
        return None
    ent = _entity(rows[0])
    ent["quotes_by"] = quotes(store, speaker=key, limit=100)["items"]
    ent["quotes_about"] = quotes_about(store, ent)
    ent["co_mentioned"] = store.sql(
        "SELECT e.key, e.name, e.type, count(*) AS documents FROM entity_mentions m1 "
        "JOIN entity_mentions m2 ON m2.doc_id = m1.doc_id AND m2.entity_key <> m1.entity_key "
        "JOIN entities e ON e.key = m2.entity_key WHERE m1.entity_key = ? "
        "GROUP BY e.key, e.name, e.type ORDER BY documents DESC, e.key LIMIT 20",
        [key],
    )
    ent["timeline"] = tl.timeline(store, tl.select(store, entity=key)).to_dict()
    ent["documents_list"] = store.sql(
        "SELECT d.id, d.title, d.published_date, d.outlet FROM entity_mentions m "
        "JOIN documents d ON d.id = m.doc_id WHERE m.entity_key = ? "
        "ORDER BY d.published_date DESC NULLS LAST, d.id DESC LIMIT 50",
        [key],
    )
    return ent


_QUOTE_COLUMNS = (
    "q.doc_id, q.n, q.speaker_key, q.speaker, q.text, q.direct, q.cue, "
    "d.title, d.published_date, d.outlet"
)


def quotes(
    store: Store,
    speaker: str | None = None,
    doc_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if "extract" not in parts(store):
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    clauses, values = [], []
    if speaker:
        clauses.append("q.speaker_key = ?")
        values.append(speaker)
    if doc_id:
        clauses.append("q.doc_id = ?")
        values.append(doc_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = store.sql(f"SELECT count(*) AS n FROM quotes q{where}", values)[0]["n"]
    rows = store.sql(
        f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN documents d ON d.id = q.doc_id{where} "
        "ORDER BY d.published_date DESC NULLS LAST, q.doc_id, q.n "
        "LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    for row in rows:
        row["direct"] = bool(row["direct"])
    return {"total": int(total), "limit": limit, "offset": offset, "items": rows}


def quotes_about(store: Store, ent: Record, limit: int = 100) -> list[dict[str, Any]]:
    """Quotes by others, in documents that mention the entity, whose words name it."""
    rows = store.sql(
        f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN documents d ON d.id = q.doc_id "
        "WHERE q.doc_id IN (SELECT doc_id FROM entity_mentions WHERE entity_key = ?) "
        "AND (q.speaker_key IS NULL OR q.speaker_key <> ?) "
        "ORDER BY d.published_date DESC NULLS LAST, q.doc_id, q.n LIMIT ?",
        [ent["key"], ent["key"], _CANDIDATES],
    )
    pattern = names_pattern([ent["name"], *ent.get("aliases", [])])
    found = []
    for row in rows:
        if pattern and pattern.search(row["text"] or ""):
            row["direct"] = bool(row["direct"])
            found.append(row)
            if len(found) >= limit:
                break
    return found


def names_pattern(names: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of the names as whole words."""
    names = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.I)


# -- stories and threads --------------------------------------------------------------------
_GROUP_COLUMNS = {"story": "story_id", "thread": "thread_id"}
PLURAL = {"story": "stories", "thread": "threads"}


def groups(store: Store, kind: str, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Stories or threads, biggest first: label, size, first and last date.

    From the step's own table (`stories`, `threads`) when it exists; otherwise from the
    documents' column, with the earliest headline standing in for a label."""
    column, table = _GROUP_COLUMNS[kind], PLURAL[kind]
    limit = max(1, limit)  # the API and pages bound it (MAX_LIMIT); the CLI does not
    offset = max(0, offset)
    if table in parts(store):
        total = store.sql(f"SELECT count(*) AS n FROM {table}")[0]["n"]
        rows = store.sql(
            f"SELECT {column} AS id, label, label AS title, size AS documents, "
            f"first_date AS first, last_date AS last FROM {table} "
            f"ORDER BY size DESC, last_date DESC NULLS LAST, {column} LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return {"total": int(total), "limit": limit, "offset": offset, "items": rows}
    total = store.sql(
        f"SELECT count(DISTINCT {column}) AS n FROM documents WHERE {column} IS NOT NULL"
    )[0]["n"]
    rows = store.sql(
        f"SELECT g.{column} AS id, count(*) AS documents, min(g.published_date) AS first, "
        "max(g.published_date) AS last, "
        f"(SELECT d2.title FROM documents d2 WHERE d2.{column} = g.{column} "
        "AND d2.title IS NOT NULL "
        "ORDER BY d2.published_date ASC NULLS LAST, d2.id LIMIT 1) AS title "
        f"FROM documents g WHERE g.{column} IS NOT NULL GROUP BY g.{column} "
        "ORDER BY documents DESC, id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    for row in rows:
        row["label"] = None
    return {"total": int(total), "limit": limit, "offset": offset, "items": rows}


def group_summary(
    store: Store, kind: str, group_id: str, have: set[str] | None = None
) -> dict[str, Any]:
    """A story's or thread's id, label, size and span (label None until the step ran)."""
    column, table = _GROUP_COLUMNS[kind], PLURAL[kind]
    if table in (have if have is not None else parts(store)):
        extra = ", evidence" if kind == "thread" else ""
        rows = store.sql(
            f"SELECT {column} AS id, label, size, first_date AS first, last_date AS last{extra} "
            f"FROM {table} WHERE {column} = ?",
            [group_id],
        )
        if rows:
            return rows[0]
    row = store.sql(
        "SELECT count(*) AS size, min(published_date) AS first, max(published_date) AS last "
        f"FROM documents WHERE {column} = ?",
        [group_id],
    )[0]
    return {"id": group_id, "label": None, **row}


def group(store: Store, kind: str, group_id: str, by: str = "auto") -> dict[str, Any] | None:
    """One story or thread: label, span, its documents in date order, a timeline with the
    outlets in order of appearance, and (threads) the evidence sentences."""
    column = _GROUP_COLUMNS[kind]
    docs = store.sql(
        f"SELECT {_LIST_COLUMNS} FROM documents WHERE {column} = ? "
        "ORDER BY published_date ASC NULLS LAST, id LIMIT 500",
        [group_id],
    )
    if not docs:
        return None
    summary = group_summary(store, kind, group_id)
    sel = tl.Selection(kind, group_id, summary["label"], f"d.{column} = ?", [group_id])
    line = tl.timeline(store, sel, by)
    titles = {d["id"]: d["title"] for d in docs}
    evidence, seen = [], set()
    for e in _json_list(summary.pop("evidence", None)):
        if isinstance(e, dict) and e.get("sentence") not in seen:  # a reprint's, once
            seen.add(e.get("sentence"))
            evidence.append(
                {
                    "doc_id": e.get("doc_id"),
                    "sentence": e.get("sentence"),
                    "title": titles.get(e.get("doc_id")),
                }  # fmt: skip
            )
    return {
        **summary,
        "kind": kind,
        "documents": docs,
        "timeline": line.to_dict(),
        "outlets": line.outlets or [],
        "evidence": evidence,
    }


# -- narratives -----------------------------------------------------------------------------
def narratives(store: Store) -> dict[str, Any]:
    """Every narrative label with its document count, read from the label index alone
    (13 ms at 100k documents and 75k labels; a mean score read every label row: 237 ms;
    joining each to its document for a span: 0.8 s; spans are on each label's page)."""
    if "narratives" not in parts(store):
        return {"computed": False, "total": 0, "items": []}
    from presstrace.store.narratives import nested

    rows = store.sql(
        "SELECT label, count(*) AS documents FROM narrative_labels "
        "GROUP BY label ORDER BY documents DESC, label"
    )
    rows = nested(rows)  # each sub-narrative right under its own narrative
    return {"computed": True, "total": len(rows), "items": rows}


def narrative_labels_of(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Taxonomy labels a set of documents carries, most shared first ({label, articles}),
    once the narratives step has run: what a thread argues in the taxonomy's words."""
    if not ids or "narratives" not in parts(store):
        return []
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = store.sql(
            f"SELECT label, count(*) AS n FROM narrative_labels "
            f"WHERE doc_id IN ({','.join('?' * len(chunk))}) GROUP BY label",
            chunk,
        )
        for r in rows:
            counts[r["label"]] = counts.get(r["label"], 0) + int(r["n"])
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    return [{"label": label, "articles": n} for label, n in ranked]


def parent_label(label: str) -> str | None:
    """ "URW: Narrative: Sub-narrative" -> "URW: Narrative"; None for a top-level label."""
    from presstrace.store.narratives import parent_of

    return parent_of(label)


def narrative(
    store: Store, label: str, limit: int = 50, offset: int = 0, by: str = "auto"
) -> dict[str, Any] | None:
    """One label: its documents (highest score first) with the evidence sentences, its
    sub-labels and a timeline."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if "narratives" not in parts(store):
        return None
    total = store.sql("SELECT count(*) AS n FROM narrative_labels WHERE label = ?", [label])
    if not total[0]["n"]:
        return None
    rows = store.sql(
        "SELECT n.doc_id AS id, n.score, n.evidence, d.title, d.source, d.published_date, "
        "d.outlet, d.duplicate_of FROM narrative_labels n JOIN documents d ON d.id = n.doc_id "
        "WHERE n.label = ? ORDER BY n.score DESC, n.doc_id "
        "LIMIT ? OFFSET ?",
        [label, limit, offset],
    )
    for row in rows:
        row["evidence"] = _json_list(row["evidence"])
    children = store.sql(
        "SELECT label, count(*) AS documents FROM narrative_labels WHERE label LIKE ? "
        "ESCAPE '\\' GROUP BY label ORDER BY documents DESC, label",
        [_like_escape(label + ": ") + "%"],
    )
    return {
        "label": label,
        "parent": parent_label(label),
        "children": children,
        "total": int(total[0]["n"]),
        "limit": limit,
        "offset": offset,
        "items": rows,
        "timeline": tl.timeline(store, tl.select(store, narrative=label), by).to_dict(),
    }


# -- overview -------------------------------------------------------------------------------
def timeline(store: Store, from_where: str, values: list[SqlValue]) -> list[dict[str, Any]]:
    """Documents per day ({day, n}) for `FROM … WHERE …` over documents aliased `d`.
    Grouped by the stored value (an index scan), then folded to days here, in case a date
    carries a time."""
    rows = store.sql(
        f"SELECT d.published_date AS day, count(*) AS n {from_where} "
        "AND d.published_date IS NOT NULL GROUP BY d.published_date",
        values,
    )
    days: dict[str, int] = {}
    for row in rows:
        day = str(row["day"])[:10]
        days[day] = days.get(day, 0) + int(row["n"])
    return [{"day": day, "n": n} for day, n in sorted(days.items())]


def overview(store: Store) -> dict[str, Any]:
    """Counts, documents per day, top entities and outlets, what the later stages hold."""
    # Not store.stats(): its character total reads every text (a second at 100k documents).
    head = store.sql(
        "SELECT count(*) AS n, count(published_date) AS dated, min(published_date) AS earliest, "
        "max(published_date) AS latest FROM documents"
    )[0]
    outlets = store.sql(
        "SELECT outlet, count(*) AS n FROM documents WHERE outlet IS NOT NULL "
        "GROUP BY outlet ORDER BY n DESC, outlet LIMIT 10"
    )
    have = parts(store)
    counts = {"documents": int(head["n"]), "dated": int(head["dated"])}
    top_entities: list[dict[str, Any]] = []
    if "extract" in have:
        for table in ("entities", "quotes", "claims"):
            counts[table] = int(store.sql(f"SELECT count(*) AS n FROM {table}")[0]["n"])
        top_entities = [
            _entity(row)
            for row in store.sql(
                "SELECT key, name, type, aliases, documents, mentions FROM entities "
                "ORDER BY documents DESC, mentions DESC, key LIMIT 15"
            )
        ]
    if "copies" in have:
        counts["copies"] = int(store.sql("SELECT count(*) AS n FROM copies")[0]["n"])
    if "narratives" in have:
        counts["narratives"] = int(
            store.sql("SELECT count(DISTINCT label) AS n FROM narrative_labels")[0]["n"]
        )
    for kind, column in _GROUP_COLUMNS.items():
        table = PLURAL[kind]  # the step's own table is smaller than the documents' index
        query = (
            f"SELECT count(*) AS n FROM {table}"
            if table in have
            else f"SELECT count(DISTINCT {column}) AS n FROM documents WHERE {column} IS NOT NULL"
        )
        counts[table] = int(store.sql(query)[0]["n"])
    return {
        "counts": counts,
        "earliest": head["earliest"],
        "latest": head["latest"],
        "outlets": {row["outlet"]: int(row["n"]) for row in outlets},
        "per_day": timeline(store, "FROM documents d WHERE 1 = 1", []),
        "top_entities": top_entities,
        "parts": sorted(have),
    }
