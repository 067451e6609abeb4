"""spaCy is loaded once per process (about 2 s); every extraction test shares it. Imported by
the test modules (a conftest.py here would shadow tests/conftest.py for `from conftest import`)."""

from __future__ import annotations

import pytest

from presstrace.extract import assemble, extract, nlp, surface_counts
from presstrace.extract.names import SurfaceStat, canonicalise


@pytest.fixture(scope="session")
def spacy_nlp():
    return nlp.load()


@pytest.fixture(scope="session")
def run_extract(spacy_nlp):
    """Extract a small corpus the way the step does: NER, rules, corpus-wide names.
    Returns, per text, (entities, quotes, claims)."""

    def run(*texts: str, aliases: str | None = None):
        raws = [extract(t, d) for t, d in zip(texts, spacy_nlp.pipe(texts), strict=True)]
        stats = [SurfaceStat(s, t, n) for r in raws for (s, t), n in surface_counts(r).items()]
        mapping = canonicalise(stats, aliases)
        return [assemble(r, mapping) for r in raws]

    return run
