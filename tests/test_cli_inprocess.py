"""The command line in process (as click's CliRunner runs a command): every command group
registers and answers on a small hand-made store, the exit codes hold, and the Python API
the commands call gives the same answers. No pipeline, no subprocess."""

from __future__ import annotations

import hashlib
import json

import pytest

import presstrace
from presstrace.cli import GROUPS, build_parser, main
from presstrace.model import Document, Published, RawDocument

TEXTS = [
    "The harbour bridge opened on Monday, the mayor said, after two years of work.",
    "Drone attack on the refinery: the governor said nobody was hurt.",
]


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "c.db")
    pairs = []
    for i, text in enumerate(TEXTS):
        digest = hashlib.sha256(text.encode()).hexdigest()
        raw = RawDocument(id=digest, source=f"{i}.txt", content=text)
        doc = Document(id=digest, source=raw.source, title=f"Title {i}", text=text,
                       published=Published(date=f"2024-03-0{i + 1}"), language="en")  # fmt: skip
        pairs.append((raw, doc))
    with presstrace.open(path) as store:
        assert store.add_batch(pairs) == 2
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_group_registers_its_commands():
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # noqa: SLF001
    assert {"ingest", "list", "show", "search", "export", "stats", "duplicates", "serve",
            "report", "entities", "quotes", "claims", "stories", "narratives",
            "train-narratives", "threads", "timeline"} <= commands  # fmt: skip
    assert GROUPS[0] == "documents"


def test_document_commands(db, capsys):
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    rows = json.loads(out)["items"]
    assert code == 0 and sorted(r["source"] for r in rows) == ["0.txt", "1.txt"]
    one = next(r for r in rows if r["source"] == "1.txt")
    code, out, _ = run(capsys, "--db", db, "show", one["id"][:8])
    assert code == 0 and "refinery" in out
    code, out, _ = run(capsys, "--db", db, "search", "drone", "--json")
    assert code == 0 and [h["source"] for h in json.loads(out)["items"]] == ["1.txt"]
    code, out, _ = run(capsys, "--db", db, "stats", "--json")
    assert code == 0 and json.loads(out)["documents"] == 2
    code, out, _ = run(capsys, "--db", db, "export", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,source")


def test_later_stage_commands_answer_on_a_store_without_their_tables(db, capsys, tmp_path):
    for argv in (["duplicates"], ["entities"], ["quotes"], ["claims"], ["stories"],
                 ["threads"], ["narratives"], ["timeline", "--json"]):  # fmt: skip
        code, out, err = run(capsys, "--db", db, *argv)
        assert code == 0, (argv, err)
        assert out.strip(), argv
    report = tmp_path / "r.html"
    code, _, err = run(capsys, "--db", db, "report", "-o", str(report))
    assert code == 0, err
    html = report.read_text(encoding="utf-8")
    assert err.startswith(f"wrote {report}") and "Content-Security-Policy" in html


def test_exit_codes(db, capsys):
    code, _, err = run(capsys, "--db", db, "show", "ffffffffffff")
    assert code == 1 and err.startswith("presstrace: ffffffffffff: no such document")
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "list", "--limit", "many"])
    assert usage.value.code == 2
    code, _, err = run(capsys, "--db", db, "duplicates", "--near", "0.5")
    assert code == 2 and "--recompute" in err


def test_the_python_api_gives_what_the_commands_print(db, capsys, tmp_path):
    code, out, _ = run(capsys, "--db", db, "search", "said", "--json")
    with presstrace.open(db) as store:
        hits = presstrace.search(store, "said")
        assert [h.id for h in hits] == [i["id"] for i in json.loads(out)["items"]]
        assert presstrace.query(store, "said")["items"] == json.loads(out)["items"]
        target = tmp_path / "all.jsonl"
        assert presstrace.export(store, target) == 2
    code, out, _ = run(capsys, "--db", db, "export")
    assert out == target.read_text(encoding="utf-8")
    assert set(presstrace.__all__) >= {"open", "ingest", "search", "export"}
