"""REST endpoints of the outlet view and the places map (issue 16): each validates its
parameters, asks store.queries, returns JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from presstrace.interfaces.params import By, Filters, Limit, Offset, Store, Text
from presstrace.store.queries import outlets as outlet_queries
from presstrace.store.queries import places as place_queries

router = APIRouter(tags=["views"])
OutletName = Annotated[str, Path(min_length=1, max_length=200)]
MapLimit = Annotated[int, Query(ge=1, le=place_queries.MAX_PLACES)]


@router.get("/outlets", summary="Outlets, most documents first")
def outlets(db: Store, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    return outlet_queries.outlets(db, limit=limit, offset=offset)


@router.get(
    "/outlets/{name:path}",
    summary="One outlet: documents per month, whom it copies, who copies it, top entities",
)
def outlet(db: Store, name: OutletName, by: By = "month") -> dict[str, Any]:
    found = outlet_queries.outlet(db, name, by=by)
    if found is None:
        raise HTTPException(404, f"no outlet {name!r}")
    return found


@router.get(
    "/places",
    summary="Places mentioned, with coordinates, for a query and filters (GeoJSON points)",
)
def places(db: Store, filt: Filters, q: Text = None, limit: MapLimit = 300) -> dict[str, Any]:
    language, filt.language = filt.language, None
    found = place_queries.places(db, query=q, language=language, filt=filt, limit=limit)
    return place_queries.geojson(found)
