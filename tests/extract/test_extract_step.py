"""The extract step on a real store (SQLite and PostgreSQL): documents get entities,
quotes and claims; the tables the CLI and web UI read are filled; re-running changes
nothing; a new document that names someone in full re-patches only the documents whose
names changed; the seeds meet the issue's bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from extract_fixtures import run_extract, spacy_nlp  # noqa: F401 - shared fixtures

# the fixtures above are pytest fixtures: test parameters named like them are not redefinitions
# ruff: noqa: F811

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402
from conftest import score_seed_export  # noqa: E402

from presstrace.pipeline import ingest  # noqa: E402
from presstrace.steps import extract as step  # noqa: E402
from presstrace.store import extracted, open_store  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url

BARE = (
    "Putin has remained notably absent from the public sphere since the withdrawal. "
    "“We will not retreat,” Putin said on Friday."
)
FULL = (
    "Russian President Vladimir Putin chairs a meeting with members of the Security Council. "
    "Vladimir Putin said Russia would win."
)
OTHER = "Ukrainian troops have taken control of 1,150 square kilometers of Russian territory."


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path, spacy_nlp):
    location = (
        str(tmp_path / "s.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    opened = open_store(location)
    yield opened
    opened.close()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_step_fills_documents_and_tables_and_reruns_change_nothing(store, tmp_path):
    a, c = write(tmp_path, "a.txt", BARE), write(tmp_path, "c.txt", OTHER)
    report = ingest([a, c], store)
    assert report.steps["extract"]["processed"] == 2
    doc = next(d for d in store.iter_documents() if "Putin" in d.text)
    assert [(q.speaker, q.text) for q in doc.quotes] == [("Putin", "We will not retreat")]
    assert extracted.find_quotes(store, speaker="putin")[0]["speaker_key"] == "person:putin"
    other = next(d for d in store.iter_documents() if "1,150" in d.text)
    assert [(c.value, c.unit) for c in other.claims] == [(1150, "square kilometers")]
    assert [c["value"] for c in extracted.find_claims(store)] == [1150]

    again = ingest([a, c], store)
    assert again.steps["extract"] == {"processed": 0, "patched": 0}

    # a new article names him in full: the old one is re-patched, the unrelated one is not
    b = write(tmp_path, "b.txt", FULL)
    third = ingest([b], store)
    assert third.steps["extract"]["processed"] == 1 and third.steps["extract"]["patched"] == 2
    doc = store.get(doc.id)
    assert doc.quotes[0].speaker == "Vladimir Putin"
    assert doc.quotes[0].speaker_key == "person:vladimir-putin"
    top = extracted.top_entities(store, "PERSON")
    assert [(e["name"], e["documents"]) for e in top] == [("Vladimir Putin", 2)]
    assert "Putin" in top[0]["aliases"]


def test_skipped_step_catches_up_on_the_next_ingest(store, tmp_path):
    a = write(tmp_path, "a.txt", BARE)
    report = ingest([a], store, skip_steps=["extract"])
    assert "extract" not in report.steps
    assert next(store.iter_documents()).quotes == []
    assert step.run(store, progress=False, jobs=1)["processed"] == 1
    assert next(store.iter_documents()).quotes[0].speaker == "Putin"


EXTRACTION_BAR = {
    "quote_found": 0.9,
    "quote_speaker": 0.9,
    "scare_quotes_not_speech": 1.0,
    "people": 0.95,
    "alias_merge": 0.9,
    "claims": 0.9,
}


def test_seed_export_meets_the_extraction_bar(run_cli, tmp_path):
    result = score_seed_export(run_cli, tmp_path)
    low = {
        k: result["figures"][k] for k, bar in EXTRACTION_BAR.items() if result["figures"][k] < bar
    }
    assert not low, f"below the bar: {low}; misses: {result['misses']}"

    # the commands read what the step stored
    out = run_cli("quotes", "--speaker", "zygar", "--json")
    quotes = json.loads(out.stdout)
    assert len(quotes) >= 7 and {q["speaker"] for q in quotes} == {"Mikhail Zygar"}
    out = run_cli("entities", "--type", "person", "--limit", "1")
    assert out.returncode == 0 and "Vladimir Putin" in out.stdout.decode()
    out = run_cli("claims", "--unit", "drones", "--json")
    assert {c["value"] for c in json.loads(out.stdout)} >= {11, 8}
    doc_id = quotes[0]["doc_id"]
    shown = run_cli("show", doc_id[:10]).stdout.decode()
    assert "Quotes (" in shown and "Mikhail Zygar [told]" in shown


def test_an_unreadable_alias_file_is_one_line_not_a_traceback(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSTRACE_ALIASES", str(tmp_path / "missing.yaml"))
    result = run_cli("ingest", write(tmp_path, "a.txt", BARE))
    err = result.stderr.decode().strip()
    assert result.returncode == 1
    assert err.startswith("presstrace: extract: ") and "alias file" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_an_interrupted_step_resumes_to_what_one_run_gives(store, tmp_path, monkeypatch):
    paths = [write(tmp_path, f"{n}.txt", t) for n, t in enumerate([BARE, FULL, OTHER])]
    ingest(paths, store, skip_steps=["extract"])
    monkeypatch.setattr(step, "BATCH", 1)  # every document committed on its own
    monkeypatch.setattr(step, "NER_BATCH", 1)  # and extracted on its own
    real, calls = step.extract_many, []

    def interrupted_on_the_third(docs, language="en"):
        calls.extend(text for text, _ in docs)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(docs, language)

    monkeypatch.setattr(step, "extract_many", interrupted_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        step.run(store, progress=False, jobs=1)
    monkeypatch.setattr(step, "extract_many", real)
    resumed = step.run(store, progress=False, jobs=1)
    assert resumed["processed"] == 1  # only the one the interruption cut off

    fresh = open_store(str(tmp_path / "fresh.db"))
    ingest(paths, fresh)
    by_id = {d.id: (d.entities, d.quotes, d.claims) for d in fresh.iter_documents()}
    fresh.close()
    assert {d.id: (d.entities, d.quotes, d.claims) for d in store.iter_documents()} == by_id


GERMAN = (
    "Wenn Sie zum Beispiel in den 1970er Jahren in Hamburg lebten, kennen Sie das. "
    "Bundeskanzler Olaf Scholz und Wladimir Putin telefonierten am Montag, teilte die "
    "Regierung in Berlin mit. Die Bundesregierung in Deutschland äußerte sich nicht dazu."
)
RUSSIAN = (
    "Владимир Путин провёл совещание. Москва ответила. Позиция Путина по переговорам "
    "не изменилась, сообщили в Кремле в понедельник."
)


def test_languages_without_a_model_get_known_names_and_places_and_say_so(store, tmp_path):
    full = write(tmp_path, "en.txt", FULL + " " + FULL)
    de, ru = write(tmp_path, "de.txt", GERMAN), write(tmp_path, "ru.txt", RUSSIAN)
    ingest([full], store)
    ingest([de, ru], store)
    docs = {d.language: d for d in store.iter_documents()}
    assert docs["de"].language == "de" and docs["ru"].language == "ru"
    german = {(e.name, e.type) for e in docs["de"].entities}
    assert not {n for n, t in german if t == "PERSON"} & {"Wenn Sie", "Jahren"}
    assert {("Hamburg", "GPE"), ("Berlin", "GPE"), ("Germany", "GPE")} <= german
    russian = {e.key: e for e in docs["ru"].entities}
    assert russian["gpe:moscow"].country == "RU"  # "Москва", a GeoNames alternate name
    assert {"Владимир Путин", "Путина"} <= set(russian["person:vladimir-putin"].aliases)
    for lang in ("de", "ru"):
        assert "no NER model" in docs[lang].abstained["entities"]
    assert "entities" not in docs["en"].abstained
