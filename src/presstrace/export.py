"""Exports in the shapes other programs read: JSON Lines (the export contract) and CSV.

The JSONL fields follow the export contract in DESIGN.md; fields may be added, never renamed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from presstrace.model import Document

CSV_COLUMNS = [
    "id", "source", "url", "title", "published", "published_earliest", "published_latest",
    "published_confidence", "outlet", "cited_sources", "language", "duplicate_of", "story_id",
    "thread_id", "chars", "removed_count", "text",
]  # fmt: skip


def export_record(doc: Document) -> dict[str, Any]:
    """One document as the export contract describes it (plus a few extra fields)."""
    data = doc.to_dict()
    published = data["published"]
    return {
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "title": doc.title,
        "text": doc.text,
        "removed": data["removed"],
        "published": published,
        "outlet": doc.outlet,
        "outlet_evidence": doc.outlet_evidence,
        "cited_sources": doc.cited_sources,
        "language": doc.language,
        "duplicate_of": doc.duplicate_of,
        "entities": data["entities"],
        "quotes": data["quotes"],
        "claims": data["claims"],
        "story_id": doc.story_id,
        "thread_id": doc.thread_id,
        "narratives": data["narratives"],
    }


def write_jsonl(docs: Iterable[Document], out: IO[str]) -> int:
    count = 0
    for doc in docs:
        out.write(json.dumps(export_record(doc), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(docs: Iterable[Document], out: IO[str]) -> int:
    """One row per document; list fields joined with '; ' so a spreadsheet can read them."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for doc in docs:
        writer.writerow(
            {
                "id": doc.id,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "published": doc.published.date,
                "published_earliest": doc.published.earliest,
                "published_latest": doc.published.latest,
                "published_confidence": doc.published.confidence,
                "outlet": doc.outlet,
                "cited_sources": "; ".join(doc.cited_sources),
                "language": doc.language,
                "duplicate_of": doc.duplicate_of,
                "story_id": doc.story_id,
                "thread_id": doc.thread_id,
                "chars": len(doc.text),
                "removed_count": len(doc.removed),
                "text": doc.text,
            }
        )
        count += 1
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
