"""HTML pages: main text through trafilatura, page metadata, and what was left outside.

trafilatura finds the article in the DOM far better than any line classifier can on the
flattened text (it sees the markup), so the HTML path trusts it for the body, keeps its
metadata (title, date via htmldate, site name, author), and records the page's other
visible lines as removed so that later stages can still read a masthead or a copyright line.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from presstrace.clean.flight import flight_html
from presstrace.clean.lines import JA_SENTENCE_ENDS
from presstrace.clean.repair import repair_text
from presstrace.clean.repeats import drop_repeats
from presstrace.model import CleanResult, Removed

# Options chosen on the dev set's tuning half (bench/clean_eval.py): comments are not the
# article (F1 0.928 -> 0.930 tuning, 0.920 -> 0.941 held out); favor_precision/recall and
# deduplicate did not help.
EXTRACT_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True}

# The page's other visible lines are kept as evidence, but compactly: a news page has
# hundreds of menu, footer and related-link lines, several times the article's own size,
# and storing them all per document would dominate the store. The head (masthead, section,
# byline, date) and the tail (copyright, "About us") carry the outlet evidence; the middle
# is mostly repeated navigation. So: each distinct line once, the first HEAD_LINES and the
# last TAIL_LINES of them, at most MAX_REMOVED_CHARS in all.
HEAD_LINES = 150
TAIL_LINES = 50
MAX_REMOVED_CHARS = 20_000

_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
    "figure", "figcaption", "form", "pre", "dd", "dt", "dl", "option", "button", "address",
    "hr", "body",
}  # fmt: skip
_SPACE = re.compile(r"\s+")

# Where a page states its own publication date, most explicit first.
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "publishdate", "publish-date", "pubdate", "publication_date",
    "sailthru.date", "parsely-pub-date", "dc.date", "dc.date.issued", "dcterms.created",
    "dcterms.date", "citation_publication_date", "date", "article.published",
    "cxenseparse:recs:publishtime",
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
)  # fmt: skip
_URL_DATE = re.compile(r"/(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:/|\b)")


def clean_html(html: str, url: str | None = None) -> CleanResult:
    """Main text, title and metadata of an HTML page; the rest of the page as removed."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **EXTRACT_OPTIONS)
    text = (doc.text if doc is not None else None) or ""
    title = _strip_site(_clean(doc.title), _clean(doc.sitename)) if doc is not None else None
    body, repeats = _body(text, title)
    if not body and (inner := flight_html(html)) is not None:
        # the article only in a Next.js page's flight data (clean/flight.py)
        flight = trafilatura.bare_extraction(inner, url=url, **EXTRACT_OPTIONS)
        if flight is not None and flight.text:
            body, more = _body(flight.text, title)
            repeats += more
    tree = parse_html(html)
    metadata = _metadata(doc, tree, url)
    outside, omitted = _outside_lines(tree, "\n".join(body), title)
    if omitted:
        metadata["removed_lines_omitted"] = omitted
    return CleanResult(
        title=title or None,
        text="\n\n".join(body),
        removed=[Removed(line, "html-outside-main") for line in outside] + repeats,
        metadata=metadata,
    )


def _body(text: str, title: str | None) -> tuple[list[str], list[Removed]]:
    """The article's paragraphs of an extracted text, and what was dropped from it."""
    paragraphs = [p for p in (_clean(line) for line in text.split("\n")) if p]
    body, repeats = drop_repeats(paragraphs, title)
    if not any(_is_prose(p) for p in body):
        # trafilatura falls back to whatever text a page has; a page of menu items and
        # link labels has no article, and storing it as one would pollute the corpus
        return [], [Removed(p, "no-prose") for p in body] + repeats
    return body, repeats


_TERMINAL = re.compile(r"[.!?…。！？؟।][\"'”’)\]」』）»]*$")
# Scripts written without spaces between words (Chinese, Japanese kana, Thai): there, two
# characters count as one word, as in clean/lines.py; otherwise a whole Japanese paragraph is
# "one word" and every Chinese or Japanese article was refused as having no prose.
_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _word_count(paragraph: str) -> int:
    tokens = paragraph.split()
    unspaced = len(_UNSPACED.findall(paragraph))
    if not unspaced:
        return len(tokens)
    return len(tokens) + max(0, unspaced // 2 - sum(1 for t in tokens if _UNSPACED.search(t)))


def _is_prose(paragraph: str) -> bool:
    """A sentence, not a label: six words ending like a sentence, or twelve words."""
    words = _word_count(paragraph)
    ends = bool(_TERMINAL.search(paragraph)) or paragraph.endswith(JA_SENTENCE_ENDS)
    return words >= 12 or (words >= 6 and ends)


def _clean(text: str | None) -> str:
    """Repaired (ftfy), whitespace collapsed. Repair runs on extracted strings, not on the
    page: ftfy over a whole 100 KB page costs about 80 ms, over its text well under 1 ms."""
    return _SPACE.sub(" ", repair_text(text or "")).strip()


def _strip_site(title: str, sitename: str) -> str:
    """ "Headline - The Planetary Press" -> "Headline": the site name is not the headline."""
    if sitename and title.lower().endswith(sitename.lower()):
        head = title[: -len(sitename)].rstrip()
        if head and head[-1] in "-–—|:·•" and len(head) > 10:
            return head[:-1].rstrip()
    return title


# The text is already decoded: the parser must read the UTF-8 bytes we hand it as UTF-8, not
# as the page's own <meta charset> (a Russian page declaring windows-1251 became mojibake,
# a GB2312 one came out empty).
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html.encode("utf-8", errors="replace"), parser=_UTF8_PARSER)
    except (ValueError, lxml.etree.ParserError):
        return None


