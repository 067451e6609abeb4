"""RSS and Atom feed files (or fetched feeds): one document per entry, via feedparser.

A feed is parsed whole (feedparser has no streaming mode), so it is bounded by max_bytes like a
single page; real feeds are kilobytes to a few MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import feedparser

from presstrace.ingest.errors import IngestFailure, ReadError
from presstrace.ingest.inputs import Input
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import sha256
from presstrace.model import RawDocument

_MARKUP = re.compile(r"<[a-zA-Z/][^<>]*>")
# A numeric character reference, as bytes: feedparser turns each into a character with
# chr(n).encode("utf-8"), which raises on a surrogate (&#xD800;) and ends the whole feed.
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _safe_charref(match: re.Match[bytes]) -> bytes:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return b"&#xFFFD;"
    return match.group()


def _body(entry: Any) -> tuple[str, str] | None:
    """(content, kind) from the entry's full content, else its summary. RSS calls every
    <description> text/html, so markup decides the kind, not the declared type."""
    candidates = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if candidates:
        best = max(candidates, key=lambda c: len(c["value"]))
        value, declared = best["value"], best.get("type", "")
    elif (entry.get("summary") or "").strip():
        value = entry["summary"]
        declared = (entry.get("summary_detail") or {}).get("type", "")
    else:
        return None
    html = "html" in declared and bool(_MARKUP.search(value))
    return value, "html" if html else "text"


def read_feed(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    data = _CHARREF.sub(_safe_charref, inp.read_all(options.max_bytes))
    parsed = feedparser.parse(data, response_headers=_headers(inp))
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise ReadError(f"invalid feed: {parsed.get('bozo_exception')}")
        raise ReadError("feed has no entries")
    rss = str(parsed.get("version", "")).startswith("rss")
    language = (parsed.get("feed") or {}).get("language")
    for n, entry in enumerate(entries, 1):
        body = _body(entry)
        if body is None:
            yield IngestFailure(inp.source, f"entry {n} has no content or summary")
            continue
        content, kind = body
        hints: dict[str, Any] = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "author": entry.get("author"),
            "language": language,
        }
        for key in ("published", "updated", "created"):
            if entry.get(key):
                hints["date"] = entry[key]
                tag = "pubDate" if rss and key == "published" else key
                hints["date_evidence"] = f"feed <{tag}>"
                break
        yield RawDocument(
            id=sha256(content),
            source=f"{inp.source}#{n}",
            content=content,
            kind=kind,
            hints={k: v for k, v in hints.items() if v not in (None, "")},
        )


def _headers(inp: Input) -> dict[str, str]:
    """The HTTP Content-Type, so feedparser honours a charset the server declared."""
    if inp.content_type:
        return {"content-type": inp.content_type}
    return {}
