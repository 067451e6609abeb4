"""The extraction stage's data files (YAML under extract/data/, plus the user's alias file
named by $PRESSTRACE_ALIASES), loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from presstrace import settings
from presstrace.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
ALIASES_ENV = settings.ENVIRONMENT["aliases"]  # read by presstrace.settings


@lru_cache(maxsize=8)
def _load(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    """titles, roles, cues, weak_cues as lower-case sets."""
    data = _load(str(DATA_DIR / "names.yaml"))
    return {key: frozenset(str(w).lower() for w in data[key]) for key in data}


class AliasFileError(ConfigError):
    """The user's alias file cannot be read; the message is one line for the user."""


def alias_table(user_file: str | None = None) -> dict[str, dict[str, Any]]:
    """Canonical name -> {type, aliases}: the shipped table, then the user's file on top."""
    table = dict(_load(str(DATA_DIR / "aliases.yaml")))
    path = user_file or settings.current().aliases
    if path:
        try:
            table.update(_load(path))
        except (OSError, yaml.YAMLError) as exc:
            raise AliasFileError(f"{path}: cannot read the alias file ({exc})") from None
        if not isinstance(table, dict):
            raise AliasFileError(f"{path}: the alias file must map names to entries")
    return table
