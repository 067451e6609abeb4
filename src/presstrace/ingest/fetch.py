"""Polite HTTP(S) fetching for `presstrace ingest URL`: robots.txt, a per-host delay, timeouts,
a size cap, and an honest User-Agent. Standard library only (urllib).

The fetched bytes are handed back as an Input and sniffed like a file, so a URL serving a feed,
JSON or a WARC is read as one.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from presstrace.ingest.errors import ReadError, size_text
from presstrace.ingest.inputs import Input, from_bytes

MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this many seconds


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    disallow_all: bool = False
    crawl_delay: float = 0.0


class Fetcher:
    """Fetches URLs one at a time; remembers robots.txt and the last request time per host.

    One Fetcher lives for one `read_inputs` call, so a run of forty links to one site asks for
    its robots.txt once and spaces the requests by `delay` seconds.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        delay: float,
        max_bytes: int,
        robots: bool = True,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.delay = delay
        self.max_bytes = max_bytes
        self.robots = robots
        self._robots: dict[str, _Robots] = {}
        self._last: dict[str, float] = {}

    def fetch(self, url: str) -> Input:
        """The page as an Input; ReadError with a short reason when it cannot be had."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ReadError("not an http(s) URL")
        host = f"{parts.scheme}://{parts.netloc}"
        if self.robots:
            rules = self._robots_for(host)
            if rules.disallow_all or (
                rules.parser is not None and not rules.parser.can_fetch(self.user_agent, url)
            ):
                raise ReadError("disallowed by robots.txt")
        status, headers, data, final_url = self._get(url, host, limit=self.max_bytes)
        if status >= 400:
            raise ReadError(f"HTTP {status}")
        content_type = headers.get("Content-Type")
        name = urlsplit(final_url).path.rsplit("/", 1)[-1]
        return from_bytes(
            url,
            data,
            name=name,
            content_type=content_type,
            charset=_charset(headers),
            hints={"url": final_url},
            noun="page",
        )

    def _robots_for(self, host: str) -> _Robots:
        """robots.txt per host: unreachable or 4xx means allowed, 5xx means disallowed (the
        site is in trouble; RFC 9309 says assume complete disallow)."""
        if host in self._robots:
            return self._robots[host]
        try:
            status, _, data, _ = self._get(host + "/robots.txt", host, limit=512 * 1024)
        except ReadError:
            rules = _Robots(None)
        else:
            if status >= 500:
                rules = _Robots(None, disallow_all=True)
            elif status >= 400:
                rules = _Robots(None)
            else:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(data.decode("utf-8", errors="replace").splitlines())
                delay = parser.crawl_delay(self.user_agent)
                rules = _Robots(parser, crawl_delay=min(float(delay or 0), MAX_CRAWL_DELAY))
        self._robots[host] = rules
        return rules

    def _wait(self, host: str) -> None:
        rules = self._robots.get(host)
        gap = max(self.delay, rules.crawl_delay if rules else 0.0)
        last = self._last.get(host)
        if last is not None:
            remaining = last + gap - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)

    def _get(self, url: str, host: str, *, limit: int) -> tuple[int, Message, bytes, str]:
        """(status, headers, body, final URL); HTTP errors are returned, network ones raised."""
        self._wait(host)
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        )
        deadline = time.monotonic() + self.timeout * 3  # per-operation timeout, plus a total
        try:
            try:
                response = urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
            except urllib.error.HTTPError as exc:
                exc.close()
                return exc.code, exc.headers, b"", url
            with response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > limit:
                    raise ReadError(
                        f"page too large ({size_text(int(length))} > {size_text(limit)} limit; "
                        "raise --max-bytes)"
                    )
                chunks, size = [], 0
                while chunk := response.read(65536):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        raise ReadError(
                            f"page too large (over the {size_text(limit)} limit; raise --max-bytes)"
                        )
                    if time.monotonic() > deadline:
                        raise TimeoutError
                return response.status, response.headers, b"".join(chunks), response.geturl()
        except ReadError:
            raise
        except TimeoutError:
            raise ReadError(f"timed out after {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise ReadError(_network_reason(exc.reason, self.timeout)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise ReadError(_network_reason(exc, self.timeout)) from None
        finally:
            self._last[host] = time.monotonic()


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    text = str(reason)
    return text or type(reason).__name__


def _charset(headers: Message) -> str | None:
    return headers.get_content_charset() if "Content-Type" in headers else None
