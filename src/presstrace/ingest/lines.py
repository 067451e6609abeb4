"""Line-by-line reading with bounded memory, for JSONL and CSV.

A 2 GB JSONL file must not be read whole, and neither may one runaway line (a file with no
newlines, an unterminated CSV quote): each line is read with a length cap.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

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
        yield from _lines(text, limit, "")
        return
    first = True
    for line in _lines(stream, limit, b""):
        if isinstance(line, LineTooLong):
            yield line
            continue
        if first and encoding == "utf-8-sig" or first and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        first = False
        yield line.decode("utf-8" if encoding == "utf-8-sig" else encoding, errors="replace")


def _lines(stream, limit: int, empty):  # type: ignore[no-untyped-def]
    newline = "\n" if isinstance(empty, str) else b"\n"
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(newline):
            size = len(line)
            while line and not line.endswith(newline):  # skip the rest of the runaway line
                line = stream.readline(1 << 20)
                size += len(line)
            yield LineTooLong(size)
            continue
        yield line
