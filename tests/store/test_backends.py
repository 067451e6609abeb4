"""One set of behavioural checks, run against every store backend: SQLite on a real file and
PostgreSQL on a real throwaway server. Whatever a caller can observe must be the same,
full-text search included: it is checked through the one search (store/queries/search.py),
which each backend's index answers."""

from __future__ import annotations

import hashlib
import threading

import pg_server as server
import pytest

from presstrace.model import Document, Published, RawDocument, Removed
from presstrace.store import StoreError, open_store
from presstrace.store.migrations import SCHEMA_VERSION
from presstrace.store.protocol import SearchHit
from presstrace.store.queries import QueryError, hits, run
from presstrace.store.schema import SchemaPart

pg_server = server.pg_server  # the fixtures: a session server, a database per test
pg_url = server.pg_url
location = server.location  # a fresh store on each backend


@pytest.fixture
def store(location: str):
    opened = open_store(location)
    yield opened
    opened.close()


def make_pair(text: str, title: str | None = None, date: str | None = None, **fields):
    digest = hashlib.sha256(text.encode()).hexdigest()
    raw = RawDocument(id=digest, source=f"{digest[:8]}.txt", content=text)
    doc = Document(
        id=digest,
        source=raw.source,
        title=title,
        text=text,
        removed=[Removed("[ad_1]", "ad-marker")],
        published=Published(date=date, earliest=date, latest=date, confidence=0.9),
        language="en",
        **fields,
    )
    return raw, doc


def test_new_store_is_at_current_schema_and_reopens_unchanged(location):
    store = open_store(location)
    assert store.schema_version == SCHEMA_VERSION
    store.add_batch([make_pair("Kyiv said the drones were shot down.")])
    store.close()
    again = open_store(location)
    assert again.schema_version == SCHEMA_VERSION
    assert again.count() == 1
    assert again.stats()["schema_version"] == SCHEMA_VERSION
    again.close()


def test_batch_is_all_or_nothing(store):
    store.add_batch([make_pair("First stored article about Belgorod.")])
    good = make_pair("Second article, about the Kremlin drone attack.")
    bad_raw, bad_doc = make_pair("Third article, whose record cannot be serialised.")
    bad_doc.hints = {"oops": object()}  # json.dumps fails half-way through the batch
    with pytest.raises(TypeError):
        store.add_batch([good, (bad_raw, bad_doc)])
    assert store.count() == 1
    assert store.get(good[1].id) is None
    assert store.add_batch([good]) == 1  # the store is still usable afterwards


def test_adding_the_same_documents_twice_changes_nothing(store):
    pairs = [make_pair(f"Article number {i} about the Wagner mutiny.") for i in range(5)]
    assert store.add_batch(pairs + pairs[:2]) == 5  # a repeat inside one batch counts once
    before = store.list(limit=10)
    assert store.add_batch(pairs) == 0
    assert store.add_batch([]) == 0
    assert store.list(limit=10) == before
    assert store.existing_ids(p[0].id for p in pairs) == {p[0].id for p in pairs}
    assert store.existing_ids([]) == set()
    assert store.existing_ids(["0" * 64]) == set()


def test_existing_ids_takes_many_ids_at_once(store):
    pairs = [make_pair(f"Short note {i}.") for i in range(30)]
    store.add_batch(pairs)
    asked = [f"{i:064x}" for i in range(1200)] + [p[0].id for p in pairs]
    assert store.existing_ids(asked) == {p[0].id for p in pairs}


def test_get_by_prefix_and_round_trip(store):
    raw, doc = make_pair("Putin chairs a meeting of the Security Council.", "Title", "2024-08-23")
    doc.entities = []
    doc.hints = {"url": "https://example.org/a?b=1", "nested": {"list": [1, 2.5, None]}}
    store.add_batch([(raw, doc)])
    got = store.get(doc.id[:8])
    assert got == doc
    assert store.get(doc.id) == doc
    assert store.get(doc.id[:3]) is None  # too short to be unambiguous
    assert store.get("f" * 64) is None
    assert store.get("%%%%%%") is None and store.get("______") is None  # no wildcards
    assert store.get("x'); DROP TABLE documents; --") is None
    assert store.count() == 1
    assert store.raw_content(doc.id) == raw.content
    assert store.raw_content("0" * 64) is None


