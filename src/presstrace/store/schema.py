"""Tables that belong to one later stage (copies, extraction, grouping) are declared as a
`SchemaPart` in that stage's store module, with their own version, so each stage adds and
upgrades its tables without renumbering the core migrations or anyone else's.

A part lists its steps once, as templates that `Dialect.render` fills with the backend's
column types (`{key}`, `{real}`, `{blob}`, … dialect.py); both backends record the version of
each part in the `schema_parts` table and apply only the missing steps. Append new steps;
never change what a released one does to a store that has run it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from presstrace.store.dialect import Dialect


@dataclass(frozen=True)
class SchemaPart:
    name: str
    templates: tuple[str, ...]

    @property
    def version(self) -> int:
        return len(self.templates)

    def steps(self, dialect: Dialect) -> list[str]:
        """The steps, rendered for one backend."""
        return [dialect.render(template) for template in self.templates]


# One line per stage module that declares `PART = SchemaPart(...)`; order = creation order.
PART_MODULES: list[str] = [
    "presstrace.store.copies",
    "presstrace.store.extracted",
    "presstrace.store.stories",
    "presstrace.store.narratives",
    "presstrace.store.threads",
    "presstrace.store.query_indexes",
]


def registered_parts() -> list[SchemaPart]:
    return [importlib.import_module(name).PART for name in PART_MODULES]
