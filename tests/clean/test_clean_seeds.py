"""The five seed articles through clean_text alone, scored against the human reading."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import needs_shared

from presstrace.clean.text import clean_text

# The clean stage's part of the seed bar (the other figures belong to other stages).
BAR = {"boilerplate_removed": 0.95, "body_kept": 0.98, "repeats_once": 1.0, "title": 1.0}


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    folder = needs_shared("seeds")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def test_seed_figures_meet_the_bar(seeds, tmp_path):
    scorer = needs_shared("tools", "score_seeds.py")
    export = tmp_path / "clean.jsonl"
    with export.open("w", encoding="utf-8") as out:
        for name, text in seeds.items():
            r = clean_text(text)
            out.write(json.dumps({"source": name, "title": r.title, "text": r.text}) + "\n")
    scored = subprocess.run(
        [sys.executable, str(scorer), str(export), "--json"], capture_output=True, check=True
    )
    result = json.loads(scored.stdout)
    low = {k: result["figures"][k] for k, bar in BAR.items() if result["figures"][k] < bar}
    assert not low, f"below the bar: {low}; misses: {result['misses']}"


def test_every_dropped_line_is_kept_with_a_reason(seeds):
    for text in seeds.values():
        r = clean_text(text)
        assert r.removed
        assert all(x.text.strip() and x.reason and " " not in x.reason for x in r.removed)
        # nothing is silently lost: each input line is in the title, the body or removed
        kept = {r.title or ""} | set(r.text.split("\n\n")) | {x.text for x in r.removed}
        for line in text.split("\n"):
            if line.strip():
                assert " ".join(line.split()) in kept


def test_body_format_one_blank_line_between_paragraphs(seeds):
    for text in seeds.values():
        body = clean_text(text).text
        assert "\n\n\n" not in body and not body.startswith("\n") and not body.endswith("\n")
        assert all(p == p.strip() and "\n" not in p for p in body.split("\n\n"))


def test_idempotent_on_a_clean_article(seeds):
    """Cleaning what clean_text produced (headline, blank line, body) changes nothing."""
    for name, text in seeds.items():
        first = clean_text(text)
        again = clean_text(f"{first.title}\n\n{first.text}" if first.title else first.text)
        assert again.title == first.title, name
        assert again.text == first.text, name
        assert again.removed == [], name


def test_body_only_reclean_keeps_every_paragraph(seeds):
    """Cleaning the body alone may read its first line as a headline, but loses nothing."""
    for text in seeds.values():
        first = clean_text(text)
        again = clean_text(first.text)
        titled = {again.title} if again.title else set()
        assert set(first.text.split("\n\n")) == set(again.text.split("\n\n")) | titled
