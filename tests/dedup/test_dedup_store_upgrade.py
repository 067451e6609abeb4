"""A store whose copies tables predate document numbers (copies v1: copy_keys keyed on the
text id) is upgraded in place, SQLite and PostgreSQL: its keys still find their documents,
and new keys are written beside them."""

from __future__ import annotations

from presstrace.store import base, open_store
from presstrace.store import copies as table
from presstrace.store.schema import SchemaPart, registered_parts

IDS = [f"{i:064x}" for i in (7, 3, 11)]


def use_parts(monkeypatch, parts: list[SchemaPart]) -> None:
    monkeypatch.setattr(base, "registered_parts", lambda: list(parts))  # both backends' runner


def test_copy_keys_of_a_v1_store_are_renumbered_and_still_found(location, monkeypatch):
    current = registered_parts()
    v1 = [
        SchemaPart(p.name, p.templates[:1]) if p.name == "copies" else p
        for p in current
    ]
    use_parts(monkeypatch, v1)
    store = open_store(location)
    with store.transaction():
        store.sql_many(
            "INSERT INTO copy_sketches (doc_id, text_hash, size, mod_count, minhash) "
            "VALUES (?, ?, ?, ?, ?)",
            [(i, f"h{n}", 10 + n, n, bytes([n])) for n, i in enumerate(IDS)],
        )
        store.sql_many(
            "INSERT INTO copy_keys (key, doc_id) VALUES (?, ?)",
            [(-(2**63), IDS[0]), (5, IDS[0]), (5, IDS[1]), (2**63 - 1, IDS[2])],
        )
    store.close()

    use_parts(monkeypatch, current)
    store = open_store(location)
    try:
        version = store.sql("SELECT version FROM schema_parts WHERE name = ?", ("copies",))
        assert version == [{"version": 3}]
        by_key, _ = table.keyed_sketches(store, [5, -(2**63), 2**63 - 1, 9])
        assert {k: sorted(v) for k, v in by_key.items()} == {
            5: sorted(IDS[:2]),
            -(2**63): [IDS[0]],
            2**63 - 1: [IDS[2]],
        }
        numbers = store.sql("SELECT doc_id, n FROM copy_sketches ORDER BY doc_id")
        assert sorted(r["doc_id"] for r in numbers) == sorted(IDS)
        assert len({r["n"] for r in numbers}) == 3
        kept = table.sketches(store, IDS)
        assert kept[IDS[2]] == table.SketchRow(IDS[2], "h2", 12, 2, bytes([2]))

        new = f"{99:064x}"
        numbered = table.save_batch(
            store,
            [table.SketchRow(new, "h9", 9, 0, b"\x09")],
            [(5, new), (6, new), (5, IDS[1])],
            [],
            [],
        )
        table.flush_keys(store, [numbered], table.max_number(store))
        found = table.keyed_sketches(store, [5, 6])[0]
        assert sorted(found[5]) == sorted([*IDS[:2], new]) and found[6] == [new]
        assert store.sql("SELECT count(*) AS n FROM copy_keys") == [{"n": 6}]
        assert table.clear(store) == []
        assert table.keyed_sketches(store, [5, 6])[0] == {}
    finally:
        store.close()
