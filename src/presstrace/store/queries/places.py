"""Places mentioned, with their gazetteer coordinates, for a map: the corpus's, or those of
the documents a query (and language, document filters) selects, as search selects them.

The extraction stage stores a place entity's coordinates with the entity (`entities.lat`,
`lon`: the gazetteer's, a country at its capital). Each place is counted in the selection:
how many selected documents mention it and how often.
"""

from __future__ import annotations

from typing import Any

from presstrace.store.protocol import Store
from presstrace.store.queries.corpus import DocumentFilter, parts
from presstrace.store.queries.tables import selected_ids

# Places on one map: the most mentioned; more dots than this cover each other.
MAX_PLACES = 300
_CHUNK = 450  # ids a query (SQLite's parameter cap, as tables.py)


def places(
    store: Store,
    query: str | None = None,
    language: str | None = None,
    filt: DocumentFilter | None = None,
    limit: int = MAX_PLACES,
) -> dict[str, Any]:
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
    counts: dict[str, list[int]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for r in store.sql(
            "SELECT m.entity_key, m.count FROM entity_mentions m JOIN entities e "
            "ON e.key = m.entity_key WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL "
            f"AND m.doc_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            c = counts.setdefault(r["entity_key"], [0, 0])
            c[0] += 1
            c[1] += int(r["count"])
    keys = sorted(counts, key=lambda k: (-counts[k][0], -counts[k][1], k))
    items = []
    for start in range(0, min(len(keys), limit), _CHUNK):
        some = keys[start : min(start + _CHUNK, limit)]
        found = {
            r["key"]: r
            for r in store.sql(
                "SELECT key, name, type, country, lat, lon FROM entities "
                f"WHERE key IN ({','.join('?' * len(some))})",
                some,
            )
        }
        items += [{**found[k], "documents": counts[k][0], "mentions": counts[k][1]}
                  for k in some if k in found]  # fmt: skip
    return {"total": len(keys), "documents": len(ids), "items": items}


def geojson(result: dict[str, Any]) -> dict[str, Any]:
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
