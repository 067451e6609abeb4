"""Versioned schema for the SQLite store.

Each entry upgrades the schema by one version; a store records the version it is at in
`PRAGMA user_version`, so opening an older file applies only the missing steps, inside one
transaction each. Append new steps; never edit a released one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: documents with their full record as JSON, the raw input kept for re-processing,
    #    and an FTS5 index over title and text kept in sync by triggers.
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        published_date TEXT,
        outlet TEXT,
        language TEXT,
        duplicate_of TEXT,
        story_id TEXT,
        thread_id TEXT,
        data TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_published ON documents(published_date);
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_source ON documents(source);
    CREATE TABLE raw_inputs (
        id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        content BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: the version of each stage's own tables (store/schema.py, SchemaPart).
    """
    CREATE TABLE schema_parts (name TEXT PRIMARY KEY, version INTEGER NOT NULL);
    """,
    # 3: story and thread lookups (a story's page, the overview's distinct counts, the
    #    timelines) read by these columns; without an index each one scans the table.
    #    IF NOT EXISTS: a stage part may have created an index on the same column already.
    """
    CREATE INDEX IF NOT EXISTS documents_story_id ON documents(story_id);
    CREATE INDEX IF NOT EXISTS documents_thread_id ON documents(thread_id);
    """,
    # 4: timelines without reading article rows. The date's confidence lives in the JSON
    #    (`data`); a virtual generated column exposes it and the indexes below hold it with
    #    the date, so per-day counts are index-only scans: the whole-corpus timeline at 10k
    #    documents went from 261 ms (json_extract over every row, and published_date itself
    #    sits after the text, in overflow pages) to 1.5 ms. documents_id_dated serves
    #    selections by document id (a narrative label's, an entity's); SQLite prefers the
    #    primary key's index for `id IN (...)`, so store/timeline.py names it (INDEXED BY).
    #    The story and thread indexes supersede step 3's.
    """
    ALTER TABLE documents ADD COLUMN published_confidence REAL
        GENERATED ALWAYS AS (json_extract(data, '$.published.confidence')) VIRTUAL;
    CREATE INDEX documents_dated ON documents(published_date, published_confidence);
    CREATE INDEX documents_id_dated ON documents(id, published_date, published_confidence);
    CREATE INDEX documents_story_dated
        ON documents(story_id, published_date, published_confidence);
    CREATE INDEX documents_thread_dated
        ON documents(thread_id, published_date, published_confidence);
    DROP INDEX IF EXISTS documents_story_id;
    DROP INDEX IF EXISTS documents_thread_id;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
