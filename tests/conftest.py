"""Shared fixtures: paths to the bundled examples and to ../shared (present in CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ingest.helpers import server  # noqa: F401 - the local HTTP server fixture

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SHARED = Path(os.environ.get("PRESSTRACE_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def run_cli(tmp_path):
    """Run `python -m presstrace --db <tmp>/store.db ARGS` as a user would, in a subprocess."""
    db = tmp_path / "store.db"

    def run(*args: str, stdin: bytes | None = None, db_path: Path | None = None):
        return subprocess.run(
            [sys.executable, "-m", "presstrace", "--db", str(db_path or db), *args],
            input=stdin,
            capture_output=True,
            timeout=300,
            cwd=tmp_path,
        )

    run.db = db
    return run


def needs_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (it is beside the checkout in CI)")
    return path


def score_seed_export(run_cli, tmp_path: Path) -> dict:
    """Ingest ../shared/seeds with the CLI into run_cli's store, export it, and score the
    export with ../shared/tools/score_seeds.py: its JSON result (figures, misses)."""
    seeds = needs_shared("seeds")
    scorer = needs_shared("tools", "score_seeds.py")
    assert run_cli("ingest", str(seeds)).returncode == 0
    export = tmp_path / "export.jsonl"
    assert run_cli("export", "--format", "jsonl", "-o", str(export)).returncode == 0
    scored = subprocess.run(
        [sys.executable, str(scorer), str(export), "--json"], capture_output=True, check=True
    )
    return json.loads(scored.stdout)
