"""The cache folder keeps built indexes between processes (extract/disk_cache.py)."""

from __future__ import annotations

import pytest

from presstrace import settings
from presstrace.extract import disk_cache, places


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSTRACE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_built_once_then_read_back(cache, tmp_path):
    code = tmp_path / "builder.py"
    code.write_text("x = 1\n")
    calls = []

    def build():
        calls.append(1)
        return {"kyiv": [1, 2]}

    assert disk_cache.load_or_build("t", [code], ["anyascii"], build) == {"kyiv": [1, 2]}
    assert disk_cache.load_or_build("t", [code], ["anyascii"], build) == {"kyiv": [1, 2]}
    assert len(calls) == 1
    assert len(list(cache.glob("t-*.pickle"))) == 1
    code.write_text("x = 2\n")  # the code that builds it changed: built anew
    disk_cache.load_or_build("t", [code], ["anyascii"], build)
    assert len(calls) == 2


def test_unreadable_cache_is_rebuilt(cache, tmp_path):
    code = tmp_path / "builder.py"
    code.write_text("x = 1\n")
    disk_cache.load_or_build("t", [code], [], lambda: "first")
    for f in cache.glob("t-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert disk_cache.load_or_build("t", [code], [], lambda: "again") == "again"


def test_unwritable_cache_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PRESSTRACE_CACHE", str(blocker / "cache"))  # under a file: no folder
    assert settings.current().cache_dir == blocker / "cache"
    assert disk_cache.load_or_build("t", [], [], lambda: 7) == 7


def test_gazetteer_read_back_equals_built(cache):
    places._index.cache_clear()
    try:
        first = places._index()  # built and written
        places._index.cache_clear()
        assert list(cache.glob("gazetteer-*.pickle"))
        assert places._index() == first == places._build_index()
        assert places.lookup("Kyiv").country == "UA"
    finally:
        places._index.cache_clear()
