"""Corpus step "threads": find what each new article argues, link it to stored articles that
argue the same (shared actor, close argument vectors), merge the components those links
join, and keep the `threads` rows and every member's `thread_id` current.

Batches of BATCH documents in id order. Each batch first patches the documents whose
thread_id changes, then commits its tables (`thread_docs` rows are the bookmark): a run cut
between the two recomputes the same batch and the same patches, so it resumes cleanly; a
run with nothing new reads one count and writes nothing. Only the components a new article
joins are re-summarised, never the corpus. Runs after "stories": story ids decide whether a
component spans events (a thread) or is one story's coverage (not a thread).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

import numpy as np
from tqdm import tqdm

from presstrace.errors import StepError
from presstrace.group import embed
from presstrace.group.taxonomy import OTHER
from presstrace.group.thread_arguments import (
    MAX_SENTENCES,
    MIN_SCORE,
    MIN_SENTENCES,
    ArgumentSentence,
    argument_sentences,
    argument_vectors,
    event_names,
    with_masks,
)
from presstrace.group.threads import (
    CLAIM_PREFIX,
    ActorIndex,
    ArgumentDoc,
    argument_actors,
    is_thread,
    merge_components,
    sentence_terms,
    summarise,
    thread_id_of,
)
from presstrace.model import Document
from presstrace.sentences import split
from presstrace.store import threads as table
from presstrace.store.protocol import Store

NAME = "threads"
BATCH = 500
SUMMARY_MEMBERS = 12  # a thread is summarised from its members nearest its centroid


def run(store: Store, *, progress: bool, jobs: int) -> dict[str, int]:
    try:
        model = embed.model_id()
    except embed.ModelError as exc:
        raise StepError(f"threads: {exc}") from None
    saved = table.setting(store, "model")
    if saved is not None and saved != model:
        rebuild(store)  # vectors of another model cannot be compared with new ones
    todo = table.pending_count(store)
    if not todo:
        return {"new_documents": 0}
    if saved != model:
        with store.transaction():
            table.save_setting(store, "model", model)
    try:
        if table.setting(store, table.ACTORS_FILLED) is None:
            with store.transaction():  # a store threaded before thread_actors: once
                table.fill_actors(store)
        index = StoredArguments(store)
        bar = tqdm(total=todo, desc="threads", unit=" doc", disable=not progress, leave=False)
        done = changed = 0
        after = ""
        try:
            while rows := table.pending(store, after, BATCH):
                after = rows[-1]["id"]
                changed += process_batch(store, rows, index)
                done += len(rows)
                bar.update(len(rows))
        finally:
            bar.close()
    except embed.ModelError as exc:
        raise StepError(f"threads: {exc}") from None
    count = store.sql("SELECT count(*) AS n FROM threads")[0]["n"]
    return {"new_documents": done, "patched": changed, "threads": int(count)}


def rebuild(store: Store) -> None:
    """Forget every thread, argument and thread_id; the next run threads the corpus anew."""
    store.patch([(doc_id, {"thread_id": None}) for doc_id in table.threaded_docs(store)])
    with store.transaction():
        table.clear(store)


# A sub-narrative keys a thread only when given with confidence (calibrated score 0.9); a
# weaker one leaves the article to the actor rule. Articles keyed by one claim link whatever
# their wording (group/threads.CLAIM_LINK), so a thread's pair purity is about the square of
# its members' precision: for the issue's 0.8 of pairs sharing the sub-narrative, members
# must be right about 0.9 of the time, which a calibrated score of 0.9 says they are (0.8
# would promise pairs right 0.64 of the time). The shipped taxonomies' labels score 0.16
# (narratives.calibrated: on real news a zero-shot narrative is right about that often), so
# with them no claim keys a thread; a trained or user taxonomy whose labels earn 0.9 does.
CLAIM_SCORE = 0.9
# An article given a taxonomy narrative with at least this score (a learned head's calibrated
# probability; the boundary at which the head gives it at all) argues a claim of the
# taxonomy. Without a confident sub-narrative that claim is unknown, so the article joins no
# thread: by the actor rule it would sit beside articles pushing other sub-narratives of the
# same people (the thread of 12 whose 66 pairs shared a sub-narrative 7 times).
# Zero-shot narratives score 0.16 (narratives.calibrated): a lead, not a finding, so those
# articles keep the actor rule like "Other" ones.
PUSH_SCORE = 0.5
# Argument sentences an article keyed by a confident sub-narrative needs (others need
# thread_arguments.MIN_SENTENCES, 2): its claim's evidence sentences were picked by the
# label's learned head as arguing that claim, and the claim key, not the cue words, is what
# links it; one is enough (a short real quote pushing the claim argues it in one sentence).
CLAIM_SENTENCES = 1


def claim_keys(labels: list[Any]) -> list[str]:
    """`claim:<sub-narrative>` for each specific sub-narrative a document was given (not
    "Other", not "<narrative>: Other"): the claim it argues, in the taxonomy's words."""
    out = []
    for x in labels:
        label = x.label if hasattr(x, "label") else x.get("label", "")
        score = x.score if hasattr(x, "score") else x.get("score", 0.0)
        if label.count(": ") >= 2 and not label.endswith(": Other") and score >= CLAIM_SCORE:
            out.append(f"{CLAIM_PREFIX}{label}")
    return out


