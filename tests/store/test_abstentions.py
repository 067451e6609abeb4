"""`stats` counts what each stage abstained on, per language, on both store backends."""

from __future__ import annotations

import hashlib

import pg_server as server
import pytest

from presstrace.model import Document, Published, RawDocument
from presstrace.store import open_store

pg_server = server.pg_server
pg_url = server.pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path):
    sqlite = request.param == "sqlite"
    where = str(tmp_path / "s.db") if sqlite else request.getfixturevalue("pg_url")
    opened = open_store(where)
    yield opened
    opened.close()


def pair(text: str, language: str, abstained: dict[str, str]):
    digest = hashlib.sha256(text.encode()).hexdigest()
    raw = RawDocument(id=digest, source=f"{digest[:8]}.txt", content=text)
    doc = Document(
        id=digest, source=raw.source, title=None, text=text, published=Published(),
        language=language, abstained=abstained,
    )  # fmt: skip
    return raw, doc


def test_stats_counts_abstentions_per_stage_and_language(store) -> None:
    no_date = "no date found in the text, the removed lines or the metadata"
    store.add_batch(
        [
            pair("Ein Text ohne Datum {x}.", "de", {"date": no_date, "entities": "no model"}),
            pair("Noch ein Text ohne Datum.", "de", {"date": no_date}),
            pair("Ένα κείμενο χωρίς {ημερομηνία}.", "el", {"entities": "no model"}),
            pair("An English text with everything.", "en", {}),
        ]
    )
    assert store.stats()["abstained"] == {
        "date": {"de": 2},
        "entities": {"de": 1, "el": 1},
    }
