"""Corpus-level steps: the stages that need more than one document (copies, entity names
across the corpus, stories) run here after each ingest, on what the store holds.

Each step is a module with `run(store, *, progress: bool, jobs: int) -> dict[str, int]`,
declared below with what it needs and what it assigns (Document fields, as spaCy components
declare `requires` and `assigns`); the order they run in is derived from that, never
written by hand: a step runs after every step that assigns what it needs. A step finds the
documents it has not processed yet from its own tables, so an interrupted run resumes where
it stopped and a second run with nothing new does nothing. This package is wiring (like
pipeline.py): it may import a stage and the store; stages never import it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presstrace.engines import Engine
from presstrace.store.protocol import Store

# What the ingest itself assigns: every step may need these.
INGESTED = frozenset({"text", "title", "published", "outlet", "language"})


@dataclass(frozen=True)
class StepSpec:
    """A step as declared: its name, module, the Document fields it reads and writes."""

    name: str
    module: str
    needs: frozenset[str]
    assigns: frozenset[str]


def _spec(name: str, needs: set[str], assigns: set[str]) -> StepSpec:
    return StepSpec(name, f"presstrace.steps.{name}", frozenset(needs), frozenset(assigns))


# Listed in any order; ties (steps that do not depend on each other) keep this order.
DECLARED: list[StepSpec] = [
    _spec("copies", needs={"text"}, assigns={"duplicate_of"}),
    _spec("extract", needs={"text"}, assigns={"entities", "quotes", "claims"}),
    # canonical documents first, entity weight in the similarity
    _spec("stories", needs={"text", "published", "duplicate_of", "entities"},
          assigns={"story_id"}),
    _spec("narratives", needs={"text"}, assigns={"narratives"}),
    # a component spanning several stories is a thread; one story's coverage is not
    _spec("threads", needs={"text", "entities", "story_id"}, assigns={"thread_id"}),
]  # fmt: skip


def ordered(specs: list[StepSpec]) -> list[StepSpec]:
    """The steps in an order where each runs after those assigning what it needs; among
    steps free to run, the first declared. Refuses a need nobody assigns, two steps that
    assign one field, and a cycle."""
    by_field: dict[str, StepSpec] = {}
    for spec in specs:
        for field in spec.assigns:
            if field in by_field or field in INGESTED:
                raise ValueError(f"step {spec.name}: {field} is already assigned")
            by_field[field] = spec
    after: dict[str, set[str]] = {}
    for spec in specs:
        missing = spec.needs - INGESTED - by_field.keys()
        if missing:
            needed = ", ".join(sorted(missing))
            raise ValueError(f"step {spec.name} needs {needed}: no step assigns it")
        after[spec.name] = {by_field[f].name for f in spec.needs - INGESTED} - {spec.name}
    done: list[StepSpec] = []
    left = list(specs)
    while left:
        ready = next((s for s in left if after[s.name] <= {d.name for d in done}), None)
        if ready is None:
            raise ValueError(f"steps depend on each other: {', '.join(s.name for s in left)}")
        done.append(ready)
        left.remove(ready)
    return done


STEP_MODULES: list[str] = [spec.module for spec in ordered(DECLARED)]


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[..., dict[str, int]]
    on_engine: bool = False  # its per-document part runs on the ingest's engine


def registered_steps(skip: Iterable[str] = ()) -> list[Step]:
    """The steps in running order, those in `skip` left out and never imported (the copies
    step imports datasketch, which imports scipy: 0.5-1 s for an ingest that skips it)."""
    skipped = set(skip)
    steps = []
    for module_name in STEP_MODULES:
        if module_name.rsplit(".", 1)[-1] in skipped:
            continue
        module = importlib.import_module(module_name)
        steps.append(Step(module.NAME, module.run, getattr(module, "ON_ENGINE", False)))
    return steps


def step_names() -> list[str]:
    """Names without importing the steps (cheap enough for building the CLI parser)."""
    return [name.rsplit(".", 1)[-1] for name in STEP_MODULES]


def run_steps(
    store: Store,
    *,
    progress: bool = False,
    jobs: int = 1,
    skip: Iterable[str] = (),
    engine: Engine | None = None,
) -> dict[str, dict[str, int]]:
    """Run every registered step not in `skip`; their summaries by step name. A step that
    declares ON_ENGINE gets `engine` (the ingest's: process pool or Dask cluster) for its
    per-document part; its corpus-level part stays here.

    The steps hold the store's corpus lock: two ingests into one store at once store their
    documents side by side, then run the steps one after the other, so the second finds
    only what the first left (a step reads its pending documents, then writes its tables)."""
    skipped = set(skip)
    with store.corpus_lock():
        return {
            step.name: step.run(
                store,
                progress=progress,
                jobs=jobs,
                **({"engine": engine} if step.on_engine else {}),
            )
            for step in registered_steps(skipped)
        }
