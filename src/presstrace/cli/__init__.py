"""The command line, a package with a module per command group (documents, copies, web,
extract, stories, narratives, threads, timeline, outlets), registered one way: each module listed in
GROUPS has `register(subparsers) -> {command: handler(store, args) -> exit code}` and may
have `show_sections(store, doc) -> list[str]` (its blocks of `presstrace show`). Modules
parse and print; the store's query layer answers, the pipeline and steps do the work.

Exit codes: 0 when every input was taken, 1 when something failed (one line per failure on
stderr), 2 for wrong usage, 130 when interrupted; a PresstraceError says its own code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from presstrace import __version__
from presstrace.cli.common import error
from presstrace.errors import PresstraceError
from presstrace.model import Document
from presstrace.store import open_store, resolve_db
from presstrace.store.protocol import Store

__all__ = ["build_parser", "main"]

# In the order their commands appear in `presstrace --help`.
GROUPS: list[str] = [
    "documents",
    "copies",
    "web",
    "extract",
    "stories",
    "narratives",
    "threads",
    "timeline",
    "outlets",
]

Handler = Callable[[Store, argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"presstrace.cli.{name}") for name in GROUPS]


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
    for module in command_modules():
        COMMANDS.update(module.register(sub))
    return parser


def show_sections(store: Store, doc: Document) -> list[str]:
    """Every group's blocks for `presstrace show`, in GROUPS order."""
    return [
        section
        for module in command_modules()
        if hasattr(module, "show_sections")
        for section in module.show_sections(store, doc)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except PresstraceError as exc:  # one line, the class says the exit code
        error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        error("interrupted; what was stored so far is kept, run the same command to resume")
        return 130
    except BrokenPipeError:  # `presstrace export | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # e.g. export -o into a folder that does not exist
        error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return 1


def _run(args: argparse.Namespace) -> int:
    store = open_store(resolve_db(args.db))
    try:
        return COMMANDS[args.command](store, args)
    finally:
        store.close()


