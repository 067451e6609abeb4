"""CLI commands for stories (placeholder: filled in by the issue-5 work on stories)."""

from __future__ import annotations


def register(subparsers) -> dict:
    return {}
