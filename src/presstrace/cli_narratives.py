"""CLI commands for narratives (placeholder: filled in by the issue-5 work on narratives)."""

from __future__ import annotations


def register(subparsers) -> dict:
    return {}
