"""`/api/export`: any list the web pages show, as CSV, a JSON array or JSON Lines, for the
same filters, streamed as it is read (a whole corpus never sits in memory) and named by
Content-Disposition so a browser saves it as a file.

The rows come from store/queries/tables.py (documents, or one table) and are formatted by
exports.py; this module only validates, checks out a connection for the whole download and
streams.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from presstrace.interfaces.params import Filters, Text
from presstrace.exports import STREAM_FORMATS, stream_documents, stream_table
from presstrace.store.queries import tables

router = APIRouter(tags=["exports"])

TABLE_NAMES = ["documents", *tables.TABLES]
TablePattern = "^(" + "|".join(TABLE_NAMES) + ")$"
FormatPattern = "^(" + "|".join(STREAM_FORMATS) + ")$"


@router.get(
    "/export",
    summary="Download documents or one table (CSV, JSON, JSON Lines) for a query and filters",
    response_class=StreamingResponse,
)
async def export(
    request: Request,
    filt: Filters,
    table: Annotated[str, Query(pattern=TablePattern, description="what to download")] = (
        "documents"
    ),
    format: Annotated[str, Query(pattern=FormatPattern)] = "csv",  # noqa: A002
    q: Text = None,
    doc: Annotated[str | None, Query(max_length=128, description="one document")] = None,
    speaker: Text = None,
    name: Text = None,
    type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002 - the API name
) -> StreamingResponse:
    """Rows as `presstrace export` writes them (QUERY = `q`); `speaker` narrows quotes,
    `name` and `type` narrow entities, the document filters narrow every table."""
    language, filt.language = filt.language, None  # with a query, search narrows by it

    def pieces(db) -> Iterator[str]:
        if table == "documents":
            docs = tables.documents(db, query=q, language=language, filt=filt, doc=doc)
            return iter(stream_documents(docs, format))
        rows = tables.rows(db, table, query=q, language=language, filt=filt, doc=doc,
                           narrow=tables.Narrow(speaker=speaker, name=name, type=type))  # fmt: skip
        return iter(stream_table(rows, tables.TABLES[table].columns, format))

    stack = contextlib.AsyncExitStack()
    db = await stack.enter_async_context(request.app.state.stores.checkout())
    try:  # the first piece here, so a bad request fails with a status, not a cut file
        it = await anyio.to_thread.run_sync(pieces, db)
        first = await anyio.to_thread.run_sync(next, it, "")
    except BaseException:
        await stack.aclose()
        raise

    async def body() -> AsyncIterator[str]:
        async with stack:  # the connection is held until the last piece is sent
            yield first
            while piece := await anyio.to_thread.run_sync(next, it, ""):
                yield piece

    extension = {"jsonl": "jsonl", "json": "json", "csv": "csv"}[format]
    return StreamingResponse(
        body(),
        media_type=f"{STREAM_FORMATS[format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(table, q)}.'
                 f'{extension}"'},  # fmt: skip
    )


def _filename(table: str, query: str | None) -> str:
    """presstrace-quotes-drone-attack: ASCII letters, digits and dashes only (nothing of
    the query can break out of the header's quotes)."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", query or "").strip("-")[:40]
    return "-".join(p for p in ("presstrace", table, words) if p)