def pushes_unknown_claim(labels: list[Any]) -> bool:
    """Whether a document pushes a taxonomy narrative with confidence (PUSH_SCORE) but no
    specific sub-narrative with confidence (CLAIM_SCORE): it abstains from threads."""
    if claim_keys(labels):
        return False
    for x in labels:
        label = x.label if hasattr(x, "label") else x.get("label", "")
        score = x.score if hasattr(x, "score") else x.get("score", 0.0)
        if label != OTHER and score >= PUSH_SCORE:
            return True
    return False


def with_claim_evidence(found: list[ArgumentSentence], doc: Document) -> list[ArgumentSentence]:
    """An article pushing a sub-narrative with confidence argues it in that label's evidence
    sentences, whether or not they carry the English cue words: they join its argument
    sentences (article order, at most MAX_SENTENCES, each counted as an argument)."""
    wanted = {f"{CLAIM_PREFIX}{x.label}" for x in doc.narratives} & set(claim_keys(doc.narratives))
    evidence = [
        e for x in doc.narratives if f"{CLAIM_PREFIX}{x.label}" in wanted for e in x.evidence
    ]
    if not evidence:
        return found
    have = {s.text for s in found}
    index = {  # sentence -> its place, numbered as argument_sentences does (0 = headline)
        " ".join(doc.text[x.start : x.end].split()): i
        for i, x in reversed(list(enumerate(split(doc.text), start=1)))
    }
    extra = [
        ArgumentSentence(e, index.get(e, len(index) + 1), MIN_SCORE)
        for e in dict.fromkeys(" ".join(e.split()) for e in evidence)
        if e not in have
    ]
    merged = sorted([*found, *extra], key=lambda s: (-s.score, s.position))[:MAX_SENTENCES]
    return sorted(merged, key=lambda s: s.position)


def abstention(language: str | None) -> str | None:
    """Why the thread stage does not read a document (its argument cues and sentence model
    are English), or None."""
    if language == "en":
        return None
    return f"no argument model for language {language or 'unknown'!r}"


def analyse(docs: list[Document]) -> list[ArgumentDoc]:
    """Each document's argument sentences, masked argument vector (None when it argues too
    little) and argument actors. An article that carries a specific taxonomy sub-narrative
    argues that claim: its actors are keyed by the sub-narrative, so it links only with
    articles pushing the same one (and never with reporting that pushes none)."""
    sentences = [
        with_claim_evidence(argument_sentences(d.title, d.text), d) if d.language == "en" else []
        for d in docs
    ]
    names = [
        event_names((alias, e.type) for e in d.entities for alias in (e.name, *e.aliases))
        for d in docs
    ]
    sentences = [with_masks(s, n) for s, n in zip(sentences, names, strict=True)]
    least = [CLAIM_SENTENCES if claim_keys(d.narratives) else MIN_SENTENCES for d in docs]
    vectors = argument_vectors(list(zip(sentences, names, strict=True)), least)
    out = []
    for doc, chosen, vector in zip(docs, sentences, vectors, strict=True):
        entities = [(e.key or e.name, e.type, (e.name, *e.aliases), e.count) for e in doc.entities]
        actors = argument_actors(chosen, entities) if vector is not None else frozenset()
        claims = claim_keys(doc.narratives)
        if claims and vector is not None:
            actors = frozenset(claims)
        elif pushes_unknown_claim(doc.narratives):
            actors = frozenset()  # a taxonomy claim, but which one is not known: no thread
        out.append(
            ArgumentDoc(
                doc.id,
                vector,  # type: ignore[arg-type]
                actors,
                doc.story_id,
                doc.published.date,
                chosen,
            )
        )
    return out


