"""Exports in the shapes other programs read: JSON Lines (the export contract), CSV for a
spreadsheet and Parquet for a statistics package, of the documents or of one table.

The JSONL fields follow the export contract in DESIGN.md; fields may be added, never renamed.
CSV is flat: a list of names becomes one cell joined with "; " (LIST_SEPARATOR), a list of
records (a thread's evidence) one such cell per field of the record, and a document's
entities, quotes and claims are summed up as names, speakers and counts. Parquet keeps the
real types: lists are list columns and records are structs, never JSON text.

This module only formats: the rows come from store/queries/tables.py (tables) or the store
(documents); what they are is decided there.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import types
import typing
from collections.abc import Iterable
from typing import IO, Any

from presstrace.model import Claim, Document, Entity, NarrativeLabel, Quote, Removed

LIST_SEPARATOR = "; "

# A text cell starting with one of these is read as a formula by Excel, LibreOffice and
# Google Sheets (an article title "=HYPERLINK(…)" or "@SUM(…)" would run when the export is
# opened; tab and carriage return start one after the spreadsheet trims them). OWASP's advice
# for CSV injection: prefix such a cell with a single quote, which spreadsheets show as text
# and do not display. CSV only (JSONL and Parquet keep the text as it is), text cells only
# (a negative number in a numeric column is a number, not a formula).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "id", "source", "url", "title", "published", "published_earliest", "published_latest",
    "published_confidence", "outlet", "cited_sources", "language", "duplicate_of", "story_id",
    "thread_id", "chars", "removed_count", "entity_names", "entity_count", "people", "places",
    "organisations", "quote_count", "speakers", "claim_count", "narrative_labels", "text",
]  # fmt: skip

# Document columns that hold a list: joined with LIST_SEPARATOR in CSV, list<string> in
# Parquet ("cited_sources" predates this and stays a joined string in both, with its list
# in "cited_sources_list").
_LIST_COLUMNS = {"entity_names", "people", "places", "organisations", "speakers",
                 "narrative_labels"}  # fmt: skip


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
        row = _flat_row(doc)
        writer.writerow(
            {k: csv_safe(_joined(v) if k in _LIST_COLUMNS else v) for k, v in row.items()}
        )
        count += 1
    return count


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula (FORMULA_START)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _joined(values: list[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values if v is not None)


# Entity types as the extract stage names them -> the CSV column that lists them.
_TYPE_COLUMNS = {"PERSON": "people", "GPE": "places", "LOC": "places", "ORG": "organisations"}


def _flat_row(doc: Document) -> dict[str, Any]:
    """One document as flat columns (CSV_COLUMNS); list columns are Python lists here."""
    by_type: dict[str, list[str]] = {"people": [], "places": [], "organisations": []}
    for ent in doc.entities:
        column = _TYPE_COLUMNS.get(ent.type)
        if column and ent.name not in by_type[column]:
            by_type[column].append(ent.name)
    speakers: list[str] = []
    for q in doc.quotes:
        if q.speaker and q.speaker not in speakers:
            speakers.append(q.speaker)
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
        "entity_names": [e.name for e in doc.entities],
        "entity_count": len(doc.entities),
        **by_type,
        "quote_count": len(doc.quotes),
        "speakers": speakers,
        "claim_count": len(doc.claims),
        "narrative_labels": [n.label for n in doc.narratives],
        "text": doc.text,
    }


PARQUET_BATCH = 1000


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OSError("Parquet export needs pyarrow: pip install 'presstrace[parquet]'") from None
    return pa, pq


# The document's nested records, as Parquet list<struct> columns typed from their dataclass.
_NESTED = {"removed": Removed, "entities": Entity, "quotes": Quote, "claims": Claim,
           "narratives": NarrativeLabel}  # fmt: skip


def write_parquet(docs: Iterable[Document], out: IO[bytes]) -> int:
    """Columns a statistics package reads directly: the CSV columns with their real types
    (lists as list columns), cited sources as a list, and the nested records (removed,
    entities, quotes, claims, narratives) as lists of structs typed like their dataclasses.
    Written in row groups, so memory stays flat."""
    pa, _ = _pyarrow()
    typed = {c: t(pa) for c, t in _TYPED.items()}
    typed.update({c: pa.list_(pa.string()) for c in _LIST_COLUMNS})
    schema = pa.schema(
        [(c, typed.get(c, pa.string())) for c in CSV_COLUMNS]
        + [("cited_sources_list", pa.list_(pa.string()))]
        + [(name, pa.list_(_struct_of(pa, cls))) for name, cls in _NESTED.items()]
    )

    def row(doc: Document) -> dict[str, Any]:
        data = doc.to_dict()
        flat = _flat_row(doc)
        flat["cited_sources_list"] = doc.cited_sources
        for name in _NESTED:
            flat[name] = data[name]
        return flat

    return _write_rows(pa, schema, (row(d) for d in docs), out)


def _write_rows(pa: Any, schema: Any, rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    _, pq = _pyarrow()
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for r in rows:
            batch.append(r)
            count += 1
            if len(batch) == PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _struct_of(pa: Any, cls: type) -> Any:
    """A dataclass as a pyarrow struct: str -> string, float -> float64, int -> int64,
    bool -> bool, list[str] -> list<string> (Optional[...] is nullable, as every field)."""
    hints = typing.get_type_hints(cls)
    return pa.struct([(f.name, _arrow_type(pa, hints[f.name])) for f in dataclasses.fields(cls)])


def _arrow_type(pa: Any, hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _arrow_type(pa, args[0])
    if origin is list:
        return pa.list_(_arrow_type(pa, args[0]))
    simple = {str: pa.string(), float: pa.float64(), int: pa.int64(), bool: pa.bool_()}
    if hint in simple:
        return simple[hint]
    raise TypeError(f"no Parquet type for {hint!r}")


_TYPED = {
    "published_confidence": lambda pa: pa.float64(),
    "chars": lambda pa: pa.int64(),
    "removed_count": lambda pa: pa.int64(),
    "entity_count": lambda pa: pa.int64(),
    "quote_count": lambda pa: pa.int64(),
    "claim_count": lambda pa: pa.int64(),
}

WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
BINARY_FORMATS = {"parquet"}


# -- one table ---------------------------------------------------------------------------------
def write_table(
    rows: Iterable[dict[str, Any]],
    columns: tuple[tuple[str, Any], ...],
    format: str,  # noqa: A002 - the CLI's option name
    out: IO[Any],
) -> int:
    """One table's rows (store/queries/tables.py) as JSON Lines, CSV or Parquet."""
    if format == "jsonl":
        count = 0
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            count += 1
        return count
    if format == "csv":
        header = csv_header(columns)
        writer = csv.writer(out)
        writer.writerow(header)
        count = 0
        for r in rows:
            writer.writerow([csv_safe(c) for c in csv_cells(r, columns)])
            count += 1
        return count
    if format == "parquet":
        pa, _ = _pyarrow()
        schema = pa.schema([(name, _table_type(pa, t)) for name, t in columns])
        return _write_rows(pa, schema, rows, out)
    raise ValueError(f"no export format {format!r}; one of: {', '.join(WRITERS)}")


