"""What a reader says when an input (or one record of it) cannot be read.

Readers never let bad input escape as an exception: the caller prints one line per failure,
`f"{failure.source}: {failure.reason}"`, and goes on with the other inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from presstrace.ingest.sanitize import shown

# A reason is one line a person reads: an exception that quotes a whole record, or a CSV
# header of a thousand columns, is cut here (500 characters hold every reason readers write).
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class IngestFailure:
    """An input or record that could not be read; `reason` is short, human and specific."""

    source: str
    reason: str

    def __post_init__(self) -> None:
        # escaped once here, so no caller can print a raw newline or ANSI code from a file
        # name (or from an exception's text) and split or forge a failure line
        object.__setattr__(self, "source", shown(str(self.source)))
        reason = str(self.reason)
        if len(reason) > MAX_REASON_CHARS:
            reason = reason[: MAX_REASON_CHARS - 1] + "…"
        object.__setattr__(self, "reason", shown(reason))

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class ReadError(Exception):
    """Raised inside a reader when the whole input is unusable; the registry turns it into an
    IngestFailure for that input (records already yielded are kept)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def os_reason(exc: OSError) -> str:
    """A short reason for an OS error, without the path (the failure already names it)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, NotADirectoryError):
        return "a parent of this path is not a directory"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc) or type(exc).__name__


def size_text(n: int) -> str:
    """Bytes as MB (MiB) for messages: '612 MB', '2.5 MB', '0.1 MB'."""
    mb = n / 2**20
    if mb >= 10:
        return f"{mb:.0f} MB"
    return f"{mb:.1f} MB" if mb >= 0.1 or n == 0 else f"{n / 2**10:.1f} KB"
