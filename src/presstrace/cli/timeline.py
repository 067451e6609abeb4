"""`presstrace timeline`: articles and quotes over time for the corpus, a story, a thread, an
entity or a narrative label. Parsing and printing only: store/timeline.py does the counting."""

from __future__ import annotations

import argparse
from typing import Any

from presstrace.cli.common import emit, error
from presstrace.cli.render import cut as _cut
from presstrace.store.protocol import Store

BAR_WIDTH = 40
EMPTY_RUN = 3  # this many empty buckets in a row or more print as one line


def register(sub: Any) -> dict:
    p = sub.add_parser(
        "timeline",
        help="articles and quotes over time (corpus, story, thread, entity, narrative)",
        description="Articles and quotes per day, week or month, from the inferred "
        "publication dates. Undated articles are counted apart; the part of each bar whose "
        "dates have a low confidence is drawn lighter. For a story or a thread, also the "
        "first article and the outlets in order of appearance.",
    )
    p.add_argument("query", nargs="*",
                   help="a query in the query language (words, OR, -word, lang:de, "
                   "entity:…); documents matching it per bucket")  # fmt: skip
    p.add_argument("--compare", metavar="QUERY",
                   help="a second query, counted on the same buckets")  # fmt: skip
    which = p.add_mutually_exclusive_group()
    which.add_argument("--story", metavar="ID", help="one story")
    which.add_argument("--thread", metavar="ID", help="one narrative thread")
    which.add_argument("--entity", metavar="NAME", help="an entity (key, name or alias)")
    which.add_argument("--narrative", metavar="LABEL", help="a taxonomy label")
    p.add_argument("--by", choices=["auto", "day", "week", "month"], default="auto",
                   help="bucket size (default: chosen from the span)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON for programs")
    return {"timeline": cmd_timeline}


def cmd_timeline(store: Store, args: argparse.Namespace) -> int:
    from presstrace.store import timeline as tl

    if args.query or args.compare:
        if args.story or args.thread or args.entity or args.narrative:
            error("give a query or one of --story, --thread, --entity, --narrative, not both "
                  "(entity:NAME in the query does the same)")  # fmt: skip
            return 2
        from presstrace import library

        found = library.timeline(store, " ".join(args.query), by=args.by, compare=args.compare)
        return emit(args, found, render_queries)
    try:
        sel = tl.select(store, story=args.story, thread=args.thread, entity=args.entity,
                        narrative=args.narrative)  # fmt: skip
        result = tl.timeline(store, sel, by=args.by)
    except tl.TimelineError as exc:
        error(str(exc))
        return 1
    return emit(args, result.to_dict(), render)


def render(t: dict[str, Any]) -> str:
    """The timeline as text for a person: a heading, the counts, the first and last dated
    article, one bar per bucket (empty runs folded), outlets in order of appearance."""
    lines = [_heading(t)]
    low = f"; {t['low_confidence']} with a low-confidence date" if t["low_confidence"] else ""
    lines.append(
        f"{_n(t['articles'], 'article')} ({t['dated']} dated, {t['undated']} undated{low}), "
        f"{_n(t['quotes'], 'quote')}"
        + (f" ({t['quotes_undated']} undated)" if t["quotes_undated"] else "")  # fmt: skip
    )
    if not t["buckets"]:
        lines.append("no dated articles to chart")
        return "\n".join(lines)
    for tag, doc in (("first", t["first"]), ("last ", t["last"])):
        if doc:
            lines.append(f"{tag}  {_doc(doc)}")
    if t["first_tied"]:
        lines.append(f"       (and {_n(len(t['first_tied']), 'other article')} the same day)")
    lines.append("")
    lines += _bars(t["buckets"], t["by"])
    if t.get("outlets"):
        lines.append("")
        lines.append("Outlets in order of appearance:")
        for i, o in enumerate(t["outlets"], 1):
            when = o["first_date"] or "undated"
            lines.append(f"  {i:>2}. {when:<10}  {_cut(o['outlet'], 30):<30}  "
                         f"{_n(o['articles'], 'article')}{_conf(o['confidence'])}")  # fmt: skip
    return "\n".join(lines)


