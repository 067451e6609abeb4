"""The boilerplate vocabularies of data/markers.yaml, compiled once at import.

The vocabularies are data (they grow with every new scraper quirk); the decisions that use
them live in lines.py and text.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "markers.yaml"
_I = re.IGNORECASE


@dataclass(frozen=True)
class NoticeCue:
    """One cue of a sign-up/cookie/paywall notice, its weight and the reason it gives."""

    pattern: re.Pattern[str]
    weight: int
    reason: str


@dataclass(frozen=True)
class Markers:
    ui_word: re.Pattern[str]
    ad_marker: re.Pattern[str]
    notice_cues: tuple[NoticeCue, ...]
    notice_any: re.Pattern[str]
    list_intro_strong: re.Pattern[str]
    list_intro: re.Pattern[str]
    source_line: re.Pattern[str]
    source_read_more: re.Pattern[str]
    bio_opening: re.Pattern[str]
    bio_strong: re.Pattern[str]
    credit: re.Pattern[str]
    byline: re.Pattern[str]
    dateline: re.Pattern[str]
    teaser_tag: re.Pattern[str]
    stopwords: frozenset[str]


def _alternation(items: list[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


def _whole(items: list[str]) -> re.Pattern[str]:
    """A whole line made of one vocabulary item, with optional trailing punctuation."""
    return re.compile(rf"^(?:{_alternation(items)})\s*[:.!…>»|-]*$", _I)


@cache
def load_markers(path: Path = DATA) -> Markers:
    """Compile the vocabulary file (cached: it is read once per process)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues = tuple(
        NoticeCue(re.compile(c["re"], _I), int(c["w"]), str(c["reason"]))
        for c in raw["notice_cues"]
    )
    sep = r"\s*(?:[:|»>…]+|\.\.\.|\s[-–—]\s?)\s*"
    return Markers(
        ui_word=_whole(raw["ui_words"]),
        ad_marker=_whole(raw["ad_markers"]),
        notice_cues=cues,
        notice_any=re.compile(_alternation([c["re"] for c in raw["notice_cues"]]), _I),
        # group "rest" is what follows the opener on the same line (empty when alone)
        list_intro_strong=re.compile(
            rf"^(?:{_alternation(raw['list_intros_strong'])})(?:{sep}|\s+|$)(?P<rest>.*)$", _I
        ),
        list_intro=re.compile(
            rf"^(?:{_alternation(raw['list_intros'])})(?:{sep}(?P<rest>.*)|\s*$)", _I
        ),
        source_line=re.compile(raw["source_line"], _I),
        source_read_more=re.compile(raw["source_read_more"], _I),
        bio_opening=re.compile(raw["bio_opening"]),
        bio_strong=re.compile(_alternation(raw["bio_strong"]), _I),
        credit=re.compile(_alternation(raw["credit_cues"]), _I),
        byline=re.compile(raw["byline"], _I),
        dateline=re.compile(raw["dateline"], _I),
        teaser_tag=re.compile(raw["teaser_tags"]),
        stopwords=frozenset(w for words in raw["stopwords"].values() for w in words.split()),
    )
