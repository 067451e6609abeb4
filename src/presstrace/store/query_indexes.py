"""Indexes the query layer (store/queries/) needs beyond those of the core schema and the
stages, declared as their own schema part so they are added to existing stores too.

`documents_copy_of` holds the copies only (duplicate_of set): search leaves copies out by
default, and whether there is any copy to leave out (matching.any_copies) and how many a
list without words leaves out are read from this small index, not from the rows (on SQLite
`duplicate_of` is stored after the text, in overflow pages: 23 ms for 6,500 matches at 10k
documents). Which matches are copies, SQLite reads from the table of their rowids (core
migration 8, dialect.py).
"""

from __future__ import annotations

from presstrace.store.schema import SchemaPart

_COPY_OF = (
    "CREATE INDEX IF NOT EXISTS documents_copy_of ON documents(duplicate_of) "
    "WHERE duplicate_of IS NOT NULL;"
)

PART = SchemaPart("queries", (_COPY_OF,))