# -- metadata ------------------------------------------------------------------------------


def _metadata(doc: Any, tree: lxml.html.HtmlElement | None, url: str | None) -> dict[str, Any]:
    """title, date (ISO), date_evidence, sitename, author, url, description."""

    def field(name: str) -> str | None:
        return _clean(getattr(doc, name, None)) or None

    date = field("date")
    if date and not re.match(r"\d{4}-\d{2}-\d{2}", date):
        date = None
    date = date[:10] if date else None
    page_url = field("url") or url
    return {
        "title": field("title"),
        "date": date,
        "date_evidence": _date_evidence(tree, date, page_url) if date else None,
        "sitename": field("sitename"),
        "author": field("author"),
        "url": page_url,
        "description": field("description"),
    }


def _date_evidence(tree: lxml.html.HtmlElement | None, date: str, url: str | None) -> str:
    """Say where the page states `date`: a meta tag, JSON-LD, a <time> element, the URL;
    otherwise it was htmldate's reading of the page text."""
    if tree is not None:
        found = _meta_date(tree, date) or _jsonld_date(tree, date) or _time_date(tree, date)
        if found:
            return found
    m = _URL_DATE.search(url or "")
    if m and "-".join((m[1], m[2].zfill(2), m[3].zfill(2))) == date:
        return f"url: {url}"
    return "htmldate: page text"


def _meta_date(tree: lxml.html.HtmlElement, date: str) -> str | None:
    metas: dict[str, tuple[str, str]] = {}
    for meta in tree.iter("meta"):
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            content = (meta.get("content") or "").strip()
            if key and content and key not in metas:
                metas[key] = (attr, content)
    for key in _DATE_META:
        if key in metas and date in metas[key][1]:
            attr, content = metas[key]
            return f'meta[{attr}="{key}"] = {content}'
    return None


def _jsonld_date(tree: lxml.html.HtmlElement, date: str) -> str | None:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        for field in ("datePublished", "dateCreated", "dateModified"):
            m = re.search(rf'"{field}"\s*:\s*"([^"]+)"', script.text)
            if m and date in m.group(1):
                return f"json-ld {field} = {m.group(1)}"
    return None


def _time_date(tree: lxml.html.HtmlElement, date: str) -> str | None:
    for node in tree.iter("time"):
        value = node.get("datetime") or ""
        if date in value:
            return f"time[datetime] = {value}"
    return None


# -- the rest of the page ------------------------------------------------------------------


def visible_lines(tree: lxml.html.HtmlElement | None) -> list[str]:
    """Every visible text line of the page, one block element per line, repaired."""
    return [line for line in (_clean(x) for x in visible_text(tree).split("\n")) if line]


def visible_text(tree: lxml.html.HtmlElement | None) -> str:
    """The page's visible text as a naive scraper sees it: one block element per line,
    nothing repaired or dropped (menus, footers and link lists included)."""
    if tree is None:
        return ""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE or not tag:
            if node.tail:
                pieces.append(node.tail)
            return
        block = tag in _BLOCK
        if block:
            pieces.append("\n")
        if node.text:
            pieces.append(node.text)
        for child in node:
            walk(child)
        if block:
            pieces.append("\n")
        if node.tail:
            pieces.append(node.tail)

    walk(tree)
    return "".join(pieces)


def _outside_lines(
    tree: lxml.html.HtmlElement | None, body: str, title: str | None
) -> tuple[list[str], int]:
    """Distinct visible lines not in the body (nor the title), capped; and how many were
    left out by the cap."""
    inside = _SPACE.sub(" ", f"{title or ''}\n{body}")
    seen: set[str] = set()
    lines = []
    for line in visible_lines(tree):
        if line in seen or line in inside:
            continue
        seen.add(line)
        lines.append(line)
    kept = (
        lines
        if len(lines) <= HEAD_LINES + TAIL_LINES
        else (lines[:HEAD_LINES] + lines[-TAIL_LINES:])
    )
    out, size = [], 0
    for line in kept:
        size += len(line)
        if size > MAX_REMOVED_CHARS:
            break
        out.append(line)
    return out, len(lines) - len(out)
