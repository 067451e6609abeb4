"""Corpus step "extract": spaCy NER + presstrace's rules on every document not yet seen,
then corpus-wide name canonicalisation, written into the Documents and the query tables.

Resumable: each batch of documents is committed with its raw result (extract_docs), so an
interrupted run goes on where it stopped. Incremental: names are re-canonicalised over the
whole corpus after each run, and only documents whose names changed (or that are new) are
patched again; a run with nothing new changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import Any

from tqdm import tqdm

from presstrace.errors import StepError
from presstrace.extract import assemble, extract, extract_known, surface_counts
from presstrace.extract import nlp as spacy_model
from presstrace.extract._data import AliasFileError
from presstrace.extract.known import KnownNames
from presstrace.extract.names import Canonical, SurfaceStat, canonicalise, is_alias
from presstrace.store import extracted
from presstrace.store.protocol import Store

NAME = "extract"
BATCH = 200
PARALLEL_FROM = 400  # below this many documents, worker start-up costs more than it saves


def run(store: Store, *, progress: bool, jobs: int) -> dict[str, int]:
    try:
        pending = extracted.count_unprocessed(store)
        processed = _process(store, pending, progress, jobs) if pending else 0
        if not processed and not extracted.unpatched(store):
            return {"processed": 0, "patched": 0}
        patched, entities = _canonicalise(store)
    except (spacy_model.ModelError, AliasFileError) as exc:
        raise StepError(f"extract: {exc}") from None  # one line, not a traceback
    return {"processed": processed, "patched": patched, "entities": entities}


def _process(store: Store, pending: int, progress: bool, jobs: int) -> int:
    """One pass per language with an NER model (its documents through its model), then one
    over the documents in the other languages, which get only the names the corpus knows by
    then and gazetteer places (their abstention is recorded)."""
    n_process = jobs if jobs > 1 and pending >= PARALLEL_FROM else 1
    bar = tqdm(total=pending, unit=" doc", desc="extract", disable=not progress, leave=False)
    done = 0
    try:
        for language in spacy_model.MODELS:
            wanted = _texts(store, lambda lang, code=language: spacy_model.model_for(lang) == code)
            first = next(wanted, None)
            if first is None:
                continue  # no document in this language: its model is not even loaded
            docs = spacy_model.load(language).pipe(
                ((t[: spacy_model.MAX_CHARS], i) for i, t, _ in _chain(first, wanted)),
                as_tuples=True,
                n_process=n_process,
                batch_size=32,
            )
            done += _save_all(
                store, ((i, lambda d=d, c=language: extract(d.text, d, c)) for d, i in docs), bar
            )
        rest = _texts(store, lambda lang: spacy_model.model_for(lang) is None)
        first = next(rest, None)
        if first is not None:
            known = KnownNames(
                (r["surface"], r["type"], int(r["mentions"]))
                for r in extracted.surface_totals(store)
            )
            done += _save_all(
                store,
                (
                    (i, lambda t=t, lang=lang: extract_known(t, known, lang))
                    for i, t, lang in _chain(first, rest)
                ),
                bar,
            )
    finally:
        bar.close()
    return done


def _save_all(store: Store, work: Iterator[tuple[str, Callable[[], dict]]], bar: Any) -> int:
    done = 0
    batch: list[tuple[str, dict, dict]] = []
    for doc_id, run_one in work:
        try:
            raw = run_one()
        except Exception as exc:  # one odd document must not stop the corpus
            raw = {"mentions": [], "quotes": [], "claims": [], "error": repr(exc)[:200]}
        batch.append((doc_id, raw, surface_counts(raw)))
        if len(batch) >= BATCH:
            done += _save(store, batch)
            bar.update(len(batch))
            batch = []
    if batch:
        done += _save(store, batch)
        bar.update(len(batch))
    return done


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _texts(store: Store, wanted: Callable[[str | None], bool]) -> Iterator[tuple[str, str, Any]]:
    """(id, text, language) of the unprocessed documents whose language `wanted` takes."""
    after = ""
    while rows := extracted.unprocessed(store, BATCH, after):
        yield from (row for row in rows if wanted(row[2]))
        after = rows[-1][0]


def _save(store: Store, batch: list[tuple[str, dict, dict]]) -> int:
    with store.transaction():
        extracted.save_raw(store, batch)
    return len(batch)


def _canonicalise(store: Store) -> tuple[int, int]:
    """Map every surface form to its canonical entity; re-patch the documents whose names
    changed. Returns (documents patched, canonical entities)."""
    stats = [
        SurfaceStat(r["surface"], r["type"], int(r["mentions"]))
        for r in extracted.surface_totals(store)
    ]
    mapping = canonicalise(stats)
    new = {s: extracted.Mapped(c.key, c.name, c.type) for s, c in mapping.items()}
    old = extracted.load_map(store)
    changed = [s for s, m in new.items() if old.get(s) != m] + [s for s in old if s not in new]
    affected = extracted.unpatched(store) | (
        extracted.docs_with_surfaces(store, changed) if changed else set()
    )
    ids = sorted(affected)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        raws = extracted.raw_results(store, chunk)
        patches, rows = [], []
        for doc_id in chunk:
            if doc_id not in raws:
                continue
            entities, quotes, claims = assemble(raws[doc_id], mapping)
            fields = {"entities": entities, "quotes": quotes, "claims": claims}
            patch: dict[str, Any] = {k: [asdict(x) for x in v] for k, v in fields.items()}
            if raws[doc_id].get("abstained"):
                # merged into what other stages recorded, never over it
                stored = store.get(doc_id)
                merged = dict(stored.abstained) if stored is not None else {}
                patch["abstained"] = {**merged, **raws[doc_id]["abstained"]}
            patches.append((doc_id, patch))
            rows.append(_rows(doc_id, entities, quotes, claims))
        store.patch(patches)
        with store.transaction():
            extracted.write_doc_rows(store, rows)
    if changed or ids:
        with store.transaction():
            extracted.save_map(store, new, old)
            extracted.rebuild_entities(store, _entity_rows(mapping))
    return len(ids), len({c.key for c in mapping.values()})


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