def test_an_ambiguous_prefix_finds_nothing(store):
    pairs = []
    for n, digest in enumerate(["abcdef01" + "0" * 56, "abcdef02" + "0" * 56, "abcdf" + "1" * 59]):
        raw, doc = make_pair(f"Text {n}")
        raw.id = doc.id = digest
        pairs.append((raw, doc))
    store.add_batch(pairs)
    assert store.get("abcdef") is None  # two documents start so
    assert store.get("abcdef0") is None
    assert store.get("abcdef01").id == pairs[0][1].id
    assert store.get("abcdf1").id == pairs[2][1].id


def titles(found: list[SearchHit]) -> list[str | None]:
    return [h.title for h in found]


def titles_of(page: dict) -> list[str | None]:
    return [item["title"] for item in page["items"]]


def test_search_ranks_title_matches_and_treats_syntax_as_text(store):
    store.add_batch(
        [
            make_pair("Drones flew toward Moscow overnight.", "Drone attack on Moscow"),
            make_pair("A long piece on grain exports, which mentions drone once.", "Grain"),
            make_pair("Nothing relevant here at all.", "Other"),
        ]
    )
    found = hits(store, "drone*")
    assert titles(found) == ["Drone attack on Moscow", "Grain"]
    assert "[" in found[0].snippet and "]" in found[0].snippet
    assert found[0].score <= found[1].score  # lower is better, in both backends
    # FTS5 and tsquery syntax inside words is text, never an error or an operator
    assert hits(store, 'AND "OR -x: NEAR("') == []
    assert titles(hits(store, "drone^ moscow! <-> 'moscow' NEAR")) == []
    assert titles(hits(store, "drone^ moscow! <-> 'moscow'")) == ["Drone attack on Moscow"]
    assert titles(hits(store, "drones")) == ["Drone attack on Moscow"]  # words,
    assert titles(hits(store, "GRAIN drone")) == ["Grain"]  # not stems; all words
    assert len(hits(store, "drone*", limit=1)) == 1
    page = run(store, "drone*", limit=1)
    assert (page["total"], titles_of(page)) == (2, ["Drone attack on Moscow"])
    with pytest.raises(QueryError, match="unclosed quote"):  # the query language's own syntax
        hits(store, 'AND "OR -x: NEAR(')


# Any text a user types, on one stored article: what the one search makes of it, the same on
# both backends. True: the article is found; False: nothing is; "error": a one-line
# QueryError (the query language's own syntax misused), never a database error. Text without
# a letter or digit is no full-text condition at all: every document, as a query of field
# filters alone.
NASTY_QUERIES = [
    ("", False),
    ("   ", False),
    ("*", True),
    ("***", True),
    (":*", True),
    ("'", True),
    ("''", True),
    ('"', "error"),
    ('""', True),
    ("\\", True),
    ("\\'", True),
    ("!", True),
    ("!!x", False),
    ("&|", True),
    ("(", "error"),
    (")", "error"),
    ("<->", True),
    ("<2>", False),
    ("'a':*", "error"),  # a one-letter prefix: refused (MIN_PREFIX_CHARS)
    ("a:*", "error"),
    ("a:A", "error"),
    ("NEAR(a b)", False),
    ("title:moscow", "error"),
    ("^moscow", True),
    ("-", True),
    ("- -- ---", "error"),
    ("' OR 1=1 --", "error"),
    ("'; DROP TABLE documents; --", False),
    ("%s %(x)s {}", False),
    ("moscow\x00drone", True),
    ("a & b | !c", False),
    ("\u202emoscow", True),
    ("日本語", False),
    ("ü*", "error"),  # a one-letter prefix: refused
    ("'att':*", True),  # a prefix of three letters: "attack"
]


