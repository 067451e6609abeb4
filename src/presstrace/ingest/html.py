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
from presstrace.ingest.sanitize import MAX_HTML_CHARS
from presstrace.model import RawDocument

_INVISIBLE = ("script", "style", "noscript", "template", "head")


# libxml2 stops reading at 256 nested elements (and so does every later stage that parses the
# page); a tree this deep means the rest of the page was dropped, not that it had no text.
PARSER_DEPTH = 250


def _parse(content: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(
            content.encode("utf-8", "surrogatepass"),
            parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return None


def has_text(content: str) -> bool:
    """Whether a page shows any text outside <head>, scripts and styles. Truncated pages are fine
    (lxml recovers what is there); a page of nothing but markup has nothing to clean."""
    return no_text_reason(content) is None


def no_text_reason(content: str) -> str | None:
    """None when the page shows text, else why it has none to clean."""
    root = _parse(content)
    if root is None:
        return "no text in HTML"
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    if root.text_content().strip():
        return None
    deepest = max((sum(1 for _ in e.iterancestors()) for e in root.iter()), default=0)
    if deepest >= PARSER_DEPTH:
        return f"HTML nested over {PARSER_DEPTH} elements deep (parsers stop reading there)"
    return "no text in HTML"


def read_html(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    data = inp.read_all(options.max_bytes)
    if not data.strip():
        raise ReadError(f"empty {inp.noun}" if not data else "only whitespace (no text)")
    content = decode_html(data, transport=inp.charset)
    reason = no_text_reason(content[:MAX_HTML_CHARS])  # what is kept is what must have text
    if reason:
        raise ReadError(reason)
    yield RawDocument(
        id=sha256(data), source=inp.source, content=content, kind="html", hints=dict(inp.hints)
    )
