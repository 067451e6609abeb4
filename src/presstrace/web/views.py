"""HTML pages of the outlet view and the places map (issue 16), apart from pages.py so the
query-language pages and these grow without touching each other."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from presstrace.interfaces.params import Filters, Limit, Offset, Text, store
from presstrace.store.protocol import Store as StoreProtocol
from presstrace.store.queries import outlets as outlet_queries
from presstrace.store.queries import places as place_queries
from presstrace.web.charts import timeline_chart
from presstrace.web.maps import place_map
from presstrace.web.pages import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
Store = Annotated[StoreProtocol, Depends(store)]


@router.get("/outlets")
def outlets(db: Store, limit: Limit = 100, offset: Offset = 0) -> str:
    return render("outlets.html", page=outlet_queries.outlets(db, limit=limit, offset=offset))


@router.get("/outlets/{name:path}")
def outlet(db: Store, name: Annotated[str, Path(min_length=1, max_length=200)]) -> str:
    found = outlet_queries.outlet(db, name)
    if found is None:
        raise HTTPException(404, "no such outlet")
    return render("outlet.html", o=found, chart=timeline_chart(found["timeline"]))


@router.get("/map")
def places_map(
    db: Store,
    filt: Filters,
    q: Text = None,
    limit: Annotated[int, Query(ge=1, le=place_queries.MAX_PLACES)] = 150,
) -> str:
    language, filt.language = filt.language, None
    found = place_queries.places(db, query=q, language=language, filt=filt, limit=limit)
    filters = {k: v for k, v in vars(filt).items() if v}
    return render("map.html", found=found, m=place_map(found["items"]), q=q or "",
                  language=language or "", filters=filters)  # fmt: skip
