"""A real, throwaway PostgreSQL server for the store tests, and a fresh database per test.

The server is started once per test session, so once per pytest-xdist worker (initdb +
pg_ctl on a temporary data directory, listening on 127.0.0.1 on a free port, trust auth) and
removed at the end. PostgreSQL
refuses to run as root, so as root (CI) the server runs as the `postgres` system user.
Missing binaries fail the tests with an install hint instead of skipping them: a skipped
backend would look green while nothing was tested.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
    "`postgresql` (apt-get install postgresql), or set PRESSTRACE_PG_BIN to their folder"
)
PASSWORD_ROLE = "presstrace_pw"  # the one role that must give a password (scram)
PASSWORD = "s3cret-pw"
# Free ports tried before giving up: a port probed free can be taken before the server binds
# it (each pytest-xdist worker starts a server of its own, and other programs take ports).
PORT_ATTEMPTS = 3


def find_pg_bin(candidates: list[str] | None = None) -> Path:
    """The folder holding initdb and pg_ctl: $PRESSTRACE_PG_BIN, PATH, then the newest
    /usr/lib/postgresql/*/bin (Debian keeps them off PATH)."""
    if candidates is None:
        candidates = []
        if os.environ.get("PRESSTRACE_PG_BIN"):
            candidates.append(os.environ["PRESSTRACE_PG_BIN"])
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(str(Path(on_path).parent))
        versions = glob.glob("/usr/lib/postgresql/*/bin")
        candidates += sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in candidates:
        if all(os.access(Path(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    pytest.fail(INSTALL_HINT, pytrace=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PgServer:
    """A running server; `url(dbname)` connects as the superuser without a password."""

    bin: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        log = str(self.root / "server.log")
        for attempt in range(PORT_ATTEMPTS):
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=50 -c shared_buffers=32MB"
            )
            try:
                self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
                break
            except subprocess.CalledProcessError as exc:
                tail = Path(log).read_text(errors="replace")[-2000:] if Path(log).exists() else ""
                if "Address already in use" in tail and attempt + 1 < PORT_ATTEMPTS:
                    self.port = _free_port()  # taken between our probe and the server's bind
                    continue
                pytest.fail(f"PostgreSQL did not start: {exc.stderr.decode()}\n{tail}")
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_server: PgServer | None = None
_names = itertools.count()


def start_server(config: pytest.Config) -> PgServer:
    """One server per session, whichever test module asks first; stopped at session end."""
    global _server
    if _server is not None:
        return _server
    pg_bin = find_pg_bin()
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="ptpg-", dir="/tmp"))  # short: the socket path
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.fail("running as root needs `runuser` to start PostgreSQL as `postgres`")
        try:
            shutil.chown(root, "postgres", "postgres")
        except LookupError:
            pytest.fail("running as root needs a `postgres` system user: " + INSTALL_HINT)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PgServer(pg_bin, root, _free_port(), as_user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    config.add_cleanup(_stop)
    _server = server
    return server


def _stop() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> PgServer:
    return start_server(request.config)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A URL to a fresh, empty database of its own, dropped after the test."""
    name = f"t{os.getpid()}_{next(_names)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store lives, once per backend: a file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("pg_url")
