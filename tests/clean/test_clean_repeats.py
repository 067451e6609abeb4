"""Repeated paragraphs and captions kept once (presstrace.clean.repeats)."""

from __future__ import annotations

from presstrace.clean.repeats import drop_repeats, repeat_key


def test_copies_differing_in_quotes_spacing_and_case_are_one():
    paras = [
        "Zelensky asked for permission to use missiles to ‘turn the tide of war’",
        "Zelensky asked for  permission to use missiles to 'turn the tide of war'",
        "ZELENSKY ASKED FOR PERMISSION TO USE MISSILES TO “TURN THE TIDE OF WAR”.",
        "Kyiv said the strike hit a depot.",
    ]
    kept, removed = drop_repeats(paras, None)
    assert kept == [paras[0], paras[3]]
    assert [r.reason for r in removed] == ["repeat", "repeat"]
    assert [r.text for r in removed] == paras[1:3]


def test_title_copies_are_dropped_as_title_repeats():
    title = "Putin’s grip on Russia is faltering, minister claims"
    kept, removed = drop_repeats(
        ["Putin's grip on Russia is faltering, minister claims", "Body text here."], title
    )
    assert kept == ["Body text here."]
    assert removed[0].reason == "title-repeat"


def test_different_paragraphs_stay_apart():
    assert repeat_key("Russia lost 11 drones.") != repeat_key("Russia lost 12 drones.")
    assert repeat_key("A dash – here") == repeat_key("A dash - here")
    kept, removed = drop_repeats(["One.", "Two.", "", "One"], None)
    assert kept == ["One.", "Two."] and len(removed) == 1
