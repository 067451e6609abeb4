"""The narratives step's tables (placeholder: filled in by the issue-5 work on narratives)."""

from __future__ import annotations

from presstrace.store.schema import SchemaPart

PART = SchemaPart("narratives", sqlite=(), postgres=())
