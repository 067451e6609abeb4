"""How narrative threads behave on the seeds and ../shared/data, from a store that holds them.

Usage:
    presstrace --db S.db ingest ../shared/seeds ECB_DIR TRAF_DIR   (ECB+ docs as <id>.txt,
        trafilatura pages as <file>.html; `python bench/threads_eval.py prepare DIR` writes them)
    python bench/threads_eval.py report S.db          threads as the step stored them
    python bench/threads_eval.py sweep S.db           components again at other LINK values
    python bench/threads_eval.py scale [N]            linking time at N articles (synthetic)
    python bench/threads_eval.py purity [DIR]         thread purity on articles whose
        narratives are known: the labelled dev set of bench/narratives_eval.py (hand-written
        passages and real on-topic articles) with the seeds, ingested with every step
    python bench/threads_eval.py purity-real [DIR]    the same on real labelled propaganda
        (bench/narratives_real.py: VoxCheck quotes, debunks, real "Other" articles)
    python bench/threads_eval.py purity-trained [DIR] the same after train-narratives on the
        tuning half of that set; the held-out half and the seeds are ingested
    python bench/threads_eval.py purity-quotes [DIR]  the same with the held-out VoxCheck
        quotes ingested one by one (real short texts, each labelled), not joined

Documents are named by their source: seeds (../shared/seeds), ECB+ (`<topic>_<n>ecb[plus]`,
gold story = topic + subtopic) and trafilatura pages. The tuning half is the seeds, ECB+
topics 1-10 and the trafilatura pages in even lines of cases.jsonl; the held-out half is
topics 11-20 and the odd lines. A thread is "suspect" when its articles span several ECB+
topics or mix ECB+ with trafilatura pages or seeds (unrelated sources arguing one claim is
possible but unlikely in these sets).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from devsets import ECBPLUS_DEV, TRAFILATURA_EVAL, load_ecbplus  # noqa: E402

from presstrace.group.threads import ActorIndex, ArgumentDoc, Link, merge_components  # noqa: E402
from presstrace.store import open_store  # noqa: E402


def prepare(target: Path) -> None:
    (target / "ecb").mkdir(parents=True, exist_ok=True)
    (target / "traf").mkdir(parents=True, exist_ok=True)
    for d in load_ecbplus(ECBPLUS_DEV):
        (target / "ecb" / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    for line in (TRAFILATURA_EVAL / "cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        name = Path(case["file"]).name.removesuffix(".gz")
        raw = gzip.decompress((TRAFILATURA_EVAL / case["file"]).read_bytes())
        (target / "traf" / name).write_bytes(raw)


def _traf_half() -> dict[str, str]:
    lines = (TRAFILATURA_EVAL / "cases.jsonl").read_text().splitlines()
    names = [Path(json.loads(x)["file"]).name.removesuffix(".gz") for x in lines]
    return {n: ("tune" if i % 2 == 0 else "held-out") for i, n in enumerate(names)}


def classify(source: str, traf_half: dict[str, str]) -> tuple[str, str, str]:
    """(kind, group, half): kind seed/ecb/traf; group the ECB+ story or the page name."""
    name = Path(source).name
    if "seeds" in source:
        return "seed", "seeds", "tune"
    m = re.match(r"(\d+)_\d+(ecbplus|ecb)\.txt$", name)
    if m:
        topic = int(m.group(1))
        return "ecb", f"{topic}/{m.group(2)}", "tune" if topic <= 10 else "held-out"
    return "traf", name, traf_half.get(name, "?")


def load(db: str, reanalyse: bool = False) -> tuple[list[dict], dict[str, ArgumentDoc]]:
    """The store's documents (kind, group, half) and their arguments: as the step stored
    them, or analysed again from the documents with the current code (for sweeps)."""
    store = open_store(db)
    traf_half = _traf_half()
    docs = store.sql("SELECT id, source, story_id, thread_id, published_date FROM documents")
    for d in docs:
        d["kind"], d["group"], d["half"] = classify(d["source"], traf_half)
    args = {}
    if reanalyse:
        from presstrace.steps.threads import analyse

        records = list(store.iter_documents())
        t0 = time.perf_counter()
        for start in range(0, len(records), 500):
            for a in analyse(records[start : start + 500]):
                if a.vector is not None and a.actors:
                    args[a.doc_id] = a
        print(f"analysed {len(records)} documents in {time.perf_counter() - t0:.1f}s")
        return docs, args
    for r in store.sql("SELECT doc_id, vector, actors FROM thread_docs WHERE vector IS NOT NULL"):
        vec = np.frombuffer(bytes(r["vector"]), dtype=np.float32)
        args[r["doc_id"]] = ArgumentDoc(r["doc_id"], vec, frozenset(json.loads(r["actors"])))
    return docs, args


def describe(groups: dict[str, list[dict]]) -> dict:
    """Figures for a set of threads ({thread: member docs})."""
    seeds_thread = [t for t, ms in groups.items() if any(m["kind"] == "seed" for m in ms)]
    seed_members = [m for t in seeds_thread for m in groups[t]]
    others = {t: ms for t, ms in groups.items() if t not in seeds_thread}
    suspect = 0
    mixed_topics = 0
    for ms in others.values():
        kinds = {m["kind"] for m in ms}
        topics = {m["group"].split("/")[0] for m in ms if m["kind"] == "ecb"}
        if len(topics) > 1:
            mixed_topics += 1
        if len(topics) > 1 or len(kinds) > 1:
            suspect += 1
    return {
        "seed_threads": len(seeds_thread),
        "seeds_in_it": sum(m["kind"] == "seed" for m in seed_members),
        "others_in_it": [m["group"] for m in seed_members if m["kind"] != "seed"],
        "threads_other": len(others),
        "docs_in_other_threads": sum(len(ms) for ms in others.values()),
        "suspect": suspect,
        "multi_topic": mixed_topics,
        "sizes": sorted((len(ms) for ms in others.values()), reverse=True)[:10],
    }


def report(db: str) -> None:
    docs, _ = load(db)
    by_thread: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        if d["thread_id"]:
            by_thread[d["thread_id"]].append(d)
    print(json.dumps(describe(by_thread), indent=1))
    for half in ("tune", "held-out"):
        part = {t: [m for m in ms if m["half"] == half] for t, ms in by_thread.items()}
        part = {t: ms for t, ms in part.items() if ms}
        print(half, json.dumps(describe(part)))
    for t, ms in sorted(by_thread.items(), key=lambda x: -len(x[1])):
        print(t, len(ms), Counter(m["group"] for m in ms).most_common(6))


def threads_at(
    docs: list[dict], args: dict[str, ArgumentDoc], link: float, merge: float | None = None
) -> dict:
    """The step's linking and merging redone at another LINK (and MERGE, by default equal
    to it) over the arguments: batches of the step's size in id order, as an ingest runs."""
    from presstrace.steps.threads import BATCH

    merge = link if merge is None else merge
    index = ActorIndex()
    chosen = [args[d["id"]] for d in sorted(docs, key=lambda d: d["id"]) if d["id"] in args]
    chosen = [a for a in chosen if a.actors]
    root: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start : start + BATCH]
        index.add((a.doc_id, a.vector, a.actors) for a in batch)
        for a in batch:
            root[a.doc_id] = a.doc_id
            members[a.doc_id] = [a.doc_id]
        links: list[Link] = index.links(batch, threshold=link)
        ends = {x for link_ in links for x in (link_.a, link_.b)}
        component_of = {x: root[x] for x in ends}
        roots = set(component_of.values())
        sizes = {r: len(members[r]) for r in roots}
        sums = {r: np.sum([args[m].vector for m in members[r]], axis=0) for r in roots}
        for old, new in merge_components(links, component_of, sizes, sums, merge).items():
            for m in members.pop(old):
                root[m] = new
                members[new].append(m)
    info = {d["id"]: d for d in docs}
    return {
        r: [info[m] for m in ms]
        for r, ms in members.items()
        if len({info[m]["story_id"] or m for m in ms}) >= 2
    }


