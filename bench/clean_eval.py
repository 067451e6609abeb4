"""How well the clean stage separates article text from page furniture, on pages it never saw.

    python bench/clean_eval.py            # the table
    python bench/clean_eval.py --sweep    # re-pick the classifier's numbers on the tuning half
    python bench/clean_eval.py --misses   # tuning half only: furniture kept, body lost

Data: the trafilatura dev set (105 English news/article pages with `with`/`without`
snippets, ../shared/data/trafilatura-eval). Plain text is the page flattened the way a naive
scraper saves it (every visible line: menus, footers, cookie banners, comments, related
links), which is what presstrace's own classifier meets in scraped text files. The score is
trafilatura's own: `with` snippets found are true positives, `without` snippets found are
false positives. Pages are split by position: every 3rd page (index % 3 == 0) is held out,
the others are the tuning half on which the classifier's numbers were chosen. Both halves
are printed so overfitting shows as a gap.

Also printed: clean_text on already-clean article text (how much body it wrongly drops),
on short articles built from seed paragraphs with inline furniture, on the ECB+ news bodies
(../shared/data/ecbplus-dev: clean article text laid out one sentence per line, with no
blank line between paragraphs), the seed articles scored against the human reading, and
clean_text speed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import trafilatura
from devsets import (
    SHARED,
    EvalCase,
    flatten_html,
    load_ecbplus,
    load_trafilatura_cases,
    score_snippets,
)

from presstrace.clean.html import clean_html
from presstrace.clean.text import DEFAULT, Params, clean_text
from presstrace.model import CleanResult

SEEDS = SHARED / "seeds"
SCORER = SHARED / "tools" / "score_seeds.py"


def halves(pairs: list[tuple[str, EvalCase]]) -> dict[str, list[tuple[str, EvalCase]]]:
    return {
        "tune": [p for i, p in enumerate(pairs) if i % 3],
        "held-out": [p for i, p in enumerate(pairs) if i % 3 == 0],
        "all": pairs,
    }


def run(cases: list[EvalCase], fn: Callable[[EvalCase], str]) -> list[tuple[str, EvalCase]]:
    return [(fn(case), case) for case in cases]


def with_title(result: CleanResult) -> str:
    """The article as a reader sees it: presstrace moves the headline out of the body
    (into `title`), while trafilatura's text keeps an <h1> inside the article."""
    return f"{result.title}\n\n{result.text}" if result.title else result.text


def table(rows: dict[str, list[tuple[str, EvalCase]]]) -> None:
    print(f"{'system':44s} {'half':9s} {'prec':>6s} {'recall':>6s} {'F1':>6s}")
    for name, pairs in rows.items():
        if not name.startswith(" "):
            print()
        for half, subset in halves(pairs).items():
            s = score_snippets(subset)
            print(f"{name:44s} {half:9s} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")


def seed_figures() -> dict[str, float]:
    """The clean stage's part of the seed score (other figures belong to other stages)."""
    if not SCORER.exists():
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for path in sorted(SEEDS.glob("*.txt")):
            r = clean_text(path.read_text(encoding="utf-8"))
            out.write(json.dumps({"source": path.name, "title": r.title, "text": r.text}) + "\n")
    res = subprocess.run(
        [sys.executable, str(SCORER), out.name, "--json"], capture_output=True, check=True
    )
    Path(out.name).unlink()
    figures = json.loads(res.stdout)["figures"]
    return {k: figures[k] for k in ("boilerplate_removed", "body_kept", "repeats_once", "title")}


