"""From what the user typed (paths, folders, globs, `-`, URLs) to opened inputs."""

from __future__ import annotations

import glob
import os
import re
import sys
from collections.abc import Iterator

from presstrace.ingest.errors import IngestFailure, ReadError, os_reason
from presstrace.ingest.fetch import Fetcher
from presstrace.ingest.inputs import Input, open_file

STDIN_SOURCE = "<stdin>"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_GLOB = re.compile(r"[*?[]")

# Page assets that a folder of saved pages ("page_files/") is full of: skipped when walking a
# folder (a file given by name is always read, and reported if it is not text).
ASSET_EXTENSIONS = frozenset(
    [
        ".css",
        ".js",
        ".mjs",
        ".map",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".svg",
        ".ico",
        ".bmp",
        ".tif",
        ".tiff",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".webm",
        ".ogg",
        ".wav",
        ".swf",
    ]
)


def expand(spec: str, fetcher: Fetcher) -> Iterator[Input | IngestFailure]:
    """Inputs for one spec, in a stable order; a failure for what cannot be opened."""
    if spec == "-":
        yield _stdin()
    elif _URL.match(spec):
        scheme = spec.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            yield IngestFailure(spec, f"unsupported URL scheme '{scheme}' (use http or https)")
            return
        try:
            yield fetcher.fetch(spec)
        except ReadError as exc:
            yield IngestFailure(spec, exc.reason)
    elif os.path.lexists(spec) or not _GLOB.search(spec):
        yield from _path(spec, walk=True)
    else:
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield IngestFailure(spec, "no files match this pattern")
        for match in matches:
            yield from _path(match, walk=True)


def _path(path: str, *, walk: bool) -> Iterator[Input | IngestFailure]:
    try:
        if os.path.isdir(path):
            if walk:
                yield from _folder(path)
            return
        yield open_file(path)
    except OSError as exc:
        yield IngestFailure(path, os_reason(exc))


def _folder(root: str) -> Iterator[Input | IngestFailure]:
    """Every visible file under `root`, sorted by path; hidden files and folders are skipped."""
    found: list[str] = []
    errors: list[IngestFailure] = []

    def on_error(exc: OSError) -> None:
        errors.append(IngestFailure(exc.filename or root, os_reason(exc)))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or os.path.splitext(name)[1].lower() in ASSET_EXTENSIONS:
                continue
            found.append(os.path.join(folder, name))
    yield from errors
    if not found and not errors:
        yield IngestFailure(root, "folder has no files to read")
    for path in sorted(found):
        try:
            yield open_file(path)
        except OSError as exc:
            yield IngestFailure(path, os_reason(exc))


def _stdin() -> Input | IngestFailure:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or stream.closed:
        return IngestFailure(STDIN_SOURCE, "stdin is not available")
    try:
        return Input(STDIN_SOURCE, stream, noun="input", owned=False)
    except OSError as exc:
        return IngestFailure(STDIN_SOURCE, os_reason(exc))
