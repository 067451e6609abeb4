"""Who said what, measured on PolNeAR (political news attribution relations, 2016 US press).

    python bench/quotes_eval.py                          # dev split, this tree
    python bench/quotes_eval.py --before /work/main/src  # the same table for another tree too
    python bench/quotes_eval.py --split train --calibrate  # accuracy per attribution path

Data: https://github.com/networkdynamics/PolNeAR, read where it lies (default
/work/devdata/polnear/<split>/{text,attributions,corenlp}; `$POLNEAR` to move it). Only the
train and dev splits are ever read: the test split is held out. Where an article was
annotated by several annotators, the first annotation file (by name) is the gold.

Each article runs through the extraction stage as the product does (spaCy, `extract`, then
corpus-wide canonicalisation over the whole split and `assemble`). A gold attribution is
*found* when a predicted quote overlaps its content by at least half of the shorter span;
its speaker is *right* when
- the gold source names someone (a capitalised word other than a determiner) and the
  predicted speaker's family name is one of its words (first names must agree when both
  give one);
- the gold source is a pronoun or a description ("he", "the campaign") that CoreNLP's
  coreference (shipped with the corpus, dev split) links to a named mention: judged against
  that name;
- the gold source names nobody reachable ("sources", "a spokesman"): right only when the
  predicted speaker is null (presstrace never guesses); a pronoun or a definite description
  ("the mayor") CoreNLP does not resolve is not judged when a speaker is predicted (it counts
  in no precision, and as not right in the recall columns).
A gold content is *direct* when at least half of its characters are inside quotation marks.
Columns: share of gold attributions found with the right speaker (direct, all; by source
kind), and precision = right / found-with-a-speaker. `strict` rows count a speaker right
only when the gold source span itself names them (no coreference, null never right), the
way the issue's figures are stated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("POLNEAR", "/work/devdata/polnear"))
SPLITS = ("train", "dev")  # never "test": held out
MIN_OVERLAP = 0.5  # share of the shorter span two contents must share to be one attribution
_PRONOUNS = "he she they i we it him her them us me you his its their our my who which that"
PRONOUNS = frozenset(_PRONOUNS.split())
_NOT_NAMES = (
    "the a an this that these those he she it they we i his her their its our my one "
    "some another several many both all mr mrs ms dr"
)
NOT_NAMES = frozenset(_NOT_NAMES.split())
_TITLES = (
    "president sen senator gov governor rep secretary state mayor gen general former vice "
    "democratic republican rev dr"
)
TITLES = frozenset(_TITLES.split())
QUOTE_PAIRS = re.compile(r"“[^”\n]*”?|\"[^\"\n]*\"?")


@dataclass
class Gold:
    source: str
    source_start: int
    content: list[tuple[int, int]]
    direct: bool
    kind: str  # named | pronoun | description
    name: str | None  # the name to match: the source's own, or its coreferent's
    cue: str = ""


@dataclass
class Article:
    name: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def _spans(field_text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (p.split() for p in field_text.split(";"))]


def _has_name(text: str) -> bool:
    return any(
        w[:1].isupper() and w.lower() not in NOT_NAMES for w in re.findall(r"[\w.’'-]+", text)
    )


def _kind(source: str) -> str:
    words = re.findall(r"[\w’'-]+", source.lower())
    if words and all(w in PRONOUNS for w in words):
        return "pronoun"
    return "named" if _has_name(source) else "description"


def _coref(path: Path) -> dict[tuple[int, int], str]:
    """(start, end) char span of each coreferent mention -> its chain's first named mention."""
    if not path.exists() or path.stat().st_size == 0:
        return {}
    root = ET.parse(path).getroot()
    doc = root.find("document")
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    ner: dict[tuple[int, int], str] = {}
    for s in doc.find("sentences"):
        sid = int(s.get("id"))
        for t in s.find("tokens"):
            offsets[(sid, int(t.get("id")))] = (
                int(t.find("CharacterOffsetBegin").text),
                int(t.find("CharacterOffsetEnd").text),
            )
            ner[(sid, int(t.get("id")))] = t.find("NER").text if t.find("NER") is not None else "O"
    out: dict[tuple[int, int], str] = {}
    coref = doc.find("coreference")
    if coref is None:
        return out
    for chain in coref:
        mentions = []
        for m in chain:
            sid, a, b = (int(m.find(k).text) for k in ("sentence", "start", "end"))
            span = (offsets[(sid, a)][0], offsets[(sid, b - 1)][1])
            tags = {ner.get((sid, k), "O") for k in range(a, b)}
            mentions.append((span, m.find("text").text or "", tags))
        people = [t for _, t, tags in mentions if "PERSON" in tags]
        bodies = [t for _, t, tags in mentions if tags & {"ORGANIZATION", "LOCATION"}]
        best = (people or bodies or [None])[0]
        if best is None:
            continue
        for span, _, _ in mentions:
            out[span] = best
    return out


