"""One input to read: a file, stdin, a fetched page or a decompressed stream, seen the same way.

Readers get the first bytes (`head`, for sniffing) and a binary stream positioned at byte 0,
so streamed formats never need the whole input in memory and stdin can be sniffed although it
can be read only once.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import select
import shutil
import stat
import tempfile
from typing import Any, BinaryIO

from presstrace.ingest.errors import ReadError, size_text

HEAD_SIZE = 64 * 1024
# Seconds to wait for a writer on a named pipe given as input (a process substitution has
# written within milliseconds; a pipe nobody writes to must not hold the run forever).
FIFO_WAIT = 10.0
# A stream that must be made seekable is held in memory up to this size, on disk past it.
SPOOL_MEMORY = 16 * 2**20


class _Prefixed(io.RawIOBase):
    """The bytes already peeked, then the rest of a stream that cannot seek back."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class Input:
    """An opened input. `source` names it in documents and failures; `name` (a file name) and
    `content_type` are hints for sniffing; `size` is None when unknown (pipes, gzip, stdin)."""

    def __init__(
        self,
        source: str,
        raw: BinaryIO,
        *,
        name: str = "",
        size: int | None = None,
        content_type: str | None = None,
        charset: str | None = None,
        hints: dict[str, Any] | None = None,
        noun: str = "file",
        seekable: bool = False,
        owned: bool = True,
    ) -> None:
        self.source = source
        self.name = name
        self.size = size
        self.content_type = content_type
        self.charset = charset
        self.hints = dict(hints or {})
        self.noun = noun
        self._raw = raw
        self._seekable = seekable
        self._owned = owned  # stdin is borrowed: closing it would break a second "-"
        self._used = False
        self._spool: Any = None
        self.head = _read_up_to(raw, HEAD_SIZE)

    def stream(self) -> BinaryIO:
        """The input from its first byte; single-use unless the input can seek."""
        if self._seekable:
            self._raw.seek(0)
            return self._raw
        if self._used:
            raise ReadError("input can be read only once")
        self._used = True
        return io.BufferedReader(_Prefixed(self.head, self._raw), buffer_size=HEAD_SIZE)

    def seekable_stream(self) -> BinaryIO:
        """The input from its first byte on a stream that can seek: fastwarc seeks (and
        panics, printing a Rust backtrace, on a pipe), so stdin, a fetched page or a gunzipped
        stream is spooled first, to memory up to SPOOL_MEMORY and to a temporary file past it."""
        if self._seekable:
            return self.stream()
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115
        shutil.copyfileobj(self.stream(), spool, 1 << 20)
        spool.seek(0)
        self._spool = spool
        return spool  # type: ignore[return-value]

    def read_all(self, limit: int) -> bytes:
        """Every byte, for single-document formats; too-large inputs fail before being read."""
        if self.size is not None and self.size > limit:
            raise ReadError(self.too_large(self.size, limit))
        data = _read_up_to(self.stream(), limit + 1)
        if len(data) > limit:
            raise ReadError(self.too_large(None, limit))
        return data

    def too_large(self, size: int | None, limit: int) -> str:
        if size is None:
            what = f"over the {size_text(limit)} limit"
        else:
            what = f"{size_text(size)} > {size_text(limit)} limit"
        return f"{self.noun} too large ({what}; split it or raise --max-bytes)"

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
        if self._owned:
            with contextlib.suppress(OSError):
                self._raw.close()

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_up_to(stream: BinaryIO, n: int) -> bytes:
    """Read n bytes or until EOF (a pipe's read may return less than asked)."""
    chunks = []
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def open_file(path: str, source: str | None = None) -> Input:
    """Open a path as an Input (OSError propagates: the caller names the reason)."""
    fifo = stat.S_ISFIFO(os.stat(path).st_mode)
    f = _open_fifo(path) if fifo else open(path, "rb")  # noqa: SIM115 - closed by Input.close
    try:
        st = os.fstat(f.fileno())
        regular = stat.S_ISREG(st.st_mode)
        return Input(
            source if source is not None else path,
            f,
            name=os.path.basename(path),
            size=st.st_size if regular else None,
            seekable=regular,
        )
    except BaseException:
        f.close()
        raise


def _open_fifo(path: str) -> BinaryIO:
    """A named pipe, waiting at most FIFO_WAIT seconds for a writer to send something: a plain
    open blocks until a writer comes, forever if none does. A pipe being written already
    (`<(zcat a.gz)`) is read as usual; one that a writer closed empty reads as empty."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        if not poller.poll(FIFO_WAIT * 1000):
            raise OSError(errno.ETIMEDOUT, f"named pipe: nothing written to it in {FIFO_WAIT:g} s")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def from_bytes(source: str, data: bytes, **kwargs: Any) -> Input:
    return Input(source, io.BytesIO(data), size=len(data), seekable=True, **kwargs)
