"""The copies step on a real store, SQLite and PostgreSQL: incremental ingest, re-ingest that
changes nothing, canonical changes kept in step with duplicate_of, resuming, rebuilding."""

from __future__ import annotations

import hashlib
import re

import pytest
from conftest import EXAMPLES

from dedup.helpers import example_texts
from presstrace.dedup import Thresholds
from presstrace.model import Document, Published, RawDocument
from presstrace.pipeline import ingest
from presstrace.steps import copies as step
from presstrace.store import open_store


@pytest.fixture
def store(location):
    opened = open_store(location)
    yield opened
    opened.close()


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def pair(text: str, date: str | None = None) -> tuple[RawDocument, Document]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    raw = RawDocument(id=digest, source=f"{digest[:8]}.txt", content=text)
    doc = Document(id=digest, source=raw.source, text=text,
                   published=Published(date=date, earliest=date, latest=date))  # fmt: skip
    return raw, doc


def table(store) -> list[tuple]:
    rows = store.sql("SELECT copy_id, canonical_id, similarity, containment, method FROM copies")
    return sorted(tuple(r.values()) for r in rows)


def index_rows(store) -> set[tuple[int, str]]:
    """The persisted LSH index as (key, document id)."""
    rows = store.sql("SELECT k.key, s.doc_id FROM copy_keys k JOIN copy_sketches s ON s.n = k.n")
    return {(int(r["key"]), r["doc_id"]) for r in rows}


def dup_of(store, doc_id: str) -> str | None:
    return store.get(doc_id).duplicate_of


def test_incremental_ingest_finds_copies_among_stored_documents(store, tmp_path):
    first = ingest([str(EXAMPLES)], store)
    assert first.steps["copies"] == {"new_documents": 5, "copies": 0, "groups": 0}
    texts = example_texts()
    body = paragraphs(texts["003_2b6e72d109a666f1.txt"])
    (tmp_path / "aggregator.txt").write_text(
        "\n\n".join(["Source: The Telegraph", *body[:3], *body[4:], "Share this on Facebook"]),
        encoding="utf-8",
    )
    (tmp_path / "excerpt.txt").write_text("\n\n".join(body[:5]), encoding="utf-8")
    second = ingest([str(tmp_path)], store)
    assert second.added == 2
    assert second.steps["copies"] == {"new_documents": 2, "copies": 2, "groups": 1}
    rows = table(store)
    canonical = {r[1] for r in rows}
    assert len(canonical) == 1
    [original] = canonical
    assert store.get(original).source.endswith("003_2b6e72d109a666f1.txt")
    methods = sorted(r[4] for r in rows)
    assert methods == ["near", "partial"]
    for copy_id, canonical_id, similarity, containment, _ in rows:
        assert dup_of(store, copy_id) == canonical_id
        assert 0 < similarity <= containment <= 1
    assert dup_of(store, original) is None

    export_before = [d.to_dict() for d in store.iter_documents()]
    again = ingest([str(EXAMPLES), str(tmp_path)], store)
    assert again.added == 0
    assert again.steps["copies"] == {"new_documents": 0, "copies": 2, "groups": 1}
    assert table(store) == rows
    assert [d.to_dict() for d in store.iter_documents()] == export_before


def test_an_earlier_dated_copy_becomes_canonical_and_duplicate_of_follows(store):
    text = example_texts()["001_5d58ceaa563ee3a5.txt"]
    later = pair(text, "2023-05-10")
    store.add_batch([later])
    step.run(store)
    earlier = pair(
        text.replace("Putin", "Vladimir Putin", 1) + "\n\nSource: Kathimerini", "2023-05-01"
    )
    store.add_batch([earlier])
    assert step.run(store) == {"new_documents": 1, "copies": 1, "groups": 1}
    assert dup_of(store, later[1].id) == earlier[1].id
    assert dup_of(store, earlier[1].id) is None
    undated = pair("\n\n".join(paragraphs(text)[:6]))
    store.add_batch([undated])
    step.run(store)
    assert {r[0]: r[1] for r in table(store)} == {
        later[1].id: earlier[1].id,
        undated[1].id: earlier[1].id,
    }
    assert dup_of(store, undated[1].id) == earlier[1].id


