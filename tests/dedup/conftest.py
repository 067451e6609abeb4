"""Fixtures for the dedup tests: a fresh store on each backend (real PostgreSQL server)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import pg_server as server  # noqa: E402

pg_server = server.pg_server
pg_url = server.pg_url
location = server.location  # a fresh store on each backend
