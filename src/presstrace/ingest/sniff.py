"""Which reader an input needs, judged by its first bytes first and its name second.

Scrapers save HTML as .txt, JSONL as .json and feeds with no extension at all, so the content
decides whenever it is unambiguous; the extension (or an HTTP Content-Type) only settles the
cases the bytes cannot (CSV vs prose, an HTML fragment with few tags).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib

from presstrace.ingest.decode import binary_reason, bom_encoding

TEXT_FIELDS = ("text", "body", "content", "article", "maintext", "full_text", "fulltext")
HTML_FIELDS = ("html", "raw_html")

_HTML_START = re.compile(r"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(p|div|br|span|a|html|body|head|meta|title|article|section|header|footer|nav|main|"
    r"h[1-6]|ul|ol|li|table|tr|td|img|script|style|link|strong|em|b|i|figure|blockquote)"
    r"(\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_FEED = re.compile(r"<(rss|feed|rdf:RDF)[\s>]")
_JSONL_EXT = (".jsonl", ".ndjson", ".jsonlines", ".jl")
_EXT_KIND = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".rss": "feed", ".atom": "feed",
    ".json": "json",
    **dict.fromkeys(_JSONL_EXT, "jsonl"),
}  # fmt: skip
_TYPE_KIND = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/json": "json", "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl", "application/jsonlines": "jsonl",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/warc": "warc",
}  # fmt: skip
GZIP_MAGIC = b"\x1f\x8b"


def name_kind(name: str, content_type: str | None = None) -> str | None:
    """What the file name or the Content-Type says, if anything."""
    lowered = name.lower()
    if lowered.endswith((".warc", ".warc.gz", ".arc")):
        return "warc"
    for ext, kind in _EXT_KIND.items():
        if lowered.endswith(ext):
            return kind
    if content_type:
        return _TYPE_KIND.get(content_type.split(";")[0].strip().lower())
    return None


def sniff(
    head: bytes, name: str = "", content_type: str | None = None, *, whole: bool = False
) -> str:
    """One of: empty, binary:<reason>, gzip, warc, feed, html, json, jsonl, csv, tsv, xml, text.

    `head` is the first bytes of the input; `whole` says it is the entire input.
    """
    if not head:
        return "empty"
    if head.startswith(GZIP_MAGIC):
        inner = _gunzip_head(head)
        return "warc" if inner.lstrip().startswith(b"WARC/") else "gzip"
    if head.lstrip().startswith(b"WARC/"):
        return "warc"  # before the binary check: archives hold images and compressed bodies
    reason = binary_reason(head)
    if reason:
        return "binary:" + reason
    text = head_text(head).lstrip("\ufeff \t\r\n")
    hinted = name_kind(name, content_type)
    if text.startswith(("WARC/1.", "WARC/0.")):
        return "warc"
    if text.startswith("<"):
        lowered = text[:65536].lower()
        if text.startswith("<?xml") or _FEED.search(text[:4096]):
            if _FEED.search(text):
                return "feed"
            if "<html" in lowered:
                return "html"
            return "html" if hinted == "html" else "xml"
        if _HTML_START.search(text[:4096]) or _HTML_TAG.match(text) or hinted == "html":
            return "html"
    if text[:1] in "{[" and text and _json_start(text):
        return _json_kind(text, hinted, whole)
    if hinted in ("csv", "tsv", "json", "jsonl"):
        return hinted  # content did not say otherwise: trust the extension
    if hinted == "html" or len(_HTML_TAG.findall(text[:16384])) >= 5:
        return "html"
    if _looks_like_csv(text, whole):
        return "csv"
    return "text"


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 4096)
    except zlib.error:
        return b""


def head_text(head: bytes) -> str:
    bom = bom_encoding(head)
    if bom in ("utf-16", "utf-32"):
        # cut to whole code units; a split surrogate at the end is replaced, which is harmless
        unit = 2 if bom == "utf-16" else 4
        return head[: len(head) - len(head) % unit].decode(bom, errors="replace")
    return head.decode("utf-8", errors="replace")


def _json_start(text: str) -> bool:
    """Whether text opening with '{' or '[' is JSON, so that '[ad_1]' or '[1] A footnote' stay
    text: an array must hold objects, or be complete JSON within the head."""
    rest = text[1:].lstrip()
    if text[0] == "{":
        return rest[:1] in ('"', "}")
    if rest[:1] == "{":
        return True
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _complete_lines(text: str, whole: bool, n: int) -> list[str]:
    lines = text.splitlines(keepends=True)
    if not whole and lines and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]  # cut off by the end of the head
    return [line.strip() for line in lines[:n] if line.strip()]


def _json_kind(text: str, hinted: str | None, whole: bool) -> str:
    """JSONL when several of the first lines are objects on their own, else one JSON value."""
    if hinted == "jsonl":
        return "jsonl"
    if text[0] == "[":
        return "json"
    lines = _complete_lines(text, whole, 8)
    if not lines:
        return "jsonl"  # the first line outruns the head: JSONL with long lines, or one object
    return "jsonl" if sum(1 for line in lines if _is_object(line)) >= 2 else "json"


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _looks_like_csv(text: str, whole: bool) -> bool:
    """A header naming a text column, and rows with as many fields as the header."""
    lines = text.splitlines(keepends=True)[:20]
    if not whole and lines and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]
    if len(lines) < 2:
        return False
    sample = "".join(lines)
    for delimiter in (",", "\t", ";", "|"):
        header = [c.strip().strip("\"'").lower() for c in lines[0].split(delimiter)]
        if len(header) < 2 or max(map(len, header)) > 40:
            continue
        if not any(c in TEXT_FIELDS + HTML_FIELDS for c in header):
            continue
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        body = rows[1:-1] if not whole else rows[1:]  # the last row may be cut by the head
        if len(body) >= 2 and all(len(row) == len(header) for row in body):
            return True
    return False
