"""Numeric claims in real news sentences: digits, words, ranges, money; dates are not."""

from __future__ import annotations

from presstrace.extract.claims import find_claims


def claims(text):
    return [(c.value, c.unit, c.high) for c in find_claims(text)]


def test_numbers_with_units_and_their_sentence():
    text = (
        "Russian authorities managed to shoot down 11 drones flying toward Moscow. Ukrainian "
        "troops have taken control of 1,150 square kilometers of Russian territory. Estimates "
        "of Russian casualties now exceed 200,000 casualties."
    )
    found = find_claims(text)
    assert [(c.value, c.unit) for c in found] == [
        (11, "drones"),
        (1150, "square kilometers"),
        (200000, "casualties"),
    ]
    assert found[1].text.startswith("Ukrainian troops have taken control")
    assert text[found[0].start : found[0].end] == "11"


def test_money_words_ranges_and_percentages():
    assert claims("Ukraine hails £21bn fund for rebuilding the country.") == [(21e9, "GBP", None)]
    assert claims("Only eight drones were involved in the attack.") == [(8, "drones", None)]
    assert claims("Some 3.5 million people have fled the region.") == [(3.5e6, "people", None)]
    assert claims("Between 10 and 20 tanks were destroyed.") == [(10, "tanks", 20)]
    assert claims("Support for the war fell to 45% in June.") == [(45, "%", None)]
    assert claims("The company lost $2.5 billion last year.") == [(2.5e9, "USD", None)]


def test_dates_years_times_and_names_are_not_claims():
    text = (
        "Ukrainian soldiers hide near the border, Ukraine August 13, 2024. In 1987 he landed "
        "near the Kremlin at 10:30. Talks were held at 10 Downing Street on Flight MH17 day."
    )
    assert claims(text) == []
