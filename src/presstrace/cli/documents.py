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
from presstrace.cli.common import emit, error, positive_int
from presstrace.exports import BINARY_FORMATS, WRITERS
from presstrace.ingest import IngestOptions
from presstrace.steps import step_names
from presstrace.store.protocol import Store
from presstrace.store.queries.tables import TABLES


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

    p = sub.add_parser(
        "list",
        help="list stored documents, newest first, with facet counts",
        description="Documents, newest first (--sort to change), narrowed by field "
        "filters of the query language (lang:de outlet:\"The Telegraph\" entity:putin "
        "after:2023-05 has:quotes …), with the total and facet counts.",
    )
    p.add_argument("query", nargs="*", help="field filters and words (query language)")
    _query_options(p, limit=50, default_sort="newest")

    p = sub.add_parser(
        "search",
        help="full-text search in the query language, with facet counts",
        description='Words (all required), "phrases", OR, NOT or -word, prefix*, '
        "(parentheses), and field filters: lang:de outlet:\"The Telegraph\" entity:putin "
        "narrative:LABEL story:ID thread:ID after:2023-05-01 before:2023-06 "
        "has:quotes|claims|copies|entities|date|narratives type:html|text id:ID. Copies "
        "are counted under their original (+3 copies) unless --copies.",
    )
    p.add_argument("query", nargs="+")
    _query_options(p, limit=20, default_sort=None)

    p = sub.add_parser("show", help="show one document (id or unique id prefix)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "export",
        help="write the documents, or one table, as JSON Lines, CSV or Parquet",
        description="Write every document (or those QUERY finds) as JSON Lines, CSV or "
        "Parquet; with --table, one table of what the stages found, for those documents. "
        "CSV is flat (lists joined with '; '); Parquet keeps lists and records as nested "
        "types.",
    )
    p.add_argument("query", nargs="*", help="only what this search finds (every hit)")
    p.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
    p.add_argument(
        "--table",
        choices=list(TABLES),
        metavar="TABLE",
        help="one table instead of the documents: "
        + "; ".join(f"{t.name} ({t.about})" for t in TABLES.values()),
    )
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


def _query_options(p: argparse.ArgumentParser, limit: int, default_sort: str | None) -> None:
    from presstrace.store.queries import SORTS

    p.add_argument("--lang", metavar="CODE", help="only documents in this language (lang:CODE)")
    p.add_argument("--limit", type=positive_int, default=limit)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--sort", choices=SORTS, default=default_sort,
                   help="order (default: " + (default_sort or "relevance when the query has "
                   "words, else newest") + " first)")  # fmt: skip
    p.add_argument("--copies", action="store_true",
                   help="list copies as rows of their own (default: counted under their "
                   "original)")  # fmt: skip
    p.add_argument("--no-facets", action="store_true", help="skip the facet counts")
    p.add_argument("--json", action="store_true",
                   help="print {total, items, facets, notes} as JSON")  # fmt: skip


def _run_query(store: Store, args: argparse.Namespace, snippets: bool) -> int:
    page = library.query(
        store, " ".join(args.query), limit=args.limit, offset=args.offset, sort=args.sort,
        copies=args.copies, facets=not args.no_facets, language=args.lang,
    )  # fmt: skip
    return emit(args, page, lambda p: render.query_page(p, snippets=snippets))


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    return _run_query(store, args, snippets=False)


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
    return _run_query(store, args, snippets=True)


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    options = {
        "format": args.format,
        "language": args.lang,
        "table": args.table,
        "query": " ".join(args.query) or None,
    }
    if not args.output or args.output == "-":
        binary = args.format in BINARY_FORMATS
        out = sys.stdout.buffer if binary else sys.stdout
        library.export(store, out, **options)
        return 0
    count = library.export(store, args.output, **options)
    what = f"rows of {args.table}" if args.table else "documents"
    print(f"exported {count} {what} to {Path(args.output)}", file=sys.stderr)
    return 0


def cmd_stats(store: Store, args: argparse.Namespace) -> int:
    return emit(args, store.stats(), render.stats)

