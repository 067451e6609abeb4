"""Place on the page weighs a date (meta/layout.py): the byline's date over the related links'."""

from presstrace.meta.layout import PageLayout, Zone
from presstrace.model import RawDocument
from presstrace.pipeline import build_document

TITLE = "Regierung beschließt neues Klimagesetz für die Industrie"

PAGE = """Montag, 30. Juni 2025
Startseite Politik Sport Kultur
Regierung beschließt neues Klimagesetz für die Industrie
Von Anna Muster
28.06.2025, 16:03 Uhr
Die Bundesregierung hat am Samstag in Berlin ein neues Klimagesetz beschlossen. Es soll die Emissionen der Industrie bis zum Ende des Jahrzehnts deutlich senken, sagte die Ministerin.
Kritiker bemängeln, das Gesetz gehe nicht weit genug. Die Opposition kündigte in einer ersten Reaktion entschiedenen Widerstand im Bundestag an.
Die Industrieverbände begrüßten dagegen die langen Übergangsfristen, die das Gesetz den Unternehmen für den Umbau ihrer Anlagen einräumt.
Mehr zum Thema
Neue Regeln für Heizungen
29.06.2025
Streit um Windräder
29.06.2025
Bauern protestieren in Brüssel
29.06.2025
"""  # noqa: E501


def test_zones_of_a_flattened_page() -> None:
    body = "\n\n".join(PAGE.split("\n")[5:8])
    layout = PageLayout.build(PAGE, body, TITLE)
    assert layout.zone("Montag, 30. Juni 2025") is Zone.HEADER
    assert layout.zone("28.06.2025, 16:03 Uhr") is Zone.BYLINE
    assert layout.zone("Streit um Windräder") is Zone.BELOW
    assert layout.zone("a line not on the page") is Zone.UNKNOWN


def test_byline_date_beats_the_related_links_below() -> None:
    doc = build_document(RawDocument("p", "p", PAGE, "text", {}))
    assert doc.published.date == "2025-06-28"


def test_an_undated_page_says_why_in_abstained() -> None:
    body = "\n".join(PAGE.split("\n")[2:8])  # headline, byline and body, without any date
    body = body.replace("28.06.2025, 16:03 Uhr", "Berlin")
    doc = build_document(RawDocument("u", "u", body, "text", {}))
    assert doc.published.date is None
    assert doc.abstained["date"].startswith("no date found")
    dated = build_document(RawDocument("p", "p", PAGE, "text", {}))
    assert "date" not in dated.abstained
