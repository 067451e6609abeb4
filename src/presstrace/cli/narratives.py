"""`presstrace narratives`, `presstrace train-narratives` and the narratives block of
`presstrace show`. Parsing and printing only: steps/narratives.py and store/narratives.py do
the work."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from presstrace import library
from presstrace.cli.common import emit, listing
from presstrace.cli.render import cut as _cut
from presstrace.store.protocol import Store

PART = "narratives"


def register(sub: Any) -> dict:
    listed = listing(sub, "narratives", cmd_narratives, item="label", limit=50,
                     noun="documents", item_help="show the documents of this label")  # fmt: skip
    listed.add_argument(
        "--min-score", type=float, default=0.0, metavar="P",
        help="only labels scored at least P: a score is the probability, measured on "
        "labelled real news, that the label is right, so P is the precision you ask for "
        "(see the README's reliability table)")  # fmt: skip

    t = sub.add_parser(
        "train-narratives",
        help="learn narrative labels from labelled examples, then re-label the corpus",
        description="Read labelled examples (JSON Lines {'text' or 'id', 'labels'}, CSV with "
        "text/id and labels columns, or a SemEval-2025 Task 10 annotation file "
        "file<TAB>narratives<TAB>subnarratives next to a folder of article .txt files), learn "
        "from them (labels without examples stay zero-shot), and re-label every stored document. "
        "A new training "
        "replaces the previous one. Labels the taxonomy does not know are reported and ignored.",
    )
    t.add_argument("labels", help="the labelled examples file")
    t.add_argument(
        "--taxonomy",
        action="append",
        metavar="FILE",
        help="taxonomy YAML file to use from now on (repeatable; default: "
        "$PRESSTRACE_TAXONOMIES or the shipped SemEval URW and CC taxonomies)",
    )
    t.add_argument("--texts", metavar="DIR", help="folder of the SemEval article .txt files")
    t.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"narratives": cmd_narratives, "train-narratives": cmd_train}


def _has_part(store: Store) -> bool:
    from presstrace.store.queries import parts

    return PART in parts(store)


def cmd_narratives(store: Store, args: argparse.Namespace) -> int:
    """taxonomy narrative labels: counts and dates, or one label's documents

    Without LABEL: every label with its document count and first/last publication dates.
    With LABEL (exact label string, e.g. 'URW: Discrediting Ukraine'): its documents, best
    first, with the sentences behind the label.
    """
    from presstrace.store import narratives as table

    if not _has_part(store):
        rows: list[dict[str, Any]] = []
    elif args.label:
        rows = table.documents_with(
            store, args.label, args.limit, args.offset, min_score=args.min_score
        )
    else:
        rows = table.label_counts(store, min_score=args.min_score)
    if args.label:
        return emit(args, rows, lambda rows: _render_docs(args.label, rows),
                    f"no documents labelled {args.label!r}")  # fmt: skip
    return emit(args, rows, _render_counts, "no narrative labels yet")


def cmd_train(store: Store, args: argparse.Namespace) -> int:
    tty = sys.stderr.isatty() and not args.json
    summary = library.train_narratives(
        store, args.labels, taxonomy=args.taxonomy, texts_dir=args.texts, progress=tty
    )
    for warning in summary["warnings"]:
        print(f"presstrace: warning: {warning}", file=sys.stderr)
    return emit(args, summary, lambda s: (
        f"learned from {s['examples']} examples ({s['labels_trained']} labels; labels without "
        f"examples stay zero-shot); re-labelled {s['labelled']} documents "
        f"({s.get('changed', 0)} changed)"))  # fmt: skip


def _render_counts(rows: list[dict[str, Any]]) -> str:
    out = [f"{'documents':>9}  {'first':<10}  {'last':<10}  label"]
    for r in rows:  # a sub-narrative indented under its own narrative (rows come nested)
        label = f"  {r['label']}" if r.get("parent") else r["label"]
        out.append(
            f"{r['documents']:>9}  {r.get('first_date') or '–':<10}  "
            f"{r.get('last_date') or '–':<10}  {label}"
        )
    return "\n".join(out)


def _render_docs(label: str, rows: list[dict[str, Any]]) -> str:
    out = [f"{label} ({len(rows)} documents shown)"]
    for r in rows:
        title = r["title"] or r["source"] or ""
        out.append(
            f"{r['doc_id'][:12]}  {r['published_date'] or '????-??-??'}  score {r['score']:.2f}  "
            f"{_cut(title, 70)}"
        )
        out += [f"    “{_cut(s, 150)}”" for s in r["evidence"]]
    return "\n".join(out)


def show_sections(store: Store, doc: Any) -> list[str]:
    """`show` block: the document's narrative labels with their evidence sentences."""
    if not doc.narratives:
        return []
    lines = [f"Narratives ({len(doc.narratives)}):"]
    for n in doc.narratives:
        lines.append(f"  {n.label}  (score {n.score:.2f})")
        lines += [f"    “{_cut(s, 150)}”" for s in n.evidence]
    return ["\n".join(lines)]