def sweep(db: str) -> None:
    docs, args = load(db, reanalyse=True)
    for half in ("tune", "held-out", "all"):
        subset = [d for d in docs if half in ("all", d["half"]) or d["kind"] == "seed"]
        print(f"== {half}: {len(subset)} documents (seeds included)")
        for link in (0.70, 0.72, 0.74, 0.75, 0.76, 0.78, 0.80, 0.82, 0.85):
            t0 = time.perf_counter()
            groups = threads_at(subset, args, link)
            print(
                f"LINK {link:.2f}", json.dumps(describe(groups)), f"{time.perf_counter() - t0:.2f}s"
            )


def scale(total: int = 100_000, batch: int = 1000) -> None:
    """Candidate retrieval and linking at corpus size, on synthetic arguments: unit vectors
    around 2,000 claim centres, and actors drawn from a Zipf law over 20,000 people and
    organisations (a few actors are in very many articles, like heads of state in news),
    four per article. Reports time per 1k articles and compared pairs at each 10%."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(2000, 256)).astype(np.float32)
    ranks = np.arange(1, 20_001)
    p = 1 / ranks**1.1
    p /= p.sum()
    index = ActorIndex()
    took = 0.0
    compared = links = 0
    for start in range(0, total, batch):
        n = min(batch, total - start)
        which = rng.integers(0, len(centres), n)
        vecs = centres[which] / 16 + rng.normal(scale=0.04, size=(n, 256)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        drawn = rng.choice(20_000, size=(n, 4), p=p)
        docs = [
            ArgumentDoc(f"d{start + i:07d}", vecs[i], frozenset(f"a{x}" for x in drawn[i]))
            for i in range(n)
        ]
        t1 = time.perf_counter()
        index.add((d.doc_id, d.vector, d.actors) for d in docs)
        compared += sum(len(index.postings[a]) for d in docs for a in d.actors)
        links += len(index.links(docs))
        took += time.perf_counter() - t1  # indexing and linking, not the synthetic data
        done = start + n
        if done % (total // 10) == 0:
            print(
                f"{done:>7} articles  {took:7.1f}s  {1000 * took / done:.2f}s per 1k  "
                f"compared {compared / done:,.0f} per article (with repeats)  links {links}"
            )


def purity(workdir: Path, real: bool = False, trained: bool = False, quotes: bool = False) -> None:
    """Pairs of articles in one thread that share a gold specific sub-narrative (not "Other",
    not "<narrative>: Other"), and that share a gold narrative, over the labelled articles.
    `real`: the real labelled set of bench/narratives_real.py instead (VoxCheck quotes with
    their URW labels and VoxCheck sub-type, VoxCheck debunks and real "Other" articles).
    `trained`: that set's tuning half (odd VoxCheck ids, odd debunks and real articles) is
    given to train-narratives first, as a user with labelled examples would, and only the
    held-out half is ingested (its quotes joined by sub-type, `joined_quotes`), with the five
    seeds, which must still form one thread. `quotes`: the same, with the held-out quotes
    ingested one by one as real short articles (not joined)."""
    from narratives_eval import load_passages, load_real

    workdir.mkdir(parents=True, exist_ok=True)
    training = None
    if real or trained:
        from narratives_real import load_debunks, load_voxcheck

        vox, debunks, others = load_voxcheck(), load_debunks(), load_real()
        docs = vox + debunks + others
        if trained:
            training = workdir / "training.jsonl"
            tune = [d for d in vox if d["id"] % 2] + debunks[0::2] + others[0::2]
            training.write_text("".join(
                json.dumps({"text": d["text"], "labels": d["labels"]}) + "\n" for d in tune
            ))  # fmt: skip
            seeds = [d for d in others if d["id"].endswith(".txt") and d["id"][:3].isdigit()]
            held_vox = [d for d in vox if not d["id"] % 2]
            held = (held_vox if quotes else joined_quotes(held_vox)) + debunks[1::2]
            held += others[1::2]
            docs = held + [d for d in seeds if d not in held]
    else:
        docs = load_passages() + load_real()
    started = time.time()
    thread_of, titles = ingest_labelled(workdir, docs, training)
    table(docs, thread_of, titles, started)


QUOTES_PER_ARTICLE = 3  # a VoxCheck quote is 1-3 sentences: a thread needs two that argue


def joined_quotes(quotes: list[dict]) -> list[dict]:
    """Articles made of QUOTES_PER_ARTICLE quotes of one VoxCheck sub-type (id order), each
    labelled with that sub-type's label: single quotes are too short to argue anything a
    thread can read (purity-real: no thread forms), and quotes of one sub-type push one
    claim, so the joined text's gold is known. Made-up articles, said so in the figures."""
    by_fake: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for q in sorted(quotes, key=lambda q: q["id"]):
        by_fake[(q["labels"][0], q["fake"])].append(q)
    out = []
    for (label, fake), group in sorted(by_fake.items()):
        for k in range(0, len(group) - QUOTES_PER_ARTICLE + 1, QUOTES_PER_ARTICLE):
            part = group[k : k + QUOTES_PER_ARTICLE]
            out.append({"id": f"vox{part[0]['id']}+", "labels": [label], "fake": fake,
                        "text": "\n\n".join(q["text"] for q in part)})  # fmt: skip
    return out


