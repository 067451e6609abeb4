"""Picks the reader for an input by sniffing its content, and turns anything that goes wrong
into an IngestFailure, so one bad input never stops a run."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator

from presstrace.ingest.csvfile import read_csv, read_tsv
from presstrace.ingest.errors import IngestFailure, ReadError, os_reason
from presstrace.ingest.feed import read_feed
from presstrace.ingest.gunzip import Gunzipped
from presstrace.ingest.html import read_html
from presstrace.ingest.inputs import Input
from presstrace.ingest.jsonfile import read_json, read_jsonl
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.sniff import sniff
from presstrace.ingest.text import read_text
from presstrace.ingest.warc import read_warc
from presstrace.model import RawDocument

Reader = Callable[[Input, IngestOptions], Iterator[RawDocument | IngestFailure]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "tsv": read_tsv,
    "feed": read_feed,
    "warc": read_warc,
}


def detect(inp: Input) -> str:
    """The format name of an input (see sniff.sniff)."""
    whole = inp.size is not None and inp.size <= len(inp.head)
    return sniff(inp.head, inp.name, inp.content_type, whole=whole)


def read_input(
    inp: Input, options: IngestOptions, *, depth: int = 0
) -> Iterator[RawDocument | IngestFailure]:
    """Every document of one input, and a failure for what could not be read."""
    try:
        kind = detect(inp)
        if kind == "empty":
            yield IngestFailure(inp.source, f"empty {inp.noun}")
        elif kind.startswith("binary:"):
            yield IngestFailure(inp.source, kind.removeprefix("binary:"))
        elif kind == "xml":
            yield IngestFailure(inp.source, "XML but not an RSS/Atom feed or XHTML page")
        elif kind == "gzip":
            yield from _gunzipped(inp, options, depth)
        else:
            yield from READERS[kind](inp, options)
    except ReadError as exc:
        yield IngestFailure(inp.source, exc.reason)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield IngestFailure(inp.source, f"corrupt or truncated gzip data ({exc})")
    except OSError as exc:
        yield IngestFailure(inp.source, os_reason(exc))
    except MemoryError:
        yield IngestFailure(inp.source, "out of memory reading it; lower --max-bytes")
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # a reader bug (or a Rust panic in a library, which is a
        # BaseException) must cost one input, not the run
        yield IngestFailure(inp.source, f"could not read ({type(exc).__name__}: {exc})")


def _gunzipped(
    inp: Input, options: IngestOptions, depth: int
) -> Iterator[RawDocument | IngestFailure]:
    """A gzip-compressed input (e.g. articles.jsonl.gz) is read as what it holds."""
    if depth:
        raise ReadError("gzip inside gzip (not supported)")
    name = inp.name[:-3] if inp.name.lower().endswith(".gz") else inp.name
    stream = Gunzipped(inp.stream())
    inner = Input(
        inp.source,
        io.BufferedReader(stream, buffer_size=1 << 16),
        name=name,
        charset=inp.charset,
        hints=inp.hints,
        noun=inp.noun,
    )
    with inner:
        if not inner.head and stream.problem():  # nothing inflated at all: one line says why
            raise ReadError(stream.problem().replace("; the records before it were read", ""))
        yield from read_input(inner, options, depth=depth + 1)
    problem = stream.problem()
    if problem:
        yield IngestFailure(inp.source, problem)
