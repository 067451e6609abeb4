"""What every command module shares: how a message reaches the user."""

from __future__ import annotations

import sys


def error(message: str) -> None:
    """One line on stderr, `presstrace: ` first (the CLI's only error format)."""
    print(f"presstrace: {message}", file=sys.stderr)
