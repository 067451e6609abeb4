"""CLI commands for threads (placeholder: filled in by the issue-5 work on threads)."""

from __future__ import annotations


def register(subparsers) -> dict:
    return {}
