"""Narrative labels on real pages in many languages, mostly on neither the war nor climate.

Issue 13 asks that no off-domain page get a narrative label (<= 2%). Input: the helper-built
multilingual pages /work/devdata/ml-pages.jsonl (545 real pages from the test data of
extraction tools, ~30 languages; built by bench/multilingual_devset.py), each cleaned and
read as an ingest does (pipeline.build_document: the HTML cleaner, then language detection),
then labelled as the narratives step labels (only English is read).

Two classifiers: zero-shot (the shipped taxonomies as a new user has them) and trained as
bench/narratives_real.py trains (VoxCheck tuning half + real "Other" texts), since a trained
store gives learned narratives on pages the zero-shot margin leaves alone. Every page given
any label is printed with its title, to be read: whether it is on a taxonomy's topic decides
whether its label is a false one.

Run: python bench/narratives_offdomain.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from narratives_eval import load_real  # noqa: E402
from narratives_real import load_debunks, load_voxcheck  # noqa: E402

from presstrace.group.narratives import Classifier, Settings, readable  # noqa: E402
from presstrace.group.taxonomy import OTHER, load_set  # noqa: E402
from presstrace.model import RawDocument  # noqa: E402
from presstrace.pipeline import EmptyDocument, build_document  # noqa: E402

ML_PAGES = Path("/work/devdata/ml-pages.jsonl")


def load_pages() -> list[dict]:
    """{"id", "title", "text", "language"} per page, as an ingest would clean and read it."""
    out = []
    for line in ML_PAGES.read_text(encoding="utf-8").split("\n"):  # not splitlines: \r in JSON
        if not line.strip():
            continue
        row = json.loads(line)
        raw = RawDocument(hashlib.sha256(row["html"].encode()).hexdigest(), row["id"],
                          row["html"], "html", {"url": row.get("url")})  # fmt: skip
        try:
            doc = build_document(raw)
        except EmptyDocument:
            continue
        out.append({"id": row["id"], "title": doc.title or "", "text": doc.text,
                    "language": doc.language})  # fmt: skip
    return out


def label(classifier: Classifier, pages: list[dict], name: str) -> None:
    read = [p for p in pages if readable(p["language"])]
    results = classifier.classify_many([p["text"] for p in read])
    anything = narrative = 0
    for p, labels in zip(read, results, strict=True):
        if not labels:
            continue
        anything += 1
        top = next((x.label for x in labels if x.label != OTHER), OTHER)
        narrative += top != OTHER
        print(f"    {top} ({labels[0].score:.2f}) <- {p['title'][:90]!r} [{p['id'][:60]}]")
    print(f"| {name} | {len(pages)} | {len(read)} | {anything} | {narrative}"
          f" ({narrative / len(pages):.1%}) |")  # fmt: skip


def main() -> None:
    started = time.time()
    pages = load_pages()
    print("languages:", dict(Counter(p["language"] for p in pages).most_common(12)))
    taxonomies = load_set()
    zero = Classifier(taxonomies, None, Settings())
    vox = load_voxcheck()
    real, debunks = load_real(), load_debunks()
    tune = [d for d in vox if d["id"] % 2] + real[0::2] + debunks[0::2]
    trained = Classifier(taxonomies, zero.learn([(d["text"], d["labels"]) for d in tune]))
    print("| classifier | pages | read (English) | any label | narrative label |")
    print("| --- | --- | --- | --- | --- |")
    label(zero, pages, "zero-shot")
    label(trained, pages, "trained (learned heads)")
    print(f"\n({time.time() - started:.0f} s wall; {time.process_time():.0f} s CPU)")


if __name__ == "__main__":
    main()