def csv_header(columns: tuple[tuple[str, Any], ...]) -> list[str]:
    """A table's CSV columns: a list of records becomes one column per field
    (`evidence_doc_id`, `evidence_sentence`); anything else keeps its name."""
    out = []
    for name, t in columns:
        fields = _record_fields(t)
        out += [f"{name}_{f}" for f in fields] if fields else [name]
    return out


def csv_cells(row: dict[str, Any], columns: tuple[tuple[str, Any], ...]) -> list[Any]:
    cells: list[Any] = []
    for name, t in columns:
        value = row.get(name)
        fields = _record_fields(t)
        if fields:
            items = value or []
            cells += [_joined([i.get(f) for i in items]) for f in fields]
        elif isinstance(value, list):
            cells.append(_joined(value))
        else:
            cells.append(value)
    return cells


def _record_fields(t: Any) -> list[str]:
    if isinstance(t, tuple) and t[0] == "list" and isinstance(t[1], tuple) and t[1][0] == "struct":
        return [f for f, _ in t[1][1]]
    return []


def _table_type(pa: Any, t: Any) -> Any:
    if isinstance(t, tuple):
        if t[0] == "list":
            return pa.list_(_table_type(pa, t[1]))
        return pa.struct([(f, _table_type(pa, ft)) for f, ft in t[1]])
    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(),
            "bool": pa.bool_()}[t]  # fmt: skip


# -- streamed (the API's downloads) ------------------------------------------------------------
STREAM_FORMATS = {"csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson"}
# Rows per piece of a streamed download: pieces of some 100 KB, few enough writes.
_STREAM_ROWS = 200


def stream_documents(docs: Iterable[Document], format: str) -> Iterable[str]:  # noqa: A002
    """The documents as CSV (CSV_COLUMNS), a JSON array or JSON Lines of export records, in
    pieces of text to send as they are made."""
    if format == "csv":
        return _stream_csv(
            CSV_COLUMNS,
            ([_joined(v) if k in _LIST_COLUMNS else v for k, v in _flat_row(d).items()]
             for d in docs),  # _stream_csv makes each cell csv_safe
        )  # fmt: skip
    return _stream_json((export_record(d) for d in docs), array=format == "json")


def stream_table(
    rows: Iterable[dict[str, Any]], columns: tuple[tuple[str, Any], ...], format: str  # noqa: A002
) -> Iterable[str]:
    """One table's rows as stream_documents streams documents (CSV flat as write_table)."""
    if format == "csv":
        return _stream_csv(csv_header(columns), (csv_cells(r, columns) for r in rows))
    return _stream_json(rows, array=format == "json")


def _stream_csv(header: list[str], cells: Iterable[list[Any]]) -> Iterable[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for i, row in enumerate(cells, 1):
        writer.writerow([csv_safe(c) for c in row])
        if i % _STREAM_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _stream_json(records: Iterable[dict[str, Any]], array: bool) -> Iterable[str]:
    piece: list[str] = ["["] if array else []
    first = True
    for i, record in enumerate(records, 1):
        text = json.dumps(record, ensure_ascii=False)
        piece.append((text if first else "," + text) if array else text + "\n")
        first = False
        if i % _STREAM_ROWS == 0:
            yield "".join(piece)
            piece = []
    if array:
        piece.append("]")
    yield "".join(piece)
