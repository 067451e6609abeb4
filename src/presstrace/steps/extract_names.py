"""The extract step's corpus-wide name merge, written into the store.

After an ingest, only the surfaces the new documents mention and what they reach are merged
again (extract/incremental.py), and only the documents whose names moved are patched, so the
cost follows the new documents, not the corpus. The whole corpus is merged when the store has
no index yet (a store from before it), the alias table changed, the set of countries the
corpus names changed, or the new names reach half the corpus.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import asdict
from typing import Any

from presstrace.extract import assemble
from presstrace.extract._data import alias_table
from presstrace.extract.incremental import merge_part, near_blocks
from presstrace.extract.names import KEYS_VERSION, Canonical, SurfaceStat, is_alias, merge
from presstrace.store import extracted
from presstrace.store.protocol import Store

PATCH_CHUNK = 500  # documents patched per transaction


class StoredNames:
    """The stored merge as extract/incremental.py's NameIndex reads it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def stats(self, surfaces: Collection[str]) -> list[SurfaceStat]:
        rows = extracted.surface_totals(self.store, sorted(surfaces))
        return [SurfaceStat(r["surface"], r["type"], int(r["mentions"])) for r in rows]

    def keys_of(self, surfaces: Collection[str]) -> dict[str, set[str]]:
        return extracted.name_keys_of(self.store, surfaces)

    def with_keys(self, keys: Collection[str]) -> dict[str, set[str]]:
        return extracted.surfaces_with_keys(self.store, keys)

    def families_near(self, family: str) -> set[str]:
        keys = extracted.name_keys_between(self.store, *near_blocks(family))
        return {k.split("|", 1)[1] for k in keys}

    def countries(self) -> frozenset[str] | None:
        if extracted.name_state(self.store, "aliases") != _alias_digest():
            return None  # merged with another alias table: everything again
        value = extracted.name_state(self.store, "countries")
        return None if value is None else frozenset(value)

    def size(self) -> int:
        return extracted.mapped_count(self.store)


def canonicalise(store: Store) -> tuple[int, int]:
    """Map the surface forms to canonical entities; re-patch the documents whose names
    changed. Returns (documents patched, canonical entities)."""
    unpatched = extracted.unpatched(store)
    part = merge_part(StoredNames(store), extracted.surfaces_of(store, sorted(unpatched)))
    if part is None:
        stats = [
            SurfaceStat(r["surface"], r["type"], int(r["mentions"]))
            for r in extracted.surface_totals(store)
        ]
        merged, surfaces, everything = merge(stats), None, True
    else:
        merged, surfaces, everything = part.merged, sorted(part.surfaces), False
    new = {s: _mapped(c) for s, c in merged.mapping.items()}
    old = extracted.load_map(store, surfaces)
    changed = [s for s, m in new.items() if old.get(s) != m] + [s for s in old if s not in new]
    ids = sorted(unpatched | (extracted.docs_with_surfaces(store, changed) if changed else set()))
    for start in range(0, len(ids), PATCH_CHUNK):
        _patch(store, ids[start : start + PATCH_CHUNK], merged.mapping, everything)
    touched = sorted({m.entity_key for m in [*new.values(), *old.values()]})
    with store.transaction():
        extracted.save_map(store, new, old)
        extracted.rebuild_entities(
            store, _entity_rows(merged.mapping), None if everything else touched
        )
        state = {"countries": sorted(merged.countries), "aliases": _alias_digest()}
        extracted.save_name_index(store, merged.keys, state, everything)
    if everything:
        return len(ids), len({c.key for c in merged.mapping.values()})
    return len(ids), extracted.entity_count(store)


def _mapped(c: Canonical) -> extracted.Mapped:
    place = (c.country, c.lat, c.lon) if c.country is not None else None
    return extracted.Mapped(c.key, c.name, c.type, place)


def _patch(store: Store, chunk: list[str], mapping: dict[str, Canonical], everything: bool) -> None:
    """Write canonical names into these documents and their query-table rows."""
    raws = extracted.raw_results(store, chunk)
    if not everything:  # the names of these documents that were not merged again: as stored
        stored = extracted.load_map(
            store, sorted(extracted.surfaces_of(store, chunk) - mapping.keys())
        )
        mapping = {**{s: _canonical(m) for s, m in stored.items()}, **mapping}
    patches, rows = [], []
    for doc_id in chunk:
        if doc_id not in raws:
            continue
        entities, quotes, claims = assemble(raws[doc_id], mapping)
        fields = {"entities": entities, "quotes": quotes, "claims": claims}
        patch: dict[str, Any] = {k: [asdict(x) for x in v] for k, v in fields.items()}
        if raws[doc_id].get("abstained"):
            # merged into what other stages recorded, never over it
            kept = store.get(doc_id)
            merged = dict(kept.abstained) if kept is not None else {}
            patch["abstained"] = {**merged, **raws[doc_id]["abstained"]}
        patches.append((doc_id, patch))
        rows.append(_rows(doc_id, entities, quotes, claims))
    store.patch(patches)
    with store.transaction():
        extracted.write_doc_rows(store, rows)


def _canonical(m: extracted.Mapped) -> Canonical:
    country, lat, lon = m.place or (None, None, None)
    return Canonical(m.entity_key, m.name, m.type, country, lat, lon)


def _alias_digest() -> str:
    """Which alias table the stored merge used (the shipped one and the user's), and the
    layout of its index keys (names.KEYS_VERSION): either changed, everything is merged
    again."""
    table = json.dumps(alias_table(), sort_keys=True, ensure_ascii=False, default=str)
    text = f"{KEYS_VERSION}|{table}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _rows(doc_id: str, entities, quotes, claims) -> extracted.DocRows:
    return extracted.DocRows(
        doc_id,
        {e.key: e.count for e in entities if e.key},
        [
            (q.speaker_key, q.speaker, q.text, int(q.direct), q.cue, q.start, q.end, q.confidence)
            for q in quotes
        ],
        [(c.value, c.unit, c.text) for c in claims],
    )


def _entity_rows(mapping: dict[str, Canonical]) -> list[tuple]:
    by_key: dict[str, tuple[Canonical, list[str]]] = {}
    for surface, canon in sorted(mapping.items()):
        surfaces = by_key.setdefault(canon.key, (canon, []))[1]
        if is_alias(surface, canon):  # "Ukraine Zelensky" counts for Zelensky, no alias
            surfaces.append(surface)
    return [
        (key, c.name, c.type, surfaces, c.country, c.lat, c.lon)
        for key, (c, surfaces) in sorted(by_key.items())
    ]
