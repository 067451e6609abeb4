"""The seed articles scored against the human reading in ../shared/gold (issue 2's bar)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import needs_shared

FOUNDATION_BAR = {
    "found_docs": 1.0,
    "boilerplate_removed": 0.95,
    "body_kept": 0.98,
    "repeats_once": 1.0,
    "title": 1.0,
    "date_in_window": 0.8,
}


def test_seed_export_meets_the_foundation_bar(run_cli, tmp_path):
    seeds = needs_shared("seeds")
    scorer = needs_shared("tools", "score_seeds.py")
    assert run_cli("ingest", str(seeds)).returncode == 0
    export = tmp_path / "export.jsonl"
    assert run_cli("export", "--format", "jsonl", "-o", str(export)).returncode == 0
    scored = subprocess.run(
        [sys.executable, str(scorer), str(export), "--json"], capture_output=True, check=True
    )
    result = json.loads(scored.stdout)
    figures = result["figures"]
    low = {k: figures[k] for k, bar in FOUNDATION_BAR.items() if figures[k] < bar}
    assert not low, f"below the bar: {low}; misses: {result['misses']}"
