"""`presstrace stories` and the story block of `presstrace show`. Parsing and printing only:
the step (steps/stories.py) and the store part (store/stories.py) do the work."""

from __future__ import annotations

import argparse
from typing import Any

from presstrace.cli.common import emit, error, listing
from presstrace.cli.render import cut as _cut
from presstrace.store import queries
from presstrace.store import stories as table
from presstrace.store.protocol import Store


def register(sub: Any) -> dict:
    listing(sub, "stories", cmd_stories, item="id", limit=30, noun="stories",
            item_help="show this story's articles (a story id)")  # fmt: skip
    return {"stories": cmd_stories}


def cmd_stories(store: Store, args: argparse.Namespace) -> int:
    """stories: articles that report the same event

    List stories (biggest, then most recent, first) with their size, date span and a
    headline, or the articles of one story in date order.
    """
    if not table.has_stories(store):
        rows: list = []
    elif args.id:
        found = table.story(store, args.id)
        if found is None:
            error(f"{args.id}: no such story")
            return 1
        found["articles"] = table.members(store, args.id)
        return emit(args, found, _render_story)
    else:
        page = queries.groups(store, "story", args.limit, args.offset)  # as the API lists
        rows = [
            {"story_id": r["id"], "label": r["label"], "size": r["documents"],
             "first_date": r["first"], "last_date": r["last"]}
            for r in page["items"]
        ]  # fmt: skip
    return emit(args, rows, _render_list, "no stories yet (ingest some articles)")


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated".ljust(22)
    return f"{first}..{last}" if last and last != first else f"{first}".ljust(22)


def _render_list(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'story':<16}  {'size':>5}  {'dates':<22}  label"]
    for r in rows:
        lines.append(
            f"{r['story_id']:<16}  {r['size']:>5}  {_span(r['first_date'], r['last_date']):<22}"
            f"  {_cut(r['label'] or '–', 70)}"
        )
    return "\n".join(lines)


def _render_story(story: dict[str, Any]) -> str:
    head = (
        f"Story {story['story_id']}: {story['label'] or '–'}\n"
        f"{story['size']} article{'s' if story['size'] != 1 else ''}, "
        f"{_span(story['first_date'], story['last_date']).strip()}"
    )
    lines = [head]
    for a in story["articles"]:
        how = "copy" if a["duplicate_of"] else a["how"]
        lines.append(
            f"  {a['published'] or '????-??-??'}  {a['id'][:12]}  "
            f"{_cut(a['outlet'] or '–', 18):<18}  {how:<7}  {_cut(a['title'] or a['source'], 60)}"
        )
    return "\n".join(lines)


def show_sections(store: Store, doc: Any) -> list[str]:
    """`show` block: the document's story, how it joined, and its other articles."""
    if not table.has_stories(store):
        return []
    member = table.membership(store, doc.id)
    if member is None:
        return []
    story = table.story(store, member["story_id"])
    if story is None:
        return []
    joined = member["how"] + (f", score {member['score']:.2f}" if member["score"] else "")
    lines = [
        f"Story {story['story_id']} ({joined}): {_cut(story['label'] or '–', 70)}",
        f"  {story['size']} article{'s' if story['size'] != 1 else ''}, "
        f"{_span(story['first_date'], story['last_date']).strip()}",
    ]
    others = [a for a in table.members(store, story["story_id"], 11) if a["id"] != doc.id]
    for a in others[:10]:
        lines.append(
            f"  {a['published'] or '????-??-??'}  {a['id'][:12]}  "
            f"{_cut(a['outlet'] or '–', 18):<18}  {_cut(a['title'] or a['source'], 50)}"
        )
    if story["size"] > 11:
        lines.append(f"  … {story['size'] - 11} more (presstrace stories {story['story_id']})")
    return ["\n".join(lines)]