def ingest_labelled(
    workdir: Path, docs: list[dict], training: Path | None
) -> tuple[dict[int, str | None], dict[str, str]]:
    """Ingest the texts (record n is docs[n - 1]) into a fresh store, trained first on the
    `training` label file if given; (thread of each record, label of each thread)."""
    from presstrace.pipeline import ingest
    from presstrace.steps import narratives as narrative_step

    corpus = workdir / "labelled.jsonl"
    corpus.write_text("".join(json.dumps({"text": d["text"]}) + "\n" for d in docs))
    db = workdir / "purity.db"
    db.unlink(missing_ok=True)
    store = open_store(str(db))
    try:
        if training is not None:
            with store.corpus_lock():
                narrative_step.train(store, str(training))
        ingest([str(corpus)], store)
        rows = store.sql("SELECT source, thread_id FROM documents")
        thread_of = {int(r["source"].rsplit("#", 1)[1]): r["thread_id"] for r in rows}
        labels = store.sql("SELECT thread_id, label FROM threads")
        titles = {r["thread_id"]: r["label"] for r in labels}
    finally:
        store.close()
    return thread_of, titles


def specific(labels: list[str]) -> set[str]:
    return {x for x in labels if x.count(": ") >= 2 and not x.endswith(": Other")}


def narrative(labels: list[str]) -> set[str]:
    return {": ".join(x.split(": ")[:2]) for x in labels if x != "Other"}


