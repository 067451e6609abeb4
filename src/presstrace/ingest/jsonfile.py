"""JSON and JSON Lines: a list of article objects, one object, or one object per line.

JSONL is read line by line and a top-level JSON array element by element, so a 2 GB export
costs the memory of its largest record, not of the file. A bad line in JSONL is one failure and
the good lines are still taken; a JSON array cannot be resynchronised after a syntax error, so
the records before it are kept and the rest is reported once.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

from presstrace.ingest.decode import stream_encoding
from presstrace.ingest.errors import IngestFailure, ReadError, size_text
from presstrace.ingest.inputs import Input
from presstrace.ingest.lines import LineTooLong, read_lines
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import (
    LOOKED_FOR,
    find_field,
    give_up_early,
    to_document,
)
from presstrace.ingest.sniff import HTML_FIELDS, TEXT_FIELDS, head_text
from presstrace.model import RawDocument

# Keys under which exports wrap their list of articles: {"articles": [...]}.
WRAPPER_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "documents",
    "docs",
    "entries",
    "posts",
    "records",
    "news",
    "stories",
)
CHUNK = 1 << 20
_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


def read_jsonl(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    """One record per line; records are named `{source}#{line number}`."""
    yield from give_up_early(_jsonl_records(inp, options), inp.source)


def _jsonl_records(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    encoding = stream_encoding(inp.head, inp.charset)
    seen = False
    for number, line in enumerate(read_lines(inp.stream(), encoding, options.max_bytes), 1):
        if isinstance(line, LineTooLong):
            seen = True
            yield IngestFailure(
                inp.source,
                f"line {number} too large ({size_text(line.size)} > "
                f"{size_text(options.max_bytes)} limit)",
            )
            continue
        text = line.strip()
        if not text:
            continue
        seen = True
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield IngestFailure(inp.source, f"invalid JSON at line {number}: {exc.msg}")
            continue
        except (ValueError, RecursionError) as exc:
            yield IngestFailure(inp.source, f"line {number}: {_unreadable(exc)}")
            continue
        if not isinstance(record, dict):
            yield IngestFailure(
                inp.source, f"line {number} is a JSON {_type_name(record)}, not an object"
            )
            continue
        yield to_document(
            record, raw=text, source=f"{inp.source}#{number}", n=number, origin="jsonl field"
        )
    if not seen:
        raise ReadError("only whitespace (no records)")


def read_json(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    """A top-level array is streamed element by element; an object is one article (its id the
    file's bytes, its source the file itself) or a wrapper holding the list of articles."""
    encoding = stream_encoding(inp.head, inp.charset)
    if head_text(inp.head).lstrip("\ufeff" + _WS).startswith("["):
        text = io.TextIOWrapper(inp.stream(), encoding=encoding, errors="replace")
        line = 1
        while (char := text.read(1)) not in ("[", ""):
            line += char == "\n"
        yield from give_up_early(_array(inp, text, options, line), inp.source)
        return
    data = inp.read_all(options.max_bytes)
    try:
        value = json.loads(data.decode(encoding, errors="replace"))
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise ReadError(_unreadable(exc)) from None
    if not isinstance(value, dict):
        raise ReadError(f"JSON holds a {_type_name(value)}, not an object or a list of objects")
    if find_field(value, TEXT_FIELDS + HTML_FIELDS) is None:
        wrapped = find_field(value, WRAPPER_KEYS)
        if wrapped and isinstance(wrapped[1], list):
            if not wrapped[1]:
                raise ReadError(f"'{wrapped[0]}' is an empty list (no records)")
            for n, item in enumerate(wrapped[1], 1):
                yield _element(inp, item, n, json.dumps(item, ensure_ascii=False, sort_keys=True))
            return
        for key in value:
            if str(key).strip().lower() in WRAPPER_KEYS and value[key] == []:
                raise ReadError(f"'{key}' is an empty list (no records)")
        keys = ", ".join(str(k)[:40] for k in list(value)[:12]) or "none"
        raise ReadError(f"no text field (looked for {LOOKED_FOR}; it has: {keys})")
    doc = to_document(value, raw=data, source=inp.source, n=1, origin="json field")
    if isinstance(doc, IngestFailure):
        raise ReadError(doc.reason.removeprefix("record 1: "))
    yield doc


def _element(inp: Input, item: Any, n: int, raw: str) -> RawDocument | IngestFailure:
    if not isinstance(item, dict):
        return IngestFailure(inp.source, f"record {n} is a JSON {_type_name(item)}, not an object")
    return to_document(item, raw=raw, source=f"{inp.source}#{n}", n=n, origin="json field")


def _array(
    inp: Input, text: io.TextIOWrapper, options: IngestOptions, line: int
) -> Iterator[RawDocument | IngestFailure]:
    """Elements of a top-level array, parsed incrementally from a sliding buffer.

    `line` counts the newlines already dropped from the buffer, so errors name the file's line.
    """
    buf, pos, eof = "", 0, False
    want = CHUNK

    def more() -> bool:
        nonlocal buf, eof
        chunk = text.read(want)
        eof = not chunk
        buf += chunk
        return bool(chunk)

    def skip_ws() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            if pos < len(buf) or not more():
                return buf[pos] if pos < len(buf) else ""

    def error(msg: str, at: int) -> ReadError:
        return ReadError(f"invalid JSON at line {line + buf.count(chr(10), 0, at)}: {msg}")

    n = 0
    if skip_ws() == "]":
        raise ReadError("empty JSON array (no records)")
    while True:
        if skip_ws() == "":
            raise error("Expecting value", pos)
        end = value_end(buf, pos)
        if end is None:  # the element runs past what is held: read on, or it is cut off
            if len(buf) - pos > options.max_bytes:
                raise ReadError(
                    f"record {n + 1} too large (over the {size_text(options.max_bytes)} limit)"
                )
            if not eof:
                want = max(CHUNK, len(buf) - pos)  # double what is held: linear, not quadratic
                more()
                want = CHUNK
                continue
            end = len(buf)
        n += 1
        where = f"record {n} (line {line + buf.count(chr(10), 0, pos)})"
        if end - pos > options.max_bytes:
            yield IngestFailure(
                inp.source,
                f"{where} too large ({size_text(end - pos)} > {size_text(options.max_bytes)} "
                "limit)",
            )
        else:
            try:
                element = buf[pos:end]
                item, stop = _DECODER.raw_decode(element)
                if stop != len(element):
                    raise json.JSONDecodeError("Extra data", element, stop)
            except json.JSONDecodeError as exc:
                if end == len(buf) and eof:  # the file ends inside this element
                    raise error(exc.msg, pos + exc.pos) from None
                yield IngestFailure(inp.source, f"{where}: invalid JSON ({exc.msg})")
            except (ValueError, RecursionError) as exc:
                yield IngestFailure(inp.source, f"{where}: {_unreadable(exc)}")
            else:
                yield _element(inp, item, n, buf[pos:end])
        pos = end
        after = skip_ws()
        if after == ",":
            pos += 1
        elif after == "]":
            pos += 1
            if skip_ws():
                raise error("Extra data", pos)
            return
        else:
            raise error("Expecting ',' delimiter" if after else "Expecting ',' or ']'", pos)
        if pos > CHUNK:  # drop what was consumed, counting its lines
            line += buf.count("\n", 0, pos)
            buf, pos = buf[pos:], 0


# Characters that can end a scalar (number, true, false, null) in an array.
_SCALAR_END = re.compile(r"[\s,\]}]")
# What matters inside a container: a quote (a string starts) or a bracket.
_STRUCTURE = re.compile(r'["\[\]{}]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def value_end(buf: str, pos: int) -> int | None:
    """Where the JSON value starting at `pos` ends, found by matching quotes and brackets
    without building anything, or None when it runs past the end of `buf`.

    Lets a bad element (a 5,000-digit number, 1,000 nested lists, a syntax error inside one
    object) cost one failure while the array goes on, and an element be measured against
    max_bytes before it is decoded. Regular expressions jump over string contents, so this
    stays fast on text-heavy records."""
    first = buf[pos]
    if first == '"':
        match = _STRING_REST.match(buf, pos + 1)
        return match.end() if match else None
    if first not in "[{":
        match = _SCALAR_END.search(buf, pos)
        return match.start() if match else None
    depth, at = 0, pos
    while True:
        match = _STRUCTURE.search(buf, at)
        if match is None:
            return None
        char = match.group()
        if char == '"':
            string = _STRING_REST.match(buf, match.end())
            if string is None:
                return None
            at = string.end()
            continue
        depth += 1 if char in "[{" else -1
        at = match.end()
        if depth == 0:
            return at


def _unreadable(exc: BaseException) -> str:
    """The reason for a record Python's JSON parser refuses although it is valid JSON."""
    if isinstance(exc, RecursionError):
        return "nested too deep to read"
    if "digits" in str(exc):
        return "holds an integer too long to read (over 4,300 digits)"
    return f"unreadable JSON ({exc})"


def _type_name(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )
