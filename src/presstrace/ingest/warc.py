"""WARC archives (.warc, .warc.gz, and WET text conversions): one document per HTML or text
response, read record by record with fastwarc.

A crawl holds much that is not an article (redirects, errors, images, scripts, robots.txt):
those records are skipped silently; what is reported are records that are damaged
(truncated, corrupt, undecodable) and an archive in which nothing readable was found.
"""

from __future__ import annotations

import http.client
import io
import zlib
from collections.abc import Iterator
from typing import Any

from fastwarc.warc import ArchiveIterator, WarcRecordType

from presstrace.ingest.decode import decode, decode_html, mostly_control, normalise_encoding
from presstrace.ingest.errors import IngestFailure, ReadError, size_text
from presstrace.ingest.html import has_text
from presstrace.ingest.inputs import Input
from presstrace.ingest.options import IngestOptions
from presstrace.ingest.records import sha256
from presstrace.ingest.sanitize import MAX_HTML_CHARS
from presstrace.ingest.sniff import sniff
from presstrace.model import RawDocument

_WANTED = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Skip(Exception):
    """A record that is fine but not an article."""


def read_warc(inp: Input, options: IngestOptions) -> Iterator[RawDocument | IngestFailure]:
    records = ArchiveIterator(inp.seekable_stream(), record_types=WarcRecordType.any_type,
                              parse_http=False, fsspec_args=False)  # fmt: skip
    n = taken = failed = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except OSError as exc:  # fastwarc: "Invalid WARC header", gzip errors
            raise ReadError(f"corrupt WARC at record {n + 1}: {exc}") from None
        n += 1
        if not record.headers.get("WARC-Type"):  # mandatory in every record
            raise ReadError(f"corrupt WARC at record {n}: Invalid WARC header")
        if not record.record_type & _WANTED:
            continue
        try:
            doc = _document(record, inp, n, options)
        except _Skip:
            continue
        except ReadError as exc:
            failed += 1
            yield IngestFailure(inp.source, f"record {n}: {exc.reason}")
            continue
        taken += 1
        yield doc
    if n == 0:
        raise ReadError("no WARC records found")
    if not taken and not failed:
        raise ReadError(f"no HTML or text responses in WARC ({n} records skipped)")


def _document(record: Any, inp: Input, n: int, options: IngestOptions) -> RawDocument:
    declared = record.headers.get("Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise ReadError("truncated WARC record (header cut off)")
    if int(declared) > options.max_bytes:
        raise ReadError(
            f"too large ({size_text(int(declared))} > {size_text(options.max_bytes)} limit)"
        )
    block = record.reader.read()
    if len(block) < int(declared):
        raise ReadError(f"truncated WARC record ({len(block)} of {declared} bytes)")
    warc_type = record.headers.get("Content-Type") or ""
    if record.record_type == WarcRecordType.response and "application/http" in warc_type:
        content_type, payload, stored = _http_payload(block, options.max_bytes)
    else:
        content_type, payload, stored = warc_type, block, block
    kind = _kind(content_type, payload)
    charset = _charset(content_type)
    content = (
        decode_html(payload, transport=charset)
        if kind == "html"
        else decode(payload, declared=charset)
    )
    if not content.strip() or mostly_control(content):
        raise _Skip
    if kind == "html" and not has_text(content[:MAX_HTML_CHARS]):
        raise _Skip
    hints: dict[str, Any] = {}
    url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")
    if url:
        hints["url"] = url
    date = record.headers.get("WARC-Date")
    if date:
        # when the page was crawled, not published: only an upper bound for the meta stage,
        # and kept apart from "date" so the page's own metadata date is not overwritten
        hints["crawl_date"] = date.strip()
    return RawDocument(
        id=sha256(stored), source=f"{inp.source}#{n}", content=content, kind=kind, hints=hints
    )


def _http_payload(block: bytes, limit: int) -> tuple[str, bytes, bytes]:
    """(Content-Type, decoded body, body as stored) of an HTTP response; non-2xx is skipped.
    A compressed body is inflated to at most `limit` bytes (a 200 KB gzip bomb inflates to
    gigabytes): over it, the record fails."""
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end, sep = block.find(b"\n\n"), 2
    if end < 0:
        raise ReadError("HTTP headers not terminated (truncated record?)")
    status_line, _, header_bytes = block[:end].partition(b"\n")
    parts = status_line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise ReadError("not an HTTP response")
    if not 200 <= int(parts[1]) < 300:
        raise _Skip
    headers = http.client.parse_headers(io.BytesIO(header_bytes + b"\r\n"))
    stored = block[end + sep :]
    body = stored
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        body = _dechunk(body)
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            inflater = zlib.decompressobj(wbits=47 if "gzip" in encoding else 15)
            body = inflater.decompress(body, limit + 1)
        except zlib.error as exc:
            raise ReadError(f"could not decompress {encoding} body: {exc}") from None
        if len(body) > limit:
            raise ReadError(
                f"{encoding} body inflates to over the {size_text(limit)} limit "
                "(a compression bomb?)"
            )
    elif encoding not in ("", "identity"):
        raise ReadError(f"{encoding}-compressed body (not supported)")
    return headers.get("Content-Type") or "", body, stored


def _dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer coding; a body that is not really chunked is kept as is."""
    out, pos = [], 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            return b"".join(out) if out else body
        try:
            size = int(body[pos:eol].split(b";")[0], 16)
        except ValueError:
            return body if not out else b"".join(out)
        if size == 0:
            return b"".join(out)
        out.append(body[eol + 2 : eol + 2 + size])
        pos = eol + 2 + size + 2


def _kind(content_type: str, payload: bytes) -> str:
    mime = content_type.split(";")[0].strip().lower()
    if mime in _HTML_TYPES:
        return "html"
    if mime == "text/plain":
        return "text"
    if mime in ("", "application/octet-stream", "text/x-unknown", "unknown"):
        found = sniff(payload[:65536], whole=len(payload) <= 65536)
        if found in ("html", "text"):
            return found
    raise _Skip


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return normalise_encoding(value)
    return None