def _inside_quotes(text: str) -> list[bool]:
    inside = [False] * len(text)
    for m in QUOTE_PAIRS.finditer(text):
        for i in range(m.start(), m.end()):
            inside[i] = True
    return inside


def load(split: str, limit: int | None = None) -> list[Article]:
    if split not in SPLITS:
        raise SystemExit(f"split {split!r} is not allowed (test is held out)")
    base = DATA / split
    firsts: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        firsts.setdefault(ann.name.rsplit("_", 1)[0], ann)
    chosen = sorted(firsts.items())
    if limit is not None and limit < len(chosen):
        # evenly spaced over the file names, so every publisher is in the sample
        chosen = [chosen[i * len(chosen) // limit] for i in range(limit)]
    articles = []
    for name, ann in chosen:
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        coref = _coref(base / "corenlp" / f"{name}.txt.xml")
        inside = _inside_quotes(text)
        spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 3:
                label, _, pos = parts[1].partition(" ")
                spans[parts[0]] = (label, _spans(pos), parts[2])
        article = Article(name, text)
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("E"):
                continue
            roles = dict(p.split(":") for p in line.split("\t")[1].split()[1:])
            if "Content" not in roles or "Source" not in roles:
                continue
            _, src_spans, src_text = spans[roles["Source"]]
            _, content, _ = spans[roles["Content"]]
            cue = spans[roles["Cue"]][2] if "Cue" in roles else ""
            n = sum(b - a for a, b in content)
            quoted = sum(inside[i] for a, b in content for i in range(a, min(b, len(text))))
            kind = _kind(src_text)
            name_ = src_text if kind == "named" else None
            if name_ is None:
                span = (src_spans[0][0], src_spans[-1][1])
                name_ = coref.get(span)
                if name_ is None:  # the source phrase may be longer than CoreNLP's mention
                    for (a, b), t in coref.items():
                        if span[0] <= a and b <= span[1]:
                            name_ = t
                            break
            article.gold.append(
                Gold(
                    src_text,
                    src_spans[0][0],
                    content,
                    n > 0 and quoted / n >= 0.5,
                    kind,
                    name_,
                    cue,
                )
            )
        articles.append(article)
    return articles


def predict(articles: list[Article]) -> list[list[dict]]:
    """Each article's quotes as the product computes them (corpus-wide names)."""
    from dataclasses import asdict

    from presstrace.extract import assemble, extract, nlp, surface_counts
    from presstrace.extract.names import SurfaceStat, canonicalise

    model = nlp.load()
    raws = [extract(d.text, d) for d in model.pipe([a.text for a in articles], batch_size=16)]
    stats = [SurfaceStat(s, t, c) for r in raws for (s, t), c in surface_counts(r).items()]
    mapping = canonicalise(stats)
    out = []
    for raw in raws:
        _, quotes, _ = assemble(raw, mapping)
        pairs = zip(quotes, raw["quotes"], strict=True)
        out.append([{**asdict(q), "how": r.get("how")} for q, r in pairs])
    return out


_PARTICLES = "le la de van von der den da di du del al el bin ibn"
PARTICLES = frozenset(_PARTICLES.split())


def _tokens(text: str) -> list[str]:
    text = text.replace("’", "'")  # "O’Malley" and "O'Malley" are one name
    return [
        w.lower().rstrip("’'s") if w.endswith(("’s", "'s")) else w.lower()
        for w in re.findall(r"[\w’'.-]+", text)
    ]


def speaker_matches(speaker: str, name: str) -> bool:
    """The predicted speaker's family name is a word of the gold name; when both give first
    names (capitalised words right before the family name), one of them agrees."""
    sp = [w.strip(".") for w in _tokens(speaker) if w.strip(".") not in NOT_NAMES]
    words = re.findall(r"[\w’'.-]+", name.replace("’", "'"))
    gold = [w.strip(".").lower() for w in _tokens(name)]
    if not sp:
        return False
    family = sp[-1]
    if family in ("jr", "sr") and len(sp) > 1:
        family = sp[-2]
    if family not in gold:
        return False
    i = gold.index(family)
    firsts = []
    j = i - 1
    while j >= 0 and words[j][:1].isupper() and gold[j] not in NOT_NAMES | TITLES:
        if gold[j] not in PARTICLES:  # "Le Pen": the particle is no first name
            firsts.append(gold[j])
        j -= 1
    if len(sp) < 2 or not firsts or any(w.islower() for w in speaker.split()):
        return True  # no first names to compare ("Center for Responsive Politics" is no person)
    return any(f == sp[0] or (len(f) <= 2 and sp[0].startswith(f[:1])) for f in firsts)


def _overlap(a: tuple[int, int], spans: list[tuple[int, int]]) -> float:
    inter = sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)
    shorter = min(a[1] - a[0], sum(e - s for s, e in spans)) or 1
    return inter / shorter


def score(articles: list[Article], preds: list[list[dict]], min_conf: float = 0.0) -> dict:
    counts: Counter = Counter()
    by_how: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    for art, quotes in zip(articles, preds, strict=False):
        quotes = [q for q in quotes if q.get("confidence", 1.0) >= min_conf or q["speaker"] is None]
        for g in art.gold:
            best = max(
                quotes, key=lambda q: _overlap((q["start"], q["end"]), g.content), default=None
            )
            found = (
                best is not None
                and _overlap((best["start"], best["end"]), g.content) >= MIN_OVERLAP
            )
            groups = ["all", "direct" if g.direct else "indirect", g.kind]
            for grp in groups:
                counts[(grp, "gold")] += 1
            if not found:
                continue
            sp = best["speaker"]
            judged = True
            if g.name is not None:
                right = sp is not None and speaker_matches(sp, g.name)
            else:
                right = sp is None
                # a pronoun or a definite description ("the mayor") CoreNLP could not
                # resolve: a named speaker cannot be judged either way
                definite = g.source.lower().startswith(("the ", "this ", "that "))
                judged = sp is None or not (g.kind == "pronoun" or definite)
            strict = g.kind == "named" and sp is not None and speaker_matches(sp, g.source)
            if g.kind == "named" and sp is not None:
                counts[("named", "strict_with_speaker")] += 1
            for grp in groups:
                counts[(grp, "found")] += 1
                counts[(grp, "right")] += right
                counts[(grp, "strict")] += strict
                if sp is not None and judged:
                    counts[(grp, "with_speaker")] += 1
                    counts[(grp, "right_with_speaker")] += right
            how = best.get("how") or "?"
            if sp is not None and judged:
                by_how[how]["n"] += 1
                by_how[how]["right"] += right
            if not found_right_or_unjudged(right, judged) and sp is not None:
                misses.append(
                    f"{art.name[:40]} | gold {g.source!r} ({g.name!r}) | pred {sp!r} via {how} "
                    f"| {art.text[g.content[0][0] : g.content[0][0] + 70]!r}"
                )
    return {"counts": counts, "by_how": by_how, "misses": misses}


def found_right_or_unjudged(right: bool, judged: bool) -> bool:
    return right or not judged


def table(label: str, result: dict) -> list[str]:
    c = result["counts"]

    def share(grp: str, what: str = "right") -> str:
        n = c[(grp, "gold")]
        return f"{c[(grp, what)] / n:.3f}" if n else "-"

    def strict_prec() -> str:
        n = c[("named", "strict_with_speaker")]
        return f"{c[('named', 'strict')] / n:.3f} ({n})" if n else "-"

    def prec(grp: str) -> str:
        n = c[(grp, "with_speaker")]
        return f"{c[(grp, 'right_with_speaker')] / n:.3f} ({n})" if n else "-"

    return [
        f"| {label} | found | {share('direct', 'found')} | {share('all', 'found')} | "
        f"{share('indirect', 'found')} | {share('named', 'found')} | {share('pronoun', 'found')} "
        f"| {share('description', 'found')} | |",
        f"| {label} | right speaker | {share('direct')} | {share('all')} | {share('indirect')} | "
        f"{share('named')} | {share('pronoun')} | {share('description')} | {prec('all')} |",
        f"| {label} | strict (named in the source span) | {share('direct', 'strict')} | "
        f"{share('all', 'strict')} | {share('indirect', 'strict')} | {share('named', 'strict')} "
        f"| - | - | {strict_prec()} named |",
    ]


def run(split: str, min_conf: float, limit: int | None = None) -> dict:
    articles = load(split, limit)
    preds = predict(articles)
    result = score(articles, preds, min_conf)
    c = result["counts"]
    return {
        "articles": len(articles),
        "gold": {
            k: c[(k, "gold")]
            for k in ("all", "direct", "indirect", "named", "pronoun", "description")
        },
        "counts": {"|".join(k): v for k, v in c.items()},
        "by_how": {k: dict(v) for k, v in result["by_how"].items()},
        "misses": result["misses"],
    }


def _revive(data: dict) -> dict:
    counts = Counter({tuple(k.split("|")): v for k, v in data["counts"].items()})
    return {"counts": counts, "by_how": data["by_how"], "misses": data["misses"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=SPLITS)
    parser.add_argument("--before", help="src/ of another tree (e.g. main) for a 'before' row")
    parser.add_argument("--min-confidence", type=float, default=0.0)
    parser.add_argument("--limit", type=int, help="only N articles, evenly spaced by name")
    parser.add_argument("--misses", type=int, default=0, help="print N wrong speakers")
    parser.add_argument("--calibrate", action="store_true", help="accuracy per attribution path")
    parser.add_argument("--json-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json_only:
        print(json.dumps(run(args.split, args.min_confidence, args.limit)))
        return
    rows = []
    trees = ([("before", args.before)] if args.before else []) + [("after", str(ROOT / "src"))]
    results = {}
    for label, src in trees:
        env = {**os.environ, "PYTHONPATH": src}
        cmd = [
            sys.executable,
            __file__,
            "--json-only",
            "--split",
            args.split,
            "--min-confidence",
            str(args.min_confidence),
        ]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        results[label] = json.loads(out.strip().splitlines()[-1])
        rows += table(label, _revive(results[label]))
    last = results["after"]
    g = last["gold"]
    print(
        f"PolNeAR {args.split}: {last['articles']} articles, {g['all']} attributions "
        f"({g['direct']} direct, {g['indirect']} indirect; sources {g['named']} named, "
        f"{g['pronoun']} pronoun, {g['description']} description)"
    )
    print(
        "| tree | measure | direct | all | indirect | named source | pronoun source | "
        "description source | precision (n with speaker) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.calibrate:
        print("\n| path | attributed | right | accuracy |\n|---|---|---|---|")
        for how, v in sorted(last["by_how"].items(), key=lambda kv: -kv[1]["n"]):
            print(f"| {how} | {v['n']} | {v.get('right', 0)} | {v.get('right', 0) / v['n']:.3f} |")
    for line in last["misses"][: args.misses]:
        print(line)


if __name__ == "__main__":
    main()
