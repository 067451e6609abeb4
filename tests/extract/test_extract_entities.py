"""Entities canonicalised across a corpus of real sentences: one name per person, place
names through the gazetteer, the alias table as user-extendable data."""

from __future__ import annotations

from extract_fixtures import run_extract, spacy_nlp  # noqa: F401 - shared fixtures

# the fixtures above are pytest fixtures: test parameters named like them are not redefinitions
# ruff: noqa: F811

CORPUS = (
    "Russian President Vladimir Putin chairs a meeting of the Security Council outside "
    "Moscow. Still, a drone attack on Moscow is likely to increase pressure on President "
    "Vladimir Putin. Only eight drones were involved in Kiev’s attack last May.",
    "Putin has remained absent from public view. Major General Ivan Popov was fired after "
    "accusing Shoigu and Gersimov of decapitating the army. Valery Gerasimov, the head of "
    "the Russian Armed Forces, did not reply. General Sergey Surovikin announced plans to "
    "withdraw from Kherson.",
    "The deputy head of the Russian Armed Forces, Sergei Surovikin, has disappeared. "
    "Ukraine launched drones at Kyiv’s request, officials in Kyiv said. Mr Healey spoke "
    "in London. Defence Secretary John Healey said the UK should be proud.",
)


def entity(entities, name):
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, [(e.name, e.type, e.aliases) for e in entities]
    return found[0]


def test_one_canonical_person_across_the_corpus(run_extract):
    docs = run_extract(*CORPUS)
    first, second, third = (entities for entities, _, _ in docs)
    putin = entity(first, "Vladimir Putin")
    assert putin.type == "PERSON" and putin.key == "person:vladimir-putin"
    assert entity(second, "Vladimir Putin").aliases == ["Putin"]  # the bare name, elsewhere
    healey = entity(third, "John Healey")  # "Mr Healey", "Defence Secretary John Healey"
    assert {"Healey", "Mr Healey"} <= set(healey.aliases) and healey.count == 2


def test_typos_and_transliterations_merge(run_extract):
    docs = run_extract(*CORPUS)
    second, third = docs[1][0], docs[2][0]
    assert "Gersimov" in entity(second, "Valery Gerasimov").aliases
    sergey = entity(second, "Sergey Surovikin")
    assert entity(third, "Sergey Surovikin").key == sergey.key  # "Sergei Surovikin"
    assert not [e for e in second + third if e.name in ("Gersimov", "Sergei Surovikin")]


def test_places_resolve_through_the_gazetteer_and_merge(run_extract):
    docs = run_extract(*CORPUS)
    kyiv_a = entity(docs[0][0], "Kyiv")  # written "Kiev" there (spaCy says PERSON)
    kyiv_b = entity(docs[2][0], "Kyiv")
    assert kyiv_a.key == kyiv_b.key == "gpe:kyiv" and kyiv_a.type == "GPE"
    assert kyiv_a.country == "UA" and abs(kyiv_a.lat - 50.45) < 0.1
    assert "Kiev" in kyiv_a.aliases
    moscow = entity(docs[0][0], "Moscow")
    assert moscow.country == "RU" and abs(moscow.lon - 37.6) < 0.1


def test_user_alias_file_extends_the_table(run_extract, tmp_path):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Kremlin: {type: ORG, aliases: [Moscow]}\n", encoding="utf-8")
    entities = run_extract(CORPUS[0], aliases=str(aliases))[0][0]
    kremlin = entity(entities, "Kremlin")
    assert kremlin.type == "ORG" and "Moscow" in kremlin.aliases
    assert not [e for e in entities if e.name == "Moscow"]


def test_titles_are_not_part_of_names(run_extract):
    entities = run_extract(CORPUS[1])[0][0]
    names = {e.name for e in entities if e.type == "PERSON"}
    assert {"Ivan Popov", "Sergey Surovikin"} <= names
    assert not [n for n in names if n.split()[0] in ("Major", "General", "Mr")]


def test_gazetteer_ranks_namesakes_and_ignores_codes():
    from presstrace.extract.places import lookup

    assert lookup("Kiev").name == lookup("Kyiv").name == "Kyiv"  # an alternate name
    assert lookup("Kiev", alternates=False) is None
    assert lookup("Paris").country == "FR"  # the biggest Paris, not Paris, Texas
    assert lookup("Oklahoma").kind == "state"  # the state, not Oklahoma City
    assert lookup("MIA") is None and lookup("THR") is None  # airport codes
    assert lookup("Georgia").kind == "country"
    assert lookup("Georgia", frozenset({"US"})).country == "US"  # the corpus is American


def test_acronym_aliases_match_exactly(run_extract):
    entities = run_extract(
        "Us and them, he said. The US said it would send tanks to the United States army."
    )[0][0]
    us = [e for e in entities if e.name == "United States"]
    assert len(us) == 1 and "US" in us[0].aliases and "Us" not in us[0].aliases
