"""`presstrace serve` (the web UI and REST API) and `presstrace report` (one HTML file).

fastapi, uvicorn and Jinja2 are imported inside the handlers: the parser is built for every
command, and `ingest` should not pay for a web stack.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys

from presstrace.store.protocol import Store

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
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


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """Host headers the app answers: loopback names, plus the bound name when it is one
    (binding all interfaces accepts any, as the warning says)."""
    from presstrace.api import LOOPBACK_HOSTS

    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({*LOOPBACK_HOSTS, host})


def cmd_serve(store: Store, args: argparse.Namespace) -> int:
    import uvicorn

    from presstrace.api import create_app
    from presstrace.store import resolve_db

    if not is_loopback(args.host):
        print(
            f"presstrace: warning: serving on {args.host}: anyone who can reach this address "
            "can read the whole corpus (there is no login)",
            file=sys.stderr,
        )
    location = resolve_db(args.db)
    store.close()  # each server thread opens its own connection
    app = create_app(location, allowed_hosts=allowed_hosts(args.host))
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"presstrace: serving {store.path} on http://{shown}:{args.port}/", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                limit_concurrency=MAX_CONNECTIONS)  # fmt: skip
    return 0


def cmd_report(store: Store, args: argparse.Namespace) -> int:
    from pathlib import Path

    from presstrace.report import build_report

    html = build_report(store, top=args.top)
    Path(args.output).write_text(html, encoding="utf-8")
    print(f"wrote {args.output} ({len(html.encode()):,} bytes)", file=sys.stderr)
    return 0
