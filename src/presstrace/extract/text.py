"""Where sentences and quotations are in a text, as character offsets (the document's own
text is never rewritten, so every span points back into it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH = re.compile(r"[^\n]+")  # one line = one paragraph (cleaned text)
# a sentence ends at . ! ? (and a closing quote or bracket) followed by space and a capital,
# a digit or an opening quote
_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Capt|Sgt|Rep|Sen|Gov|Jr|Sr|No|vs|Inc|Corp|Ltd|"
    r"Co|Mt|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|e\.g|i\.e|approx)"
    r"|\b[A-Z])\.$"
)

OPEN_DOUBLE = "“„«‟"
CLOSE_DOUBLE = "”»"
DOUBLE = OPEN_DOUBLE + CLOSE_DOUBLE + '"'


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class QuoteSpan:
    """Text between quotation marks: start/end exclude the marks. `closed` is False when
    the paragraph ended before a closing mark (the quote goes on in the next paragraph)."""

    start: int
    end: int
    paragraph: int
    closed: bool = True


def paragraphs(text: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]


def sentences(text: str, para: Span) -> list[Span]:
    """Rule-based sentence split of one paragraph (no parser: the stage stays NER-only)."""
    out, start = [], para.start
    chunk = text[para.start : para.end]
    for m in _END.finditer(chunk):
        before = chunk[: m.start() + 1].rstrip("\"'”’)]")
        if _ABBREV.search(before[-8:]):
            continue
        end = para.start + m.end()
        out.append(Span(start, end))
        start = end
    if start < para.end:
        out.append(Span(start, para.end))
    return [s for s in (_trim(text, s) for s in out) if s.end > s.start]


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def quote_spans(text: str, para: Span, index: int) -> list[QuoteSpan]:
    """Double-quoted spans of a paragraph (any of “ ” „ « » "), then single-quoted ones
    (‘ ’ ') outside them, telling apostrophes (Putin’s, soldiers’) from closing marks."""
    found: list[QuoteSpan] = []
    open_at: int | None = None
    for i in range(para.start, para.end):
        ch = text[i]
        if ch not in DOUBLE:
            continue
        if open_at is None:
            if ch in CLOSE_DOUBLE and ch != "»" and _word_before(text, i, para.start):
                continue  # a stray closing mark right after a word opens nothing
            open_at = i + 1
        else:
            found.append(QuoteSpan(open_at, i, index))
            open_at = None
    if open_at is not None and para.end - open_at > 1:
        found.append(QuoteSpan(open_at, para.end, index, closed=False))
    inside = [(q.start, q.end) for q in found]
    found.extend(_single_quotes(text, para, index, inside))
    return sorted(found, key=lambda q: q.start)


def _word_before(text: str, i: int, floor: int) -> bool:
    return i > floor and text[i - 1].isalnum()


def _single_quotes(
    text: str, para: Span, index: int, inside: list[tuple[int, int]]
) -> list[QuoteSpan]:
    found, open_at = [], None
    for i in range(para.start, para.end):
        ch = text[i]
        if ch not in "‘’'" or any(s - 1 <= i <= e for s, e in inside):
            continue
        prev = text[i - 1] if i > para.start else " "
        nxt = text[i + 1] if i + 1 < para.end else " "
        if open_at is None:
            if (ch in "‘'") and not prev.isalnum() and nxt.isalnum():
                open_at = i + 1
        elif (ch in "’'") and not nxt.isalnum() and i - open_at > 1:
            found.append(QuoteSpan(open_at, i, index))
            open_at = None
    return found


def words(text: str) -> int:
    return len(text.split())