def test_an_interrupted_run_resumes_to_the_same_graph(store, location, monkeypatch, tmp_path):
    texts = list(example_texts().values())
    docs = [pair(t, None) for t in texts]
    docs += [pair("\n\n".join(paragraphs(t)[:5])) for t in texts]  # an excerpt of each
    store.add_batch(docs)
    monkeypatch.setattr(step, "BATCH", 3)
    real, calls = step.process_batch, []

    def stop_after_two(*args, **kwargs):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(step, "process_batch", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        step.run(store)
    assert len(store.sql("SELECT doc_id FROM copy_sketches")) == 6
    monkeypatch.setattr(step, "process_batch", real)
    assert step.run(store)["new_documents"] == store.count() - 6
    interrupted = table(store)

    fresh = open_store(str(tmp_path / "fresh.db"))
    fresh.add_batch(docs)
    step.run(fresh)
    assert table(fresh) == interrupted
    assert len(interrupted) >= 3
    # the stopped run's buffered LSH keys were never written: the resumed run rebuilt them
    assert index_rows(store) == index_rows(fresh) and len(index_rows(fresh)) > 100
    fresh.close()


def test_keys_buffered_past_the_flush_size_give_the_same_index_and_graph(
    store, tmp_path, monkeypatch
):
    """A first run writes its LSH keys in sorted passes (every FLUSH_ROWS rows and at the end);
    flushing after every batch or once must give the same index and the same copies."""
    texts = list(example_texts().values())
    docs = [pair(t, None) for t in texts] + [pair("\n\n".join(paragraphs(t)[:5])) for t in texts]
    monkeypatch.setattr(step, "BATCH", 2)
    store.add_batch(docs)
    monkeypatch.setattr(step, "FLUSH_ROWS", 1)
    step.run(store)
    once = open_store(str(tmp_path / "once.db"))
    once.add_batch(docs)
    monkeypatch.setattr(step, "FLUSH_ROWS", 10**9)
    step.run(once)
    assert index_rows(store) == index_rows(once)
    assert table(store) == table(once) and len(table(once)) >= 3
    once.close()


def test_rebuilding_with_stricter_thresholds_clears_what_no_longer_counts(store):
    text = example_texts()["002_91d17899cd8f08ab.txt"]
    full, excerpt = pair(text, "2023-08-01"), pair("\n\n".join(paragraphs(text)[:4]))
    store.add_batch([full, excerpt])
    step.run(store)
    assert dup_of(store, excerpt[1].id) == full[1].id
    step.rebuild(store, Thresholds(near=0.9, containment=0.99, min_shingles=1000))
    assert dup_of(store, excerpt[1].id) is None
    assert step.run(store) == {"new_documents": 2, "copies": 0, "groups": 0}
    assert step.thresholds(store) == Thresholds(near=0.9, containment=0.99, min_shingles=1000)


def test_sketching_in_worker_processes_gives_the_same_graph(tmp_path, monkeypatch):
    texts = list(example_texts().values())
    docs = [pair(t, None) for t in texts] + [pair("\n\n".join(paragraphs(t)[:6])) for t in texts]
    monkeypatch.setattr(step, "BATCH", 3)
    results = []
    for jobs in (1, 2):
        one = open_store(str(tmp_path / f"jobs{jobs}.db"))
        one.add_batch(docs)
        assert step.run(one, jobs=jobs)["new_documents"] == one.count()
        results.append(table(one))
        one.close()
    assert results[0] == results[1] and len(results[0]) >= 3


def test_full_buckets_stop_growing_but_band_keys_still_index():
    from presstrace.dedup import sketch_texts
    from presstrace.dedup.matcher import MOD_BUCKET_LIMIT, keys_to_index

    sketch = sketch_texts([("a", example_texts()["000_bff60568e5864210.txt"])])[0]
    sizes = {key: MOD_BUCKET_LIMIT + 1 for key in sketch.mod_keys}
    assert keys_to_index(sketch, sizes) == sketch.band_keys
    assert all(sizes[k] == 1 for k in sketch.band_keys)
    assert keys_to_index(sketch, {}) == [*sketch.band_keys, *sketch.mod_keys]


def test_stored_signatures_are_datasketch_minhashes(store):
    from datasketch import LeanMinHash

    from presstrace.dedup.sketch import SEED, minhash_from_bytes

    text = example_texts()["003_2b6e72d109a666f1.txt"]
    full, excerpt = pair(text), pair("\n\n".join(paragraphs(text)[:5]))
    store.add_batch([full, excerpt])
    step.run(store)
    rows = store.sql("SELECT doc_id, minhash, size FROM copy_sketches ORDER BY doc_id")
    sigs = {
        r["doc_id"]: LeanMinHash(
            seed=SEED, hashvalues=minhash_from_bytes(bytes(r["minhash"])), scheme="affine32"
        )
        for r in rows
    }
    [link] = store.sql("SELECT similarity FROM copies")
    estimate = sigs[full[1].id].jaccard(sigs[excerpt[1].id])
    assert abs(estimate - link["similarity"]) < 0.2  # 64 permutations: about +-0.06 std
    assert 0 < link["similarity"] < 1
