"""Runs the stages in order: ingest -> clean -> meta -> store, then the corpus-level steps
(presstrace/steps: copies, extraction, grouping) over what the store holds.

Stages never import each other; this module is the only place that wires them. Per-document
work (`build_document`) is a pure function of the raw input, so it can run anywhere; the
store sees whole batches, each written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from tqdm import tqdm

from presstrace.clean.text import clean_text
from presstrace.engines import make_engine
from presstrace.ingest import IngestFailure, IngestOptions, read_inputs
from presstrace.meta.dates import infer_published, why_undated
from presstrace.meta.language import detect_language
from presstrace.meta.outlet import find_cited_sources, find_outlet
from presstrace.meta.title import choose_title
from presstrace.model import Document, RawDocument, Removed
from presstrace.steps import run_steps
from presstrace.store import Store

BATCH_SIZE = 200


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    already_stored: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    steps: dict[str, dict[str, int]] = field(default_factory=dict)


class EmptyDocument(ValueError):
    """Cleaning left no article text: everything in the input was boilerplate or markup."""


def build_document(raw: RawDocument) -> Document:
    """Clean one raw input and read its metadata. Pure: same input, same Document."""
    if raw.kind == "html":
        # imported on the first page: trafilatura and lxml are ~0.4 s of CPU at start-up
        # that a plain-text ingest never uses
        from presstrace.clean.html import clean_html

        cleaned = clean_html(raw.content, raw.hints.get("url"))
    else:
        cleaned = clean_text(raw.content)
    if not cleaned.text.strip():
        raise EmptyDocument("no article text left after cleaning")
    hints = _merge_hints(raw.hints, cleaned.metadata)
    removed_texts = [r.text for r in cleaned.removed]
    title = choose_title(cleaned.title, hints)
    outlet, outlet_evidence = find_outlet(cleaned.text, removed_texts, hints)
    language = detect_language(cleaned.text)
    published = infer_published(
        cleaned.text,
        title=title,
        hints=hints,
        removed_texts=removed_texts,
        lang=language,
        page=raw.content if raw.kind == "text" else None,
    )
    undated = why_undated(published)
    return Document(
        id=raw.id,
        source=raw.source,
        kind=raw.kind,
        title=title,
        text=cleaned.text,
        removed=_with_truncation(cleaned.removed, raw.hints),
        published=published,
        outlet=outlet,
        outlet_evidence=outlet_evidence,
        cited_sources=find_cited_sources(cleaned.text),
        language=language,
        url=hints.get("url"),
        hints=hints,
        abstained={"date": undated} if undated else {},
    )


def _with_truncation(removed: list[Removed], hints: dict) -> list[Removed]:
    """What cleaning removed, plus the tail ingest cut from an over-long input (the note in
    hints["truncated"], ingest/sanitize.py), so the cut is shown like any other removal."""
    if not hints.get("truncated"):
        return removed
    return [*removed, Removed(text=str(hints["truncated"]), reason="truncated: too long")]


def build_or_fail(raw: RawDocument) -> Document | IngestFailure:
    """build_document that returns a failure instead of raising: one bad document must not
    stop the run, and a worker process must hand back something picklable."""
    try:
        return build_document(raw)
    except EmptyDocument as exc:
        return IngestFailure(raw.source, str(exc))
    except Exception as exc:
        return IngestFailure(raw.source, f"could not process ({type(exc).__name__}: {exc})")


def _merge_hints(container: dict, page: dict) -> dict:
    """Container fields (a JSON `date`, a feed's pubDate) win over what the page says of
    itself; page metadata fills the gaps."""
    merged = {k: v for k, v in page.items() if v not in (None, "")}
    if merged.get("date") and not merged.get("date_evidence"):
        merged["date_evidence"] = "HTML metadata"
    merged.update({k: v for k, v in container.items() if v not in (None, "")})
    return merged


def ingest(
    specs: Iterable[str],
    store: Store,
    *,
    options: IngestOptions | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    progress: bool = False,
    batch_size: int = BATCH_SIZE,
    jobs: int = 1,
    dask: str | None = None,
    skip_steps: Iterable[str] = (),
) -> IngestReport:
    """Read, clean, date and store every input; failures are reported and skipped.

    Documents already in the store are skipped before any work is done on them, which makes
    re-running an ingest a no-op and resuming an interrupted one cheap. With jobs > 1 the
    per-document stages run in that many worker processes, with `dask` on a Dask cluster
    ("local" or a scheduler address); the store stays in this process. Then the corpus
    steps not named in `skip_steps` run over every stored document they have not seen yet,
    extraction's per-document part on the same engine.
    """
    report = IngestReport()

    def fail(failure: IngestFailure) -> None:
        report.failures.append(failure)
        if on_failure:
            on_failure(failure)

    engine = make_engine(jobs, dask)
    bar = tqdm(unit=" doc", desc="ingest", disable=not progress, dynamic_ncols=True)
    raws = _raw_documents(read_inputs(specs, options=options), fail)
    try:
        for batch in _batches(raws, batch_size):
            report.read += len(batch)
            fresh = _drop_known(batch, store)
            report.already_stored += len(batch) - len(fresh)
            results = engine.map(build_or_fail, fresh) if fresh else []
            built = []
            for raw, result in zip(fresh, results, strict=True):
                if isinstance(result, IngestFailure):
                    fail(result)
                else:
                    built.append((raw, result))
            report.added += store.add_batch(built)
            bar.update(len(batch))
            bar.set_postfix(added=report.added, failed=len(report.failures), refresh=False)
        bar.close()
        # the same engine carries the steps' per-document parts (extraction)
        report.steps = run_steps(
            store, progress=progress, jobs=jobs, skip=skip_steps, engine=engine
        )
    finally:
        bar.close()
        engine.close()
    return report


def _raw_documents(
    items: Iterator[RawDocument | IngestFailure], fail: Callable[[IngestFailure], None]
) -> Iterator[RawDocument]:
    for item in items:
        if isinstance(item, IngestFailure):
            fail(item)
        else:
            yield item


def _batches(items: Iterator[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    while batch := list(islice(items, size)):
        yield batch


def _drop_known(batch: list[RawDocument], store: Store) -> list[RawDocument]:
    """Inputs not yet stored, each id once (the same file given twice is one document)."""
    known = store.existing_ids(raw.id for raw in batch)
    fresh: dict[str, RawDocument] = {}
    for raw in batch:
        if raw.id not in known and raw.id not in fresh:
            fresh[raw.id] = raw
    return list(fresh.values())
