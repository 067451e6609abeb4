"""Line-by-line reading with bounded memory, for JSONL and CSV.

A 2 GB JSONL file must not be read whole, and neither may one runaway line (a file with no
newlines, an unterminated CSV quote): each line is read with a length cap.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from typing import AnyStr, BinaryIO

# Encodings whose newline byte is b"\n" and never part of another character: lines can be split
# on bytes and decoded one by one (shift_jis, gbk, euc-* and all single-byte codecs qualify).
_NEEDS_TEXT_SPLIT = ("utf-16", "utf-32")


class LineTooLong:
    """Stands in for a line longer than the limit (its bytes were skipped, not kept)."""

    def __init__(self, size: int) -> None:
        self.size = size


def read_lines(stream: BinaryIO, encoding: str, limit: int) -> Iterator[str | LineTooLong]:
    """Decoded lines, newline kept; a line over `limit` bytes yields LineTooLong instead."""
    if encoding.startswith(_NEEDS_TEXT_SPLIT):
        text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
        yield from _capped(text.readline, limit, "\n")
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, line in enumerate(_capped(stream.readline, limit, b"\n")):
        if isinstance(line, LineTooLong):
            yield line
            continue
        if number == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        yield line.decode(codec, errors="replace")


def _capped(
    readline: Callable[[int], AnyStr], limit: int, newline: AnyStr
) -> Iterator[AnyStr | LineTooLong]:
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(newline):
            size = len(line)
            while line and not line.endswith(newline):  # skip the rest of the runaway line
                line = readline(1 << 20)
                size += len(line)
            yield LineTooLong(size)
            continue
        yield line
