"""Language of a paragraph and the choice of headline."""

from __future__ import annotations

from presstrace.meta.language import detect_language
from presstrace.meta.title import choose_title


def test_english_paragraph() -> None:
    text = (
        "Ukraine's surprise attack on Russia earlier this month has weakened Vladimir Putin's "
        "grip on Russia, the defense minister said."
    )
    assert detect_language(text) == "en"


def test_non_english_paragraphs() -> None:
    greek = (
        "Η Μόσχα κατηγορεί τους Ουκρανούς για απόπειρα δολοφονίας του Βλαντιμίρ Πούτιν με "
        "drones πάνω από το Κρεμλίνο, λίγες ώρες πριν από την επέτειο της Ημέρας της Νίκης."
    )
    german = (
        "Der Kreml wirft der Ukraine vor, in der Nacht mit zwei Drohnen einen Anschlag auf "
        "Präsident Wladimir Putin verübt zu haben."
    )
    assert detect_language(greek) == "el"
    assert detect_language(german) == "de"


def test_nothing_to_judge() -> None:
    assert detect_language("") == "und"
    assert detect_language("   12 345 -- ") == "und"


def test_title_hint_wins_over_cleaner() -> None:
    assert choose_title("Putin's grip  on Russia", {"title": " Putin's grip is faltering "}) == (
        "Putin's grip is faltering"
    )
    assert choose_title("Putin's grip on Russia", {"title": "   "}) == "Putin's grip on Russia"
    assert choose_title(None, {}) is None
