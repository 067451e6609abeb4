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


def test_month_and_weekday_names_are_never_units_in_any_language():
    """issue 11: "9 oktober" was a claim of 9 "oktober". Names come from CLDR/dateparser."""
    lines = [
        "Het kabinet besloot op 9 oktober 2020 tot nieuwe maatregelen.",  # Dutch
        "Die Regierung hat am 9. Oktober neue Pläne vorgestellt.",  # German
        "Le gouvernement a présenté le 30 août ses nouveaux projets.",  # French
        "Правительство 9 октября представило новые планы.",  # Russian
        "Уряд 9 жовтня представив нові плани.",  # Ukrainian
        "Hükümet 20 Nisan günü yeni planlarını açıkladı.",  # Turkish
        "Rząd 9 października przedstawił nowe plany.",  # Polish
        "El Gobierno presentó el 3 de mayo sus nuevos planes.",  # Spanish
        "Die Sitzung am Mittwoch, 5 Mittwoch war kurz.",  # weekday after a number
    ]
    for line in lines:
        assert not [c for c in find_claims(line) if c.unit], (line, claims(line))


def test_units_in_other_scripts_are_read_whole():
    assert claims("Армия сбила 11 дронов над городом.") == [(11.0, "дронов", None)]
    assert claims("Les pompiers ont sauvé 12 personnes âgées.") == [(12.0, "personnes", None)]
