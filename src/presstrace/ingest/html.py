"""HTML pages: one file (or fetched page) is one document, decoded as a browser would."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree
import lxml.html

from presstrace.ingest.decode import decode_html
from presstrace.ingest.errors import IngestFailure, ReadError
from presstrace.ingest.inputs import Input
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import sha256
from presstrace.model import RawDocument

_INVISIBLE = ("script", "style", "noscript", "template", "head")


def has_text(content: str) -> bool:
    """Whether a page shows any text outside <head>, scripts and styles. Truncated pages are fine
    (lxml recovers what is there); a page of nothing but markup has nothing to clean."""
    try:
        root = lxml.html.document_fromstring(
            content.encode("utf-8", "surrogatepass"),
            parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return False
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    return bool(root.text_content().strip())


def read_html(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    data = inp.read_all(options.max_bytes)
    if not data.strip():
        raise ReadError(f"empty {inp.noun}" if not data else "only whitespace (no text)")
    content = decode_html(data, transport=inp.charset)
    if not has_text(content):
        raise ReadError("no text in HTML")
    yield RawDocument(
        id=sha256(data), source=inp.source, content=content, kind="html", hints=dict(inp.hints)
    )
