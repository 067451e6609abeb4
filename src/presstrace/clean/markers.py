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
# libyaml's loader when PyYAML was built with it (its wheels are): the same objects from
# markers.yaml (compared with ==), parsed ~10x faster at start-up
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class NoticeCue:
    """One cue of a sign-up/cookie/paywall notice, its weight and the reason it gives.

    `needles`: lower-case literals of which one must occur for the pattern to match (None:
    always try it). Checking them with `in` is ten times cheaper than the regex search.
    """

    pattern: re.Pattern[str]
    weight: int
    reason: str
    needles: tuple[str, ...] | None


@dataclass(frozen=True)
class Markers:
    ui_word: re.Pattern[str]
    ad_marker: re.Pattern[str]
    notice_cues: tuple[NoticeCue, ...]
    # (needle, the cue indexes it serves) over all cues, and the cues without needles: one
    # flat pass finds the few cues worth a regex search on a line
    notice_needles: tuple[tuple[str, tuple[int, ...]], ...]
    notice_always: tuple[int, ...]
    # each distinct needle once, shortest first, with a shorter needle it contains (if it is
    # absent from a document, so is this one) and the cues it serves
    needle_plan: tuple[tuple[str, str | None, tuple[int, ...]], ...]
    list_intro_strong: re.Pattern[str]
    list_intro: re.Pattern[str]
    source_line: re.Pattern[str]
    source_read_more: re.Pattern[str]
    bio_opening: re.Pattern[str]
    bio_strong: re.Pattern[str]
    credit: re.Pattern[str]
    byline: re.Pattern[str]
    comment_header: re.Pattern[str]
    dateline: re.Pattern[str]
    teaser_tag: re.Pattern[str]
    stopwords: frozenset[str]
    date_words: frozenset[str]  # months included
    months: frozenset[str]


def _alternation(items: list[str]) -> str:
    return "|".join(f"(?:{_any_quotes(item)})" for item in items)


def _any_quotes(pattern: str) -> str:
    """Let ' and " in a vocabulary pattern also match their curly forms (’ ‘ “ ”), so lines
    are matched as they are, without a straightening copy."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        if ch in "'\"" and not escaped:
            alts = "'‘’" if ch == "'" else '"“”'
            out.append(alts if in_class else f"[{alts}]")
        else:
            out.append(ch)
    return "".join(out)


def _needles(pattern: str) -> tuple[str, ...] | None:
    """For each top-level alternative, its longest literal that any match must contain.

    A conservative reading of the regex: literal runs at nesting depth 0, cut before a
    quantifier that could drop their last character. None when some alternative has no
    literal of 3+ characters (the pattern is then always tried).
    """
    needles = []
    for alternative in _top_level(pattern, "|"):
        runs, run, depth, i = [], "", 0, 0
        while i < len(alternative):
            ch = alternative[i]
            nxt = alternative[i + 1] if i + 1 < len(alternative) else ""
            if ch == "\\":
                runs.append(run)
                run = ""
                i += 2
                continue
            if ch in "([":
                depth += 1
            if depth == 0 and (ch.isalnum() or ch in " -'©"):
                if nxt and nxt in "?*{":
                    runs.append(run)
                    run = ""
                else:
                    run += ch
            else:
                runs.append(run)
                run = ""
            if ch in ")]":
                depth -= 1
            i += 1
        runs.append(run)
        best = max(runs, key=len).strip() if runs else ""
        if len(best) < 3 and best != "©":
            return None
        needles.append(best.lower())
    return tuple(needles)


def _needle_plan(
    cues: tuple[NoticeCue, ...],
) -> tuple[tuple[str, str | None, tuple[int, ...]], ...]:
    serves: dict[str, list[int]] = {}
    for i, cue in enumerate(cues):
        for needle in cue.needles or ():
            serves.setdefault(needle, []).append(i)
    ordered = sorted(serves, key=len)
    plan = []
    for k, needle in enumerate(ordered):
        inner = [shorter for shorter in ordered[:k] if shorter in needle]
        plan.append((needle, max(inner, key=len) if inner else None, tuple(serves[needle])))
    return tuple(plan)


def _top_level(pattern: str, sep: str) -> list[str]:
    parts, current, depth, escaped = [], "", 0, False
    for ch in pattern:
        if escaped:
            current += ch
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return parts


def _whole(items: list[str]) -> re.Pattern[str]:
    """A whole line made of one vocabulary item, with optional trailing punctuation."""
    return re.compile(rf"^(?:{_alternation(items)})\s*[:.!…>»|-]*$", _I)


@cache
def load_markers(path: Path = DATA) -> Markers:
    """Compile the vocabulary file (cached: it is read once per process)."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    cues = tuple(
        NoticeCue(
            re.compile(_any_quotes(c["re"]), _I),
            int(c["w"]),
            str(c["reason"]),
            tuple(c["needles"]) if c.get("needles") else _needles(c["re"]),
        )
        for c in raw["notice_cues"]
    )
    sep = r"\s*(?:[:|»>…]+|\.\.\.|\s[-–—]\s?)\s*"
    return Markers(
        ui_word=_whole(raw["ui_words"]),
        ad_marker=_whole(raw["ad_markers"]),
        notice_cues=cues,
        notice_needles=tuple((needle, served) for needle, _, served in _needle_plan(cues)),
        notice_always=tuple(i for i, cue in enumerate(cues) if cue.needles is None),
        needle_plan=_needle_plan(cues),
        # group "rest" is what follows the opener on the same line (empty when alone)
        list_intro_strong=re.compile(
            rf"^(?:{_alternation(raw['list_intros_strong'])})(?:{sep}|\s+|$)(?P<rest>.*)$", _I
        ),
        list_intro=re.compile(
            rf"^(?:{_alternation(raw['list_intros'])})(?:{sep}(?P<rest>.*)|\s*$)", _I
        ),
        source_line=re.compile(_any_quotes(raw["source_line"]), _I),
        source_read_more=re.compile(_any_quotes(raw["source_read_more"]), _I),
        bio_opening=re.compile(_any_quotes(raw["bio_opening"])),
        bio_strong=re.compile(_alternation(raw["bio_strong"]), _I),
        credit=re.compile(_alternation(raw["credit_cues"]), _I),
        byline=re.compile(_any_quotes(raw["byline"]), _I),
        comment_header=re.compile(rf"^(?:{_alternation(raw['comment_headers'])})$", _I),
        dateline=re.compile(_any_quotes(raw["dateline"]), _I),
        teaser_tag=re.compile(raw["teaser_tags"]),
        stopwords=frozenset(w for words in raw["stopwords"].values() for w in words.split()),
        date_words=frozenset(" ".join(raw["date_words"].values()).split()),
        months=frozenset(raw["date_words"]["months"].split()),
    )
