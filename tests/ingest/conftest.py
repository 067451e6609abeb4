"""Fixtures for the ingest tests (helpers live in helpers.py)."""

from .helpers import server  # noqa: F401 - registers the fixture
