"""HTML pages: each gathers what store.browse returns and renders one template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from presstrace.api.routes import By, Filters, Limit, Offset, Text, store
from presstrace.store import browse
from presstrace.web import environment
from presstrace.web.charts import bar_chart, timeline_chart
from presstrace.web.highlight import paragraphs

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
Store = Annotated[Any, Depends(store)]


def render(template: str, **context: Any) -> str:
    context.setdefault("link", True)  # the report renders the same blocks without links
    return environment().get_template(template).render(**context)


@router.get("/")
def overview(db: Store) -> str:
    data = browse.overview(db)
    return render("overview.html", o=data, chart=bar_chart(data["per_day"]))


@router.get("/documents")
def documents(db: Store, filt: Filters, limit: Limit = 50, offset: Offset = 0) -> str:
    page = browse.list_documents(db, filt, limit=limit, offset=offset)
    params = {k: v for k, v in vars(filt).items() if v}
    labels = [n["label"] for n in browse.narratives(db)["items"]]
    return render("documents.html", page=page, filters=params, labels=labels)


@router.get("/documents/{doc_id}")
def document(db: Store, doc_id: str) -> str:
    view = browse.document(db, doc_id)
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
    q: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=browse.MAX_LIMIT)] = 20,
) -> str:
    hits = browse.search(db, q, limit=limit) if q.strip() else []
    more = min(limit * 3, browse.MAX_LIMIT) if len(hits) == limit < browse.MAX_LIMIT else None
    return render("search.html", q=q, hits=hits, more=more)


@router.get("/entities")
def entities(
    db: Store,
    q: Text = None,
    type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
    limit: Limit = 100,
    offset: Offset = 0,
) -> str:
    page = browse.entities(db, q, type, limit=limit, offset=offset)
    return render("entities.html", page=page, q=q or "", type=type or "",
                  extracted="extract" in browse.parts(db))  # fmt: skip


@router.get("/entities/{key:path}")
def entity(db: Store, key: str) -> str:
    found = browse.entity(db, key)
    if found is None:
        raise HTTPException(404, "no such entity")
    return render("entity.html", e=found, chart=timeline_chart(found["timeline"]))


def _group_pages(kind: str) -> None:
    plural = browse.PLURAL[kind]

    def listing(db: Store, limit: Limit = 50, offset: Offset = 0) -> str:
        page = browse.groups(db, kind, limit=limit, offset=offset)
        return render("groups.html", page=page, kind=kind, plural=plural)

    def one(db: Store, group_id: Annotated[str, Path(max_length=200)], by: By = "auto") -> str:
        found = browse.group(db, kind, group_id, by=by)
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
    return render("narratives.html", page=browse.narratives(db))


@router.get("/narratives/{label:path}")
def narrative(db: Store, label: Annotated[str, Path(max_length=500)],
              limit: Limit = 50, offset: Offset = 0) -> str:  # fmt: skip
    found = browse.narrative(db, label, limit=limit, offset=offset)
    if found is None:
        raise HTTPException(404, "no such narrative label")
    return render("narrative.html", n=found, chart=timeline_chart(found["timeline"]))
