"""Entities and stories per language on real multilingual pages: the figures of issue 11.

Input: an export (`presstrace export --format jsonl`) of a store that ingested a set of
real news pages in many languages that do not report the same events (a random sample:
any multi-document story among them is false). Prints, per language: documents, PERSON
entities (distinct per document), the share of PERSON names with a lower-case word or a
digit (junk an analyst would not accept), non-Latin names merged into another name's key
(a person's or organisation's key whose name is not a transliteration of the name as
written; places are left out: 東京 is rightly Tokyo), keys that lost their name
("person:x"), and pages in a multi-document story. `--sample N` prints N random PERSON
names per language to read by hand.

    python bench/multilingual.py EXPORT.jsonl [--sample 30]

Data used in the README: /work/devdata/ml-pages.jsonl (524 pages from the test data of
extraction tools: fundus, trafilatura, postlight parser, readability; built by
bench/multilingual_devset.py), flattened text ingested as JSONL records {text, url}.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict

from anyascii import anyascii
from rapidfuzz import fuzz

from presstrace.extract.names import translit

PLACES = {"GPE", "LOC", "FAC"}
PARTICLES = {"von", "van", "der", "den", "de", "del", "di", "da", "bin", "al", "ibn", "le", "la"}


def junk(name: str) -> bool:
    """A lower-case word (not a name particle) or a digit: no name an analyst accepts."""
    if any(c.isdigit() for c in name):
        return True
    return any(w[:1].islower() and w not in PARTICLES for w in name.split())


def non_latin(text: str) -> bool:
    return any(c.isalpha() and not c.isascii() and ord(c) > 0x24F for c in text)


def merged_elsewhere(alias: str, name: str) -> bool:
    """A non-Latin alias whose transliteration is not the key's name (any word of it)."""
    a = translit(anyascii(alias))
    words = [translit(anyascii(w)) for w in name.split()]
    return not any(fuzz.partial_ratio(a, w) >= 70 or fuzz.ratio(a, w) >= 70 for w in words)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args()
    with open(args.export, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.get("story_id") and not d.get("duplicate_of"):
            members[d["story_id"]].append(d["id"])
    rows: dict[str, Counter] = defaultdict(Counter)
    people: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        lang = d.get("language") or "?"
        row = rows[lang]
        row["docs"] += 1
        row["in multi-doc story"] += len(members.get(d.get("story_id") or "", [])) > 1
        row["abstained"] += "entities" in (d.get("abstained") or {})
        for e in d.get("entities") or []:
            key = e.get("key") or ""
            if key.endswith(":x") or re.search(r":x-\d+$", key):
                row["keys without a name"] += 1
            for alias in e.get("aliases") or []:  # places: exonyms (東京 = Tokyo) are right
                if (
                    e["type"] not in PLACES
                    and non_latin(alias)
                    and merged_elsewhere(alias, e["name"])
                ):
                    row["non-Latin merged"] += 1
            if e["type"] == "PERSON":
                row["PERSON"] += 1
                row["PERSON junk"] += junk(e["name"])
                people[lang].append(e["name"])
    cols = [
        "docs", "PERSON", "PERSON junk", "non-Latin merged", "keys without a name",
        "abstained", "in multi-doc story",
    ]  # fmt: skip
    print("| language | " + " | ".join(cols) + " | junk rate | false-story rate |")
    print("|---" * (len(cols) + 3) + "|")
    total: Counter = Counter()
    for lang, row in sorted(rows.items(), key=lambda kv: -kv[1]["docs"]):
        total.update(row)
        print(_line(lang, row, cols))
    print(_line("all", total, cols))
    non_en = Counter()
    for lang, row in rows.items():
        if lang != "en":
            non_en.update(row)
    print(_line("all but en", non_en, cols))
    if args.sample:
        rng = random.Random(11)
        for lang, names in sorted(people.items()):
            pick = rng.sample(names, min(args.sample, len(names)))
            print(f"\n{lang} ({len(names)} PERSON): " + "; ".join(pick))
    return 0


def _line(lang: str, row: Counter, cols: list[str]) -> str:
    junk_rate = row["PERSON junk"] / row["PERSON"] if row["PERSON"] else 0.0
    story_rate = row["in multi-doc story"] / row["docs"] if row["docs"] else 0.0
    cells = " | ".join(str(row[c]) for c in cols)
    return f"| {lang} | {cells} | {junk_rate:.3f} | {story_rate:.3f} |"


if __name__ == "__main__":
    sys.exit(main())
