"""`presstrace duplicates` and the copy lines of `presstrace show`. Parsing and printing only:
the step (steps/copies.py) and the store part (store/copies.py) do the work."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from presstrace import library
from presstrace.cli.common import emit, error, fraction, listing, positive_int
from presstrace.cli.render import cut as _cut
from presstrace.store import copies as table
from presstrace.store.protocol import Store


def register(sub: Any) -> dict:
    p = listing(sub, "duplicates", cmd_duplicates, item="id", limit=50, noun="groups",
                item_help="show the group of this document (id or prefix)")  # fmt: skip
    p.add_argument("--recompute", action="store_true", help="rebuild the copy graph")
    p.add_argument("--near", type=fraction, help="Jaccard similarity for a near-duplicate")
    p.add_argument(
        "--containment",
        type=fraction,
        help="share of the smaller text found in the larger for a partial copy",
    )
    p.add_argument(
        "--min-shingles",
        type=positive_int,
        help="shortest text (in 5-word shingles) that counts as a partial copy",
    )
    return {"duplicates": cmd_duplicates}


def cmd_duplicates(store: Store, args: argparse.Namespace) -> int:
    """copy groups: each canonical document and the documents that copy it

    List copy groups (biggest first), or the group of one document. --recompute rebuilds the
    whole copy graph, with other thresholds if given (they are kept for later ingests).
    """
    given = {"near": args.near, "containment": args.containment, "min_shingles": args.min_shingles}
    given = {k: v for k, v in given.items() if v is not None}
    if given and not args.recompute:
        error("thresholds change the whole graph: add --recompute")
        return 2
    if args.recompute:
        tty = sys.stderr.isatty() and not args.json
        summary = library.recompute_copies(store, progress=tty, **given)
        new = summary["thresholds"]
        print(
            f"rebuilt: {summary['new_documents']} documents, {summary['copies']} copies in "
            f"{summary['groups']} groups (near {new.near}, containment {new.containment}, "
            f"min shingles {new.min_shingles})",
            file=sys.stderr,
        )
    if args.id:
        doc = store.get(args.id)
        if doc is None:
            error(f"{args.id}: no such document (give an id or a unique prefix of 6+ characters)")
            return 1
        link = table.link_of(store, doc.id)
        canonical = link.canonical_id if link else doc.id
        rows = [_group(store, {"canonical_id": canonical})]
    else:
        rows = [_group(store, g) for g in table.groups(store, args.limit, args.offset)]
    if rows and not rows[0]["copies"] and not args.json:
        rows = []  # a document that is in no group
    return emit(args, rows, _render, "no copies found")


def _group(store: Store, group: dict[str, Any]) -> dict[str, Any]:
    canonical = store.get(group["canonical_id"])
    return {
        "canonical_id": group["canonical_id"],
        "title": canonical.title if canonical else None,
        "published": canonical.published.date if canonical else None,
        "outlet": canonical.outlet if canonical else None,
        "source": canonical.source if canonical else None,
        "copies": [
            {
                "id": c["copy_id"],
                "method": c["method"],
                "similarity": c["similarity"],
                "containment": c["containment"],
                "title": c["title"],
                "published": c["published_date"],
                "outlet": c["outlet"],
                "source": c["source"],
            }
            for c in table.group_copies(store, group["canonical_id"])
        ],
    }


def _render(groups: list[dict[str, Any]]) -> str:
    out = []
    for g in groups:
        head = f"{g['canonical_id'][:12]}  {g['published'] or '????-??-??'}  "
        head += f"{_cut(g['outlet'] or '–', 16):<16}  {_cut(g['title'] or g['source'], 60)}"
        out.append(f"{head}\n  {len(g['copies'])} cop{'y' if len(g['copies']) == 1 else 'ies'}:")
        for c in g["copies"]:
            out.append(
                f"  {c['id'][:12]}  {c['published'] or '????-??-??'}  {c['method']:<7}  "
                f"similarity {_num(c['similarity'])}  containment {_num(c['containment'])}  "
                f"{_cut(c['outlet'] or c['source'] or '', 30)}"
            )
    return "\n".join(out)


def show_sections(store: Store, doc: Any) -> list[str]:
    """`show` lines: what this document copies, and who copies it, with the overlap."""
    sections = []
    link = table.link_of(store, doc.id)
    if link:
        sections.append(
            f"Copy of {link.canonical_id} ({link.method}, similarity {_num(link.similarity)}, "
            f"containment {_num(link.containment)})"
        )
    copies = table.group_copies(store, doc.id)
    if copies:
        lines = [f"Copies ({len(copies)}):"]
        for c in copies:
            lines.append(
                f"  {c['copy_id'][:12]}  {c['published_date'] or '????-??-??'}  "
                f"{c['method']:<7}  similarity {_num(c['similarity'])}  "
                f"containment {_num(c['containment'])}  {_cut(c['outlet'] or c['source'], 30)}"
            )
        sections.append("\n".join(lines))
    return sections


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"

