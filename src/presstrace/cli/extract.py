"""Commands over the extraction stage's tables: `entities`, `quotes`, `claims`, plus the
entity/quote/claim blocks of `presstrace show`. Thin: the store answers, render prints."""

from __future__ import annotations

from typing import Any

from presstrace.cli import render
from presstrace.cli.common import emit, paging
from presstrace.store import extracted, queries
from presstrace.store.protocol import Store


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("entities", help="the most mentioned people, organisations and places")
    p.add_argument("--type", help="only this type: PERSON, ORG, GPE, LOC, NORP, ...")
    paging(p, 30, offset=False)

    p = sub.add_parser("quotes", help="who said what (filter by speaker and by words)")
    p.add_argument("--speaker", help="part of the speaker's name or key (case-insensitive)")
    p.add_argument("--text", help="words the quote contains (case-insensitive)")
    p.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="only quotes whose speaker is at least this sure (0-1; e.g. 0.9)",
    )
    paging(p, 50, offset=False)

    p = sub.add_parser("claims", help="numeric claims: value, unit, sentence")
    p.add_argument("--unit", help="part of the unit (drones, %%, GBP, ...)")
    paging(p, 50, offset=False)
    return {"entities": cmd_entities, "quotes": cmd_quotes, "claims": cmd_claims}


ENTITY_COLUMNS = [("name", "name", 28), ("type", "type", 7), ("documents", "docs", 5),
                  ("mentions", "mentions", 8), ("where", "place", 20),
                  ("also", "also written", 60)]  # fmt: skip
QUOTE_COLUMNS = [("doc", "doc", 10), ("who", "speaker", 24), ("cue", "cue", 10),
                 ("kind", "kind", 8), ("sure", "conf", 4), ("text", "quote", 100)]  # fmt: skip
CLAIM_COLUMNS = [("doc", "doc", 10), ("figure", "value", 16), ("unit", "unit", 18),
                 ("text", "sentence", 100)]  # fmt: skip


def cmd_entities(store: Store, args: Any) -> int:
    etype = args.type.upper() if args.type else None
    rows = queries.entities(store, type_=etype, limit=args.limit)["items"]  # as the API lists
    return emit(args, rows, _entity_table)


def cmd_quotes(store: Store, args: Any) -> int:
    rows = extracted.find_quotes(store, args.speaker, args.text, args.limit, args.min_confidence)
    return emit(args, [{**r, "direct": bool(r["direct"])} for r in rows], _quote_table)


def cmd_claims(store: Store, args: Any) -> int:
    return emit(args, extracted.find_claims(store, args.unit, args.limit), _claim_table)


def _entity_table(rows: list[dict[str, Any]]) -> str:
    return render.table([
        {**r, "where": f"{r['country']} {r['lat']:.2f},{r['lon']:.2f}" if r["lat"] else "",
         "also": ", ".join(a for a in r["aliases"] if a != r["name"])}
        for r in rows
    ], ENTITY_COLUMNS)  # fmt: skip


def _quote_table(rows: list[dict[str, Any]]) -> str:
    return render.table([
        {**r, "doc": r["doc_id"][:10], "kind": "direct" if r["direct"] else "reported",
         "who": r["speaker"] or "(unnamed)",
         "sure": f"{r['confidence']:.2f}" if r["speaker"] else ""}
        for r in rows
    ], QUOTE_COLUMNS)  # fmt: skip


def _claim_table(rows: list[dict[str, Any]]) -> str:
    return render.table(
        [{**r, "doc": r["doc_id"][:10], "figure": f"{r['value']:,.10g}"} for r in rows],
        CLAIM_COLUMNS,
    )


def show_sections(store: Store, doc: Any) -> list[str]:
    """Entities, quotes with speakers and claims of one document, for `presstrace show`."""
    sections = []
    if doc.entities:
        lines = [f"Entities ({len(doc.entities)}):"]
        for e in doc.entities[:25]:
            also = [a for a in e.aliases if a != e.name]
            lines.append(
                f"  {e.type:<7} {e.name} ×{e.count}" + (f"  ({', '.join(also)})" if also else "")
            )
        sections.append("\n".join(lines))
    if doc.quotes:
        lines = [f"Quotes ({len(doc.quotes)}):"]
        for q in doc.quotes:
            who = q.speaker or (f"(unnamed: {q.source})" if q.source else "(unattributed)")
            kind = "said" if q.direct else "reported"
            lines.append(f"  {who} [{q.cue or kind}]: {render._cut(q.text, 100)}")
        sections.append("\n".join(lines))
    if doc.claims:
        lines = [f"Claims ({len(doc.claims)}):"]
        for c in doc.claims:
            value = f"{c.value:,.10g}" + (f"–{c.high:,.10g}" if c.high is not None else "")
            lines.append(f"  {value} {c.unit or ''}: {render._cut(c.text, 90)}")
        sections.append("\n".join(lines))
    return sections
