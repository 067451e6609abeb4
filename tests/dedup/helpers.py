"""Real texts for the dedup tests: the bundled example articles and the ECB+ dev set."""

from __future__ import annotations

import json

from conftest import EXAMPLES, needs_shared


def example_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}


def ecb_docs() -> list[dict]:
    path = needs_shared("data", "ecbplus-dev", "docs.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
