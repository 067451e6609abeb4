"""Knobs of the ingest stage; the CLI maps its flags onto these."""

from __future__ import annotations

from dataclasses import dataclass

USER_AGENT = "presstrace/0.1 (+https://github.com/presstrace/presstrace)"

# 50 MB for ONE article: the longest real news pages, scripts and inline images included, are a
# few MB of HTML. A single text/HTML file or page above this is almost surely not an article (a
# dump, a log, a mis-named archive), and reading, decoding and parsing it whole would cost
# several times its size in memory (an lxml tree is ~10x its source). Containers (JSONL, CSV,
# WARC, JSON arrays) are read record by record, so the limit applies to each record, not the file.
DEFAULT_MAX_BYTES = 50 * 2**20


@dataclass
class IngestOptions:
    """max_bytes: largest single article (file, page or record); timeout: seconds per network
    operation; delay: seconds between two requests to the same host; robots: honour robots.txt."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 10.0
    delay: float = 1.0
    user_agent: str = USER_AGENT
    robots: bool = True
