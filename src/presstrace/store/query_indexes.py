"""Indexes the query layer (store/queries/) needs beyond those of the core schema and the
stages, declared as their own schema part so they are added to existing stores too.

`documents_copy_of` holds the copies only (duplicate_of set): search leaves copies out by
default, and on SQLite `d.duplicate_of IS NULL` reads past each matching article's text (the
column is stored after it, in overflow pages: 23 ms for 6,500 matches at 10k documents),
while `d.rowid NOT IN (SELECT rowid FROM documents WHERE duplicate_of IS NOT NULL)` reads
this small index once.
"""

from __future__ import annotations

from presstrace.store.schema import SchemaPart

_COPY_OF = (
    "CREATE INDEX IF NOT EXISTS documents_copy_of ON documents(duplicate_of) "
    "WHERE duplicate_of IS NOT NULL;"
)

PART = SchemaPart("queries", (_COPY_OF,))
