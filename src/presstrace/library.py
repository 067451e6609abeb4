"""The Python API: what the command line does, as functions over a store, so a notebook or
a script does what `presstrace ...` does (as sqlite-utils' CLI mirrors its Database class).

    import presstrace
    with presstrace.open("corpus.db") as store:
        presstrace.ingest(store, ["articles/"])
        hits = presstrace.search(store, "drone attack", language="en")
        presstrace.export(store, "out.jsonl", format="jsonl")
        presstrace.export(store, "quotes.csv", format="csv", table="quotes", query="drone")

The CLI calls these same functions; so does nothing else write or lock the store from an
interface. Heavy stages load only when a function that needs them runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from presstrace.store import open_store, queries, resolve_db
from presstrace.store.protocol import SearchHit, Store

if TYPE_CHECKING:
    from presstrace.ingest import IngestFailure, IngestOptions
    from presstrace.pipeline import IngestReport

__all__ = [
    "export", "ingest", "open", "query", "recompute_copies", "report", "search", "serve",
    "timeline", "train_narratives",
]  # fmt: skip


@contextlib.contextmanager
def open(db: str | None = None) -> Iterator[Store]:  # noqa: A001 - presstrace.open, as sqlite3
    """The store at `db` (a file path or a PostgreSQL URL; default: the settings' store),
    closed when the block ends."""
    store = open_store(resolve_db(db))
    try:
        yield store
    finally:
        store.close()


def ingest(
    store: Store,
    inputs: Iterable[str],
    *,
    options: IngestOptions | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: bool = False,
    jobs: int = 1,
    dask: str | None = None,
    skip_steps: Iterable[str] = (),
) -> IngestReport:
    """Read, clean, date and store every input, then run the corpus steps (see
    presstrace.pipeline.ingest)."""
    from presstrace.pipeline import ingest as run

    return run(inputs, store, options=options, on_failure=on_failure, progress=progress,
               jobs=jobs, dask=dask, skip_steps=skip_steps)  # fmt: skip


def search(
    store: Store, query: str, *, limit: int = 20, language: str | None = None
) -> list[SearchHit]:
    """Full-text hits, best first (the one search the CLI, API and web UI run)."""
    return queries.hits(store, query, limit=limit, language=language)


def query(
    store: Store,
    text: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str | None = None,
    copies: bool = False,
    facets: bool = True,
    language: str | None = None,
) -> dict[str, Any]:
    """A query in the query language (words, "phrases", OR, -word, prefix*, lang:de
    outlet:… entity:… after:… has:quotes …): {total, items, facets, notes}, as `presstrace
    search`/`list --json` print it and the API returns it."""
    return queries.run(store, text, limit=limit, offset=offset, sort=sort, copies=copies,
                       facets=facets, language=language)  # fmt: skip


def timeline(
    store: Store, text: str, *, by: str = "auto", compare: str | None = None
) -> dict[str, Any]:
    """Matching documents per day, week or month for a query (and a second one to compare
    with, on the same buckets)."""
    return queries.query_timeline(store, text, by=by, compare=compare)


def export(
    store: Store,
    output: str | Path | IO[Any],
    *,
    format: str = "jsonl",  # noqa: A002 - the CLI's option name
    language: str | None = None,
    table: str | None = None,
    query: str | None = None,
) -> int:
    """Write the documents, or one table (`table`: quotes, entities, mentions, claims,
    copies, stories, threads, narratives), as JSON Lines, CSV or Parquet to a path (written
    beside it, then renamed: a failed export never leaves half a file) or an open file.

    `query` selects what `search` finds for it (every hit) and `language` the documents in
    that language; a table is then read for the selected documents only. Returns how many
    rows (documents, or the table's rows) were written."""
    from presstrace.exports import BINARY_FORMATS, WRITERS, write_table
    from presstrace.store.queries import tables

    if format not in WRITERS:
        raise ValueError(f"no export format {format!r}; one of: {', '.join(WRITERS)}")
    if table is not None:
        if table not in tables.TABLES:
            raise tables.UnknownTable(f"no table {table!r}; one of: {', '.join(tables.TABLES)}")
        columns = tables.TABLES[table].columns

        def writer(_: Any, out: IO[Any]) -> int:
            rows = tables.rows(store, table, query=query, language=language)
            return write_table(rows, columns, format, out)

        items: Any = None
    else:
        writer = WRITERS[format]
        items = tables.documents(store, query=query, language=language)
    if not isinstance(output, str | Path):
        return writer(items, output)
    target = Path(output)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        binary = format in BINARY_FORMATS
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, **mode) as out:
            count = writer(items, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def recompute_copies(store: Store, *, progress: bool = False, **thresholds: float) -> dict:
    """Rebuild the copy graph with new thresholds (near, containment, min_shingles; the
    stored ones for what is not given), under the corpus lock so no ingest's steps run on a
    half-rebuilt graph. Returns the copies step's summary and the thresholds used."""
    from presstrace.dedup import Thresholds
    from presstrace.steps import copies as step

    new = Thresholds(**{**step.thresholds(store).__dict__, **thresholds})
    with store.corpus_lock():
        step.rebuild(store, new)
        summary = step.run(store, progress=progress)
    return {**summary, "thresholds": new}


def train_narratives(
    store: Store,
    labels: str,
    *,
    taxonomy: list[str] | None = None,
    texts_dir: str | None = None,
    progress: bool = False,
) -> dict:
    """Learn narrative labels from labelled examples, then re-label the corpus (under the
    corpus lock)."""
    from presstrace.steps import narratives as step

    with store.corpus_lock():
        return step.train(store, labels, taxonomy=taxonomy, texts_dir=texts_dir,
                          progress=progress)  # fmt: skip


def report(store: Store, output: str | os.PathLike[str], *, top: int = 10) -> int:
    """Write the self-contained HTML report (top `top` stories, threads, entities) to
    `output`; returns its size in bytes."""
    from presstrace.report import build_report  # Jinja2 only when a report is written

    html = build_report(store, top=top)
    Path(output).write_text(html, encoding="utf-8")
    return len(html.encode())


def serve(
    db: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allowed_hosts: list[str] | None = None,
    max_connections: int | None = None,
) -> None:
    """Serve the web UI and the REST API over the store at `db` until interrupted (each
    request reads through its own read-only connection, api/stores.py)."""
    import uvicorn  # the web stack only when serving

    from presstrace.api import create_app

    app = create_app(resolve_db(db), allowed_hosts=allowed_hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning",
                limit_concurrency=max_connections)  # fmt: skip