@pytest.mark.parametrize("query,finds", NASTY_QUERIES, ids=range(len(NASTY_QUERIES)))
def test_any_user_text_is_a_query_without_errors(store, query, finds):
    store.add_batch([make_pair("Drones flew toward Moscow overnight.", "Drone attack")])
    if finds == "error":
        with pytest.raises(QueryError) as info:
            hits(store, query)
        assert "\n" not in str(info.value)
    else:
        assert titles(hits(store, query)) == (["Drone attack"] if finds else [])
    assert store.count() == 1


def test_search_folds_accents_and_keeps_prefixes(store):
    store.add_batch(
        [
            make_pair("Erdoğan met Zelenskyy in Istanbul.", "Talks in Türkiye"),
            make_pair("Die Bürgermeisterin sprach über Sicherheit.", "Köln"),
        ]
    )
    assert titles(hits(store, "erdogan")) == ["Talks in Türkiye"]
    assert titles(hits(store, "Erdoğan")) == ["Talks in Türkiye"]
    assert titles(hits(store, "turkiye")) == ["Talks in Türkiye"]
    assert titles(hits(store, "burger*")) == ["Köln"]
    assert titles(hits(store, "koln sicherheit")) == ["Köln"]
    hit = hits(store, "istanbul")[0]
    assert "[Istanbul]" in hit.snippet


def test_search_hit_fields(store):
    raw, doc = make_pair("The ministry said 40 drones were downed.", "Drones downed", "2023-05-30")
    store.add_batch([(raw, doc)])
    (hit,) = hits(store, "ministry")
    assert (hit.id, hit.title, hit.source, hit.published) == (
        doc.id,
        "Drones downed",
        doc.source,
        "2023-05-30",
    )
    assert "[ministry]" in hit.snippet
    assert isinstance(hit.score, float)


def test_update_rewrites_record_and_index(store):
    raw, doc = make_pair("A report on the grain corridor.", "Grain corridor")
    store.add_batch([(raw, doc)])
    doc.title = "Black Sea shipping"
    doc.story_id = "story-1"
    doc.duplicate_of = None
    store.update([doc])
    store.update([])
    assert store.get(doc.id) == doc
    assert [h.id for h in hits(store, "shipping")] == [doc.id]
    assert hits(store, "corridor")[0].title == "Black Sea shipping"  # text still indexed
    assert store.list()[0]["title"] == "Black Sea shipping"


def test_stats_list_and_streaming_iteration(store):
    first = [make_pair(f"Report {i}.", date=f"2023-05-0{i + 1}") for i in range(7)]
    second = [make_pair(f"Later report {i}.", outlet="Reuters") for i in range(3)]
    store.add_batch(first[:4])
    store.add_batch(first[4:] + second)
    ingest_order = [p[1].id for p in first + second]
    assert ingest_order != sorted(ingest_order)  # so order below is ingest order, not ids
    assert [d.id for d in store.iter_documents(batch=3)] == ingest_order
    assert [d.id for d in store.iter_documents()] == ingest_order
    assert [row["id"] for row in store.list(limit=4, offset=2)] == ingest_order[2:6]
    row = store.list(limit=1)[0]
    assert row == {
        "id": first[0][1].id,
        "source": first[0][1].source,
        "title": None,
        "published_date": "2023-05-01",
        "outlet": None,
        "language": "en",
        "duplicate_of": None,
        "chars": len("Report 0."),
    }
    assert store.count() == 10
    stats = store.stats()
    assert stats.pop("store") == store.path
    assert stats == {
        "schema_version": store.schema_version,
        "documents": 10,
        "dated": 7,
        "earliest": "2023-05-01",
        "latest": "2023-05-07",
        "text_chars": sum(len(p[1].text) for p in first + second),
        "languages": {"en": 10},
        "outlets": {"Reuters": 3},
        "kinds": {"text": 10},
        "abstained": {},  # no stage has run on these documents
    }


