"""The stories step's tables (placeholder: filled in by the issue-5 work on stories)."""

from __future__ import annotations

from presstrace.store.schema import SchemaPart

PART = SchemaPart("stories", sqlite=(), postgres=())