def render_queries(found: dict[str, Any]) -> str:
    """Documents per bucket for one query, or two side by side (A and B)."""
    series, marks = found["series"], "█▓"
    lines = []
    for k, s in enumerate(series):
        tag = f"{'AB'[k]}: " if len(series) > 1 else ""
        undated = f", {s['undated']} undated" if s["undated"] else ""
        lines.append(f"{tag}{s['query'] or '(every document)'}: "
                     f"{_n(s['articles'], 'document')}{undated}")  # fmt: skip
        lines += [f"   note: {note}" for note in s["notes"]]
    if not found["buckets"]:
        lines.append("no dated documents to chart")
        return "\n".join(lines)
    peak = max(max(b["counts"]) for b in found["buckets"]) or 1
    width = BAR_WIDTH // len(series)
    lines.append("")
    for b in found["buckets"]:
        label = _label(b, found["by"])
        cells = []
        for k, n in enumerate(b["counts"]):
            bar = marks[k] * round(width * n / peak) or ("▏" if n else "")
            cells.append(f"{bar + ' ' + str(n) if n else '':<{width + 7}}")
        lines.append(f"{label:<10}  " + "  ".join(cells).rstrip())
    lines.append("")
    lines.append(f"per {found['by']}; a period's documents: presstrace search "
                 f"'{found['buckets'][0]['links'][0]}'")  # fmt: skip
    return "\n".join(lines)


def _heading(t: dict[str, Any]) -> str:
    if t["kind"] == "corpus":
        return "Timeline of the whole corpus"
    name = t["label"] or t["id"]
    extra = f" ({t['id']})" if t["label"] and t["label"] != t["id"] else ""
    return f"Timeline of {t['kind']} {_cut(name, 80)}{extra}"


def _bars(buckets: list[dict[str, Any]], by: str) -> list[str]:
    peak = max(b["articles"] for b in buckets) or 1
    head = {"day": "day", "week": "week of", "month": "month"}[by]
    lines = [f"{head:<10}  {'articles':<{BAR_WIDTH + 8}}  quotes"]
    i = 0
    while i < len(buckets):
        j = i
        while j < len(buckets) and not buckets[j]["articles"] and not buckets[j]["quotes"]:
            j += 1
        if j - i >= EMPTY_RUN:
            lines.append(f"{'':<10}  · {j - i} empty {by}s, {_label(buckets[i], by)} to "
                         f"{_label(buckets[j - 1], by)}")  # fmt: skip
            i = j
            continue
        b = buckets[i]
        solid = round(BAR_WIDTH * (b["articles"] - b["low_confidence"]) / peak)
        light = round(BAR_WIDTH * b["articles"] / peak) - solid
        if b["articles"] and solid + light == 0:
            light = 1
        bar = "█" * solid + "░" * light
        count = str(b["articles"]) if b["articles"] else ""
        lines.append(f"{_label(b, by):<10}  {bar + ' ' + count:<{BAR_WIDTH + 8}}  "
                     f"{b['quotes'] or ''}".rstrip())  # fmt: skip
        i += 1
    if any(b["low_confidence"] for b in buckets):
        lines.append("(█ dated with confidence, ░ low-confidence date)")
    return lines


def _label(bucket: dict[str, Any], by: str) -> str:
    return bucket["start"][:7] if by == "month" else bucket["start"]


def _doc(doc: dict[str, Any]) -> str:
    return (f"{str(doc['published_date'])[:10]}  {_cut(doc['outlet'] or '–', 18):<18}  "
            f"{_cut(doc['title'] or doc['id'], 60)}{_conf(doc['confidence'])}")  # fmt: skip


def _conf(value: Any) -> str:
    return f" (date confidence {float(value):.2f})" if value is not None else ""


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
