"""py3langid's model, decompressed once into presstrace's cache instead of in every process.

py3langid ships its model LZMA-compressed (4.6 MB) and unpacks all 68 MB of it in each process
that classifies a text: 0.6-0.9 s of CPU, the largest one-off cost of a plain-text ingest. The
unpacked arrays are the same every time, so the first process writes them, uncompressed, to
`$PRESSTRACE_CACHE` (default `~/.cache/presstrace`) under a name carrying py3langid's version
and the model file's size; later processes read them back in a few hundredths of a second.
Any trouble with the cache (read-only, damaged, another layout) falls back to the library's
own loader, so the answers never depend on it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from presstrace import settings

# array typecodes of py3langid's DFA tables by item size (as its modelio._to_array makes them)
_TYPECODE = {2: "H", 4: "I", 8: "L"}


def load_identifier() -> Any:
    """py3langid's LanguageIdentifier with normalised probabilities, from the cache when it
    can be (writing the cache on first use), else from the library's compressed model."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        cached = _cached_model(Path(MODEL_DIR) / MODEL_FILE)
        if cached is not None:
            return _identifier_from(LanguageIdentifier, cached)
    except Exception:
        pass  # a damaged or foreign cache file: the library's own loader below
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def cache_path(model_file: Path) -> Path:
    """Where the unpacked model lives: one file per py3langid version and model file."""
    version = metadata.version("py3langid")
    size = model_file.stat().st_size
    return settings.current().cache_dir / f"py3langid-{version}-{size}.npz"


def _cached_model(model_file: Path) -> Path | None:
    """The cache file, written now if missing; None when it cannot be written."""
    target = cache_path(model_file)
    if target.exists():
        return target
    import lzma
    import shutil

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # unpacked beside the target and renamed into place: a reader never sees half a file
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out, lzma.open(model_file) as src:
                shutil.copyfileobj(src, out, length=1 << 20)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except OSError:
        return None
    return target


def _identifier_from(cls: Any, path: Path) -> Any:
    """The identifier py3langid's from_model_file builds, from the unpacked npz: the same
    arrays its modelio.load_model returns, handed to the same constructor."""
    with np.load(path, allow_pickle=False) as data:
        return cls(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _stdlib_array(data["nextmove"]),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_stdlib_array(data["nextmove_row"]),
        )


def _stdlib_array(values: np.ndarray) -> array:
    """A numpy array of unsigned ints as the stdlib array py3langid walks its DFA with."""
    out = array(_TYPECODE[values.dtype.itemsize])
    out.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
    return out
