"""HTML pages: each gathers what store.queries returns and renders one template."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from presstrace.interfaces.params import (
    By,
    Filters,
    Language,
    Limit,
    Offset,
    Store,
    Text,
    filter_query,
)
from presstrace.store import queries
from presstrace.web import environment
from presstrace.web.charts import bar_chart, compare_chart, timeline_chart
from presstrace.web.highlight import paragraphs

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


def render(template: str, **context: Any) -> str:
    context.setdefault("link", True)  # the report renders the same blocks without links
    return environment().get_template(template).render(**context)


@router.get("/")
def overview(db: Store) -> str:
    data = queries.overview(db)
    return render("overview.html", o=data, chart=bar_chart(data["per_day"]))


def _facet_links(page: dict[str, Any], base: str, params: dict[str, Any]) -> None:
    """Each facet value's link: this view with the value's field filter added to q (a
    shareable URL), unless the query already has it."""
    q = page["query"]
    for facet in page["facets"].values():
        for v in facet["values"]:
            narrowed = q if v["filter"] in q else f"{q} {v['filter']}".strip()
            v["href"] = base + "?" + urlencode({**params, "q": narrowed})


def _query_page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=status)


@router.get("/documents")
def documents(
    db: Store,
    filt: Filters,
    q: Annotated[str, Query(max_length=2000)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Annotated[str, Query(max_length=20)] = "",
    copies: bool = False,
) -> HTMLResponse:
    params = {k: v for k, v in vars(filt).items() if v}
    labels = [n["label"] for n in queries.narratives(db)["items"]]
    query = filter_query(q, filt)
    try:
        page = queries.run(db, query, limit=limit, offset=offset, sort=sort or "newest",
                           copies=copies)  # fmt: skip
    except queries.QueryError as exc:
        return _query_page("documents.html", 400, page=None, error=str(exc), q=q,
                           filters=params, labels=labels, sort=sort, copies=copies)  # fmt: skip
    keep = {k: v for k, v in (("sort", sort), ("copies", "true" if copies else None)) if v}
    _facet_links(page, "/documents", keep)
    return _query_page("documents.html", page=page, q=query, filters={}, labels=labels,
                       sort=sort, copies=copies, keep=keep)  # fmt: skip


@router.get("/documents/{doc_id}")
def document(db: Store, doc_id: str) -> str:
    view = queries.document(db, doc_id)
    if view is None:
        raise HTTPException(404, "no such document")
    doc = view.doc
    names: dict[str, str] = {}
    for ent in doc.entities:
        for form in [ent.name, *ent.aliases]:
            names.setdefault(form, ent.name)
    paras = paragraphs(doc.text, [(q.start, q.end) for q in doc.quotes], names)
    return render("document.html", view=view, doc=doc, paras=paras, keys=view.entity_keys)


@router.get("/search")
def search(
    db: Store,
    q: Annotated[str, Query(max_length=2000)] = "",
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    offset: Offset = 0,
    language: Language = None,
    sort: Annotated[str, Query(max_length=20)] = "",
    copies: bool = False,
) -> HTMLResponse:
    """The search page: the query language, the total, rows with "+N copies", facets
    whose links add their filter to the query, a link to the query's timeline."""
    context = {"q": q, "language": language, "sort": sort, "copies": copies}
    if not q.strip() and not language:
        return _query_page("search.html", page=None, **context)
    try:
        page = queries.run(db, q, limit=limit, offset=offset, language=language,
                           sort=sort or None, copies=copies)  # fmt: skip
    except queries.QueryError as exc:
        return _query_page("search.html", 400, page=None, error=str(exc), **context)
    keep = {k: v for k, v in (("sort", sort), ("copies", "true" if copies else None)) if v}
    _facet_links(page, "/search", keep)
    return _query_page("search.html", page=page, keep=keep, **{**context, "q": page["query"]})


@router.get("/timeline")
def timeline(
    db: Store,
    q: Annotated[str, Query(max_length=2000)] = "",
    compare: Annotated[str, Query(max_length=2000)] = "",
    by: By = "auto",
) -> HTMLResponse:
    """Documents per period for a query, and a second one on the same chart; each bar
    links to the search for its query and period."""
    context = {"q": q, "compare": compare, "by": by}
    try:
        found = queries.query_timeline(db, q, by=by, compare=compare or None)
    except queries.QueryError as exc:
        return _query_page("timeline.html", 400, found=None, chart=None, error=str(exc),
                           **context)  # fmt: skip
    return _query_page("timeline.html", found=found, chart=compare_chart(found), **context)


@router.get("/entities")
def entities(
    db: Store,
    q: Text = None,
    type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
    limit: Limit = 100,
    offset: Offset = 0,
) -> str:
    page = queries.entities(db, q, type, limit=limit, offset=offset)
    return render("entities.html", page=page, q=q or "", type=type or "",
                  extracted="extract" in queries.parts(db))  # fmt: skip


@router.get("/entities/{key:path}")
def entity(db: Store, key: str) -> str:
    found = queries.entity(db, key)
    if found is None:
        raise HTTPException(404, "no such entity")
    return render("entity.html", e=found, chart=timeline_chart(found["timeline"]))


def _group_pages(kind: str) -> None:
    plural = queries.PLURAL[kind]

    def listing(db: Store, limit: Limit = 50, offset: Offset = 0) -> str:
        page = queries.groups(db, kind, limit=limit, offset=offset)
        return render("groups.html", page=page, kind=kind, plural=plural)

    def one(db: Store, group_id: Annotated[str, Path(max_length=200)], by: By = "auto") -> str:
        found = queries.group(db, kind, group_id, by=by)
        if found is None:
            raise HTTPException(404, f"no such {kind}")
        return render("group.html", g=found, plural=plural,
                      chart=timeline_chart(found["timeline"]))  # fmt: skip

    router.add_api_route(f"/{plural}", listing, methods=["GET"])
    router.add_api_route(f"/{plural}/{{group_id:path}}", one, methods=["GET"])


_group_pages("story")
_group_pages("thread")


@router.get("/narratives")
def narratives(db: Store) -> str:
    return render("narratives.html", page=queries.narratives(db))


@router.get("/narratives/{label:path}")
def narrative(db: Store, label: Annotated[str, Path(max_length=500)],
              limit: Limit = 50, offset: Offset = 0) -> str:  # fmt: skip
    found = queries.narrative(db, label, limit=limit, offset=offset)
    if found is None:
        raise HTTPException(404, "no such narrative label")
    return render("narrative.html", n=found, chart=timeline_chart(found["timeline"]))
