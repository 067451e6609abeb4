"""Counter-framing: the words a sentence chooses can show it argues against a narrative.

A fact-check of "Ukraine started the war" is mostly sentences about the same people and places
("It was Russia that started the war in Donbas in 2014", "Russian troops crossed the border"),
and a learned head that has seen few sentences reads them as the narrative: topic, not stance
(bench/narratives_stance.py showed most debunk sentences still pushed were of this kind, not
restatements of the claim). Those who push a narrative avoid some words ("Russia's full-scale
invasion", "the occupied territories", "the Revolution of Dignity") or use them only in
quotation marks or after "so-called"/"alleged" ("statements about \"Russian aggression\" are
used as an excuse"). So a taxonomy lists, per narrative, phrases whose plain use rebuts it
(`rebuttals` in the YAML file), and a sentence that uses one outside quotation marks and not
after a distancing word does not push that narrative or its sub-narratives. Beyond fixed
phrases, who is said to do what: a narrative also lists the party it exonerates
(`exonerates`: Russia, the Kremlin, Russian troops) and the wrongs it denies them (`wrongs`:
invaded, shelled, violated), and a sentence whose subject is that party doing such a wrong
("The Kremlin has repeatedly violated the ceasefire") rebuts it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Quotation marks that open or close a quoted stretch (straight quotes toggle).
_OPENING = "“«„"
_CLOSING = "”»"
_STRAIGHT = '"'
# Words that distance the writer from the phrase that follows ("the so-called Revolution of
# Dignity", "the alleged Russian invasion"), within DISTANCING_REACH characters before it.
_DISTANCING = re.compile(r"\b(?:so-called|so called|alleged(?:ly)?|supposed(?:ly)?|"
                         r"narratives? about|talk of|myth of)\W*$", re.IGNORECASE)  # fmt: skip
DISTANCING_REACH = 40
# Words that may stand between a party and its act ("Russia has once again violated"), at
# most AUXILIARIES of them.
_AUXILIARY = (
    r"(?:has|had|have|was|were|is|are|been|once|again|also|even|still|first|then|later|"
    r"systematically|repeatedly|simply|illegally|openly|brutally|deliberately)"
)
AUXILIARIES = 3
# Apostrophes are compared as one character ("Russia’s" and "Russia's").
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


@dataclass(frozen=True)
class Rebuttals:
    """A narrative's rebuttal phrases as one case-insensitive pattern ("prefix*" matches any
    ending, as topic keywords do)."""

    pattern: re.Pattern[str] | None

    @classmethod
    def of(
        cls, phrases: Sequence[str], exonerates: Sequence[str] = (), wrongs: Sequence[str] = ()
    ) -> Rebuttals:
        parts = [_phrase(x) for x in phrases]
        if exonerates and wrongs:  # the party as subject, a few auxiliaries, then the wrong
            who = "|".join(_phrase(x) for x in exonerates)
            did = "|".join(_phrase(x) for x in wrongs)
            parts.append(rf"(?:{who})(?:\s+{_AUXILIARY}){{0,{AUXILIARIES}}}\s+(?:{did})")
        if not parts:
            return cls(None)
        return cls(re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE))

    def rebuts(self, sentence: str) -> bool:
        """Whether the sentence uses a rebuttal phrase in its own voice: not inside quotation
        marks, not right after "so-called" or "alleged"."""
        if self.pattern is None:
            return False
        text = sentence.translate(_APOSTROPHES)
        for m in self.pattern.finditer(text):
            before = text[: m.start()]
            if _quoted(before):
                continue
            if _DISTANCING.search(before[-DISTANCING_REACH:]):
                continue
            return True
        return False


def _phrase(phrase: str) -> str:
    """A phrase as a pattern: words separated by any space, "prefix*" any ending."""
    stem = phrase.translate(_APOSTROPHES).rstrip("*")
    body = r"\s+".join(re.escape(w) for w in stem.split())
    return body + (r"\w*" if phrase.endswith("*") else "")


def _quoted(before: str) -> bool:
    """Whether a position is inside quotation marks, from the text before it."""
    opened = sum(before.count(c) for c in _OPENING) - sum(before.count(c) for c in _CLOSING)
    return opened > 0 or before.count(_STRAIGHT) % 2 == 1
