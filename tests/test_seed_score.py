"""The seed articles scored against the human reading in ../shared/gold (issue 2's bar)."""

from __future__ import annotations

from conftest import score_seed_export

FOUNDATION_BAR = {
    "found_docs": 1.0,
    "boilerplate_removed": 0.95,
    "body_kept": 0.98,
    "repeats_once": 1.0,
    "title": 1.0,
    "date_in_window": 0.8,
}


def test_seed_export_meets_the_foundation_bar(run_cli, tmp_path):
    result = score_seed_export(run_cli, tmp_path)
    figures = result["figures"]
    low = {k: figures[k] for k, bar in FOUNDATION_BAR.items() if figures[k] < bar}
    assert not low, f"below the bar: {low}; misses: {result['misses']}"
