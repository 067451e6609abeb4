"""Corpus step "stories" (placeholder: filled in by the issue-5 work on stories)."""

from __future__ import annotations

from typing import Any

NAME = "stories"


def run(store: Any, *, progress: bool, jobs: int) -> dict[str, int]:
    return {}
