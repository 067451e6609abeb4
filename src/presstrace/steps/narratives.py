"""Corpus step "narratives": taxonomy labels for every document not yet labelled with the
current model, written to `narrative_labels` and into each Document (`narratives`).

The model version is a hash of the taxonomy files' content, the classifier settings, the
embedding model and the training: an ingest labels only the new documents, a
training run (or an edited taxonomy file) re-labels the corpus. Batches are committed one by
one (their `narrative_docs` rows are the bookmark), so an interrupted run resumes; a run with
nothing pending reads one count and writes nothing. Documents whose labels did not change
in a re-labelling are not re-patched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from presstrace import settings
from presstrace.errors import StepError
from presstrace.store import narratives as table
from presstrace.store.protocol import Store

NAME = "narratives"
BATCH = 200


def taxonomy_files(store: Store, given: list[str] | None = None) -> list[Path]:
    """Files given now, else $PRESSTRACE_TAXONOMIES, else those a training run kept, else the
    shipped SemEval taxonomies."""
    from presstrace.group import taxonomy

    if given:
        return [Path(p) for p in given]
    if settings.current().taxonomies:
        return taxonomy.configured_files()
    kept = table.settings(store).get("taxonomy_files")
    if kept:
        return [Path(p) for p in json.loads(kept)]
    return taxonomy.shipped_files()


class StoredHeads:
    """The store as the learned heads' cache (narrative_head.HeadCache): an ingest whose
    training did not change reads the heads back instead of fitting them (~24 s of CPU)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> bytes | None:
        return table.heads(self.store, key)

    def put(self, key: str, blob: bytes) -> None:
        table.save_heads(self.store, key, blob)


def version_of(store: Store, files: list[Path]) -> str:
    """The model version labels are computed with: a hash of the taxonomy files' content,
    the classifier settings, the embedding model and the training digest (known without
    building the classifier, so a run with nothing pending builds nothing)."""
    from presstrace.group import embed
    from presstrace.group.narratives import Settings

    digest = hashlib.sha256()
    for path in files:  # a missing file is reported by load_classifier, when it is needed
        digest.update(path.read_bytes() if path.is_file() else f"missing {path}".encode())
    digest.update(Settings().key().encode())
    digest.update(embed.model_id().encode())
    digest.update(table.settings(store).get("training", "").encode())
    return digest.hexdigest()[:16]


def load_taxonomies(store: Store, given: list[str] | None = None):
    """(TaxonomySet, files) in use; StepError for an unusable taxonomy file."""
    from presstrace.group.taxonomy import TaxonomyError, load_set

    files = taxonomy_files(store, given)
    try:
        return load_set(files), files
    except TaxonomyError as exc:
        raise StepError(f"narratives: {exc}") from None


def load_classifier(store: Store, given: list[str] | None = None):
    """(Classifier, version) for this store; StepError for an unusable taxonomy file."""
    from presstrace.group import embed
    from presstrace.group.narratives import Classifier, Settings, Training

    taxonomies, files = load_taxonomies(store, given)
    kept = table.training(store)
    training = Training(
        np.stack([np.frombuffer(v, dtype=np.float32) for _, _, v in kept.sentences])
        if kept.sentences
        else np.zeros((0, embed.DIM), dtype=np.float32),
        np.asarray([e for e, _, _ in kept.sentences], dtype=np.int64),
        [frozenset(x) for _, x, _ in kept.sentences],
        [frozenset(x) for x in kept.labels],
        [frozenset(x) for x in kept.domains],
    )
    classifier = Classifier(taxonomies, training, Settings(), StoredHeads(store))
    return classifier, version_of(store, files)


def run(store: Store, *, progress: bool, jobs: int) -> dict[str, int]:
    from presstrace.group.embed import ModelError

    try:
        todo = table.pending_count(store, version_of(store, taxonomy_files(store)))
        if not todo:
            return {"labelled": 0}
        classifier, version = load_classifier(store)
    except ModelError as exc:
        raise StepError(f"narratives: {exc}") from None
    bar = tqdm(total=todo, desc="narratives", unit=" doc", disable=not progress, leave=False)
    done = patched = 0
    after = ""
    try:
        while rows := table.pending(store, version, after, BATCH):
            after = rows[-1]["id"]
            patched += label_batch(store, classifier, version, rows)
            done += len(rows)
            bar.update(len(rows))
    finally:
        bar.close()
    with_labels = store.sql("SELECT count(DISTINCT doc_id) AS n FROM narrative_labels")[0]["n"]
    return {"labelled": done, "changed": patched, "documents_with_labels": int(with_labels)}


