"""HTML pages: each gathers what store.queries returns and renders one template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from presstrace.interfaces.params import By, Filters, Language, Limit, Offset, Store, Text
from presstrace.store import queries
from presstrace.web import environment
from presstrace.web.charts import bar_chart, timeline_chart
from presstrace.web.highlight import paragraphs

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


def render(template: str, **context: Any) -> str:
    context.setdefault("link", True)  # the report renders the same blocks without links
    return environment().get_template(template).render(**context)


@router.get("/")
def overview(db: Store) -> str:
    data = queries.overview(db)
    return render("overview.html", o=data, chart=bar_chart(data["per_day"]))


@router.get("/documents")
def documents(db: Store, filt: Filters, limit: Limit = 50, offset: Offset = 0) -> str:
    page = queries.list_documents(db, filt, limit=limit, offset=offset)
    params = {k: v for k, v in vars(filt).items() if v}
    labels = [n["label"] for n in queries.narratives(db)["items"]]
    return render("documents.html", page=page, filters=params, labels=labels)


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
    q: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    language: Language = None,
) -> str:
    hits = queries.search(db, q, limit=limit, language=language)
    more = min(limit * 3, queries.MAX_LIMIT) if len(hits) == limit < queries.MAX_LIMIT else None
    return render("search.html", q=q, hits=hits, more=more, language=language)


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
