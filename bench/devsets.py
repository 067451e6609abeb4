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

import lxml.html

SHARED = Path(os.environ.get("PRESSTRACE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
TRAFILATURA_EVAL = SHARED / "data" / "trafilatura-eval"
ECBPLUS_DEV = SHARED / "data" / "ecbplus-dev"

_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
    "figure", "figcaption", "form", "pre", "dd", "dt", "dl", "title", "option", "button",
    "address", "hr", "body",
}  # fmt: skip


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
    try:
        root = lxml.html.fromstring(html.encode("utf-8", errors="replace"))
    except (ValueError, lxml.etree.ParserError):
        return ""
    pieces: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _INVISIBLE:
            if node.tail:
                pieces.append(node.tail)
            return
        block = tag.lower() in _BLOCK
        if block:
            pieces.append("\n")
        if node.text and tag:
            pieces.append(node.text)
        for child in node:
            walk(child)
        if block:
            pieces.append("\n")
        if node.tail:
            pieces.append(node.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
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
