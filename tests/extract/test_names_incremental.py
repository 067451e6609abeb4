"""The corpus-wide name merge, indexed: a new family name is compared only with the known
ones in its block (first two letters, length within 2) instead of with every one seen.

The result must be the merge it replaced, to the entity key: checked against the old
scan-everything search (kept here as the oracle) on the names spaCy finds in the seeds and
examples (and, e2e, the ECB+ dev texts, topics 1-20), on hand-made names full of typos and
ties; and a store that ingests a corpus in chunks ends with the same entities, surface map
and exported entities as one that ingests it at once."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from extract_fixtures import spacy_nlp  # noqa: F401 - shared fixture
from rapidfuzz import fuzz

# the fixture above is a pytest fixture: test parameters named like it are not redefinitions
# ruff: noqa: F811

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from conftest import EXAMPLES, SHARED  # noqa: E402
from synthetic_names import crowded_typos  # noqa: E402

from presstrace.exports import export_record  # noqa: E402
from presstrace.extract import extract, surface_counts  # noqa: E402
from presstrace.extract import names as names_module  # noqa: E402
from presstrace.extract.names import SurfaceStat, canonicalise  # noqa: E402
from presstrace.pipeline import ingest  # noqa: E402
from presstrace.store import open_store  # noqa: E402

ECBPLUS = SHARED / "data" / "ecbplus-dev" / "docs.jsonl"
LATER = ("stories", "narratives", "threads")  # steps after extract: not what is compared


class _ScanEverything(names_module._People):
    """The merge before indexing: every known family name scanned for each new one."""

    def _near(self, last: str):
        if len(last) < 5:
            return []
        best, score = None, 0.0
        for other in self.by_last:
            if other[:2] == last[:2] and abs(len(other) - len(last)) <= 2:
                s = fuzz.ratio(last, other)
                if s >= 85 and s > score:
                    best, score = other, s
        return self.by_last[best] if best else []

    def add(self, name: str, mentions: int):
        parts = name.split()
        if len(parts) == 1:  # the lone-first-name case scanned every family too
            last = names_module.translit(parts[0])
            scanned = {id(c): c for fam in self.by_last.values() for f, c in fam if f == last}
            indexed = self.by_first.get(last, {})
            assert scanned.keys() == indexed.keys()
        return super().add(name, mentions)


def _reference(stats, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(names_module, "_People", _ScanEverything)
        return canonicalise(stats)


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))] + [
        p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))
    ]


def _stats(nlp, texts: list[str]) -> list[SurfaceStat]:
    raws = [extract(t, d) for t, d in zip(texts, nlp.pipe(texts), strict=True)]
    return [SurfaceStat(s, t, n) for r in raws for (s, t), n in surface_counts(r).items()]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indexed_merge_is_the_scan_everything_merge_on_crowded_typo_names(seed, monkeypatch):
    stats = crowded_typos(3000, seed)
    indexed = canonicalise(stats)
    assert indexed == _reference(stats, monkeypatch)
    merged = len({c.key for c in indexed.values()})
    assert merged < len({s.surface for s in stats}) * 0.9  # typos did merge


def test_indexed_merge_is_the_old_merge_on_the_seeds_and_examples(spacy_nlp, monkeypatch):
    stats = _stats(spacy_nlp, _texts())
    assert any(s.type == "PERSON" for s in stats)
    assert canonicalise(stats) == _reference(stats, monkeypatch)


@pytest.mark.e2e
def test_indexed_merge_is_the_old_merge_on_ecbplus_dev(spacy_nlp, monkeypatch):
    texts = [json.loads(x)["text"] for x in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    stats = _stats(spacy_nlp, texts)
    assert len({s.surface for s in stats if s.type == "PERSON"}) > 300
    assert canonicalise(stats) == _reference(stats, monkeypatch)


def _store_state(store) -> tuple:
    entities = store.sql("SELECT * FROM entities ORDER BY key")
    surface_map = store.sql("SELECT * FROM surface_map ORDER BY surface")
    docs = sorted(
        json.dumps([export_record(d)[k] for k in ("id", "entities", "quotes")], sort_keys=True)
        for d in store.iter_documents()
    )
    return entities, surface_map, docs


def _ingest_in(tmp_path: Path, name: str, files: list[Path], chunks: int) -> tuple:
    store = open_store(str(tmp_path / f"{name}.db"))
    try:
        size = -(-len(files) // chunks)
        for start in range(0, len(files), size):
            ingest([str(f) for f in files[start : start + size]], store, skip_steps=LATER)
        return _store_state(store)
    finally:
        store.close()


def test_ingest_in_chunks_ends_as_ingest_at_once_on_seeds_and_examples(spacy_nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    files = []
    for n, text in enumerate(_texts()):
        files.append(folder / f"{n:02}.txt")
        files[-1].write_text(text + f"\n\nFiled {n}.", encoding="utf-8")  # seeds = examples
    at_once = _ingest_in(tmp_path, "once", files, 1)
    assert at_once[0] and at_once[1]
    assert _ingest_in(tmp_path, "chunks", files, 4) == at_once


@pytest.mark.e2e
def test_ingest_in_chunks_ends_as_ingest_at_once_on_ecbplus_dev(spacy_nlp, tmp_path):
    lines = ECBPLUS.read_text(encoding="utf-8").splitlines()
    files = []
    for n in range(4):
        files.append(tmp_path / f"part{n}.jsonl")
        files[-1].write_text("\n".join(lines[n::4]) + "\n", encoding="utf-8")
    at_once = _ingest_in(tmp_path, "once", files, 1)
    assert len(at_once[0]) > 500
    assert _ingest_in(tmp_path, "chunks", files, 4) == at_once


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merging_only_what_new_names_reach_gives_the_full_merge(seed):
    """Rounds of new names (and more mentions of known ones) on a stored merge: the part
    merge_part re-merges, with every other surface kept as stored, is the full merge."""
    import random

    from presstrace.extract.incremental import MemoryIndex, merge_part
    from presstrace.extract.names import merge

    rng = random.Random(seed)
    everything = crowded_typos(3000, seed)
    known, rest = everything[:3000], everything[3000:3500]
    index = MemoryIndex(known, merge(known))
    stats = list(known)
    for start in range(0, len(rest), 100):
        batch = rest[start : start + 100] + [
            SurfaceStat(s.surface, s.type, 1) for s in rng.sample(stats, 20)
        ]
        stats += batch
        index.add_stats(batch)
        partial = merge_part(index, {s.surface for s in batch})
        assert partial is not None
        assert len(partial.surfaces) < len(index.keys) / 2  # not the whole corpus
        index.apply(partial)
        full = merge(stats)
        assert index.mapping == full.mapping
        assert index.keys_of(index.keys) == full.keys
