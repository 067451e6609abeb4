"""`presstrace duplicates`, `show` and `export` as a user runs them, in subprocesses."""

from __future__ import annotations

import json
import re

from conftest import EXAMPLES

from dedup.helpers import example_texts


def write_reprint(folder) -> None:
    body = [p for p in re.split(r"\n\s*\n", example_texts()["001_5d58ceaa563ee3a5.txt"]) if p]
    folder.mkdir()
    (folder / "reprint.txt").write_text(
        "\n\n".join(["Source: Express", *body]).replace(" the ", " a ", 4), encoding="utf-8"
    )


def test_duplicates_show_and_export_name_the_copy(run_cli, tmp_path):
    write_reprint(tmp_path / "new")
    assert run_cli.ingested(str(EXAMPLES)).returncode == 0
    assert run_cli("duplicates").stdout.decode().strip() == "no copies found"
    done = run_cli("ingest", str(tmp_path / "new"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["steps"]["copies"]["new_documents"] == 1

    groups = json.loads(run_cli("duplicates", "--json").stdout)
    assert len(groups) == 1 and len(groups[0]["copies"]) == 1
    copy = groups[0]["copies"][0]
    assert copy["method"] == "near" and copy["source"].endswith("reprint.txt")
    assert groups[0]["source"].endswith("001_5d58ceaa563ee3a5.txt")
    people = run_cli("duplicates").stdout.decode()
    assert "1 copy:" in people and copy["id"][:12] in people

    shown = run_cli("show", copy["id"][:10]).stdout.decode()
    assert f"Copy of {groups[0]['canonical_id']} (near, similarity" in shown
    shown = run_cli("show", groups[0]["canonical_id"][:10]).stdout.decode()
    assert "Copies (1):" in shown and copy["id"][:12] in shown
    assert json.loads(run_cli("duplicates", copy["id"][:8], "--json").stdout) == groups

    records = [json.loads(line) for line in run_cli("export").stdout.splitlines()]
    dup = {r["id"]: r["duplicate_of"] for r in records}
    assert dup.pop(copy["id"]) == groups[0]["canonical_id"]
    assert set(dup.values()) == {None}


def test_skipped_step_runs_on_the_next_ingest_and_recompute_keeps_thresholds(run_cli, tmp_path):
    write_reprint(tmp_path / "new")
    run_cli("ingest", str(EXAMPLES), str(tmp_path / "new"), "--skip", "copies")
    assert run_cli("duplicates").stdout.decode().strip() == "no copies found"
    summary = json.loads(run_cli("ingest", str(EXAMPLES), "--json").stdout)
    assert summary["steps"]["copies"] == {"new_documents": 6, "copies": 1, "groups": 1}
    strict = run_cli("duplicates", "--recompute", "--near", "0.99", "--containment", "0.99")
    assert strict.returncode == 0
    assert "0 copies in 0 groups (near 0.99" in strict.stderr.decode()
    summary = json.loads(run_cli("ingest", str(EXAMPLES), "--json").stdout)
    assert summary["steps"]["copies"] == {"new_documents": 0, "copies": 0, "groups": 0}


def test_bad_duplicates_usage_is_one_line(run_cli):
    run_cli.ingested(str(EXAMPLES))
    for args, code, words in [
        (["--near", "0.4"], 2, "add --recompute"),
        (["--recompute", "--near", "1.5"], 2, "between 0 (excluded) and 1"),
        (["--recompute", "--containment", "x"], 2, "not a number"),
        (["--recompute", "--min-shingles", "0"], 2, "must be 1 or more"),
        (["nosuchdocument"], 1, "no such document"),
    ]:
        result = run_cli("duplicates", *args)
        err = result.stderr.decode()
        assert result.returncode == code, (args, err)
        assert words in err and "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith(("presstrace", "usage")) is True
