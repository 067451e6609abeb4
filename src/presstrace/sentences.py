"""Paragraphs and sentences of a cleaned text as character offsets: shared by the stages that
read text sentence by sentence (extraction, grouping), so each splits the same way. Rule-based
(no parser), and the text is never rewritten: every span points back into it."""

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


@dataclass(frozen=True)
class Span:
    start: int
    end: int


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


def split(text: str) -> list[Span]:
    """Every sentence of a text, paragraph by paragraph."""
    return [s for para in paragraphs(text) for s in sentences(text, para)]
