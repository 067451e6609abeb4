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
        "abstained": dict(doc.abstained),
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
        writer.writerow(_flat_row(doc))
        count += 1
    return count


def _flat_row(doc: Document) -> dict[str, Any]:
    """One document as flat columns (CSV_COLUMNS); list fields joined with '; '."""
    return {
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


PARQUET_BATCH = 1000


def write_parquet(docs: Iterable[Document], out: IO[bytes]) -> int:
    """Columns a statistics package reads directly: the CSV columns with their real types,
    list columns for cited sources, and the nested records (removed, entities, quotes,
    claims, narratives) as JSON text. Written in row groups, so memory stays flat."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OSError("Parquet export needs pyarrow: pip install 'presstrace[parquet]'") from None
    nested = ["removed", "entities", "quotes", "claims", "narratives"]
    schema = pa.schema(
        [(c, pa.string()) for c in CSV_COLUMNS if c not in _TYPED]
        + [(c, t(pa)) for c, t in _TYPED.items()]
        + [("cited_sources_list", pa.list_(pa.string()))]
        + [(f"{n}_json", pa.string()) for n in nested]
    )
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        rows: list[dict[str, Any]] = []
        for doc in docs:
            row = _flat_row(doc)
            row["cited_sources_list"] = doc.cited_sources
            data = doc.to_dict()
            for n in nested:
                row[f"{n}_json"] = json.dumps(data[n], ensure_ascii=False)
            rows.append(row)
            count += 1
            if len(rows) == PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows or not count:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return count


_TYPED = {
    "published_confidence": lambda pa: pa.float64(),
    "chars": lambda pa: pa.int64(),
    "removed_count": lambda pa: pa.int64(),
}

WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
BINARY_FORMATS = {"parquet"}
