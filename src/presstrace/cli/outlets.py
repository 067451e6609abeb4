"""`presstrace outlets`, `presstrace outlet NAME` and `presstrace places [QUERY]`: the outlet
view and the places of the map, as the web pages show them. Parsing and printing only:
store/queries/outlets.py and places.py answer."""

from __future__ import annotations

import argparse
import json
from typing import Any

from presstrace.cli.common import error
from presstrace.cli.render import table
from presstrace.store.protocol import Store
from presstrace.store.queries import outlets as queries
from presstrace.store.queries import places as place_queries


def register(sub: Any) -> dict:
    p = sub.add_parser("outlets", help="outlets, most documents first")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print JSON for programs")
    p = sub.add_parser(
        "outlet",
        help="one outlet: documents per month, whom it copies, who copies it, top entities",
    )
    p.add_argument("name", nargs="+", help="the outlet's name, as `outlets` lists it")
    p.add_argument("--json", action="store_true", help="print JSON for programs")
    p = sub.add_parser(
        "places", help="places mentioned, with coordinates (of what QUERY finds, if given)"
    )
    p.add_argument("query", nargs="*", help="only the documents this search finds")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true", help="print GeoJSON for programs")
    return {"outlets": cmd_outlets, "outlet": cmd_outlet, "places": cmd_places}


def cmd_outlets(store: Store, args: argparse.Namespace) -> int:
    page = queries.outlets(store, limit=args.limit, offset=args.offset)
    if args.json:
        print(json.dumps(page, ensure_ascii=False))
        return 0
    print(table(page["items"], [("documents", "docs", 6), ("first", "first", 10),
                                ("last", "last", 10), ("outlet", "outlet", 60)]))  # fmt: skip
    print(f"\n{page['total']} outlets; {page['unnamed']} documents with no outlet named")
    return 0


def cmd_outlet(store: Store, args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    found = queries.outlet(store, name)
    if found is None:
        error(f"{name}: no such outlet (see `presstrace outlets`)")
        return 1
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    lines = [f"{found['outlet']}: {found['documents']} documents, "
             f"{found['first'] or '?'} to {found['last'] or '?'}", "", "per month:"]  # fmt: skip
    lines += [f"  {m['month']}  {m['n']}" for m in found["per_month"]] or ["  (none dated)"]
    for title, key in (("copies", "copies_from"), ("copied by", "copied_by")):
        lines += ["", f"{title}:"]
        lines += [f"  {c['copies']:>5}  {c['outlet'] or '(unnamed outlet)'}"
                  for c in found[key]] or ["  (none known)"]  # fmt: skip
    lines += ["", "top entities:"]
    lines += [f"  {e['documents']:>5}  {e['name']} ({e['type']})"
              for e in found["top_entities"]] or ["  (none extracted)"]  # fmt: skip
    print("\n".join(lines))
    return 0


def cmd_places(store: Store, args: argparse.Namespace) -> int:
    found = place_queries.places(store, query=" ".join(args.query) or None,
                                 language=args.lang, limit=max(1, args.limit))  # fmt: skip
    if args.json:
        print(json.dumps(place_queries.geojson(found), ensure_ascii=False))
        return 0
    rows = [{**p, "at": f"{p['lat']:.2f}, {p['lon']:.2f}"} for p in found["items"]]
    columns = [("documents", "docs", 6), ("mentions", "mentions", 8), ("at", "lat, lon", 16),
               ("country", "cc", 3), ("name", "place", 60)]  # fmt: skip
    print(table(rows, columns))
    return 0
