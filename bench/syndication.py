"""Syndication benchmark: is every reprint found, and nothing else?

    python bench/syndication.py               # default thresholds + a sweep, tables on stdout
    python bench/syndication.py --store       # also the real pipeline (ingest + step + store)

The corpus is generated reproducibly (seed 13) from real article texts:
- originals: the trafilatura dev-set pages (cleaned by presstrace's HTML path), the five
  seed articles, and the ECB+ dev-set news texts (cleaned as plain text);
- copies of part of the originals, as aggregators make them: added junk lines (ads, "Read
  more" links, sign-up notices, a "Source:" line), dropped and reordered paragraphs, straight
  or curly quotes and odd spacing, truncation, light word-level noise (typos, dropped or
  repeated words); each copy combines 2-4 of these and goes through cleaning like any input;
- hard negatives: ECB+ has several separately written articles per event (and a second
  event of the same kind per topic): same topic, same names, same numbers, not copies
  ("hard negatives joined" counts those pairs that dedup put in one group).

Truth: a copy belongs with its original; any two documents from different originals are
not copies. ECB+ itself holds real reprints (one wire story at several outlets): they are
found independently of dedup's shingles, by fuzzy sentence matching (rapidfuzz ratio >= 90),
and pairs of ECB+ originals whose shorter text has >= 10% of its sentences in the other
(and their copies) are scored apart: the last column says how many of the >= 50% ones
(reprints) dedup joins.

Scored on pairs: every pair of documents placed in one group is a predicted copy pair
(P = right / predicted, R = found / true pairs). Originals with index % 3 == 0 and their
copies are held out from tuning; both halves are printed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from devsets import SHARED, load_ecbplus, load_trafilatura_cases  # noqa: E402

from presstrace.clean.html import clean_html  # noqa: E402
from presstrace.clean.text import clean_text  # noqa: E402
from presstrace.dedup import Thresholds  # noqa: E402
from presstrace.dedup.memory import find_copies  # noqa: E402

SEED = 13
MIN_WORDS = 120  # an original shorter than this is not copied (too little to reprint)
JUNK = [
    "[ad_1]",
    "Advertisement",
    "Share this article",
    "Sign up to our free newsletter for the latest news straight to your inbox.",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Follow us on Twitter and Facebook for breaking news.",
    "This article was automatically republished from a syndicated feed.",
    "Copyright 2023 NewsWire Ltd. All rights reserved.",
    "Click here to read the full story.",
]
KINDS = ["junk", "drop", "reorder", "quotes", "truncate", "noise"]


@dataclass
class Doc:
    id: str
    text: str  # raw text as a scraper would deliver it (the copies), or cleaned (originals)
    group: str  # truth group
    held_out: bool
    kinds: tuple[str, ...] = ()
    origin: str = ""
    cleaned: str = field(default="", repr=False)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


# -- originals ---------------------------------------------------------------------------------
def originals() -> list[tuple[str, str, str]]:
    """(id, origin, cleaned text) of every real article used."""
    out = []
    for case in load_trafilatura_cases():
        cleaned = clean_html(case.html, case.url).text
        if len(cleaned.split()) >= 40:
            out.append((f"traf:{case.name}", "trafilatura", cleaned))
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        out.append((f"seed:{path.name}", "seed", clean_text(path.read_text("utf-8")).text))
    for doc in load_ecbplus():
        out.append((f"ecb:{doc['id']}", "ecb+", clean_text(doc["text"]).text))
    return out


# -- copies --------------------------------------------------------------------------------------
def make_copy(text: str, rng: random.Random, others: list[str]) -> tuple[str, tuple[str, ...]]:
    kinds = tuple(sorted(rng.sample(KINDS, rng.randint(2, 4))))
    paras = paragraphs(text)
    if "drop" in kinds and len(paras) > 4:
        drop = set(
            rng.sample(range(1, len(paras)), max(1, int(len(paras) * rng.uniform(0.1, 0.3))))
        )
        paras = [p for i, p in enumerate(paras) if i not in drop]
    if "reorder" in kinds and len(paras) > 3:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    if "truncate" in kinds:
        words = "\n\n".join(paras).split(" ")
        keep = int(len(words) * rng.uniform(0.45, 0.85))
        paras = paragraphs(" ".join(words[:keep]).replace("\n\n", "\n"))
    if "noise" in kinds:
        paras = [noisy(p, rng, rng.uniform(0.01, 0.03)) for p in paras]
    if "junk" in kinds:
        for _ in range(rng.randint(1, 4)):
            line = rng.choice(JUNK)
            if rng.random() < 0.3:
                line = "Read more: " + rng.choice(others)
            paras.insert(rng.randrange(len(paras) + 1), line)
        if rng.random() < 0.5:
            paras.insert(0, f"Source: {rng.choice(['Reuters', 'AP', 'Kathimerini', 'AFP'])}")
    out = "\n\n".join(paras)
    if "quotes" in kinds:
        out = retype(out, rng)
    return out, kinds


def noisy(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() >= rate or not words[i]:
            continue
        w, choice = words[i], rng.random()
        if choice < 0.4 and len(w) > 3:  # typo: two letters swapped
            k = rng.randrange(len(w) - 1)
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        elif choice < 0.7:
            words[i] = ""  # dropped word
        else:
            words[i] = w + " " + w  # repeated word
    return " ".join(w for w in words if w)


def retype(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    else:
        text = re.sub(r'"([^"\n]*)"', "“\\1”", text).replace("'", "’")
    text = text.replace(". ", ".  ") if rng.random() < 0.5 else text
    return text.replace("\n\n", "\n\n\n") if rng.random() < 0.5 else text


def build_corpus(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    sources = originals()
    sources = [s for s in sources if s[2].strip()]
    titles = [paragraphs(t)[0][:90] for _, _, t in sources]
    for n, (oid, origin, text) in enumerate(sources):
        held = n % 3 == 0
        docs.append(Doc(oid, text, oid, held, (), origin, text))
        if len(text.split()) < MIN_WORDS:
            continue
        share = {"trafilatura": 1.0, "seed": 1.0, "ecb+": 0.35}[origin]
        if rng.random() >= share:
            continue
        for c in range(rng.choice([1, 1, 2, 3])):
            copy_text, kinds = make_copy(text, rng, titles)
            docs.append(Doc(f"{oid}#copy{c}", copy_text, oid, held, kinds, origin))
    for doc in docs:
        if not doc.cleaned:
            doc.cleaned = clean_text(doc.text).text
    return docs


# -- truth among the ECB+ originals ---------------------------------------------------------------
def ecb_reprints(docs: list[Doc]) -> tuple[list[tuple[str, str]], set[frozenset[str]]]:
    """(pairs that are the same article, ambiguous pairs) among ECB+ originals, by fuzzy
    sentence matching: independent of the shingles dedup measures."""
    from rapidfuzz import fuzz, process

    ecb = [d for d in docs if d.origin == "ecb+" and not d.kinds]
    by_topic: dict[str, list[Doc]] = defaultdict(list)
    for d in ecb:
        by_topic[d.id.split(":")[1].split("_")[0]].append(d)
    same, ambiguous = [], set()
    for members in by_topic.values():
        sents = {
            d.id: [s for s in d.cleaned.lower().split("\n") if len(s.split()) >= 6] for d in members
        }
        for a, b in itertools.combinations(members, 2):
            sa, sb = sents[a.id], sents[b.id]
            if not sa or not sb:
                continue
            short, other = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
            scores = process.cdist(short, other, scorer=fuzz.ratio)
            share = float((scores.max(axis=1) >= 90).mean())
            if share >= 0.5:
                same.append((a.id, b.id))
            elif share >= 0.1:
                ambiguous.add(frozenset((a.id, b.id)))
    return same, ambiguous


# -- scoring -------------------------------------------------------------------------------------
def pairs_of(groups: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for doc, group in groups.items():
        members[group].append(doc)
    return {frozenset(p) for m in members.values() for p in itertools.combinations(sorted(m), 2)}


def score(predicted: set, true: set, keep) -> tuple[float, float, float, int, int]:
    pred = {p for p in predicted if keep(p)}
    tru = {p for p in true if keep(p)}
    hit = len(pred & tru)
    precision = hit / len(pred) if pred else 1.0
    recall = hit / len(tru) if tru else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pred), len(tru)


def run(docs: list[Doc], thresholds: Thresholds):
    links, _ = find_copies(((d.id, d.cleaned, None) for d in docs), thresholds)
    predicted = {d.id: d.id for d in docs}
    for link in links:
        predicted[link.copy_id] = link.canonical_id
    return links, predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="store_true", help="also run the real pipeline")
    args = parser.parse_args()
    start = time.perf_counter()
    docs = build_corpus(random.Random(SEED))
    same, ambiguous = ecb_reprints(docs)
    related = ambiguous | {frozenset(p) for p in same}
    origin = {d.id: d.group for d in docs}
    true_pairs = pairs_of(origin)
    held = {d.id: d.held_out for d in docs}
    copies = [d for d in docs if d.kinds]
    hard = hard_negatives(docs, related)
    print(
        f"corpus: {len(docs)} documents ({len(docs) - len(copies)} real articles: "
        f"{dict(Counter(d.origin for d in docs if not d.kinds))}; {len(copies)} generated "
        f"copies); {len(true_pairs)} true copy pairs; ECB+ originals related by shared "
        f"sentences: {len(same)} reprint pairs (>= 50%), {len(ambiguous)} ambiguous (10-50%); "
        f"built in {time.perf_counter() - start:.1f} s\n"
    )

    def scored(p):  # pairs between related ECB+ originals (or their copies) are scored apart
        return frozenset(origin[x] for x in p) not in related

    def scored_tune(p):
        return scored(p) and not any(held[x] for x in p)

    def scored_held(p):
        return scored(p) and all(held[x] for x in p)

    print(
        "| near (Jaccard) | containment | min shingles | tuning P / R | held-out P / R "
        "| all: P / R / F1 | predicted / true pairs | hard negatives joined "
        "| ECB+ reprints joined | ECB+ 10-50% joined |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    grid = [(n, c, 40) for n in (0.3, 0.4, 0.5, 0.6, 0.7) for c in (0.5, 0.6, 0.7, 0.8, 0.9)]
    grid += [(0.5, 0.6, m) for m in (10, 25, 60)] + [(1.0, 1.0, 10**6)]
    for near, cont, mins in grid:
        th = Thresholds(near=near, containment=cont, min_shingles=mins)
        _, predicted = run(docs, th)
        pred_pairs = pairs_of(predicted)
        t = score(pred_pairs, true_pairs, scored_tune)
        h = score(pred_pairs, true_pairs, scored_held)
        a = score(pred_pairs, true_pairs, scored)
        joined = sum(predicted_together(predicted, x, y) for x, y in same)
        loose = sum(predicted_together(predicted, *sorted(p)) for p in ambiguous)
        fooled = sum(predicted_together(predicted, *p) for p in hard)
        label = "exact only" if near == 1.0 else f"{near}"
        print(
            f"| {label} | {cont} | {mins} | {t[0]:.3f} / {t[1]:.3f} | {h[0]:.3f} / {h[1]:.3f} "
            f"| {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | {a[3]} / {a[4]} | {fooled} / {len(hard)} "
            f"| {joined} / {len(same)} | {loose} / {len(ambiguous)} |"
        )

    default = Thresholds()
    t0 = time.perf_counter()
    links, predicted = run(docs, default)
    seconds = time.perf_counter() - t0
    print(f"\ndefaults {default}: {len(docs)} documents matched in {seconds:.2f} s")
    by_method: dict[str, list[bool | None]] = defaultdict(list)
    for link in links:
        pair = frozenset((link.copy_id, link.canonical_id))
        by_method[link.method].append(origin[link.copy_id] == origin[link.canonical_id]
                                      if scored(pair) else None)  # fmt: skip
    print("\n| method | links | right | wrong | ECB+ related (not scored) | link precision |")
    print("|---|---|---|---|---|---|")
    for method, oks in sorted(by_method.items()):
        right, wrong = oks.count(True), oks.count(False)
        print(f"| {method} | {len(oks)} | {right} | {wrong} | {oks.count(None)} "
              f"| {right / max(1, right + wrong):.3f} |")  # fmt: skip
    print("\n| copy made with | copies | found with their original | recall |")
    print("|---|---|---|---|")
    for kind in KINDS:
        made = [d for d in copies if kind in d.kinds]
        found = [d for d in made if predicted_together(predicted, d.id, d.group)]
        print(f"| {kind} | {len(made)} | {len(found)} | {len(found) / len(made):.3f} |")
    found = [d for d in copies if predicted_together(predicted, d.id, d.group)]
    print(f"| any | {len(copies)} | {len(found)} | {len(found) / len(copies):.3f} |")
    for d in [d for d in copies if not predicted_together(predicted, d.id, d.group)][:10]:
        print(f"  missed: {d.id} {d.kinds} ({len(d.cleaned.split())} words)")
    wrong = sorted(sorted(p) for p in pairs_of(predicted) if scored(p) and p not in true_pairs)
    for p in wrong[:10]:
        print(f"  wrong pair: {p}")
    seeds = [d.id for d in docs if d.origin == "seed" and not d.kinds]
    seed_links = [x for x in links if x.copy_id in seeds and x.canonical_id in seeds]
    print(f"\nseeds: {len(seed_links)} of the 5 seed articles is a copy of another seed")
    if args.store:
        store_check(docs, true_pairs, scored)


def hard_negatives(docs: list[Doc], related: set[frozenset[str]]) -> list[tuple[str, str]]:
    """Pairs of ECB+ articles of one topic (same kind of event, same names) that share no
    more than a tenth of their sentences, with their copies: written separately."""
    topic = {d.id: d.group.split(":")[1].split("_")[0] for d in docs if d.origin == "ecb+"}
    ecb = [d for d in docs if d.id in topic]
    return [
        (a.id, b.id)
        for a, b in itertools.combinations(ecb, 2)
        if topic[a.id] == topic[b.id]
        and a.group != b.group
        and frozenset((a.group, b.group)) not in related
    ]


def predicted_together(predicted: dict[str, str], a: str, b: str) -> bool:
    return predicted[a] == predicted[b]


def store_check(docs: list[Doc], true_pairs: set, scored) -> None:
    """The same corpus as files through the real pipeline (cleaning, meta, store, copies
    step) in two ingests (half, then the rest: incremental); scored like the in-memory runs,
    and compared with the in-memory stage on the texts the store holds."""
    import tempfile

    from presstrace.pipeline import ingest
    from presstrace.steps import step_names
    from presstrace.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp, "a"), Path(tmp, "b")]
        for f in folders:
            f.mkdir()
        names = {}
        for n, d in enumerate(docs):
            names[f"{n:05d}.txt"] = d.id
            (folders[n % 2] / f"{n:05d}.txt").write_text(d.text, "utf-8")
        store = open_store(str(Path(tmp, "s.db")))
        t0 = time.perf_counter()
        others = [name for name in step_names() if name != "copies"]  # not measured here
        steps = [ingest([str(f)], store, skip_steps=others).steps["copies"] for f in folders]
        seconds = time.perf_counter() - t0
        stored = {
            doc.id: (names[Path(doc.source).name], doc.text) for doc in store.iter_documents()
        }
        groups = {bench_id: bench_id for bench_id, _ in stored.values()}
        for r in store.sql("SELECT copy_id, canonical_id FROM copies"):
            groups[stored[r["copy_id"]][0]] = stored[r["canonical_id"]][0]
        store.close()
    in_memory = run_texts([(bench_id, text) for bench_id, text in stored.values()], Thresholds())
    pred = pairs_of(groups)
    known = {p for p in true_pairs if p <= groups.keys()}
    p, r, f1, n_pred, n_true = score(pred, known, scored)
    print(
        f"\nstore: two ingests of {len(docs)} files ({len(stored)} distinct documents) in "
        f"{seconds:.1f} s (clean + meta + store + copies step; later steps skipped); "
        f"copies step {steps}; "
        f"P / R / F1 {p:.3f} / {r:.3f} / {f1:.3f} ({n_pred} / {n_true} pairs); same copy pairs "
        f"as the in-memory stage on the stored texts: {pred == pairs_of(in_memory)}"
    )


def run_texts(items: list[tuple[str, str]], thresholds: Thresholds) -> dict[str, str]:
    links, _ = find_copies(((i, t, None) for i, t in items), thresholds)
    groups = {i: i for i, _ in items}
    for link in links:
        groups[link.copy_id] = link.canonical_id
    return groups


if __name__ == "__main__":
    main()
