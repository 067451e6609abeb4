"""Split an article's text into plain pieces marked as quote or entity, for the page to show.

The output is plain text plus labels; templates escape every piece (autoescape) and wrap the
marked ones, so no markup from an article can ever reach the page as markup.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Segment:
    text: str
    quote: int | None = None  # index into the document's quotes
    entity: str | None = None  # the entity's canonical name


@dataclass
class Run:
    """Consecutive segments of one quote (or of no quote), shown as one mark."""

    quote: int | None
    segments: list[Segment]


def quote_spans(
    text: str, quotes: list[tuple[int | None, int | None]]
) -> list[tuple[int, int, int]]:
    """(start, end, quote index) of quotes whose offsets fall inside the text, without
    overlaps (the earlier quote wins)."""
    spans = sorted(
        (s, e, i)
        for i, (s, e) in enumerate(quotes)
        if s is not None and e is not None and 0 <= s < e <= len(text)
    )
    kept: list[tuple[int, int, int]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def entity_spans(
    text: str, names: dict[str, str], within: list[tuple[int, int, int]] = ()
) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each whole-word, case-insensitive occurrence of a
    surface form (`names`: surface form -> canonical name); the longest form wins, and a
    match that crosses a quote's edge is dropped so marks nest."""
    forms = sorted((f for f in names if f and f.strip()), key=len, reverse=True)
    if not forms:
        return []
    lookup = {f.casefold(): names[f] for f in forms}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)", re.I)
    starts = [s for s, _, _ in within]
    out = []
    for m in pattern.finditer(text):
        canonical = lookup.get(m.group(0).casefold())
        if canonical is None:
            continue
        i = bisect.bisect_right(starts, m.start()) - 1
        inside = i >= 0 and m.start() < within[i][1]
        if inside and m.end() > within[i][1]:
            continue  # starts in a quote, ends outside it
        j = bisect.bisect_left(starts, m.end())
        if not inside and j > 0 and i + 1 < j:
            continue  # a quote starts inside the match
        out.append((m.start(), m.end(), canonical))
    return out


def paragraphs(
    text: str,
    quotes: list[tuple[int | None, int | None]] = (),
    names: dict[str, str] | None = None,
) -> list[list[Run]]:
    """The text as paragraphs of runs (one per quote or stretch between quotes) of
    segments, each segment labelled with the entity it names (if any)."""
    qspans = quote_spans(text, list(quotes))
    espans = entity_spans(text, names or {}, qspans)
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)]
    cuts = {0, len(text)}
    for s, e, _ in qspans:
        cuts.update((s, e))
    for s, e, _ in espans:
        cuts.update((s, e))
    for s, e in breaks:
        cuts.update((s, e))
    points = sorted(cuts)
    break_starts = {s: e for s, e in breaks}
    qstarts = [s for s, _, _ in qspans]
    estarts = [s for s, _, _ in espans]
    out: list[list[Segment]] = [[]]
    skip_to = -1
    for a, b in zip(points, points[1:], strict=False):
        if a < skip_to:
            continue
        if a in break_starts:
            skip_to = break_starts[a]
            if out[-1]:
                out.append([])
            continue
        out[-1].append(
            Segment(text[a:b], _covering(qspans, qstarts, a), _covering(espans, estarts, a))
        )
    return [_runs(p) for p in out if p]


def _runs(segments: list[Segment]) -> list[Run]:
    runs: list[Run] = []
    for seg in segments:
        if runs and runs[-1].quote == seg.quote:
            runs[-1].segments.append(seg)
        else:
            runs.append(Run(seg.quote, [seg]))
    return runs


def _covering(spans: list[tuple], starts: list[int], pos: int):
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < spans[i][1]:
        return spans[i][2]
    return None
