"""What every command module shares, so that a command is its arguments and its rendering:
how a message reaches the user, the paging options, the number types, and how an answer is
printed (JSON for programs with --json, text for a person otherwise)."""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Callable
from typing import Any


def error(message: str) -> None:
    """One line on stderr, `presstrace: ` first (the CLI's only error format)."""
    print(f"presstrace: {message}", file=sys.stderr)


def paging(p: argparse.ArgumentParser, limit: int, noun: str | None = None,
           offset: bool = True) -> argparse.ArgumentParser:  # fmt: skip
    """--limit (default `limit`), --offset and --json; said in --help when `noun` names what
    is listed."""
    p.add_argument("--limit", type=int, default=limit,
                   help=f"{noun} to list (default {limit})" if noun else None)  # fmt: skip
    if offset:
        p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print JSON for programs" if noun else None)
    return p


def listing(sub: Any, name: str, handler: Callable[..., int], *, item: str, item_help: str,
            limit: int, noun: str) -> argparse.ArgumentParser:  # fmt: skip
    """A command that lists things, or shows one when given its `item` (id, label). Its help
    is the handler's docstring, as click takes a command's: the first paragraph is the line
    `presstrace --help` shows, the rest the command's own --help description."""
    summary, _, description = inspect.cleandoc(handler.__doc__ or "").partition("\n\n")
    summary = " ".join(summary.split())
    p = sub.add_parser(name, help=summary, description=" ".join(description.split()) or summary)
    p.add_argument(item, nargs="?", help=item_help)
    return paging(p, limit, noun)


def emit(args: argparse.Namespace, data: Any, render: Callable[[Any], str],
         empty: str | None = None) -> int:  # fmt: skip
    """Print `data`: JSON with --json, else `render(data)`, or `empty` when there is nothing
    and it is given. Returns the exit code (0)."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(render(data) if data or empty is None else empty)
    return 0


def positive_int(text: str) -> int:
    """An argparse type for a count that must be at least 1 (--max-bytes 0 would refuse
    every input)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def fraction(text: str) -> float:
    """An argparse type for a share in (0, 1]."""
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 (excluded) and 1, got {text}")
    return number
