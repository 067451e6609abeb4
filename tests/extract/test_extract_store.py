"""The extraction tables behave the same on SQLite and PostgreSQL: raw results are kept,
surface maps are rewritten only where they changed, and the query helpers the CLI and the
web UI use read what was written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

from presstrace.store import extracted, open_store  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path):
    location = (
        str(tmp_path / "s.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    opened = open_store(location)
    yield opened
    opened.close()


def test_raw_results_surface_map_and_query_tables_round_trip(store):
    with store.transaction():
        extracted.save_raw(
            store,
            [
                ("d1", {"quotes": []}, {("Putin", "PERSON"): 3, ("Kyiv", "GPE"): 1}),
                ("d2", {"quotes": []}, {("Vladimir Putin", "PERSON"): 1}),
            ],
        )
    assert extracted.unpatched(store) == {"d1", "d2"}
    totals = {
        (r["surface"], r["type"]): int(r["mentions"]) for r in extracted.surface_totals(store)
    }
    assert totals == {("Putin", "PERSON"): 3, ("Kyiv", "GPE"): 1, ("Vladimir Putin", "PERSON"): 1}
    assert extracted.raw_results(store, ["d2"]) == {"d2": {"quotes": []}}

    putin = extracted.Mapped("person:vladimir-putin", "Vladimir Putin", "PERSON")
    mapping = {"Putin": putin, "Vladimir Putin": putin}
    with store.transaction():
        extracted.save_map(store, mapping, {})
    assert extracted.load_map(store) == mapping
    assert extracted.docs_with_surfaces(store, ["Putin"]) == {"d1"}

    rows = extracted.DocRows(
        "d1",
        {"person:vladimir-putin": 3},
        [
            ("person:vladimir-putin", "Vladimir Putin", "We will win", 1, "said", 0, 11, 0.96),
            (None, None, "They will lose, one official said", 1, "said", 20, 40, 0.0),
        ],
        [(11.0, "drones", "It shot down 11 drones.")],
    )
    with store.transaction():
        extracted.write_doc_rows(store, [rows])
        extracted.rebuild_entities(
            store,
            [("person:vladimir-putin", "Vladimir Putin", "PERSON", ["Putin"], None, None, None)],
        )
    assert extracted.unpatched(store) == {"d2"}
    top = extracted.top_entities(store, "person")
    assert [(e["name"], e["documents"], e["mentions"], e["aliases"]) for e in top] == [
        ("Vladimir Putin", 1, 3, ["Putin"])
    ]
    assert [q["text"] for q in extracted.find_quotes(store, speaker="putin", text="WIN")] == [
        "We will win"
    ]
    assert extracted.find_quotes(store, speaker="zelensky") == []
    sure = extracted.find_quotes(store, min_confidence=0.9)
    assert [(q["text"], q["confidence"]) for q in sure] == [("We will win", 0.96)]
    assert len(extracted.find_quotes(store)) == 2
    assert [c["value"] for c in extracted.find_claims(store, unit="drone")] == [11.0]
