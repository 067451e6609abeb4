"""Indexes built from shipped data, kept in the cache folder between processes.

The gazetteer indexes (places.py, known.py) read every GeoNames record and fold each name:
1-2.5 s of CPU that every extracting process paid again (issue 17); a pickle of the result
reads back in about a quarter of that. A file is named after what its index is made from
(the code of the modules that build it and the versions of the packages whose data or
functions it holds), so a change to any of them builds it anew; a cache that cannot be read
or written is only a slower start.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

from presstrace import settings

T = TypeVar("T")


def load_or_build(name: str, code: list[Path], packages: list[str], build: Callable[[], T]) -> T:
    """The index `name` from the cache folder, else `build()` (then written there)."""
    made_of = [hashlib.sha256(p.read_bytes()).hexdigest() for p in code]
    made_of += [f"{p}=={version(p)}" for p in packages]
    digest = hashlib.sha256("|".join(made_of).encode()).hexdigest()[:16]
    path = settings.current().cache_dir / f"{name}-{digest}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # our own file, in the user's cache folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    index = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as tmp:
            pickle.dump(index, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)  # whole or not at all, whoever else builds it meanwhile
    except OSError:
        pass
    return index
