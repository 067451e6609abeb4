"""The threads step's tables (placeholder: filled in by the issue-5 work on threads)."""

from __future__ import annotations

from presstrace.store.schema import SchemaPart

PART = SchemaPart("threads", sqlite=(), postgres=())
