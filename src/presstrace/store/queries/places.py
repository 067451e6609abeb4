"""Places mentioned, with their gazetteer coordinates, for a map: the corpus's, or those of
the documents a query (and language, document filters) selects, as search selects them.

The extraction stage stores a place entity's coordinates with the entity (`entities.lat`,
`lon`: the gazetteer's, a country at its capital). Each place is counted in the selection:
how many selected documents mention it and how often.
"""

from __future__ import annotations

from typing import Any, TypedDict

from presstrace.store.protocol import RowValue, Store
from presstrace.store.queries.corpus import DocumentFilter, parts
from presstrace.store.queries.tables import counted_entities, mention_counts, selected_ids

# Places on one map: the most mentioned; more dots than this cover each other.
MAX_PLACES = 300


class PlaceList(TypedDict):
    """What `places` returns (and `geojson` turns into GeoJSON)."""

    total: int  # places with coordinates in the selection
    documents: int | None  # documents selected; None for the whole corpus
    items: list[dict[str, RowValue]]  # key, name, type, country, lat, lon, documents, mentions


def places(
    store: Store,
    query: str | None = None,
    language: str | None = None,
    filt: DocumentFilter | None = None,
    limit: int = MAX_PLACES,
) -> PlaceList:
    """{"total": places with coordinates, "documents": selected documents or None for the
    corpus, "items": [{key, name, type, country, lat, lon, documents, mentions}]}, most
    mentioned first."""
    if "extract" not in parts(store):
        return {"total": 0, "documents": 0, "items": []}
    ids = selected_ids(store, query, language, filt)
    located = "lat IS NOT NULL AND lon IS NOT NULL"
    if ids is None:
        rows = store.sql(
            "SELECT key, name, type, country, lat, lon, documents, mentions FROM entities "
            f"WHERE {located} ORDER BY documents DESC, mentions DESC, key"
        )
        return {"total": len(rows), "documents": None, "items": rows[:limit]}
    counts = mention_counts(store, ids, located=True)
    items = list(counted_entities(store, counts, "key, name, type, country, lat, lon", limit))
    return {"total": len(counts), "documents": len(ids), "items": items}


def geojson(result: PlaceList) -> dict[str, Any]:
    """places() as a GeoJSON FeatureCollection (points at [lon, lat], RFC 7946 order)."""
    return {
        "type": "FeatureCollection",
        "total": result["total"],
        "documents": result["documents"],
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {k: p[k] for k in ("key", "name", "type", "country",
                                                 "documents", "mentions")},  # fmt: skip
            }
            for p in result["items"]
        ],
    }