def label_batch(store: Store, classifier: Any, version: str, rows: list[dict[str, Any]]) -> int:
    """Label one batch, patch the documents whose labels or abstention changed; returns how
    many. Only languages the classifier reads are labelled; the others, and documents on
    none of the taxonomies' topics, get no label and say why in `abstained["narratives"]`
    (merged with the other stages' entries)."""
    from presstrace.group.narratives import abstention, readable

    ids = [r["id"] for r in rows]
    languages = [r.get("language") for r in rows]
    readable_rows = [i for i, lang in enumerate(languages) if readable(lang)]
    found = classifier.classify_many([rows[i]["text"] or "" for i in readable_rows])
    results: list[list[Any]] = [[] for _ in rows]
    for i, labels in zip(readable_rows, found, strict=True):
        results[i] = labels
    old = table.labels_of(store, ids)
    labelled: dict[str, list[table.LabelRow]] = {}
    patches = []
    for row, language, labels in zip(rows, languages, results, strict=True):
        doc_id = row["id"]
        new = [table.LabelRow(doc_id, x.label, x.score, x.evidence) for x in labels]
        labelled[doc_id] = new
        stored = _abstained(row)
        abstained = {k: v for k, v in stored.items() if k != NAME}
        reason = abstention(language, labels)
        if reason:
            abstained[NAME] = reason
        before = sorted((r.label, round(r.score, 4), r.evidence) for r in old.get(doc_id, []))
        after = sorted((r.label, round(r.score, 4), r.evidence) for r in new)
        fields: dict[str, Any] = {}
        if before != after or doc_id not in old and new:
            fields["narratives"] = [asdict(x) for x in labels]
        if abstained != stored:
            fields["abstained"] = abstained
        if fields:
            patches.append((doc_id, fields))
    store.patch(patches)
    table.save(store, labelled, version)
    return len(patches)


def _abstained(row: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(row.get("data") or "{}")
    except ValueError:
        return {}
    value = data.get("abstained") if isinstance(data, dict) else None
    return dict(value) if isinstance(value, dict) else {}


def train(
    store: Store,
    labels_file: str,
    *,
    taxonomy: list[str] | None = None,
    texts_dir: str | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Learn from a user's labelled examples (replacing an earlier training), keep the
    taxonomy files if given, then re-label the corpus. Caller holds the corpus lock."""
    from presstrace.group.narrative_examples import ExamplesError, read
    from presstrace.group.narratives import Classifier, Settings

    taxonomies, _ = load_taxonomies(store, taxonomy)
    base = Classifier(taxonomies, None, Settings())  # learn from zero-shot alone
    try:
        examples = read(labels_file, set(base.taxonomies.labels()), texts_dir)
    except ExamplesError as exc:
        raise StepError(f"train-narratives: {exc}") from None
    wanted = [e.doc_id for e in examples.items if e.doc_id]
    stored = table.texts(store, wanted) if wanted else {}
    missing = [e for e in examples.items if e.doc_id and e.doc_id not in stored]
    if missing:
        raise StepError(
            f"train-narratives: {labels_file}: line {missing[0].line}: no stored document "
            f"with id {missing[0].doc_id}"
        )
    pairs = [(e.text or stored[e.doc_id or ""], e.labels) for e in examples.items if e.labels]
    learned = base.learn(pairs)
    kept = table.StoredTraining(
        [sorted(x) for x in learned.labels],
        [sorted(x) for x in learned.domains],
        [
            (int(e), sorted(x), v.astype(np.float32).tobytes())
            for e, x, v in zip(learned.doc_of, learned.example_of, learned.vectors, strict=True)
        ],
    )
    digest = hashlib.sha256(json.dumps([kept.labels, kept.domains]).encode())
    for example, labels, vector in kept.sentences:
        digest.update(json.dumps([example, labels]).encode())
        digest.update(vector)
    table.replace_training(store, kept)
    values = {"training": digest.hexdigest()[:16], "training_file": str(Path(labels_file))}
    if taxonomy:
        values["taxonomy_files"] = json.dumps([str(Path(p).resolve()) for p in taxonomy])
    table.save_settings(store, values)
    summary = run(store, progress=progress, jobs=1)
    return {
        "examples": len(pairs),
        "labels_trained": len({x for labels in learned.example_of for x in labels}),
        "warnings": examples.warnings,
        **summary,
    }