def test_empty_store(store):
    assert store.count() == 0
    assert list(store.iter_documents()) == []
    assert store.list() == []
    assert hits(store, "anything") == []
    assert run(store, "anything")["total"] == 0
    stats = store.stats()
    assert (stats["documents"], stats["earliest"], stats["text_chars"]) == (0, None, 0)
    assert stats["languages"] == {} and stats["outlets"] == {}


def test_unusual_text_round_trips(store):
    text = "Zero\x00byte, emoji 🛰️, CJK 北京, RTL عربي, combining e\u0301, line\u2028sep."
    raw, doc = make_pair(text, "Title with \x00 NUL")
    doc.hints = {"note": "nul \x00 in a hint", "float": 0.1 + 0.2, "big": 2**62}
    store.add_batch([(raw, doc)])
    assert store.get(doc.id) == doc
    assert next(store.iter_documents()) == doc
    assert store.raw_content(doc.id) == raw.content
    assert [h.id for h in hits(store, "北京")] == [doc.id]
    assert [h.id for h in hits(store, "emoji")] == [doc.id]


def test_two_writers_with_overlapping_inputs_store_each_document_once(location):
    """Two ingests at once (each its own connection, as two processes would have) over
    overlapping inputs in opposite orders: nothing is stored twice, every document is
    counted as new by exactly one writer, and neither writer deadlocks the other. Each
    round starts both batches together so that their transactions really overlap."""
    rounds = [
        [make_pair(f"Concurrent article {r}-{i} about the Kakhovka dam.") for i in range(80)]
        for r in range(6)
    ]
    added = {"a": 0, "b": 0}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)
    open_store(location).close()  # created first: racing creations are the next test's job

    def write(name: str) -> None:
        try:
            writer = open_store(location)  # opened in its thread: sqlite3 needs that
            for pairs in rounds:
                mine = pairs[:60] if name == "a" else list(reversed(pairs[20:]))
                barrier.wait(timeout=60)
                added[name] += writer.add_batch(mine)
            writer.close()
        except BaseException as exc:  # re-raised below, in the test's thread
            barrier.abort()
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in added]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    everything = [p for pairs in rounds for p in pairs]
    store = open_store(location)
    assert store.count() == len(everything)
    assert added["a"] + added["b"] == len(everything)
    assert sorted(d.id for d in store.iter_documents()) == sorted(p[0].id for p in everything)
    assert all(store.raw_content(p[0].id) == p[0].content for p in everything)
    store.close()


def test_several_stores_open_one_new_location_at_once(location):
    """The first opening creates the schema; openers racing it must neither fail nor
    apply a step twice (two ingests started together on a new store)."""
    versions: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def opener() -> None:
        try:
            barrier.wait(timeout=30)
            opened = open_store(location)
            versions.append(opened.schema_version)
            opened.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert versions == [SCHEMA_VERSION] * 4


def test_store_error_is_one_line(location):
    """Both backends report an unusable store as a StoreError with one line naming it."""
    if location.startswith("postgresql://"):
        bad = location.rsplit("/", 1)[0] + "/no_such_database"
    else:
        bad = location
        with open(bad, "w") as fh:
            fh.write("not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        open_store(bad)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(bad.split("@")[0])


# A store made before core migration 5: the date confidence only inside the JSON record (and,
# on SQLite, the virtual generated column and the indexes that step 4 then added).
OLD_SQLITE_V4 = """
ALTER TABLE documents ADD COLUMN published_confidence REAL
    GENERATED ALWAYS AS (json_extract(data, '$.published.confidence')) VIRTUAL;
CREATE INDEX documents_dated ON documents(published_date, published_confidence);
CREATE INDEX documents_id_dated ON documents(id, published_date, published_confidence);
"""


def test_a_v4_store_is_upgraded_in_place_with_its_date_confidences_filled_in(
    location, monkeypatch
):
    from presstrace.store import migrations
    from presstrace.store.timeline import Selection, per_day

    current = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", current[:4])
    store = open_store(location)
    if store.dialect.name == "sqlite":
        with store.transaction():
            store._script(OLD_SQLITE_V4)
    docs = [make_pair(f"Report {i}.\x00", date="2024-03-0" + str(i))[1] for i in (1, 2)]
    docs[1].published.confidence = 0.25
    store.sql_many(
        "INSERT INTO documents (id, source, kind, text, published_date, data, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(d.id, d.source, d.kind, "t", d.published.date, d.to_json(), "2024-03-05T00:00:00")
         for d in docs],
    )  # fmt: skip
    store.close()

    monkeypatch.setattr(migrations, "MIGRATIONS", current)
    store = open_store(location)
    assert store.schema_version == SCHEMA_VERSION
    rows = store.sql("SELECT id, date_confidence FROM documents ORDER BY date_confidence")
    assert rows == [{"id": docs[1].id, "date_confidence": 0.25},
                    {"id": docs[0].id, "date_confidence": 0.9}]  # fmt: skip
    days, undated = per_day(store, Selection("corpus"))
    assert undated == 0 and sorted(days.values()) == [[1, 0], [1, 1]]
    assert store.get(docs[1].id).published.confidence == 0.25
    store.close()


