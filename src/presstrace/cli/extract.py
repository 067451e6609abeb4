"""Commands over the extraction stage's tables: `entities`, `quotes`, `claims`, plus the
entity/quote/claim blocks of `presstrace show`. Thin: the store answers, render prints."""

from __future__ import annotations

import json
from typing import Any

from presstrace.cli import render
from presstrace.store import extracted, queries
from presstrace.store.protocol import Store


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("entities", help="the most mentioned people, organisations and places")
    p.add_argument("--type", help="only this type: PERSON, ORG, GPE, LOC, NORP, ...")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quotes", help="who said what (filter by speaker and by words)")
    p.add_argument("--speaker", help="part of the speaker's name or key (case-insensitive)")
    p.add_argument("--text", help="words the quote contains (case-insensitive)")
    p.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="only quotes whose speaker is at least this sure (0-1; e.g. 0.9)",
    )
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="numeric claims: value, unit, sentence")
    p.add_argument("--unit", help="part of the unit (drones, %%, GBP, ...)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    return {"entities": cmd_entities, "quotes": cmd_quotes, "claims": cmd_claims}


def cmd_entities(store: Store, args: Any) -> int:
    etype = args.type.upper() if args.type else None
    rows = queries.entities(store, type_=etype, limit=args.limit)["items"]  # as the API lists
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        row["where"] = f"{row['country']} {row['lat']:.2f},{row['lon']:.2f}" if row["lat"] else ""
        row["also"] = ", ".join(a for a in row["aliases"] if a != row["name"])
    print(
        render.table(
            rows,
            [
                ("name", "name", 28),
                ("type", "type", 7),
                ("documents", "docs", 5),
                ("mentions", "mentions", 8),
                ("where", "place", 20),
                ("also", "also written", 60),
            ],
        )
    )
    return 0


def cmd_quotes(store: Store, args: Any) -> int:
    rows = extracted.find_quotes(store, args.speaker, args.text, args.limit, args.min_confidence)
    for row in rows:
        row["direct"] = bool(row["direct"])
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        row["doc"] = row["doc_id"][:10]
        row["kind"] = "direct" if row["direct"] else "reported"
        row["who"] = row["speaker"] or "(unnamed)"
        row["sure"] = f"{row['confidence']:.2f}" if row["speaker"] else ""
    print(
        render.table(
            rows,
            [
                ("doc", "doc", 10),
                ("who", "speaker", 24),
                ("cue", "cue", 10),
                ("kind", "kind", 8),
                ("sure", "conf", 4),
                ("text", "quote", 100),
            ],
        )
    )
    return 0


def cmd_claims(store: Store, args: Any) -> int:
    rows = extracted.find_claims(store, args.unit, args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        row["doc"] = row["doc_id"][:10]
        row["figure"] = f"{row['value']:,.10g}"
    print(
        render.table(
            rows,
            [
                ("doc", "doc", 10),
                ("figure", "value", 16),
                ("unit", "unit", 18),
                ("text", "sentence", 100),
            ],
        )
    )
    return 0


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
