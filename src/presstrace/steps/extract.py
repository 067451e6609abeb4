"""Corpus step "extract": spaCy NER + presstrace's rules on every document not yet seen,
then corpus-wide name canonicalisation, written into the Documents and the query tables.

The per-document part (the NER pass and the rules on one document) runs on the ingest's
engine (engines.py): a local process pool with `--jobs`, a Dask cluster with `--dask` or
`--scheduler`; the driver feeds it batches, writes results and does the corpus-wide merge.

Resumable: each batch of documents is committed with its raw result (extract_docs), so an
interrupted run goes on where it stopped. Incremental: after each run the names the new
documents mention, and what they reach, are merged again (steps/extract_names.py), and only
documents whose names changed (or that are new) are patched; a run with nothing new changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from tqdm import tqdm

from presstrace.engines import DaskEngine, Engine, InProcess, make_engine
from presstrace.errors import StepError
from presstrace.extract import extract, extract_known, extract_many, surface_counts
from presstrace.extract import nlp as spacy_model
from presstrace.extract._data import AliasFileError
from presstrace.extract.known import KnownNames
from presstrace.steps.extract_names import canonicalise
from presstrace.store import extracted
from presstrace.store.protocol import Store

NAME = "extract"
ON_ENGINE = True  # run_steps hands this step the ingest's engine
BATCH = 200
PARALLEL_FROM = 400  # below this many documents, worker start-up costs more than it saves
NER_BATCH = 32  # documents per spaCy pipe call and per engine task (spaCy's default batch)
WINDOW = 32  # engine tasks in flight at once (1,024 documents): keeps 2-8 workers busy


def run(store: Store, *, progress: bool, jobs: int, engine: Engine | None = None) -> dict[str, int]:
    try:
        pending = extracted.count_unprocessed(store)
        processed = _process(store, pending, progress, jobs, engine) if pending else 0
        if not processed and not extracted.unpatched(store):
            return {"processed": 0, "patched": 0}
        patched, entities = canonicalise(store)
    except (spacy_model.ModelError, AliasFileError) as exc:
        raise StepError(f"extract: {exc}") from None  # one line, not a traceback
    return {"processed": processed, "patched": patched, "entities": entities}


def _engine_for(engine: Engine | None, pending: int, jobs: int) -> tuple[Engine, bool]:
    """(engine, owned): the ingest's engine, except a local pool for a handful of documents
    (each worker would load spaCy for nothing); a cluster is always used (the user asked for
    it). Called without one (a step run alone), a pool of `jobs` of our own."""
    if isinstance(engine, DaskEngine):
        return engine, False
    if pending < PARALLEL_FROM or jobs <= 1:
        return InProcess(), False
    if engine is not None and not isinstance(engine, InProcess):
        return engine, False
    return make_engine(jobs), True


def extract_batch(job: tuple[str, list[tuple[str, str]]]) -> list[tuple[str, dict]]:
    """The per-document part, run on an engine's worker: NER with the language's model (loaded
    once per worker process) and presstrace's rules."""
    language, docs = job
    return list(_extract_docs(language, iter(docs)))


def _extract_docs(language: str, docs: Iterator[tuple[str, str]]) -> Iterator[tuple[str, dict]]:
    """(id, raw) per document, in order, NER_BATCH documents at a time as spaCy's pipe
    yields them (their attribution parses made together: extract_many); a document that
    fails gets an error result instead of stopping the batch."""
    nlp = spacy_model.load(language)
    cut = ((doc_id, text[: spacy_model.MAX_CHARS]) for doc_id, text in docs)
    pairs = nlp.pipe(
        ((text, (doc_id, text)) for doc_id, text in cut),
        as_tuples=True,
        batch_size=NER_BATCH,
    )
    while group := list(islice(pairs, NER_BATCH)):
        yield from _extract_group(language, group)


