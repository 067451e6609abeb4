"""Counter-framing (group/rebuttals.py): a sentence worded as those who hold Russia
responsible word it does not push a narrative that defends Russia's war."""

from __future__ import annotations

import pytest

from presstrace.group.rebuttals import Rebuttals
from presstrace.group.taxonomy import load_set, shipped_files


@pytest.fixture(scope="module")
def urw() -> dict[str, Rebuttals]:
    taxonomy = next(t for t in load_set(shipped_files()).taxonomies if t.domain == "URW")
    return {
        n.label.split(": ", 1)[1]: Rebuttals.of(n.rebuttals, n.exonerates, n.wrongs)
        for n in taxonomy.narratives
    }


def test_plain_counter_framing_rebuts_the_narratives_that_defend_the_war(urw):
    blaming = urw["Blaming the war on others rather than the invader"]
    # real debunk sentences (VoxCheck) that a learned head had read as the narrative
    assert blaming.rebuts("It was Russia that systematically violated the Minsk agreements.")
    assert blaming.rebuts("Euromaidan rallies also occurred in the now occupied Donetsk.")
    assert blaming.rebuts("Russia’s full-scale invasion began in February 2022.")
    assert urw["Praise of Russia"].rebuts("Russia invaded Ukraine in 2014.")
    # who is said to do what: Russia as the subject of a wrong the narrative denies it
    assert blaming.rebuts("The Kremlin has repeatedly violated the ceasefire.")
    assert blaming.rebuts("Bellingcat established that Russian troops had crossed the border.")
    assert not blaming.rebuts("Russia was forced to act to protect the people of Donbas.")
    assert not blaming.rebuts("Kyiv attacked Russia and shelled Belgorod.")
    # plain reporting and the narrative itself do not
    assert not blaming.rebuts("Kyiv has been shelling the Donbas for eight years.")
    assert not blaming.rebuts("Peace talks between the two delegations resumed in Istanbul.")
    # reporting Russia's own acts does not blame others for the war, whoever writes it
    assert blaming.rebuts("Russian forces shelled Ukrainian positions near the front line.")


def test_quoted_or_distanced_phrases_are_the_narrative_speaking(urw):
    """Propaganda uses the same words in quotation marks or after "so-called" (real VoxCheck
    quotes): that is not a rebuttal."""
    blaming = urw["Blaming the war on others rather than the invader"]
    assert not blaming.rebuts('statements about "Russian aggression" are used as an excuse')
    assert not blaming.rebuts("Ukraine considers Crimea “occupied territory”, while Russia")
    assert not blaming.rebuts("the so-called Revolution of Dignity was a coup")
    assert not blaming.rebuts("photos of the alleged Russian invasion are questionable")


def test_narratives_that_do_not_defend_the_war_have_no_rebuttals(urw):
    """"Overpraising the West" or "Speculating war outcomes" use these words themselves."""
    assert not urw["Overpraising the West"].rebuts("Russia's full-scale invasion failed.")
    assert not urw["Speculating war outcomes"].rebuts("Russian occupation will end soon.")


def test_a_taxonomy_file_with_a_bad_rebuttals_entry_is_one_line_error(tmp_path):
    from presstrace.group.taxonomy import TaxonomyError, load

    text = (shipped_files()[0]).read_text(encoding="utf-8")
    bad = text.replace("narratives:\n  - name:", "narratives:\n  - rebuttals: 3\n    name:", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load(path)
    assert "'rebuttals' must be a list of phrases" in str(err.value)
    assert "\n" not in str(err.value)
