"""A gzip stream that survives its own truncation.

gzip.GzipFile raises EOFError when the data ends early, and it raises it while the input's
first 64 KB are peeked for sniffing: a truncated .jsonl.gz under 64 KB lost every record.
This stream inflates what is there, ends cleanly at the cut, and says it was cut, so the
reader takes every complete record and the registry adds one failure line for the rest.
"""

from __future__ import annotations

import io
import zlib
from typing import Any, BinaryIO

from presstrace.ingest.sniff import GZIP_MAGIC

_READ = 1 << 16


class Gunzipped(io.RawIOBase):
    """The decompressed bytes of a (possibly multi-member) gzip stream; `truncated` is set
    once it ended inside a member, `error` once its data was corrupt."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._done = False
        self.truncated = False
        self.error: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            self._fill(len(buffer))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _fill(self, want: int) -> None:
        tail = self._inflater.unconsumed_tail
        data = tail or self._raw.read(_READ)
        if not data:
            self.truncated = not self._inflater.eof
            self._done = True
            return
        try:
            self._pending = self._inflater.decompress(data, max(want, _READ))
        except zlib.error as exc:
            self.error = str(exc)
            self._done = True
            return
        if self._inflater.eof:  # a member ended: another may follow (cat a.gz b.gz)
            rest = self._inflater.unused_data
            if not rest:
                rest = self._raw.read(_READ)
            if rest.startswith(GZIP_MAGIC[: len(rest)]) and rest:
                self._inflater = zlib.decompressobj(wbits=31)
                self._inflater_feed(rest)
            else:
                self._done = True  # end of data, or trailing padding: ignored like gzip(1)

    def _inflater_feed(self, data: bytes) -> None:
        try:
            self._pending += self._inflater.decompress(data, _READ)
        except zlib.error as exc:
            self.error = str(exc)
            self._done = True

    def problem(self) -> str | None:
        """Why the stream ended early, for a failure line; None when it ended well."""
        if self.error:
            return f"corrupt gzip data ({self.error}); the records before it were read"
        if self.truncated:
            return "truncated gzip data (the file is cut off); the records before it were read"
        return None
