"""Stories never compare texts through the English sentence model unless both are English:
other languages meet only in their own lexical space, and only on shared words."""

from __future__ import annotations

import numpy as np

from presstrace.group import lexical
from presstrace.group import stories as stage
from presstrace.model import Document, Entity, Published

# Real German news leads (paraphrased from public pages of different days and topics)
FISHING = (
    "Ostsee: Fangquoten für Dorsch und Hering sinken erneut. Die EU-Fischereiminister haben "
    "sich in Brüssel auf niedrigere Fangmengen für die westliche Ostsee geeinigt. Kutter "
    "aus Mecklenburg-Vorpommern dürfen im kommenden Jahr deutlich weniger Hering anlanden."
)
FISHING_AGAIN = (
    "Fischereiminister einigen sich: Weniger Hering und Dorsch aus der westlichen Ostsee. "
    "In Brüssel beschlossen die EU-Fischereiminister niedrigere Fangquoten; Kutter aus "
    "Mecklenburg-Vorpommern müssen die Heringsfänge im kommenden Jahr deutlich reduzieren."
)
TABLECLOTH = (
    "Tischdecken waschen: So werden Rotweinflecken und Wachsreste wieder entfernt. "
    "Leinen und Baumwolle vertragen heißes Wasser, Mischgewebe dagegen nicht. Ein Hausmittel "
    "aus Salz und Zitronensaft hilft bei frischen Flecken auf der Tischdecke."
)
TAXONOMY = (
    "EU-Taxonomie: Kommission stuft Gas und Atomkraft als nachhaltig ein. Umweltverbände "
    "kritisieren die delegierte Verordnung scharf, mehrere Mitgliedstaaten kündigen eine "
    "Klage vor dem Europäischen Gerichtshof an. Investoren erwarten Klarheit."
)


def doc(i: str, text: str, language: str, day: str = "2023-05-04", entities=()) -> Document:
    return Document(
        id=i * 8,
        source=i,
        text=text,
        language=language,
        published=Published(date=day, earliest=day, latest=day),
        entities=[Entity(name, "GPE", [name], 2, f"gpe:{name.lower()}") for name in entities],
    )


def cluster(docs: list[Document]) -> dict[str, str]:
    vectors = stage.text_vectors(docs)
    arts = [stage.article(d, v) for d, v in zip(docs, vectors, strict=True)]
    return stage.cluster(arts, stage.make_idf({}, len(docs)))


def test_other_languages_use_the_lexical_part_english_the_sentence_model():
    docs = [doc("a", TABLECLOTH, "de"), doc("b", "Drones hit Moscow on Monday.", "en")]
    vectors = stage.text_vectors(docs)
    assert vectors.shape == (2, stage.DIM)
    assert stage.space(vectors[0]) == "lexical" and stage.space(vectors[1]) == "semantic"
    assert float(vectors[0] @ vectors[1]) == 0.0


def test_unrelated_pages_in_one_language_stay_alone_and_one_event_joins():
    docs = [
        doc("a", FISHING, "de", entities=["Germany"]),
        doc("b", TABLECLOTH, "de", entities=["Germany"]),
        doc("c", TAXONOMY, "de", entities=["Germany"]),
        doc("d", FISHING_AGAIN, "de", "2023-05-05", entities=["Germany"]),
    ]
    stories = cluster(docs)
    assert stories["a" * 8] == stories["d" * 8]  # the same event, other words
    assert len({stories["a" * 8], stories["b" * 8], stories["c" * 8]}) == 3


def test_languages_never_meet_even_with_the_same_entities():
    same = ["Russia", "Ukraine", "Kyiv"]
    docs = [
        doc("a", "Drones attacked Kyiv overnight, Ukraine said.", "en", entities=same),
        doc("b", FISHING, "de", entities=same),
        doc("c", FISHING.replace("Ostsee", "Nordsee"), "nl", entities=same),
    ]
    assert len(set(cluster(docs).values())) == 3


def test_word_weights_come_from_the_languages_word_frequencies():
    assert lexical.weight("der", "de") == 0.0  # a function word weighs nothing
    assert lexical.weight("fangquoten", "de") > lexical.weight("regierung", "de") > 0
    assert "莫斯" in lexical.tokens("俄罗斯总统在莫斯科", "zh")  # bigrams where no spaces are
    a, b = lexical.encode([FISHING, FISHING_AGAIN], ["de", "de"])
    assert float(a @ b) > 0.5 and np.isclose(np.linalg.norm(a), 1.0)