def table(docs: list[dict], thread_of: dict[int, str | None], titles: dict[str, str],
          started: float) -> None:  # fmt: skip
    """The threads with their members' gold labels, and the purity figures: all thread
    pairs, and the pairs of two articles that push a narrative (a thread of "Other" articles,
    such as the seeds' "Putin's grip is weakening", argues a claim outside the taxonomy)."""
    members: dict[str, list[int]] = defaultdict(list)
    for n, thread in thread_of.items():
        if thread:
            members[thread].append(n)
    pairs = same_sub = same_narrative = same_fake = pushing = pushing_same = 0
    print("| thread | label | size | gold sub-narratives of its members |")
    print("| --- | --- | --- | --- |")
    for thread, ns in sorted(members.items()):
        gold = [docs[n - 1]["labels"] for n in ns]  # records are numbered from 1
        subs = sorted({x.rsplit(": ", 1)[-1] for g in gold for x in g})
        print(f"| {thread} | {titles.get(thread, '')} | {len(ns)} | {'; '.join(subs)} |")
        fakes = [docs[n - 1].get("fake") for n in ns]
        for i in range(len(gold)):
            for j in range(i + 1, len(gold)):
                pairs += 1
                shared = bool(specific(gold[i]) & specific(gold[j]))
                same_sub += shared
                same_narrative += bool(narrative(gold[i]) & narrative(gold[j]))
                same_fake += bool(fakes[i]) and fakes[i] == fakes[j]
                if narrative(gold[i]) and narrative(gold[j]):
                    pushing += 1
                    pushing_same += shared
    threaded = sum(len(ns) for ns in members.values())
    gold_pairs = sum(
        1
        for i in range(len(docs))
        for j in range(i + 1, len(docs))
        if specific(docs[i]["labels"]) & specific(docs[j]["labels"])
    )
    seeds = {docs[n - 1]["id"]: t for n, t in thread_of.items()
             if str(docs[n - 1]["id"]).endswith(".txt") and str(docs[n - 1]["id"])[:3].isdigit()}
    print(f"\n{len(docs)} labelled articles, {len(members)} threads holding {threaded};"
          f" {gold_pairs} pairs of the set share a specific sub-narrative;"
          f" {same_fake} thread pairs share a VoxCheck sub-type;"
          f" {pairs} thread pairs: {same_sub} share a specific sub-narrative "
          f"({same_sub / pairs if pairs else float('nan'):.2f}), {same_narrative} a narrative;"
          f" {pushing} pairs of two narrative-pushing articles: {pushing_same} share a specific"
          f" sub-narrative ({pushing_same / pushing if pushing else float('nan'):.2f});"
          f" seeds: {len(seeds)} in {len(set(seeds.values()))} thread(s)"
          f" {sorted({str(t) for t in seeds.values()})}; {time.time() - started:.0f} s wall,"
          f" {time.process_time():.0f} s CPU")  # fmt: skip


if __name__ == "__main__":
    command, arg = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    if command == "prepare":
        prepare(Path(arg or "threads-data"))
    elif command == "report":
        report(arg or "presstrace.db")
    elif command == "sweep":
        sweep(arg or "presstrace.db")
    elif command == "scale":
        scale(int(arg or 100_000))
    elif command == "purity":
        purity(Path(arg or "/tmp/presstrace-purity"))
    elif command == "purity-real":
        purity(Path(arg or "/tmp/presstrace-purity-real"), real=True)
    elif command == "purity-trained":
        purity(Path(arg or "/tmp/presstrace-purity-trained"), trained=True)
    elif command == "purity-quotes":
        purity(Path(arg or "/tmp/presstrace-purity-quotes"), trained=True, quotes=True)
    else:
        raise SystemExit(__doc__)
