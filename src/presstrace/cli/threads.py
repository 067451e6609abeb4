"""`presstrace threads` and the thread block of `presstrace show`. Parsing and printing only:
the step (steps/threads.py) and the store part (store/threads.py) do the work."""

from __future__ import annotations

import argparse
from typing import Any

from presstrace.cli.common import emit, error, listing
from presstrace.cli.render import cut as _cut
from presstrace.store import queries
from presstrace.store.protocol import Store


def register(sub: Any) -> dict:
    listing(sub, "threads", cmd_threads, item="id", limit=50, noun="threads",
            item_help="show this thread (id or a unique prefix)")  # fmt: skip
    return {"threads": cmd_threads}


def _ready(store: Store) -> bool:
    from presstrace.store.queries import parts

    return "threads" in parts(store)


def cmd_threads(store: Store, args: argparse.Namespace) -> int:
    """narrative threads: articles arguing the same claim across events

    List narrative threads (biggest first) with their label, size, time span and the
    stories they cover; or one thread with its evidence sentences and its articles in date
    order.
    """
    from presstrace.store import threads as table

    if args.id:
        found = table.thread(store, args.id) if _ready(store) else None
        if found is None:
            error(f"{args.id}: no such thread (give an id or a unique prefix)")
            return 1
        found["documents"] = table.thread_documents(store, found["thread_id"])
        ids = [d["id"] for d in found["documents"]]
        found["narratives"] = queries.narrative_labels_of(store, ids)
        return emit(args, found, _render_one)
    rows = table.thread_list(store, args.limit, args.offset) if _ready(store) else []
    return emit(args, rows, _render_list, "no threads yet")


def _span(row: dict[str, Any]) -> str:
    first, last = row.get("first_date"), row.get("last_date")
    if not first:
        return "undated"
    return first if first == last else f"{first} – {last}"


def _render_list(rows: list[dict[str, Any]]) -> str:
    out = []
    for r in rows:
        out.append(
            f"{r['thread_id']}  {r['size']:>4} articles  {r['stories']:>3} stories  "
            f"{_span(r)}\n  {r['label']}\n  key terms: {', '.join(r['terms']) or '–'}"
        )
    return "\n".join(out)


def _render_one(t: dict[str, Any]) -> str:
    lines = [
        f"Thread {t['thread_id']}: {t['label']}",
        f"{t['size']} articles, {t['stories']} stories, {_span(t)}",
        f"Key terms: {', '.join(t['terms']) or '–'}",
        "",
        "Evidence:",
    ]
    labels = [n for n in t.get("narratives", []) if not n["label"].endswith("Other")]
    if labels:
        lines[3:3] = [
            "Taxonomy labels: " + "; ".join(f"{n['label']} ({n['articles']})" for n in labels[:4])
        ]
    titles = {d["id"]: d for d in t["documents"]}
    for e in t["evidence"]:
        doc = titles.get(e["doc_id"], {})
        lines.append(f"  “{_cut(e['sentence'], 200)}”")
        lines.append(f"      {e['doc_id'][:12]}  {_cut(doc.get('title') or doc.get('source'), 70)}")
    lines += ["", "Articles:"]
    for d in t["documents"]:
        lines.append(
            f"  {d['published_date'] or '????-??-??'}  {d['id'][:12]}  "
            f"story {(d['story_id'] or '–')[:12]:<12}  {_cut(d['title'] or d['source'], 60)}"
        )
    return "\n".join(lines)


def show_sections(store: Store, doc: Any) -> list[str]:
    """`show` block: the document's thread (label, size, span) and its own argument."""
    if not _ready(store):
        return []
    from presstrace.store import threads as table

    argument = table.doc_argument(store, doc.id)
    if argument is None:
        return []
    lines = []
    found = table.thread(store, doc.thread_id) if doc.thread_id else None
    if found:
        lines.append(
            f"Thread {found['thread_id']}: {found['label']} "
            f"({found['size']} articles, {found['stories']} stories, {_span(found)})"
        )
    else:
        lines.append("Thread: none (no other story's article argues the same)")
    if argument.vector is None:
        lines.append("  argues too little to join a thread")
    else:
        lines.append("  argument sentences:")
        lines += [f"    “{_cut(s[0], 160)}”" for s in argument.sentences[:4]]
    return ["\n".join(lines)]

