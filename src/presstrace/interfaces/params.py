"""The HTTP parameters the REST API (api/routes.py) and the web pages (web/pages.py) both
take, declared once so the two validate alike: page sizes, free text, languages, timeline
buckets, the document filters, and the request's store connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request

from presstrace.store import queries
from presstrace.store.protocol import Store as StoreProtocol

DATE = r"^\d{4}-\d{2}-\d{2}$"
# Deepest offset a page may ask for: far beyond any corpus served, it only bounds the input.
MAX_OFFSET = 10_000_000
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
Text = Annotated[str | None, Query(max_length=500)]
Language = Annotated[
    str | None, Query(max_length=12, description="ISO 639-1 code of the documents' language")
]
By = Annotated[str, Query(pattern="^(auto|day|week|month)$", description="bucket size")]


async def store(request: Request) -> AsyncIterator[StoreProtocol]:
    """A read-only connection checked out for this request (api/stores.py says why)."""
    async with request.app.state.stores.checkout() as db:
        yield db


Store = Annotated[StoreProtocol, Depends(store)]


def document_filter(
    date_from: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD")] = None,
    outlet: Text = None,
    entity: Text = None,
    story: Text = None,
    thread: Text = None,
    narrative: Text = None,
    language: Language = None,
) -> queries.DocumentFilter:
    """The document filters as query parameters."""
    return queries.DocumentFilter(
        date_from, date_to, outlet, entity, story, thread, narrative, language
    )


Filters = Annotated[queries.DocumentFilter, Depends(document_filter)]
Q = Annotated[
    str | None,
    Query(max_length=2000, description='query language: words, "phrases", OR, -word, prefix*, '
          'lang:de outlet:"…" entity:… narrative:… story:… after:YYYY-MM-DD before:… has:quotes'),
]  # fmt: skip
Sort = Annotated[
    str | None, Query(pattern="^(relevance|newest|oldest)$", description="order of the rows")
]
Copies = Annotated[
    bool, Query(description="list copies as rows of their own (default: counted under "
                "their original, in `copies`)")
]  # fmt: skip
Facets = Annotated[bool, Query(description="facet counts (language, outlet, month, …)")]


def filter_query(q: str | None, filt: queries.DocumentFilter) -> str:
    """The documents list's parameters as one query in the query language."""
    pairs = [("after", filt.date_from), ("before", filt.date_to), ("outlet", filt.outlet),
             ("entity", filt.entity), ("story", filt.story), ("thread", filt.thread),
             ("narrative", filt.narrative), ("lang", filt.language)]  # fmt: skip
    extra = " ".join(f"{name}:{queries.quote_value(value)}" for name, value in pairs if value)
    return f"{q or ''} {extra}".strip()
