"""Where sentences and quotations are in a text, as character offsets (the document's own
text is never rewritten, so every span points back into it)."""

from __future__ import annotations

from dataclasses import dataclass

from presstrace.sentences import PARAGRAPH, Span, paragraphs, sentences  # noqa: F401

OPEN_DOUBLE = "“„«‟"
CLOSE_DOUBLE = "”»"
DOUBLE = OPEN_DOUBLE + CLOSE_DOUBLE + '"'


@dataclass(frozen=True)
class QuoteSpan:
    """Text between quotation marks: start/end exclude the marks. `closed` is False when
    the paragraph ended before a closing mark (the quote goes on in the next paragraph)."""

    start: int
    end: int
    paragraph: int
    closed: bool = True


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
