"""py3langid's model read from presstrace's cache gives the library's own answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from presstrace.meta import langid_model

TEXTS = [
    "Ukraine's surprise attack on Russia has weakened Vladimir Putin's grip, he said.",
    "Der Kreml wirft der Ukraine vor, einen Anschlag auf Präsident Putin verübt zu haben.",
    "Η Μόσχα κατηγορεί τους Ουκρανούς για απόπειρα δολοφονίας του Βλαντιμίρ Πούτιν.",
    "Москва обвиняет Украину в попытке покушения на Владимира Путина.",
    "東京都は新型コロナウイルスの感染者を確認したと発表しました。",
    "Home News Sport",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PRESSTRACE_CACHE", str(tmp_path))
    return tmp_path


def test_cached_model_ranks_as_the_library_does(cache: Path) -> None:
    library = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = langid_model.load_identifier()  # unpacks into the cache
    target = langid_model.cache_path(Path(MODEL_DIR) / MODEL_FILE)
    assert target.parent == cache and target.stat().st_size > 10 * (1 << 20)
    second = langid_model.load_identifier()  # reads the cache
    assert bytes(second.tk_nextmove) == bytes(library.tk_nextmove)
    assert bytes(second.tk_row) == bytes(library.tk_row)
    assert second.tk_output == library.tk_output
    assert second.nb_classes == library.nb_classes
    assert (second.nb_ptc == library.nb_ptc).all() and second.nb_ptc.dtype == library.nb_ptc.dtype
    for text in TEXTS:
        expected = library.rank(text)
        assert first.rank(text) == expected and second.rank(text) == expected, text


def test_damaged_cache_falls_back_to_the_library(cache: Path) -> None:
    target = langid_model.cache_path(Path(MODEL_DIR) / MODEL_FILE)
    target.write_bytes(b"not a model")
    identifier = langid_model.load_identifier()
    assert identifier.classify(TEXTS[1])[0] == "de"
