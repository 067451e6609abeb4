"""Corpus step "threads" (placeholder: filled in by the issue-5 work on threads)."""

from __future__ import annotations

from typing import Any

NAME = "threads"


def run(store: Any, *, progress: bool, jobs: int) -> dict[str, int]:
    return {}
