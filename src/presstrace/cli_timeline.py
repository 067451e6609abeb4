"""CLI commands for timeline (placeholder: filled in by the issue-5 work on timeline)."""

from __future__ import annotations


def register(subparsers) -> dict:
    return {}
