"""One settings object: shipped defaults, then the environment, then what the caller (the
CLI's options, a test) overrides, as trafilatura has one settings file.

The environment is read here and nowhere else: `current()` reads it on each call (cheap, and
a test or a long-running server sees a changed variable), then applies the overrides set by
`configure()`. Stages may import this module (like `model`, it belongs to no stage).

| setting    | variable               | default                        |
| ---------- | ---------------------- | ------------------------------ |
| db         | PRESSTRACE_DB          | presstrace.db (working folder) |
| cache_dir  | PRESSTRACE_CACHE       | ~/.cache/presstrace            |
| aliases    | PRESSTRACE_ALIASES     | none (the shipped table only)  |
| taxonomies | PRESSTRACE_TAXONOMIES  | none (the shipped taxonomies)  |
| anchors    | PRESSTRACE_ANCHORS     | none (the shipped calendar)    |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DB = "presstrace.db"

# setting name -> environment variable
ENVIRONMENT = {
    "db": "PRESSTRACE_DB",
    "cache_dir": "PRESSTRACE_CACHE",
    "aliases": "PRESSTRACE_ALIASES",
    "taxonomies": "PRESSTRACE_TAXONOMIES",
    "anchors": "PRESSTRACE_ANCHORS",
}


@dataclass(frozen=True)
class Settings:
    db: str = DEFAULT_DB
    cache_dir: Path = Path.home() / ".cache" / "presstrace"
    aliases: str | None = None  # a YAML alias table read on top of the shipped one
    taxonomies: tuple[Path, ...] = ()  # taxonomy files instead of the shipped ones
    anchors: str | None = None  # a calendar of anchor events added to the shipped one

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults with each variable that is set (and not blank) on top."""
        env = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for name, variable in ENVIRONMENT.items():
            value = (env.get(variable) or "").strip()
            if value:
                given[name] = value
        if "cache_dir" in given:
            given["cache_dir"] = Path(given["cache_dir"])
        if "taxonomies" in given:
            parts = given["taxonomies"].split(os.pathsep)
            given["taxonomies"] = tuple(Path(p) for p in parts if p.strip())
        return cls(**given)

    def override(self, **changes: Any) -> Settings:
        """These settings with the given values; a None value leaves a setting as it is
        (an option the user did not give)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_overrides: dict[str, Any] = {}


def current() -> Settings:
    """The settings in force: defaults, environment, then `configure()`'s overrides."""
    return Settings.from_env().override(**_overrides)


def configure(**changes: Any) -> None:
    """Override settings for this process (the CLI's options); None values are ignored,
    `configure()` with nothing given keeps what was set, `reset()` drops it all."""
    Settings().override(**changes)  # refuse unknown names now, not at the next current()
    _overrides.update({k: v for k, v in changes.items() if v is not None})


def reset() -> None:
    _overrides.clear()
