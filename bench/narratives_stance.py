"""Stance at the length of a sentence: is a narrative quoted to be refuted still "pushed"?

The learned heads (group/narrative_head.py) are trained as bench/narratives_real.py trains
them (VoxCheck quotes of odd ids, odd real "Other" articles and odd VoxCheck debunks), then:

- false pushes: every sentence of the held-out VoxCheck debunks (even ones), each a document
  of its own, gold "Other": a debunk states the claim and its refutation, so a sentence given
  a narrative is a false push. Reported as a share of the sentences on topic.
- recall on pushed sentences: the held-out VoxCheck quotes (even ids) and the EUvsDisinfo
  Ukraine claims (another source, one sentence each, never trained on): the share given a
  narrative, and given a right one.

`--show N` prints N debunk sentences still given a narrative, tuning half first (the
tuning-half debunks are what refutation cues may be read from; the held-out half is only
counted).

Run: python bench/narratives_stance.py [--show N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from narratives_eval import load_real  # noqa: E402
from narratives_real import (  # noqa: E402
    EUVSDISINFO,
    load_debunks,
    load_euvsdisinfo,
    load_voxcheck,
    narrative_of,
)

from presstrace.group.narratives import Classifier, Settings, sentences_of  # noqa: E402
from presstrace.group.taxonomy import load_set  # noqa: E402


def pushes(classifier: Classifier, texts: list[str]) -> list[str | None]:
    """Per text: the narrative given, "" for "Other", None for no label (off topic)."""
    parent = classifier.taxonomies.parent()
    out: list[str | None] = []
    for labels in classifier.classify_many(texts):
        if not labels:
            out.append(None)
            continue
        narratives = [x.label for x in labels if parent.get(x.label) == x.label]
        out.append(narratives[0] if narratives else "")
    return out


def false_pushes(classifier: Classifier, debunks: list[dict], name: str, show: int) -> None:
    sentences = [s for d in debunks for s in sentences_of(d["text"], 200)]
    given = pushes(classifier, sentences)
    topical = sum(1 for g in given if g is not None)
    pushed = [(s, g) for s, g in zip(sentences, given, strict=True) if g]
    print(f"| debunk sentences, {name} | {len(sentences)} | {topical} | {len(pushed)} |"
          f" {len(pushed) / max(topical, 1):.1%} |")  # fmt: skip
    for s, g in pushed[:show]:
        print(f"    {g.rsplit(': ', 1)[-1]} <- {s[:160]!r}")


def recall(classifier: Classifier, docs: list[dict], name: str) -> None:
    parent = classifier.taxonomies.parent()
    given = pushes(classifier, [d["text"] for d in docs])
    labelled = sum(1 for g in given if g)
    right = sum(
        1
        for d, g in zip(docs, given, strict=True)
        if g and g in {narrative_of(x, parent) for x in d["labels"]}
    )
    print(f"| pushed, {name} | {len(docs)} | {sum(g is not None for g in given)} | {labelled}"
          f" ({labelled / len(docs):.1%}) | right {right} ({right / len(docs):.1%}) |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="debunk sentences still pushed")
    args = parser.parse_args()
    started = time.time()
    taxonomies = load_set()
    vox = load_voxcheck()
    real = load_real()
    debunks = load_debunks()
    tune_vox, held_vox = [d for d in vox if d["id"] % 2], [d for d in vox if not d["id"] % 2]
    tune_other = real[0::2] + debunks[0::2]
    zero = Classifier(taxonomies, None, Settings())
    trained = Classifier(taxonomies, zero.learn([(d["text"], d["labels"])
                                                 for d in tune_vox + tune_other]))  # fmt: skip
    print("| set | sentences | on topic | given a narrative | share |")
    print("| --- | --- | --- | --- | --- |")
    false_pushes(trained, debunks[0::2], "tuning half (trained on)", args.show)
    false_pushes(trained, debunks[1::2], "held-out half", args.show)
    print("\n| set | docs | on topic | given a narrative | right narrative |")
    print("| --- | --- | --- | --- | --- |")
    recall(trained, held_vox, "VoxCheck quotes, held-out half")
    if EUVSDISINFO.exists():
        recall(trained, load_euvsdisinfo(), "EUvsDisinfo Ukraine claims")
    print(f"\n({time.time() - started:.0f} s wall; {time.process_time():.0f} s CPU)")


if __name__ == "__main__":
    main()
