"""Corpus-level steps: the stages that need more than one document (copies, entity names
across the corpus, stories) run here after each ingest, on what the store holds.

Each step is a module listed in STEP_MODULES with a `NAME` and
`run(store, *, progress: bool, jobs: int) -> dict[str, int]`. A step finds the documents it
has not processed yet from its own tables, so an interrupted run resumes where it stopped and
a second run with nothing new does nothing. This package is wiring (like pipeline.py): it
may import a stage and the store; stages never import it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presstrace.store.protocol import Store

# In the order they run: later steps may read what earlier ones stored.
STEP_MODULES: list[str] = [
    "presstrace.steps.copies",
    "presstrace.steps.extract",
    "presstrace.steps.stories",
    "presstrace.steps.narratives",
    "presstrace.steps.threads",
]


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[..., dict[str, int]]


def registered_steps() -> list[Step]:
    steps = []
    for module_name in STEP_MODULES:
        module = importlib.import_module(module_name)
        steps.append(Step(module.NAME, module.run))
    return steps


def step_names() -> list[str]:
    """Names without importing the steps (cheap enough for building the CLI parser)."""
    return [name.rsplit(".", 1)[-1] for name in STEP_MODULES]


def run_steps(
    store: Store, *, progress: bool = False, jobs: int = 1, skip: Iterable[str] = ()
) -> dict[str, dict[str, int]]:
    """Run every registered step not in `skip`; their summaries by step name.

    The steps hold the store's corpus lock: two ingests into one store at once store their
    documents side by side, then run the steps one after the other, so the second finds
    only what the first left (a step reads its pending documents, then writes its tables)."""
    skipped = set(skip)
    with store.corpus_lock():
        return {
            step.name: step.run(store, progress=progress, jobs=jobs)
            for step in registered_steps()
            if step.name not in skipped
        }
