"""ingest: every input (file, folder, glob, stdin, URL) to RawDocuments, one reader per format.

    for item in read_inputs(["articles.jsonl", "saved/", "https://example.org/a"]):
        if isinstance(item, IngestFailure):
            print(f"{item.source}: {item.reason}")

Never raises for bad input: each input, or record of a container, that cannot be read is one
IngestFailure, and the run goes on with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presstrace.ingest.errors import IngestFailure
from presstrace.ingest.fetch import Fetcher
from presstrace.ingest.inputs import Input
from presstrace.ingest.options import USER_AGENT, IngestOptions
from presstrace.ingest.registry import detect, read_input
from presstrace.ingest.sanitize import safe_document
from presstrace.ingest.sources import expand
from presstrace.model import RawDocument

__all__ = [
    "USER_AGENT",
    "IngestFailure",
    "IngestOptions",
    "RawDocument",
    "detect",
    "read_inputs",
]


def read_inputs(
    specs: Iterable[str], *, options: IngestOptions | None = None
) -> Iterator[RawDocument | IngestFailure]:
    """Documents and failures for `specs` (paths, folders, globs, `-` for stdin, http(s) URLs),
    lazily and in order, so a caller can store batches while later inputs are still read."""
    options = options or IngestOptions()
    fetcher = Fetcher(
        user_agent=options.user_agent,
        timeout=options.timeout,
        delay=options.delay,
        max_bytes=options.max_bytes,
        robots=options.robots,
    )
    for spec in specs:
        yield from _read_spec(spec, fetcher, options)


def _read_spec(
    spec: str, fetcher: Fetcher, options: IngestOptions
) -> Iterator[RawDocument | IngestFailure]:
    inputs = expand(spec, fetcher)
    while True:
        try:
            item = next(inputs)
        except StopIteration:
            return
        except Exception as exc:  # an unforeseen error opening one spec must not end the run
            yield IngestFailure(spec, f"could not open ({type(exc).__name__}: {exc})")
            return
        if isinstance(item, Input):
            with item:
                for read in read_input(item, options):
                    yield safe_document(read) if isinstance(read, RawDocument) else read
        else:
            yield item
