"""Where a line stood on the page, so a date can be weighed by its place.

Cleaning hands meta the article body and, apart, the lines it removed; the removed lines
lose where they stood. Yet place is the best clue a flattened page gives about a date: the
publication date sits near the headline and the byline, a date above the headline is the
site header's clock ("Montag, 30. Juni 2025"), and dates below the article belong to related
articles, comments and teasers. This module finds each line's index on the page as it was
read (whitespace collapsed), and the zone that index falls in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# The byline zone runs from the headline to this many page lines into the body (and as many
# above the body's first line when no headline was found): the "Von X, 3. Mai 2024" or
# "03.05.2024, 14:12 Uhr" line sits between the headline and the lead or just under it.
# Chosen on the tune half (even lines) of /work/devdata/ml-pages.jsonl.
BYLINE_REACH = 4


class Zone(Enum):
    HEADER = "header"  # above the headline (or above the body when no headline was found)
    BYLINE = "byline"  # from the headline to the first lines of the body
    BODY = "body"  # inside the article
    BELOW = "below"  # after the article: related links, comments, footer
    UNKNOWN = "unknown"


def line_key(line: str) -> str:
    return " ".join(line.split())


@dataclass
class PageLayout:
    """Page line indices of the headline, the body's first and last lines, and every line."""

    index: dict[str, int] = field(default_factory=dict)
    title: int | None = None
    body_first: int | None = None
    body_last: int | None = None

    @classmethod
    def build(cls, page: str, body: str, title: str | None) -> PageLayout:
        index: dict[str, int] = {}
        n = 0
        for raw in page.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            key = line_key(raw)
            if key:
                index.setdefault(key, n)
                n += 1
        layout = cls(index)
        if title:
            layout.title = index.get(line_key(title))
        found = [i for p in body.split("\n") if (i := layout.find(p)) is not None]
        if found:
            # the headline's own repeats (aggregators print it twice) do not start the body
            after = [i for i in found if layout.title is None or i > layout.title]
            layout.body_first = min(after or found)
            layout.body_last = max(found)
        return layout

    def find(self, line: str) -> int | None:
        key = line_key(line)
        return self.index.get(key) if key else None

    def zone(self, line: str) -> Zone:
        pos = self.find(line)
        if pos is None or self.body_first is None or self.body_last is None:
            return Zone.UNKNOWN
        top = self.title if self.title is not None and self.title < self.body_first else None
        lo = top + 1 if top is not None else self.body_first - BYLINE_REACH
        if lo <= pos <= self.body_first + BYLINE_REACH:
            return Zone.BYLINE
        if pos < self.body_first:
            return Zone.HEADER
        if pos <= self.body_last:
            return Zone.BODY
        return Zone.BELOW
