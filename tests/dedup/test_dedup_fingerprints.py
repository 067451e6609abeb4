"""Candidates are measured on stored fingerprints and groups are updated from their
canonicals alone, with the same copy graph as rebuilding every touched group whole (the
step before): on real reprints, roundups that merge groups, late earlier-dated copies that
take a group's place, and a store whose sketches predate fingerprints."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from dedup.helpers import ecb_docs
from presstrace.dedup.graph import CopyLink, build_links
from presstrace.dedup.matcher import Pair, find_pairs, keys_to_index
from presstrace.dedup.sketch import sketch_texts
from presstrace.model import Document, Published, RawDocument
from presstrace.steps import copies as step
from presstrace.store import copies as table
from presstrace.store import open_store


def reference_batch(store, rows, limits, sketches, buffer, fingerprints=None) -> None:
    """The step's batch as it was: every group a batch touches read whole and rebuilt
    (build_links over the new pairs and the groups' stored links)."""
    if sketches is None:
        sketches = sketch_texts((r["id"], r["text"]) for r in rows)
    fingerprints = fingerprints or step.Fingerprints(store)
    by_id = {s.id: s for s in sketches}
    index = step.StoreIndex(store, buffer, fingerprints)
    pairs = find_pairs(sketches, index, limits)
    old = sorted({i for p in pairs for i in (p.a, p.b) if i not in by_id})
    canonical_of = table.canonicals(store, old)
    existing = table.links_of_groups(store, sorted({canonical_of.get(i, i) for i in old}))
    known = {
        x.copy_id: CopyLink(x.copy_id, x.canonical_id, x.similarity, x.containment, x.method)
        for x in existing
    }
    joined = pairs + [Pair(x.copy_id, x.canonical_id, x.method, 0.0, 0.0) for x in existing]
    members = step._members(store, {i for p in joined for i in (p.a, p.b)}, by_id, rows)

    def sets(ids):
        out = fingerprints.get([i for i in ids if i not in by_id])
        out.update({i: by_id[i].shingles for i in ids if i in by_id})
        return out

    links = build_links(members, joined, sets, limits, known)
    linked = {x.copy_id for x in links}
    unlinked = [x.copy_id for x in existing if x.copy_id not in linked]
    changed = [x for x in links if known.get(x.copy_id) != x]
    store.patch(
        [(x.copy_id, {"duplicate_of": x.canonical_id}) for x in changed]
        + [(i, {"duplicate_of": None}) for i in unlinked]
    )
    numbered = table.save_batch(
        store,
        [step._sketch_row(s, r) for s, r in zip(sketches, rows, strict=True)],
        [(key, s.id) for s in sketches if s.size for key in keys_to_index(s, index.sizes)],
        [
            table.LinkRow(x.copy_id, x.canonical_id, x.similarity, x.containment, x.method)
            for x in changed
        ],  # fmt: skip
        unlinked,
    )
    buffer.add(numbered)
    fingerprints.remember({s.id: s.shingles for s in sketches if s.size})


def wire_corpus() -> list[tuple[str, str | None]]:
    """(text, date) in arrival order: ECB+ articles as wire stories, each reprinted whole,
    cut or with an in-house paragraph; roundups of two stories (they merge groups); some
    reprints arrive late with an earlier date (they take their group's place); some
    undated."""
    docs = [d["text"] for d in ecb_docs() if len(d["text"].split()) > 220][:24]
    rng = np.random.default_rng(3)
    out: list[tuple[str, str | None]] = []
    late: list[tuple[str, str | None]] = []
    for day, text in enumerate(docs):
        lines = text.split("\n")
        out.append((text, f"2024-02-{day + 2:02d}"))
        for k in range(4):
            kind = rng.integers(4)
            if kind == 0:
                body = lines[: max(4, int(len(lines) * rng.uniform(0.6, 0.9)))]
            elif kind == 1:
                body = [docs[(day + 7) % len(docs)].split("\n")[0], *lines]
            else:
                body = list(lines)
            if k == 3 and day % 3 == 0:
                late.append(("\n".join(body), f"2024-02-{day + 1:02d}"))
            else:
                date = None if k == 2 and day % 4 == 0 else f"2024-02-{day + 3:02d}"
                out.append(("\n".join(body), date))
        if day % 5 == 4:  # a roundup: most of this story and most of one from days before
            earlier = docs[day - 3].split("\n")
            roundup = lines[: int(len(lines) * 0.8)] + earlier[: int(len(earlier) * 0.8)]
            late.append(("\n".join(roundup), f"2024-02-{day + 4:02d}"))
    return out + late


def document(text: str, date: str | None) -> tuple[RawDocument, Document]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    published = Published(date=date, earliest=date, latest=date)
    return RawDocument(digest, f"{digest[:8]}.txt", text), Document(
        digest, f"{digest[:8]}.txt", text=text, published=published
    )


def graph(store) -> list[tuple]:
    rows = store.sql("SELECT copy_id, canonical_id, similarity, containment, method FROM copies")
    dup = {d.id: d.duplicate_of for d in store.iter_documents()}
    return sorted(tuple(r.values()) for r in rows) + sorted(dup.items())


def grow(store, docs, chunk: int) -> None:
    for start in range(0, len(docs), chunk):
        store.add_batch(docs[start : start + chunk])
        step.run(store)


@pytest.fixture
def corpus():
    return [document(t, d) for t, d in wire_corpus()]


def test_same_graph_as_rebuilding_each_touched_group(location, tmp_path, monkeypatch, corpus):
    monkeypatch.setattr(step, "BATCH", 7)
    reads = []
    real_links = table.links_of_groups
    monkeypatch.setattr(
        table, "links_of_groups", lambda store, ids: reads.append(ids) or real_links(store, ids)
    )
    store = open_store(location)
    try:
        grow(store, corpus, 12)
        new = graph(store)
    finally:
        store.close()
    moved = sum(len(ids) for ids in reads)
    monkeypatch.setattr(step, "process_batch", reference_batch)
    reference = open_store(str(tmp_path / "reference.db"))
    grow(reference, corpus, 12)
    assert new == graph(reference)
    copies = reference.sql("SELECT canonical_id, count(*) AS n FROM copies GROUP BY canonical_id")
    reference.close()
    # the corpus exercises what matters: groups of many reprints, and canonicals that lost
    # their place to a late earlier-dated reprint (their groups read once each)
    assert max(r["n"] for r in copies) >= 6
    assert moved >= 5


def test_stored_texts_are_never_read_again(tmp_path, monkeypatch, corpus):
    store = open_store(str(tmp_path / "s.db"))
    grow(store, corpus[:60], 60)

    def refuse(*_):
        raise AssertionError("the step re-read stored texts")

    monkeypatch.setattr(table, "documents", refuse)
    monkeypatch.setattr(table, "doc_info", refuse)
    monkeypatch.setattr(step, "FINGERPRINT_CACHE", 0)  # every candidate from the store
    grow(store, corpus[60:], 15)
    assert table.counts(store)["copies"] > 40
    store.close()


def test_sketches_without_fingerprints_are_filled_in_once(tmp_path, corpus):
    """A store sketched before fingerprints were kept (copies schema v2) gets them from the
    texts the first time they are needed, and the graph is the same."""
    old = open_store(str(tmp_path / "old.db"))
    grow(old, corpus[:60], 60)
    old.sql("DELETE FROM copy_shingles")
    old.sql("UPDATE copy_sketches SET length = NULL, published = NULL")
    grow(old, corpus[60:], 15)
    fresh = open_store(str(tmp_path / "fresh.db"))
    grow(fresh, corpus[:60], 60)
    grow(fresh, corpus[60:], 15)
    assert graph(old) == graph(fresh)
    refilled = old.sql("SELECT count(*) AS n FROM copy_shingles")[0]["n"]
    assert 0 < refilled <= len(corpus)
    stored = table.fingerprints(old, [d.id for _, d in corpus])
    for doc_id, data in stored.items():
        assert data == table.fingerprints(fresh, [doc_id])[doc_id]
    old.close()
    fresh.close()
