"""Language of a paragraph and the choice of headline."""

from __future__ import annotations

from presstrace.meta.language import MIN_CONFIDENCE, detect_language, identify_language
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


def test_unsure_guesses_are_undetermined_not_guessed() -> None:
    """Every stage keys on the language: a menu line or a list of names gets no guess."""
    for text in ("Home News Sport", "Putin Merkel Macron", "Berlin, Paris", "Live-Ticker"):
        guess = identify_language(text)
        assert guess.confidence < MIN_CONFIDENCE and not guess.sure, (text, guess)
        assert detect_language(text) == "und"
    for text, lang in (
        ("Die Regierung hat neue Pläne vorgestellt.", "de"),
        ("Le gouvernement a présenté de nouveaux projets.", "fr"),
        ("政府は新たな計画を発表した。", "ja"),
    ):
        guess = identify_language(text)
        assert guess.lang == lang and guess.sure, (text, guess)


def test_title_hint_wins_over_cleaner() -> None:
    assert choose_title("Putin's grip  on Russia", {"title": " Putin's grip is faltering "}) == (
        "Putin's grip is faltering"
    )
    assert choose_title("Putin's grip on Russia", {"title": "   "}) == "Putin's grip on Russia"
    assert choose_title(None, {}) is None
