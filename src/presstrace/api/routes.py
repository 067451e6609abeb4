"""REST endpoints: each validates its parameters, asks store.queries, returns JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from presstrace.exports import export_record
from presstrace.interfaces.params import (
    By,
    Copies,
    Facets,
    Filters,
    Language,
    Limit,
    Offset,
    Q,
    Sort,
    Store,
    Text,
    filter_query,
)
from presstrace.store import queries
from presstrace.store import timeline as tl


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def known_parameters(request: Request) -> None:
    """Refuse a query parameter the endpoint does not take (a typo such as `langauge=de`
    would otherwise be ignored and answer for the whole corpus) with a 422 naming it."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "none"
        raise HTTPException(422, f"unknown query parameter {unknown[0]!r}; this endpoint "
                                 f"takes: {takes}")  # fmt: skip


router = APIRouter(tags=["corpus"], dependencies=[Depends(known_parameters)])


@router.get("/stats", summary="Counts, date span, top outlets and entities, per-day counts")
def stats(db: Store) -> dict[str, Any]:
    return queries.overview(db)


@router.get(
    "/documents",
    summary="Documents, newest first, filtered (parameters or the query language in q), "
    "paginated, with the total and facet counts; copies counted under their original",
)
def documents(
    db: Store,
    filt: Filters,
    q: Q = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Sort = None,
    copies: Copies = False,
    facets: Facets = True,
) -> dict[str, Any]:
    return queries.run(db, filter_query(q, filt), limit=limit, offset=offset,
                       sort=sort or "newest", copies=copies, facets=facets)  # fmt: skip


@router.get("/documents/{doc_id}", summary="One document with its copies and entity keys")
def document(
    db: Store, doc_id: Annotated[str, Path(min_length=6, max_length=128)]
) -> dict[str, Any]:
    view = queries.document(db, doc_id)
    if view is None:
        raise HTTPException(404, f"no document {doc_id!r} (give an id or a unique prefix)")
    return {
        **export_record(view.doc),
        "copy_of": view.copy_of,
        "copies": view.copies,
        "entity_keys": view.entity_keys,
        "story": view.story,
        "thread": view.thread,
        "narrative_labels": view.narratives,
    }


@router.get(
    "/search",
    summary="Search in the query language: total, rows (`hits`, snippets as [text, matched] "
    "pieces), facet counts; a malformed query is a 422 saying what is wrong",
)
def search(
    db: Store,
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    offset: Offset = 0,
    language: Language = None,
    sort: Sort = None,
    copies: Copies = False,
    facets: Facets = True,
) -> dict[str, Any]:
    page = queries.run(db, q, limit=limit, offset=offset, language=language, sort=sort,
                       copies=copies, facets=facets)  # fmt: skip
    return {**page, "hits": page["items"]}


@router.get("/entities", summary="Entities, most mentioned first")
def entities(
    db: Store,
    q: Text = None,
    type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002 - the API name
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    return queries.entities(db, q, type, limit=limit, offset=offset)


@router.get(
    "/entities/{key:path}", summary="One entity: quotes by and about it, co-mentions, timeline"
)
def entity(db: Store, key: str) -> dict[str, Any]:
    found = queries.entity(db, key)
    if found is None:
        raise HTTPException(404, f"no entity {key!r}")
    return found


@router.get("/quotes", summary="Quotes, by speaker (entity key) or document")
def quotes(
    db: Store,
    speaker: Text = None,
    doc: Annotated[str | None, Query(max_length=128)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    return queries.quotes(db, speaker=speaker, doc_id=doc, limit=limit, offset=offset)


def _groups(kind: str, plural: str):
    def listing(db: Store, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return queries.groups(db, kind, limit=limit, offset=offset)

    def one(
        db: Store, group_id: Annotated[str, Path(max_length=200)], by: By = "auto"
    ) -> dict[str, Any]:
        found = queries.group(db, kind, group_id, by=by)
        if found is None:
            raise HTTPException(404, f"no {kind} {group_id!r}")
        return found

    router.add_api_route(f"/{plural}", listing, methods=["GET"], summary=plural.title())
    router.add_api_route(
        f"/{plural}/{{group_id:path}}", one, methods=["GET"], summary=f"One {kind} with a timeline"
    )


_groups("story", "stories")
_groups("thread", "threads")


@router.get(
    "/timeline",
    summary="Articles and quotes over time: the corpus, or one story, thread, entity or label",
)
def timeline(
    db: Store,
    story: Text = None,
    thread: Text = None,
    entity: Text = None,
    narrative: Text = None,
    by: By = "auto",
    q: Q = None,
    compare: Annotated[str | None, Query(max_length=2000, description="a second query, "
                                         "counted on the same buckets as q")] = None,
) -> dict[str, Any]:
    """With q (and compare): {by, series: [a timeline per query], buckets: [{start, end,
    counts, low, links}]}, each link the query narrowed to that bucket's days."""
    if q is not None or compare is not None:
        if story or thread or entity or narrative:
            raise HTTPException(422, "give q (and compare) or one of story, thread, entity, "
                                     "narrative; entity:NAME in q does the same")  # fmt: skip
        return queries.query_timeline(db, q or "", by=by, compare=compare)
    if sum(1 for v in (story, thread, entity, narrative) if v) > 1:
        raise HTTPException(422, "give at most one of story, thread, entity, narrative")
    try:
        sel = tl.select(db, story=story, thread=thread, entity=entity, narrative=narrative)
    except tl.TimelineError as exc:
        raise HTTPException(404, str(exc)) from None
    return tl.timeline(db, sel, by).to_dict()


@router.get("/narratives", summary="Narrative labels with their document counts and spans")
def narratives(db: Store) -> dict[str, Any]:
    return queries.narratives(db)


@router.get(
    "/narratives/{label:path}",
    summary="One narrative label: its documents with evidence sentences, sub-labels, timeline",
)
def narrative(
    db: Store,
    label: Annotated[str, Path(max_length=500)],
    limit: Limit = 50,
    offset: Offset = 0,
    by: By = "auto",
) -> dict[str, Any]:
    found = queries.narrative(db, label, limit=limit, offset=offset, by=by)
    if found is None:
        raise HTTPException(404, f"no narrative label {label!r}")
    return found
