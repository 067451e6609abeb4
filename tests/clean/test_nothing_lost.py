"""Cleaning keeps what it removes: every line of the input ends up in the title, the body or
`removed` (with its reason), repaired by ftfy where it was damaged. Only lines of bare
punctuation (separators such as "—" or "--") may vanish. Checked on every real text here:
the seeds, the ECB+ bodies and the dev-set pages flattened as a naive scraper saves them."""

from __future__ import annotations

import json
import re
import sys

from conftest import ROOT, needs_shared

from presstrace.clean.repair import repair_text
from presstrace.clean.text import clean_text

sys.path.insert(0, str(ROOT / "bench"))

_BARE_PUNCTUATION = re.compile(r"^[\W_]*$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def lost_lines(text: str) -> list[str]:
    result = clean_text(text)
    kept = _norm("\n".join([result.title or "", result.text, *(r.text for r in result.removed)]))
    return [
        line
        for line in text.split("\n")
        if line.strip()
        and not _BARE_PUNCTUATION.match(line.strip())
        and _norm(line) not in kept
        and _norm(repair_text(line)) not in kept
    ]


def test_no_seed_line_is_silently_dropped():
    for path in sorted(needs_shared("seeds").glob("*.txt")):
        assert lost_lines(path.read_text(encoding="utf-8")) == [], path.name


def test_no_ecbplus_line_is_silently_dropped():
    docs = needs_shared("data", "ecbplus-dev", "docs.jsonl").read_text(encoding="utf-8")
    lost = {}
    for line in docs.splitlines():
        doc = json.loads(line)
        if missing := lost_lines(doc["text"]):
            lost[doc["id"]] = missing
    assert lost == {}


def test_no_flattened_page_line_is_silently_dropped():
    needs_shared("data", "trafilatura-eval")
    from devsets import flatten_html, load_trafilatura_cases

    lost = {}
    for case in load_trafilatura_cases():
        if missing := lost_lines(flatten_html(case.html)):
            lost[case.name] = missing[:3]
    assert lost == {}
