"""Loaders for the public dev sets in ../shared/data, and the naive HTML flattener.

The flattener imitates a naive scraper: every visible text line of the page, menus, footers
and link lists included, one block element per line. Cleaning and date inference on plain
text are measured on pages flattened this way, against what the page's body really is.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from presstrace.clean.html import parse_html, visible_text

SHARED = Path(os.environ.get("PRESSTRACE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
TRAFILATURA_EVAL = SHARED / "data" / "trafilatura-eval"
ECBPLUS_DEV = SHARED / "data" / "ecbplus-dev"


@dataclass
class EvalCase:
    """One page of the trafilatura dev set with its expectations."""

    name: str
    url: str | None
    html: str
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None


def load_trafilatura_cases(root: Path = TRAFILATURA_EVAL) -> Iterator[EvalCase]:
    for line in (root / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        raw = gzip.decompress((root / case["file"]).read_bytes())
        yield EvalCase(
            name=Path(case["file"]).name.removesuffix(".gz"),
            url=case.get("url"),
            html=raw.decode("utf-8", errors="replace"),
            with_snippets=case.get("with") or [],
            without_snippets=case.get("without") or [],
            title=case.get("title"),
            date=case.get("date"),
        )


def flatten_html(html: str) -> str:
    """Every visible text line of the page, as a naive scraper would save it."""
    text = visible_text(parse_html(html))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def load_ecbplus(root: Path = ECBPLUS_DEV) -> list[dict]:
    return [json.loads(x) for x in (root / "docs.jsonl").read_text(encoding="utf-8").splitlines()]


def score_snippets(pairs: list[tuple[str, EvalCase]]) -> dict[str, float]:
    """trafilatura's own measure: `with` snippets found are true positives, missing ones false
    negatives; `without` snippets found are false positives. Returns precision, recall, F1."""
    tp = fn = fp = tn = 0
    for text, case in pairs:
        norm = " ".join(text.split())
        for s in case.with_snippets:
            if " ".join(s.split()) in norm:
                tp += 1
            else:
                fn += 1
        for s in case.without_snippets:
            if " ".join(s.split()) in norm:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fn": fn, "fp": fp}
