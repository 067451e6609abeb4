"""From one container record (a JSON object, a CSV row) to a RawDocument.

Scrapers disagree on field names (news-please says `maintext` and `date_publish`, others
`body`, `published_at` or `pubDate`), so each field is looked up under its common names,
case-insensitively, and the name actually found is kept as the date's evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from presstrace.ingest.errors import IngestFailure
from presstrace.ingest.sniff import HTML_FIELDS, TEXT_FIELDS
from presstrace.model import RawDocument

TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link", "source_url", "canonical_url")
DATE_FIELDS = (
    "date", "published", "published_at", "pubdate", "date_publish", "publish_date",
    "publication_date", "datepublished", "published_date", "pub_date", "created_at",
)  # fmt: skip
AUTHOR_FIELDS = ("author", "authors", "byline")
LANGUAGE_FIELDS = ("language", "lang")
LOOKED_FOR = ", ".join(TEXT_FIELDS + HTML_FIELDS)

# Consecutive failed records, with nothing read yet, after which a container is given up:
# a file of the wrong shape should cost one line of output, not a million.
GIVE_UP_AFTER = 20

_HTML_MARKUP = re.compile(
    r"</?(p|div|br|span|a|h[1-6]|ul|li|html|body|article|section)[\s/>]", re.I
)


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()


def looks_like_html(value: str) -> bool:
    """A text field that holds markup (WordPress exports, some scrapers) is cleaned as HTML."""
    return len(_HTML_MARKUP.findall(value[:8192])) >= 2


def _as_text(value: Any) -> str | None:
    """A string from a field value: strings, lists of paragraphs, {"rendered": ...} objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    if isinstance(value, Mapping):
        for key in ("rendered", "text", "value", "html", "content", "name"):
            if key in value:
                return _as_text(value[key])
    return None


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_as_text(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return _as_text(value)


def find_field(record: Mapping[str, Any], names: Iterable[str]) -> tuple[str, Any] | None:
    """(actual key, value) of the first non-empty field among `names`, case-insensitively."""
    keys = {str(k).strip().lower(): k for k in record}
    for name in names:
        key = keys.get(name)
        if key is not None and record[key] not in (None, "", [], {}):
            return key, record[key]
    return None


def to_document(
    record: Mapping[str, Any], *, raw: bytes | str, source: str, n: int, origin: str
) -> RawDocument | IngestFailure:
    """`raw` is the record's own bytes (its id); `origin` names the container for evidence,
    e.g. "jsonl field"; failures name the record by `n` and are reported against the file,
    which is `source` without its "#n"."""
    container = source.rsplit("#", 1)[0]
    kind = "text"
    found = find_field(record, TEXT_FIELDS)
    if found is None:
        found = find_field(record, HTML_FIELDS)
        kind = "html"
    if found is None:
        present = [k for k in record if str(k).strip().lower() in TEXT_FIELDS + HTML_FIELDS]
        if present:
            return IngestFailure(container, f"record {n}: field '{present[0]}' is empty")
        return IngestFailure(container, f"record {n} has no text field (looked for {LOOKED_FOR})")
    key, value = found
    content = _as_text(value)
    if content is None:
        return IngestFailure(container, f"record {n}: field '{key}' is not text")
    if not content.strip():
        return IngestFailure(container, f"record {n}: field '{key}' is empty")
    if kind == "text" and looks_like_html(content):
        kind = "html"
    hints: dict[str, Any] = {}
    if title := find_field(record, TITLE_FIELDS):
        hints["title"] = _as_text(title[1])
    if url := find_field(record, URL_FIELDS):
        hints["url"] = _as_text(url[1])
    if date := find_field(record, DATE_FIELDS):
        value = date[1]
        hints["date"] = str(value) if isinstance(value, int | float) else _as_text(value)
        hints["date_evidence"] = f"{origin} '{date[0]}'"
    if author := find_field(record, AUTHOR_FIELDS):
        hints["author"] = _author(author[1])
    if language := find_field(record, LANGUAGE_FIELDS):
        hints["language"] = _as_text(language[1])
    hints = {k: v for k, v in hints.items() if v not in (None, "")}
    return RawDocument(id=sha256(raw), source=source, content=content, kind=kind, hints=hints)


def give_up_early(
    items: Iterable[RawDocument | IngestFailure], source: str
) -> Iterator[RawDocument | IngestFailure]:
    """Pass records through, but when the first GIVE_UP_AFTER all fail, report one line and stop
    (the file is not what its shape suggested); failures before the first success are held
    back only until it is clear which case this is."""
    held: list[IngestFailure] = []
    succeeded = False
    for item in items:
        if succeeded:
            yield item
        elif isinstance(item, IngestFailure):
            held.append(item)
            if len(held) >= GIVE_UP_AFTER:
                yield IngestFailure(
                    source,
                    f"stopped: the first {len(held)} records all failed ({held[0].reason})",
                )
                return
        else:
            succeeded = True
            yield from held
            yield item
    if not succeeded:
        yield from held
