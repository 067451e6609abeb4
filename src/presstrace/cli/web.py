"""`presstrace serve` (the web UI and REST API) and `presstrace report` (one HTML file).

Both go through presstrace.library, which imports fastapi, uvicorn and Jinja2 only when
they run: the parser is built for every command, and `ingest` should not pay for a web stack.
"""

from __future__ import annotations

import argparse
import sys

from presstrace import library
from presstrace.interfaces.hosts import allowed_hosts, is_loopback
from presstrace.store.protocol import Store

# Open HTTP connections served at once; more are answered 503 at once instead of queueing
# without bound. A team of 20 browsers with a few tabs each stays well under it; requests
# within it share api/stores.py's bounded connection pool.
MAX_CONNECTIONS = 200


def register(subparsers) -> dict:
    p = subparsers.add_parser("serve", help="web UI and REST API over the store (local)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only)")  # fmt: skip
    p.add_argument("--port", type=int, default=8000)
    p = subparsers.add_parser("report", help="write one self-contained HTML report")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--top", type=int, default=10, help="stories, threads, entities to list")
    return {"serve": cmd_serve, "report": cmd_report}


def cmd_serve(store: Store, args: argparse.Namespace) -> int:
    if not is_loopback(args.host):
        print(
            f"presstrace: warning: serving on {args.host}: anyone who can reach this address "
            "can read the whole corpus (there is no login)",
            file=sys.stderr,
        )
    store.close()  # each server thread opens its own connection
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"presstrace: serving {store.path} on http://{shown}:{args.port}/", file=sys.stderr)
    hosts = allowed_hosts(args.host)
    library.serve(args.db, host=args.host, port=args.port, allowed_hosts=hosts,
                  max_connections=MAX_CONNECTIONS)  # fmt: skip
    return 0


def cmd_report(store: Store, args: argparse.Namespace) -> int:
    size = library.report(store, args.output, top=args.top)
    print(f"wrote {args.output} ({size:,} bytes)", file=sys.stderr)
    return 0
