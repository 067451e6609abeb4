"""Tables that belong to one later stage (copies, extraction, grouping) are declared as a
`SchemaPart` in that stage's store module, with their own version, so each stage adds and
upgrades its tables without renumbering the core migrations or anyone else's.

A part lists its steps for SQLite and for PostgreSQL; both backends record the version of
each part in the `schema_parts` table and apply only the missing steps, one transaction
each. Append new steps; never edit a released one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class SchemaPart:
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.sqlite) != len(self.postgres):
            raise ValueError(f"schema part {self.name}: SQLite and PostgreSQL step counts differ")

    @property
    def version(self) -> int:
        return len(self.sqlite)

    def steps(self, dialect: str) -> tuple[str, ...]:
        """The steps for one backend (Dialect.name)."""
        return self.sqlite if dialect == "sqlite" else self.postgres


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