def test_a_v5_store_gets_its_prefix_index_in_place_and_keeps_it_in_sync(location, monkeypatch):
    from presstrace.store import migrations

    current = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", current[:5])
    store = open_store(location)
    store.add_batch([make_pair("Interceptors downed the drones.", "Air defence"),
                     make_pair("An interview with the mayor.", "Intercity trains")])  # fmt: skip
    before = {q: sorted(h.id for h in hits(store, q)) for q in ("inte*", "inter*", "drone*")}
    assert [len(v) for v in before.values()] == [2, 2, 1]
    store.close()

    monkeypatch.setattr(migrations, "MIGRATIONS", current)
    store = open_store(location)
    assert store.schema_version == SCHEMA_VERSION
    if store.dialect.name == "sqlite":
        ddl = store.sql("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'")[0]["sql"]
        assert "prefix='3 4'" in ddl
    assert {q: sorted(h.id for h in hits(store, q)) for q in before} == before
    raw, doc = make_pair("Integrity checks at the border.")
    store.add_batch([(raw, doc)])  # the triggers write to the rebuilt index
    assert len(hits(store, "inte*")) == 3 and len(hits(store, "inte* border")) == 1
    doc.text = "Checks at the border."
    store.update([doc])
    assert len(hits(store, "inte*")) == 2 and len(hits(store, "border")) == 1
    store.close()


# -- what later stages build on: their own tables, portable SQL, field patches ---------------
NOTES = SchemaPart(
    "notes", ("CREATE TABLE notes (doc_id {key} PRIMARY KEY, note {text} NOT NULL);",)
)
NOTES_V2 = SchemaPart("notes", (*NOTES.templates, "ALTER TABLE notes ADD COLUMN stars {int};"))


def use_parts(monkeypatch, *parts: SchemaPart) -> None:
    from presstrace.store import base

    monkeypatch.setattr(base, "registered_parts", lambda: list(parts))  # both backends' runner


def test_a_stage_part_is_created_then_upgraded_in_place_keeping_its_rows(location, monkeypatch):
    use_parts(monkeypatch, NOTES)
    store = open_store(location)
    store.sql_many(
        "INSERT INTO notes (doc_id, note) VALUES (?, ?)", [("a", "50% of it"), ("b", "x")]
    )
    store.close()
    use_parts(monkeypatch, NOTES_V2)
    store = open_store(location)
    store.sql("UPDATE notes SET stars = ? WHERE doc_id = ?", (3, "a"))
    rows = store.sql("SELECT doc_id, note, stars FROM notes ORDER BY doc_id")
    assert rows == [
        {"doc_id": "a", "note": "50% of it", "stars": 3},
        {"doc_id": "b", "note": "x", "stars": None},
    ]
    assert store.sql("SELECT version FROM schema_parts WHERE name = ?", ("notes",)) == [
        {"version": 2}
    ]
    # the same rows as tuples, in the SELECT's column order, on both backends
    assert store.sql_tuples("SELECT stars, doc_id FROM notes WHERE note LIKE ? ORDER BY doc_id",
                            ("%",)) == [(3, "a"), (None, "b")]  # fmt: skip
    assert store.sql_tuples("UPDATE notes SET stars = 4 WHERE doc_id = ?", ("b",)) == []
    store.close()
    use_parts(monkeypatch, NOTES)  # older code must not touch a newer part
    with pytest.raises(StoreError, match="notes tables are v2, newer"):
        open_store(location)