def _extract_group(
    language: str, group: list[tuple[Any, tuple[str, str]]]
) -> list[tuple[str, dict]]:
    """The raw results of one group of (spaCy Doc, (id, text)); the text is the one given to
    spaCy (a Doc's .text would be rebuilt token by token). If the group fails as a whole,
    each document is tried alone, so only the odd one gets an error result."""
    try:
        raws = extract_many([(text, doc) for doc, (_, text) in group], language)
    except Exception:  # which document failed is found out one by one below
        raws = [_extract_one(text, doc, language) for doc, (_, text) in group]
    return [(doc_id, raw) for (_, (doc_id, _)), raw in zip(group, raws, strict=True)]


def _extract_one(text: str, doc: Any, language: str) -> dict:
    try:
        return extract(text, doc, language)
    except Exception as exc:  # one odd document must not stop the corpus
        return _failed(exc)


def _depends_on(raw: dict) -> dict[tuple[str, str], int]:
    """The surface counts of a document, plus its quote speakers that are not mentions
    (count 0): their mapping decides the quotes' keys, so a change must re-patch it."""
    counts = surface_counts(raw)
    mentioned = {s for s, _ in counts}
    for q in raw.get("quotes", ()):
        if q.get("speaker") and q["speaker"] not in mentioned:
            counts[(q["speaker"], extracted.SPEAKER)] = 0
    return counts


def _failed(exc: Exception) -> dict:
    return {"mentions": [], "quotes": [], "claims": [], "error": repr(exc)[:200]}


def _process(store: Store, pending: int, progress: bool, jobs: int, given: Engine | None) -> int:
    """One pass per language with an NER model (its documents through its model, on the
    engine), then one over the documents in the other languages, which get only the names
    the corpus knows by then and gazetteer places (their abstention is recorded)."""
    engine, owned = _engine_for(given, pending, jobs)
    bar = tqdm(total=pending, unit=" doc", desc="extract", disable=not progress, leave=False)
    done = 0
    try:
        for language in spacy_model.MODELS:
            wanted = _texts(store, lambda lang, code=language: spacy_model.model_for(lang) == code)
            done += _save_all(store, _on_engine(engine, language, wanted), bar)
        rest = _texts(store, lambda lang: spacy_model.model_for(lang) is None)
        first = next(rest, None)
        if first is not None:
            known = KnownNames(
                (r["surface"], r["type"], int(r["mentions"]))
                for r in extracted.surface_totals(store)
            )
            done += _save_all(store, _known(known, (t for t in _chain(first, rest))), bar)
    finally:
        bar.close()
        if owned:
            engine.close()
    return done


def _on_engine(
    engine: Engine, language: str, docs: Iterator[tuple[str, str, Any]]
) -> Iterator[tuple[str, dict]]:
    """(id, raw) of `docs` in order, extracted on the engine WINDOW batches at a time (no
    document in this language: nothing is sent and the model is not even loaded). In this
    process the documents stream one by one, so an interruption loses no finished batch."""
    if isinstance(engine, InProcess):
        first = next(docs, None)
        if first is not None:
            yield from _extract_docs(language, ((i, t) for i, t, _ in _chain(first, docs)))
        return
    while True:
        window: list[tuple[str, list[tuple[str, str]]]] = []
        batch: list[tuple[str, str]] = []
        for doc_id, text, _ in docs:
            batch.append((doc_id, text))
            if len(batch) == NER_BATCH:
                window.append((language, batch))
                batch = []
                if len(window) == WINDOW:
                    break
        if batch:
            window.append((language, batch))
        if not window:
            return
        for results in engine.map(extract_batch, window):
            yield from results


def _known(known: KnownNames, docs: Iterator[tuple[str, str, Any]]) -> Iterator[tuple[str, dict]]:
    """Documents in languages without a model: cheap, and they need the corpus's names, so
    they run here."""
    for doc_id, text, language in docs:
        try:
            raw = extract_known(text, known, language)
        except Exception as exc:  # one odd document must not stop the corpus
            raw = _failed(exc)
        yield doc_id, raw


def _save_all(store: Store, work: Iterator[tuple[str, dict]], bar: Any) -> int:
    done = 0
    batch: list[tuple[str, dict, dict]] = []
    for doc_id, raw in work:
        batch.append((doc_id, raw, _depends_on(raw)))
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