class StoredArguments:
    """The actor index over the stored arguing articles a run's batches can link to: those
    sharing an actor with a new article (a link needs one), read per actor the first time a
    batch names it (`thread_actors`), never every arguing article of the corpus. An actor
    read is complete from then on: the run's new articles are added under all their actors,
    which were read before them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = ActorIndex()
        self.read: set[str] = set()

    def load(self, actors: Collection[str]) -> None:
        new = sorted(set(actors) - self.read)
        if new:
            self.index.add(table.arguing_with(self.store, new), only=set(new))
            self.read.update(new)


def process_batch(store: Store, rows: list[dict[str, Any]], stored: StoredArguments) -> int:
    """Thread one batch of new documents; returns how many documents were patched."""
    docs = [Document.from_dict(json.loads(r["data"])) for r in rows]
    fresh = {a.doc_id: a for a in analyse(docs)}
    abstentions = [
        (d.id, {"abstained": {**d.abstained, NAME: reason}})
        for d in docs
        if (reason := abstention(d.language)) and d.abstained.get(NAME) != reason
    ]
    arguing = [a for a in fresh.values() if a.vector is not None and a.actors]
    stored.load({actor for a in arguing for actor in a.actors})
    index = stored.index
    index.add((a.doc_id, a.vector, a.actors) for a in arguing)
    links = index.links(arguing)
    ends = sorted({x for link in links for x in (link.a, link.b)})
    component_of = table.components_of(store, [x for x in ends if x not in fresh])
    old_roots = sorted(set(component_of.values()))
    stored = {root: _stored_members(store, root) for root in old_roots}
    sizes = {root: len(group) for root, group in stored.items()}
    sums = {root: _vector_sum(group) for root, group in stored.items()}
    component_of.update({x: x for x in ends if x in fresh})
    sums.update({x: fresh[x].vector for x in ends if x in fresh})
    moves = merge_components(links, component_of, sizes, sums)
    root_of = {d: moves.get(d, d) for d in fresh}  # new articles start as their own root
    touched = sorted({moves.get(component_of[x], component_of[x]) for x in ends})

    new_terms = Counter(t for a in arguing for t in sentence_terms(a.sentences))
    doc_freq = table.term_docs(store, sorted(new_terms))
    for term, n in new_terms.items():
        doc_freq[term] = doc_freq.get(term, 0) + n
    corpus_docs = table.arguing_docs(store) + len(arguing)

    contributing: dict[str, list[str]] = {}
    for root in old_roots:
        contributing.setdefault(moves.get(root, root), []).append(root)
    thread_rows, patches = [], []
    known_threads = table.thread_for_root(store, old_roots)
    gone = {known_threads[r] for r in moves if r in known_threads}
    for root in touched:
        group = [m for old in contributing.get(root, []) for m in stored[old]]
        group += [
            {"doc": doc, "story_id": doc.story_id, "thread_id": None}
            for doc_id, doc in fresh.items()
            if root_of[doc_id] == root
        ]
        group.sort(key=lambda m: m["doc"].doc_id)
        stories = [m["story_id"] for m in group]
        ids = [m["doc"].doc_id for m in group]
        thread_id = thread_id_of(root) if is_thread(stories, ids) else None
        if thread_id is None:
            gone.add(thread_id_of(root))
        else:
            thread_rows.append(_thread_row(thread_id, root, group, doc_freq, corpus_docs))
        patches += [
            (m["doc"].doc_id, {"thread_id": thread_id})
            for m in group
            if m["thread_id"] != thread_id
        ]
    gone -= {r.thread_id for r in thread_rows}
    if abstentions:  # before the thread patches: those read the stored dict again
        store.patch(abstentions)
    if patches:
        store.patch(patches)
    with store.transaction():
        table.save_docs(store, [_doc_row(a, root_of[a.doc_id]) for a in fresh.values()])
        table.save_links(store, [(x.a, x.b, x.similarity) for x in links])
        table.relabel(store, moves)
        table.add_terms(store, dict(new_terms))
        table.save_threads(store, thread_rows, gone)
    return len(patches)


def _stored_members(store: Store, root: str) -> list[dict[str, Any]]:
    """A stored component's articles with their current story, date and thread_id."""
    group = []
    for m in table.members(store, root):
        row = m["row"]
        doc = ArgumentDoc(
            row.doc_id,
            row.vector,  # type: ignore[arg-type]
            frozenset(row.actors),
            m["story_id"],
            m["published_date"],
            [ArgumentSentence(*s) for s in row.sentences],
        )
        group.append({"doc": doc, "story_id": m["story_id"], "thread_id": m["thread_id"]})
    return group


def _vector_sum(group: list[dict[str, Any]]) -> np.ndarray:
    vectors = [m["doc"].vector for m in group if m["doc"].vector is not None]
    return np.sum(vectors, axis=0) if vectors else np.zeros(embed.DIM, dtype=np.float32)


def _thread_row(
    thread_id: str,
    root: str,
    group: list[dict[str, Any]],
    doc_freq: dict[str, int],
    corpus_docs: int,
) -> table.ThreadRow:
    docs = [m["doc"] for m in group if m["doc"].vector is not None]
    if len(docs) > SUMMARY_MEMBERS:  # the members nearest the centroid speak for a big one
        matrix = np.stack([d.vector for d in docs])
        closeness = matrix @ matrix.mean(axis=0)
        keep = sorted(np.argsort(-closeness, kind="stable")[:SUMMARY_MEMBERS].tolist())
        summary_docs = [docs[i] for i in keep]
    else:
        summary_docs = docs
    summary = summarise(summary_docs, doc_freq, corpus_docs)
    dates = sorted(m["doc"].published for m in group if m["doc"].published)
    stories = {m["story_id"] or f"doc:{m['doc'].doc_id}" for m in group}
    return table.ThreadRow(
        thread_id,
        summary.label,
        len(group),
        dates[0] if dates else None,
        dates[-1] if dates else None,
        summary.evidence,
        summary.terms,
        len(stories),
        root,
    )


def _doc_row(a: ArgumentDoc, root: str) -> table.DocRow:
    return table.DocRow(
        a.doc_id,
        root,
        [(s.text, s.position, s.score, s.masked) for s in a.sentences],
        sorted(a.actors),
        a.vector,
    )