def throughput(n: int = 2000) -> tuple[float, float]:
    """clean_text articles per second on the seeds (about 5 KB each), and mean KB."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        return 0.0, 0.0
    batch = list(itertools.islice(itertools.cycle(texts), n))
    start = time.perf_counter()
    for text in batch:
        clean_text(text)
    elapsed = time.perf_counter() - start
    return n / elapsed, statistics.mean(len(t.encode()) for t in texts) / 1024


def body_kept(cases: list[EvalCase], params: Params = DEFAULT) -> float:
    """Share of `with` snippets clean_text keeps when its input is already article text
    (trafilatura's extraction of the page): what cleaning costs a mostly clean article."""
    total = lost = 0
    for case in cases:
        text = trafilatura.extract(case.html, url=case.url, include_comments=False) or ""
        r = clean_text(text, params)
        out = " ".join(f"{r.title or ''} {r.text}".split())
        source = " ".join(text.split())
        for snippet in case.with_snippets:
            s = " ".join(snippet.split())
            if s in source:
                total += 1
                lost += s not in out
    return 1 - lost / total if total else 1.0


# Furniture that scrapers put *inside* articles, for the short-article probe below.
INLINE_FURNITURE = [
    "[ad_1]",
    "Advertisement\nStory continues below advertisement",
    "READ MORE: Minister dealt blow as talks collapse",
    "Don’t miss:\nForces begin installing new missile system [REPORT]\n"
    "Critic placed in solitary confinement [REVEAL]\n\n"
    "Sign up to our free newsletter and get the top stories delivered to your inbox. "
    "You can unsubscribe at any time.",
]


def short_articles_kept(params: Params = DEFAULT) -> float:
    """Share of body paragraphs kept in short articles (a headline, two or three sentence
    paragraphs from the seeds, one piece of inline furniture after the first, tags below):
    the case where a region model is most tempted to give up a paragraph."""
    total = kept = 0
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [
            line
            for line in path.read_text(encoding="utf-8").split("\n")
            if len(line) > 60 and line.rstrip()[-1:] in ".”"
        ]
        for start, k, junk in itertools.product(range(0, 20, 2), (2, 3), INLINE_FURNITURE):
            body = lines[start : start + k]
            if len(body) < k:
                continue
            text = "\n\n".join(["What we know so far", body[0], junk, *body[1:], "Share\nTags"])
            out = clean_text(text, params).text
            total += k
            kept += sum(" ".join(b.split()) in out for b in body)
    return kept / total if total else 1.0


_SENTENCE_END = re.compile(r"[.!?][\s\"'”’»)\]]*$")
_LOWER_WORD = re.compile(r"\b(?!(?:am|pm|a\.m|p\.m)\b)[a-z]{2,}\b")


def full_sentence(line: str) -> bool:
    """A line that reads as a whole sentence: it starts with a capital (or an opening quote),
    ends like a sentence and has a lower-case word (not a date's "pm")."""
    start = line.lstrip("\"'“‘«(-–— ")[:1]
    return bool(start.isupper() and _SENTENCE_END.search(line) and _LOWER_WORD.search(line))


def ecbplus_kept(params: Params = DEFAULT) -> tuple[float, float, int, int]:
    """clean_text on the ECB+ news bodies, which are already clean article text laid out one
    sentence per line: (share of characters kept in the title and body; the same share not
    counting the lines removed as date/time stamps, which these bodies keep but which are
    page chrome; full-sentence lines removed; lines removed). A line removed as a repeat of
    a kept one loses nothing, so it is not counted as a removed sentence (its characters
    are, as any removal's)."""
    total = kept = dates = sentences = lines = 0
    for doc in load_ecbplus():
        source = [" ".join(line.split()) for line in doc["text"].split("\n")]
        r = clean_text(doc["text"], params)
        total += sum(len(line) for line in source if line)
        kept += len(r.title or "") + sum(len(p) for p in r.text.split("\n\n"))
        for x in r.removed:
            lines += 1
            dates += len(x.text) if x.reason == "dateline" else 0
            sentences += x.reason not in ("repeat", "title-repeat") and full_sentence(x.text)
    if not total:
        return 1.0, 1.0, 0, 0
    return kept / total, kept / (total - dates), sentences, lines


def sweep(cases: list[EvalCase], flat: list[tuple[str, EvalCase]]) -> None:
    """Grid over the classifier's main numbers, scored on the tuning half only."""
    tune = halves(flat)["tune"]
    tune_cases = [c for i, c in enumerate(cases) if i % 3]
    grid = {
        "switch_cost": [3.0, 4.0, 5.0],
        "inline": [-0.5, -1.0, -4.0],
        "headline": [-0.5, -1.0, -1.5],
        "prose_per_char": [1 / 40, 1 / 60],
    }
    results = []
    for values in itertools.product(*grid.values()):
        params = replace(DEFAULT, **dict(zip(grid, values, strict=True)))
        f1 = score_snippets([(clean_text(t, params).text, c) for t, c in tune])["f1"]
        kept = body_kept(tune_cases, params)
        results.append((f1, kept, short_articles_kept(params), values))
    results.sort(key=lambda r: -r[0])
    print("tuning half: F1 on flattened pages; body kept on article text; short articles kept")
    for f1, kept, short, values in results[:16]:
        named = dict(zip(grid, values, strict=True))
        print(f"  F1 {f1:.3f}  body kept {kept:.3f}  short {short:.3f}  {named}")


def misses(flat: list[tuple[str, EvalCase]]) -> None:
    """What clean_text gets wrong, on the tuning half only (the held-out pages stay unread)."""
    for text, case in halves(flat)["tune"]:
        out = " ".join(clean_text(text).text.split())
        kept = [s for s in case.without_snippets if " ".join(s.split()) in out]
        lost = [s for s in case.with_snippets if " ".join(s.split()) not in out]
        if kept or lost:
            print(f"== {case.name}")
            for s in kept:
                print(f"   furniture kept: {s[:90]}")
            for s in lost:
                print(f"   body lost:      {s[:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    cases = list(load_trafilatura_cases())
    flat = [(flatten_html(c.html), c) for c in cases]
    if args.sweep:
        sweep(cases, flat)
        return
    if args.misses:
        misses(flat)
        return
    clean_html(cases[0].html, cases[0].url)  # warm-up: dateparser compiles its locales once
    start = time.perf_counter()
    html_results = [(clean_html(c.html, c.url), c) for c in cases]
    html_rate = len(cases) / (time.perf_counter() - start)
    text_results = [(clean_text(t), c) for t, c in flat]
    rows = {
        "naive flattened text": flat,
        "presstrace clean_text on flattened text": [(r.text, c) for r, c in text_results],
        "  clean_text, headline + body": [(with_title(r), c) for r, c in text_results],
        "trafilatura.extract default on HTML": run(
            cases, lambda c: trafilatura.extract(c.html, url=c.url) or ""
        ),
        "presstrace clean_html on HTML": [(r.text, c) for r, c in html_results],
        "  clean_html, headline + body": [(with_title(r), c) for r, c in html_results],
    }
    print(f"trafilatura dev set: {len(cases)} pages (held out: every 3rd)\n")
    table(rows)
    kept = {
        half: body_kept([c for i, c in enumerate(cases) if (i % 3 == 0) == (half == "held-out")])
        for half in ("tune", "held-out")
    }
    print(
        "\nclean_text on already-clean article text (trafilatura's extraction): body snippets "
        f"kept {kept['tune']:.3f} tune, {kept['held-out']:.3f} held-out"
    )
    print(
        "clean_text on short seed-built articles with inline furniture: paragraphs kept "
        f"{short_articles_kept():.3f}\n"
    )
    ecb, undated, sentences, removed = ecbplus_kept()
    print(
        f"ECB+ clean bodies (one sentence per line): characters kept {ecb:.3f} "
        f"({undated:.3f} not counting date/time lines); full sentences removed {sentences} "
        f"(of {removed} lines removed)\n"
    )
    figures = seed_figures()
    if figures:
        print("seeds (clean_text): " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    rate, kb = throughput()
    print(f"clean_text: {rate:,.0f} articles/s on one core (seed articles, {kb:.1f} KB mean)")
    print(f"clean_html: {html_rate:,.0f} pages/s (trafilatura with metadata, outside lines)")


if __name__ == "__main__":
    main()
