"""Fuzz: a few hundred mutated real samples of every format (tests/ingest/fuzzing.py, fixed
seed) through the readers, and a share of them through the whole ingest into a store that
already holds documents. bench/fuzz.py runs the same mutator for longer, with time and
memory per case.

What must hold for every input: no exception escapes, nothing hangs, each failure is one
line naming the file, no failure is a reader bug ("could not read (TypeError …)"), every
document is text a store can hold, and documents already stored never change.
"""

from __future__ import annotations

import json
import signal
import time

import pytest

from presstrace.ingest import IngestFailure, IngestOptions, read_inputs
from presstrace.model import RawDocument
from presstrace.pipeline import ingest
from presstrace.steps import step_names
from presstrace.store import open_store

from .fuzzing import EXAMPLES, cases, write

READER_CASES = 300
STORE_CASES = 60
SECONDS_PER_CASE = 15  # the slowest case takes well under 1 s; a hang is what this catches
BUG_MARKERS = ("could not read (", "could not open (", "could not process (", "Traceback")


@pytest.fixture
def alarm():
    def hung(*_):
        raise TimeoutError("hung")

    old = signal.signal(signal.SIGALRM, hung)
    yield lambda seconds: signal.alarm(seconds)
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def check_failure(failure: IngestFailure, path: str) -> None:
    line = str(failure)
    assert failure.source.split("#")[0] == path.replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert line.isprintable(), line
    assert failure.reason.strip(), line
    assert not any(marker in failure.reason for marker in BUG_MARKERS), line


def check_document(doc: RawDocument) -> None:
    doc.content.encode("utf-8")  # strict: no lone surrogate survives
    json.dumps(doc.hints, ensure_ascii=False).encode("utf-8")
    assert "\x00" not in doc.content
    assert doc.source.isprintable()


def test_readers_survive_mutated_inputs_of_every_format(tmp_path, alarm):
    seen_formats, documents, failures = set(), 0, 0
    started = time.monotonic()
    for case in cases(READER_CASES, seed=15):
        path = write(case, tmp_path)
        alarm(SECONDS_PER_CASE)
        try:
            items = list(read_inputs([str(path)], options=IngestOptions(delay=0)))
        except TimeoutError:
            pytest.fail(f"case {case.number} ({case.fmt}, {case.mutations}) hung")
        finally:
            alarm(0)
        assert items, f"case {case.number} gave neither a document nor a failure"
        for item in items:
            if isinstance(item, IngestFailure):
                failures += 1
                check_failure(item, str(path))
            else:
                documents += 1
                check_document(item)
        path.unlink()
        seen_formats.add(case.fmt)
    assert len(seen_formats) == 15
    assert documents > READER_CASES and failures > READER_CASES / 10  # both paths exercised
    assert time.monotonic() - started < 120


def test_fuzzed_ingest_never_changes_stored_documents(tmp_path, alarm):
    store = open_store(str(tmp_path / "store.db"))
    skip = list(step_names())
    try:
        report = ingest([str(EXAMPLES)], store, skip_steps=skip)
        assert report.added == 5 and not report.failures
        before = store.sql("SELECT * FROM documents ORDER BY id")
        folder = tmp_path / "fuzz"
        folder.mkdir()
        written = {str(write(case, folder)) for case in cases(STORE_CASES, seed=1515)}
        alarm(SECONDS_PER_CASE * STORE_CASES)
        try:
            report = ingest([str(folder)], store, skip_steps=skip)
        finally:
            alarm(0)
        after = {row["id"]: dict(row) for row in store.sql("SELECT * FROM documents")}
        for row in before:
            assert after[row["id"]] == dict(row)
        for failure in report.failures:
            path = failure.source.split("#")[0]
            assert any(path == w.replace("\n", "\\n").replace("\x1b", "\\x1b") for w in written)
            assert str(failure).isprintable() and "Traceback" not in failure.reason
        for row in after.values():
            json.loads(row["data"])
            row["text"].encode("utf-8")
        assert report.added > STORE_CASES / 2
    finally:
        store.close()


def test_cli_prints_one_line_per_failure_and_no_traceback(run_cli, tmp_path):
    folder = tmp_path / "fuzz"
    folder.mkdir()
    for case in cases(40, seed=151515):
        write(case, folder)
    skip = [arg for name in step_names() for arg in ("--skip", name)]
    proc = run_cli("ingest", *skip, "--json", str(folder))
    assert proc.returncode == 1  # some inputs failed, and the run says so
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "panicked" not in err
    lines = err.splitlines()
    assert lines and all(line.startswith(f"presstrace: {folder}/") for line in lines), lines
    summary = json.loads(proc.stdout)
    assert summary["failed"] == len(lines)
    assert summary["added"] > 10