def test_patch_sets_fields_and_their_columns_without_touching_text(store):
    raw, doc = make_pair("Kherson was retaken on Friday.", title="Kherson")
    store.add_batch([make_pair("Another article entirely."), (raw, doc)])
    changed = store.patch(
        [(doc.id, {"duplicate_of": "abc", "claims": [{"value": 2.0, "unit": None, "text": "t"}]}),
         ("no-such-id", {"duplicate_of": "x"})]
    )  # fmt: skip
    assert changed == 1
    stored = store.get(doc.id)
    assert stored.duplicate_of == "abc" and stored.claims[0].value == 2.0
    assert stored.text == doc.text and stored.title == "Kherson"
    assert [row["id"] for row in store.list()] == [
        make_pair("Another article entirely.")[1].id,
        doc.id,
    ]
    assert [item["id"] for item in run(store, "retaken", copies=True)["items"]] == [doc.id]
    assert hits(store, "retaken") == []  # now a copy: listed under its original only
    assert store.sql("SELECT duplicate_of FROM documents WHERE id = ?", (doc.id,)) == [
        {"duplicate_of": "abc"}
    ]


def test_corpus_lock_lets_one_holder_at_a_time_across_connections(location):
    first, second = open_store(location), open_store(location)
    taken = threading.Event()

    def take_second() -> None:
        with second.corpus_lock():
            taken.set()

    try:
        with first.corpus_lock():
            waiter = threading.Thread(target=take_second)
            waiter.start()
            assert not taken.wait(0.5)  # blocked while the first holds it
        assert taken.wait(10)  # and gets it once released
        waiter.join()
        with first.corpus_lock():  # released again: no one holds it now
            pass
    finally:
        first.close()
        second.close()


def test_a_v7_store_gets_its_copy_rows_in_place_and_search_follows_marks(location, monkeypatch):
    """Core migration 8 (SQLite: the copies' rowids in a table kept by triggers) fills in
    from an older store's copies, and search leaves out exactly the documents marked a copy
    after it: marked by the copies step (an update), unmarked, or ingested as one."""
    from presstrace.store import migrations

    current = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", current[:7])
    store = open_store(location)
    pairs = [make_pair(f"Ferry strike number {i} in the harbour.", f"Strike {i}") for i in range(4)]
    ids = [doc.id for _, doc in pairs]
    pairs[1][1].duplicate_of = ids[0]
    store.add_batch(pairs)
    store.close()

    monkeypatch.setattr(migrations, "MIGRATIONS", current)
    store = open_store(location)
    assert store.schema_version == SCHEMA_VERSION

    def found() -> set[str]:
        page = run(store, "ferry", limit=50)
        assert page["total"] == len(page["items"])
        return {i["id"] for i in page["items"]}

    assert found() == {ids[0], ids[2], ids[3]}
    pairs[2][1].duplicate_of = ids[0]  # marked after the upgrade
    pairs[1][1].duplicate_of = None  # and one unmarked
    store.update([pairs[2][1], pairs[1][1]])
    assert found() == {ids[0], ids[1], ids[3]}
    store.add_batch([make_pair("Ferry strike, a reprint.", duplicate_of=ids[3])])
    assert found() == {ids[0], ids[1], ids[3]}
    assert len(run(store, "ferry", limit=50, copies=True)["items"]) == 5
    if store.dialect.name == "sqlite":
        marked = store.sql("SELECT rowid AS r FROM documents WHERE duplicate_of IS NOT NULL")
        kept = store.sql("SELECT rowid AS r FROM document_copies")
        assert sorted(r["r"] for r in kept) == sorted(r["r"] for r in marked) and len(kept) == 2
    store.close()
