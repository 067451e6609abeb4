"""Plain-text articles: one file (or page, or stdin) is one document."""

from __future__ import annotations

from collections.abc import Iterator

from presstrace.ingest.decode import decode, mostly_control
from presstrace.ingest.errors import IngestFailure, ReadError
from presstrace.ingest.inputs import Input
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import sha256
from presstrace.model import RawDocument


def read_text(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    """The whole input as one text document; line endings become "\\n" so that the cleaners'
    paragraph splitting sees the same text whatever system wrote the file."""
    data = inp.read_all(options.max_bytes)
    if not data.strip():
        raise ReadError(f"empty {inp.noun}" if not data else "only whitespace (no text)")
    content = decode(data, declared=inp.charset)
    if mostly_control(content):
        raise ReadError("binary file (not text)")
    if not content.strip():
        raise ReadError("only whitespace (no text)")
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    yield RawDocument(
        id=sha256(data), source=inp.source, content=content, kind="text", hints=dict(inp.hints)
    )
