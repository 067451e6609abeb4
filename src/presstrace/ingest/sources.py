"""From what the user typed (paths, folders, globs, `-`, URLs) to opened inputs."""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
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
        yield from _path(spec, walk=True, seen=set())
    else:
        matches = sorted(safe_glob(spec))
        if not matches:
            yield IngestFailure(spec, "no files match this pattern")
        seen: set[tuple[int, int]] = set()
        for match in matches:
            yield from _path(match, walk=True, seen=seen)


def safe_glob(pattern: str) -> set[str]:
    """glob.glob, but `**` never descends through a symlinked folder: Python's recursive glob
    follows them, and two `-> .` links made it run without end (a file matched 41 times on
    the way). Other wildcards are bounded by the pattern's own depth and use glob itself."""
    parts = pattern.split(os.sep)
    if "**" not in parts:
        return set(glob.glob(pattern))
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    base = os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")
    found: set[str] = set()
    _match(base, parts[first:], found)
    return found


def _match(folder: str, parts: list[str], found: set[str]) -> None:
    part, rest = parts[0], parts[1:]
    if part == "**":
        if rest:
            _match(folder, rest, found)  # `**` matches no folder at all, too
        else:
            found.add(folder or os.curdir)
        for entry in _entries(folder):
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                path = os.path.join(folder, entry.name)
                if not rest:
                    found.add(path)
                _match(path, parts, found)
            elif not rest:
                found.add(os.path.join(folder, entry.name))
        return
    if not glob.has_magic(part):
        path = os.path.join(folder, part)
        if not rest:
            if os.path.lexists(path):
                found.add(path)
        elif os.path.isdir(path):
            _match(path, rest, found)
        return
    for entry in _entries(folder):
        if entry.name.startswith(".") and not part.startswith("."):
            continue
        if not fnmatch.fnmatch(entry.name, part):
            continue
        path = os.path.join(folder, entry.name)
        if not rest:
            found.add(path)
        elif entry.is_dir():
            _match(path, rest, found)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder or os.curdir) as it:
            return list(it)
    except OSError:
        return []


def _path(path: str, *, walk: bool, seen: set[tuple[int, int]]) -> Iterator[Input | IngestFailure]:
    try:
        if os.path.isdir(path):
            if walk:
                yield from _folder(path, seen)
            return
        if _first_visit(path, seen):
            yield open_file(path)
    except OSError as exc:
        yield IngestFailure(path, os_reason(exc))


def _first_visit(path: str, seen: set[tuple[int, int]]) -> bool:
    """False for a file already read under another name (a symlink, a glob matching it twice)."""
    st = os.stat(path)
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _folder(root: str, seen: set[tuple[int, int]]) -> Iterator[Input | IngestFailure]:
    """Every visible file under `root`, sorted by path; hidden files and folders are skipped,
    and so are named pipes, sockets and devices (reading one blocks, or never ends)."""
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
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                yield IngestFailure(path, f"not a regular file ({_file_type(mode)}); skipped")
                continue
            if _first_visit(path, seen):
                yield open_file(path)
        except OSError as exc:
            yield IngestFailure(path, os_reason(exc))


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _stdin() -> Input | IngestFailure:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or stream.closed:
        return IngestFailure(STDIN_SOURCE, "stdin is not available")
    try:
        return Input(STDIN_SOURCE, stream, noun="input", owned=False)
    except OSError as exc:
        return IngestFailure(STDIN_SOURCE, os_reason(exc))
