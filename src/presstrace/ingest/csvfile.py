"""CSV and TSV exports: a header row naming the columns, one article per row.

Rows are read one at a time from length-capped lines, and the field size limit is the
per-article limit, so an unterminated quote cannot swallow a 2 GB file into memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from presstrace.ingest.decode import stream_encoding
from presstrace.ingest.errors import IngestFailure, ReadError, size_text
from presstrace.ingest.inputs import Input
from presstrace.ingest.lines import LineTooLong, read_lines
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import LOOKED_FOR, give_up_early, to_document
from presstrace.ingest.sniff import HTML_FIELDS, TEXT_FIELDS, head_text
from presstrace.model import RawDocument


class _Runaway(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Capture:
    """Feeds lines to csv.reader and remembers which lines made the current row (its bytes are
    the record's id) and whether the file ended inside it."""

    def __init__(self, lines: Iterator[str | LineTooLong]) -> None:
        self._lines = lines
        self.taken: list[str] = []
        self.line = 0
        self.ended = False

    def __iter__(self) -> _Capture:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._lines)
        except StopIteration:
            self.ended = True
            raise
        self.line += 1
        if isinstance(line, LineTooLong):
            raise _Runaway(self.line)
        self.taken.append(line)
        return line


def _short(name: str) -> str:
    """A column name as a message shows it: a header of one 10,000-character cell is cut."""
    return name if len(name) <= 40 else name[:39] + "…"


def _delimiter(inp: Input, tab: bool) -> str:
    """The delimiter that splits the header into names including a text column; csv.Sniffer
    only as a fallback, since prose full of commas and semicolons easily fools it."""
    if tab:
        return "\t"
    text = head_text(inp.head).lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    for delimiter in (",", "\t", ";", "|"):
        names = next(csv.reader([first], delimiter=delimiter), [])
        if any(name.strip().lower() in TEXT_FIELDS + HTML_FIELDS for name in names):
            return delimiter
    try:
        return csv.Sniffer().sniff(text[:16384], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv(
    inp: Input, options: IngestOptions, *, tab: bool = False
) -> Iterator[RawDocument | IngestFailure]:
    yield from give_up_early(_rows(inp, options, tab), inp.source)


def read_tsv(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    yield from read_csv(inp, options, tab=True)


def _rows(inp: Input, options: IngestOptions, tab: bool) -> Iterator[RawDocument | IngestFailure]:
    csv.field_size_limit(max(options.max_bytes, 1))
    encoding = stream_encoding(inp.head, inp.charset)
    lines = _Capture(read_lines(inp.stream(), encoding, options.max_bytes))
    reader = csv.reader(lines, delimiter=_delimiter(inp, tab))
    try:
        header = [h.strip() for h in next(reader)]
        while not any(header):  # blank lines before the header
            header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ReadError("only whitespace (no rows)") from None
    except (csv.Error, _Runaway):
        raise ReadError("header row is not readable CSV") from None
    wanted = {h.lower() for h in header}
    if not wanted & set(TEXT_FIELDS + HTML_FIELDS):
        found = ", ".join(_short(h) for h in header[:12]) + (", …" if len(header) > 12 else "")
        raise ReadError(f"no text column (looked for {LOOKED_FOR}; columns are: {found})")
    n = 0
    blank = False
    while True:
        lines.taken.clear()
        start = lines.line + 1
        try:
            row = next(reader)
        except StopIteration:
            if n == 0:
                raise ReadError(
                    "no records (every row is empty)" if blank else "no rows after the header"
                ) from None
            return
        except _Runaway as exc:
            raise ReadError(
                f"line {exc.line} too large (over the {size_text(options.max_bytes)} limit); "
                "stopped reading"
            ) from None
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise ReadError(
                    f"record {n + 1} (from line {start}) has a field over the "
                    f"{size_text(options.max_bytes)} limit (an unterminated quote?); "
                    "stopped reading"
                ) from None
            raise ReadError(f"invalid CSV at line {lines.line}: {exc}") from None
        if not row or not any(cell.strip() for cell in row):
            blank = True
            continue
        n += 1
        raw = "".join(lines.taken)
        if lines.ended and raw.count('"') % 2:
            yield IngestFailure(
                inp.source,
                f"truncated CSV: record {n} (from line {start}) has an unterminated quote",
            )
            return
        record = dict(zip(header, row, strict=False))
        yield to_document(
            record, raw=raw.rstrip("\r\n"), source=f"{inp.source}#{n}", n=n, origin="csv column"
        )
