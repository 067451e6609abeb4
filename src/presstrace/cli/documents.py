"""The document commands: `ingest`, `list`, `show`, `search`, `export`, `stats`.

Parsing and printing only: presstrace.pipeline ingests, the store and store.queries answer,
presstrace.exports writes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from presstrace import library
from presstrace.cli import render
from presstrace.cli.common import emit, error, paging, positive_int
from presstrace.exports import BINARY_FORMATS, WRITERS
from presstrace.ingest import IngestOptions
from presstrace.steps import step_names
from presstrace.store.protocol import Store


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("ingest", help="read files, folders, globs, URLs or - (stdin)")
    p.add_argument("inputs", nargs="+", metavar="PATH")
    p.add_argument(
        "--max-bytes",
        type=positive_int,
        default=IngestOptions().max_bytes,
        help="largest single-article file or page to read (bytes)",
    )
    p.add_argument(
        "--timeout", type=float, default=IngestOptions().timeout, help="seconds to wait for a URL"
    )
    p.add_argument(
        "--delay",
        type=float,
        default=IngestOptions().delay,
        help="seconds between two requests to the same host",
    )
    p.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="worker processes for cleaning and meta (0 = one per core)",
    )
    p.add_argument(
        "--dask",
        action="store_true",
        help="run the stages on a local Dask cluster of --jobs workers",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the stages on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)",
    )
    p.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=step_names(),
        metavar="STEP",
        help=f"do not run this corpus step now (one of: {', '.join(step_names()) or 'none'}); "
        "repeatable; a later ingest runs it on everything it missed",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")

    p = sub.add_parser("list", help="list stored documents")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")
    paging(p, 50)

    p = sub.add_parser("show", help="show one document (id or unique id prefix)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="full-text search (all words must match)")
    p.add_argument("query", nargs="+")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")
    paging(p, 20, offset=False)

    p = sub.add_parser("export", help="write every document as JSON Lines, CSV or Parquet")
    p.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")

    p = sub.add_parser("stats", help="counts, date span, languages and outlets of the store")
    p.add_argument("--json", action="store_true")
    return {
        "ingest": cmd_ingest,
        "list": cmd_list,
        "show": cmd_show,
        "search": cmd_search,
        "export": cmd_export,
        "stats": cmd_stats,
    }  # fmt: skip


def cmd_ingest(store: Store, args: argparse.Namespace) -> int:
    options = IngestOptions(
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        delay=args.delay,
        robots=not args.ignore_robots,
    )
    report = library.ingest(
        store,
        args.inputs,
        options=options,
        on_failure=lambda f: error(f"{f.source}: {f.reason}"),
        progress=sys.stderr.isatty() and not args.quiet and not args.json,
        jobs=args.jobs if args.jobs > 0 else (os.cpu_count() or 1),
        dask=args.scheduler or ("local" if args.dask else None),
        skip_steps=args.skip,
    )
    summary = {
        "read": report.read,
        "added": report.added,
        "already_stored": report.already_stored,
        "failed": len(report.failures),
        "documents_in_store": store.count(),
        "store": store.path,
        "steps": report.steps,
    }
    if args.json:
        print(json.dumps(summary))
    elif not args.quiet:
        print(render.ingest_summary(summary))
    return 1 if report.failures else 0


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    rows = store.list(limit=args.limit, offset=args.offset, language=args.lang)
    return emit(args, rows, render.document_table)


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    doc = store.get(args.id)
    if doc is None:
        error(f"{args.id}: no such document (give an id or a unique prefix of 6+ characters)")
        return 1
    if args.json:
        from presstrace.exports import export_record

        print(json.dumps(export_record(doc), ensure_ascii=False, indent=1))
    else:
        from presstrace.cli import show_sections  # the other groups' blocks

        sections = show_sections(store, doc)
        print("\n\n".join([render.document(doc), *sections]))
    return 0


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    hits = library.search(store, " ".join(args.query), limit=args.limit, language=args.lang)
    return emit(args, [hit.__dict__ for hit in hits], lambda _: render.search_hits(hits))


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    if not args.output or args.output == "-":
        binary = args.format in BINARY_FORMATS
        out = sys.stdout.buffer if binary else sys.stdout
        library.export(store, out, format=args.format, language=args.lang)
        return 0
    count = library.export(store, args.output, format=args.format, language=args.lang)
    print(f"exported {count} documents to {Path(args.output)}", file=sys.stderr)
    return 0


def cmd_stats(store: Store, args: argparse.Namespace) -> int:
    return emit(args, store.stats(), render.stats)

