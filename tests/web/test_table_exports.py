"""Exports of one table and of a selection (issue 16): every table in JSONL, CSV and
Parquet, on the web tests' store (a real ingest of the examples, a hostile corpus and a
reprint, so every table has rows).
"""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from presstrace import library
from presstrace.exports import LIST_SEPARATOR, csv_header
from presstrace.store import open_store
from presstrace.store.queries import tables


@pytest.fixture(scope="module")
def store(corpus):
    s = open_store(corpus["db"])
    yield s
    s.close()


def export(store, fmt: str, **kw) -> bytes | str:
    out = io.BytesIO() if fmt == "parquet" else io.StringIO()
    library.export(store, out, format=fmt, **kw)
    return out.getvalue()


@pytest.mark.parametrize("table", list(tables.TABLES))
def test_every_table_in_every_format_has_the_same_rows(store, table):
    lines = export(store, "jsonl", table=table).splitlines()
    records = [json.loads(x) for x in lines]
    assert records, f"the web corpus has {table}"
    columns = tables.TABLES[table].columns
    assert all(list(r) == [c for c, _ in columns] for r in records)
    rows = list(csv.reader(io.StringIO(export(store, "csv", table=table))))
    assert rows[0] == csv_header(columns) and len(rows) == len(records) + 1
    assert all(len(r) == len(rows[0]) for r in rows)
    parquet = pq.read_table(io.BytesIO(export(store, "parquet", table=table)))
    assert parquet.num_rows == len(records)
    assert parquet.to_pylist() == records  # nested values read back as they were written


def test_parquet_lists_and_records_are_nested_types(store):
    schema = pq.read_table(io.BytesIO(export(store, "parquet", table="threads"))).schema
    assert str(schema.field("terms").type) == "list<element: string>"
    evidence = schema.field("evidence").type.value_type
    assert [evidence.field(i).name for i in range(evidence.num_fields)] == ["doc_id", "sentence"]
    docs = pq.read_table(io.BytesIO(export(store, "parquet")))
    entities = docs.schema.field("entities").type.value_type
    assert str(entities.field("lat").type) == "double"
    assert str(entities.field("aliases").type) == "list<element: string>"
    assert str(docs.schema.field("speakers").type) == "list<element: string>"


def test_csv_flattens_lists_and_records(store, corpus):
    threads = list(csv.DictReader(io.StringIO(export(store, "csv", table="threads"))))
    row = next(r for r in threads if r["thread_id"] == corpus["thread"])
    assert set(row["doc_ids"].split(LIST_SEPARATOR)) == set(corpus["thread_docs"])
    assert row["evidence_sentence"] and "evidence" not in row
    docs = {r["id"]: r for r in csv.DictReader(io.StringIO(export(store, "csv")))}
    hostile = store.get(corpus["hostile"][0])
    flat = docs[hostile.id]
    assert flat["entity_names"].split(LIST_SEPARATOR) == [e.name for e in hostile.entities]
    assert int(flat["quote_count"]) == len(hostile.quotes) > 0
    assert flat["speakers"] == hostile.quotes[0].speaker


def test_a_query_selects_the_documents_and_their_rows(store, corpus):
    """`export QUERY`: the documents search finds, and a table read for those only."""
    query = "Keller"
    found = {h.id for h in library.search(store, query, limit=200)}
    assert found and found < set(corpus["examples"] + corpus["hostile"] + corpus["reprint"])
    docs = [json.loads(x) for x in export(store, "jsonl", query=query).splitlines()]
    assert {d["id"] for d in docs} == found
    quotes = [json.loads(x) for x in export(store, "jsonl", table="quotes", query=query)
              .splitlines()]  # fmt: skip
    assert quotes and {q["doc_id"] for q in quotes} <= found
    everything = [json.loads(x) for x in export(store, "jsonl", table="quotes").splitlines()]
    assert len(everything) > len(quotes)
    # entity counts are counted within the selection
    ents = [json.loads(x) for x in export(store, "jsonl", table="entities", query=query)
            .splitlines()]  # fmt: skip
    keller = next(e for e in ents if e["name"].startswith("Anna <script>"))
    assert keller["documents"] == len(set(corpus["hostile"]) & found)


def test_copies_of_a_selection_keep_both_sides(store, corpus):
    pairs = [json.loads(x) for x in export(store, "jsonl", table="copies").splitlines()]
    reprint = next(p for p in pairs if p["copy_id"] == corpus["reprint"][0])
    assert reprint["canonical_id"] == corpus["original"][0]
    title = store.get(corpus["original"][0]).title
    word = max(title.split(), key=len).strip("‘’'\",.:")
    chosen = [json.loads(x) for x in export(store, "jsonl", table="copies", query=word)
              .splitlines()]  # fmt: skip
    assert [p["copy_id"] for p in chosen] == [corpus["reprint"][0]]


def test_language_and_unknown_table(store):
    none = export(store, "jsonl", table="quotes", language="xx")
    assert none == ""
    with pytest.raises(ValueError, match="one of: quotes"):
        export(store, "jsonl", table="tweets")
