"""Helpers for the ingest tests: run read_inputs, build WARC records, serve pages locally.

Every input is a real file under tmp_path or a real HTTP server on 127.0.0.1; nothing is mocked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from presstrace.ingest import IngestFailure, IngestOptions, read_inputs
from presstrace.model import RawDocument


def read(*specs: str | Path, **options) -> tuple[list[RawDocument], list[IngestFailure]]:
    """Documents and failures of one read_inputs call (delay 0 unless a test asks for one)."""
    options.setdefault("delay", 0.0)
    docs: list[RawDocument] = []
    failures: list[IngestFailure] = []
    for item in read_inputs([str(s) for s in specs], options=IngestOptions(**options)):
        (failures if isinstance(item, IngestFailure) else docs).append(item)
    return docs, failures


def one_failure(*specs: str | Path, **options) -> str:
    docs, failures = read(*specs, **options)
    assert not docs, docs
    assert len(failures) == 1, failures
    return f"{failures[0].source}: {failures[0].reason}"


def warc_record(
    uri: str,
    body: bytes,
    *,
    date: str = "2023-07-31T10:00:00Z",
    content_type: str = "text/html; charset=utf-8",
    status: int = 200,
    record_type: str = "response",
    http_headers: str = "",
) -> bytes:
    """One WARC/1.0 record; a response wraps `body` in an HTTP response."""
    if record_type == "response":
        block = (
            f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n{http_headers}"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        block_type = "application/http; msgtype=response"
    else:
        block, block_type = body, content_type
    header = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{abs(hash((uri, body))):032x}>\r\n"
        f"Content-Type: {block_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return header + block + b"\r\n\r\n"


def warcinfo() -> bytes:
    body = b"software: presstrace-tests\r\n"
    return (
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2023-07-31T10:00:00Z\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n"
        b"Content-Type: application/warc-fields\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        + b"\r\n\r\n"
    )


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


@dataclass
class Server:
    """A local HTTP server: `routes` maps paths to responses; `log` records (path, time, UA)."""

    host: str
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, float, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


@pytest.fixture
def server():
    state = Server("127.0.0.1", 0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.log.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
            route = state.routes.get(self.path, Route(404, b"not found", "text/plain"))
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
