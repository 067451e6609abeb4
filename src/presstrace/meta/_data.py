"""Loading of the meta stage's data files (YAML shipped under meta/data/), once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=16)
def load_yaml(path: str) -> Any:
    """Parse a YAML file once; callers share the result and must not mutate it."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def data_file(name: str) -> str:
    return str(DATA_DIR / name)
