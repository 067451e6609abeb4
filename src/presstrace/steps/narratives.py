"""Corpus step "narratives" (placeholder: filled in by the issue-5 work on narratives)."""

from __future__ import annotations

from typing import Any

NAME = "narratives"


def run(store: Any, *, progress: bool, jobs: int) -> dict[str, int]:
    return {}
