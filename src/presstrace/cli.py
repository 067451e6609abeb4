"""The command line: parses arguments, calls pipeline/store/export, prints. No logic here.

Exit codes: 0 when every input was taken, 1 when something failed (one line per failure on
stderr), 2 for wrong usage, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from presstrace import __version__, render
from presstrace.errors import PresstraceError
from presstrace.export import BINARY_FORMATS, WRITERS
from presstrace.ingest import IngestOptions
from presstrace.steps import step_names
from presstrace.store import open_store, queries, resolve_db


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presstrace",
        description="Turn messy news articles into clean, dated, attributed data.",
    )
    parser.add_argument(
        "--db",
        help="store: an SQLite file, or postgresql://user@host/db; "
        "default $PRESSTRACE_DB or ./presstrace.db",
    )
    parser.add_argument("--version", action="version", version=f"presstrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read files, folders, globs, URLs or - (stdin)")
    p.add_argument("inputs", nargs="+", metavar="PATH")
    p.add_argument(
        "--max-bytes",
        type=int,
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
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one document (id or unique id prefix)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="full-text search (all words must match)")
    p.add_argument("query", nargs="+")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write every document as JSON Lines, CSV or Parquet")
    p.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.add_argument("--lang", metavar="CODE", help="only documents in this language (ISO 639-1)")

    p = sub.add_parser("stats", help="counts, date span, languages and outlets of the store")
    p.add_argument("--json", action="store_true")
    for module in command_modules():
        COMMANDS.update(module.register(sub))
    return parser  # fmt: skip


# Modules that add commands for a later stage: each has `register(subparsers) -> {name:
# handler(store, args) -> exit code}` and may have `show_sections(store, doc) -> list[str]`
# (extra blocks for `presstrace show`). They import heavy libraries inside their handlers.
COMMAND_MODULES: list[str] = [
    "presstrace.cli_copies",
    "presstrace.cli_web",
    "presstrace.cli_extract",
    "presstrace.cli_stories",
    "presstrace.cli_narratives",
    "presstrace.cli_threads",
    "presstrace.cli_timeline",
]


def command_modules() -> list:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except PresstraceError as exc:  # one line, the class says the exit code
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted; what was stored so far is kept, run the same command to resume")
        return 130
    except BrokenPipeError:  # `presstrace export | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # e.g. export -o into a folder that does not exist
        _error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return 1


def _run(args: argparse.Namespace) -> int:
    store = open_store(resolve_db(args.db))
    try:
        return COMMANDS[args.command](store, args)
    finally:
        store.close()


def cmd_ingest(store, args) -> int:
    from presstrace.pipeline import ingest  # the stages load only when they are needed

    options = IngestOptions(
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        delay=args.delay,
        robots=not args.ignore_robots,
    )
    report = ingest(
        args.inputs,
        store,
        options=options,
        on_failure=lambda f: _error(f"{f.source}: {f.reason}"),
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


def cmd_list(store, args) -> int:
    rows = store.list(limit=args.limit, offset=args.offset, language=args.lang)
    print(json.dumps(rows, ensure_ascii=False) if args.json else render.document_table(rows))
    return 0


def cmd_show(store, args) -> int:
    doc = store.get(args.id)
    if doc is None:
        _error(f"{args.id}: no such document (give an id or a unique prefix of 6+ characters)")
        return 1
    if args.json:
        from presstrace.export import export_record

        print(json.dumps(export_record(doc), ensure_ascii=False, indent=1))
    else:
        sections = [s for m in command_modules() if hasattr(m, "show_sections")
                    for s in m.show_sections(store, doc)]  # fmt: skip
        print("\n\n".join([render.document(doc), *sections]))
    return 0


def cmd_search(store, args) -> int:
    hits = queries.hits(store, " ".join(args.query), limit=args.limit, language=args.lang)
    if args.json:
        print(json.dumps([hit.__dict__ for hit in hits], ensure_ascii=False))
    else:
        print(render.search_hits(hits))
    return 0


def cmd_export(store, args) -> int:
    writer = WRITERS[args.format]
    binary = args.format in BINARY_FORMATS
    docs = store.iter_documents(language=args.lang)
    if not args.output or args.output == "-":
        writer(docs, sys.stdout.buffer if binary else sys.stdout)
        return 0
    target = Path(args.output)
    # write beside the target and rename, so a failed export never leaves half a file
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, **mode) as out:
            count = writer(docs, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"exported {count} documents to {target}", file=sys.stderr)
    return 0


def cmd_stats(store, args) -> int:
    stats = store.stats()
    print(json.dumps(stats, ensure_ascii=False) if args.json else render.stats(stats))
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "export": cmd_export,
    "stats": cmd_stats,
}


def _error(message: str) -> None:
    print(f"presstrace: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
