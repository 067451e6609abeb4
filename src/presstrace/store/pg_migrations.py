"""Versioned schema for the PostgreSQL store.

Each entry upgrades the schema by one version and is applied in its own transaction; the
`schema_version` table holds one row per applied step, so opening an older database applies
only the missing steps, and a database newer than the code is refused. Append new steps;
never edit a released one. Same tables and columns as the SQLite schema (migrations.py),
with PostgreSQL's own full-text search in place of FTS5.

Full-text configuration `presstrace`: the `simple` dictionary (lower-casing, no stemming,
no stop words) with accents folded by `unaccent`. This mirrors the SQLite store's
`unicode61 remove_diacritics 2` tokenizer, so both backends find the same documents for the
same words, and it suits a multilingual corpus: `english` would stem and drop stop words
in every language, changing what a quoted word matches ("drones" would find "drone").
"""

from __future__ import annotations

# Text longer than this is indexed by its beginning only: a tsvector is capped at 1 MB (about
# 10 bytes per distinct word), and one pathological 50 MB "article" must not make a whole
# batch fail. 200,000 characters is four times a long read; the stored text stays whole.
FTS_MAX_CHARS = 200_000

MIGRATIONS: list[str] = [
    # 1: documents with their full record as JSON text (Document.to_json(), stored as is so
    #    it reads back exactly), the raw input kept for re-processing (zlib), a generated
    #    tsvector (title weighted A, text B) with a GIN index, and `seq` for ingest order.
    #    Ids and the columns compared or grouped on are COLLATE "C": byte order like SQLite,
    #    whatever the database's locale, and an id prefix can use the primary-key index.
    f"""
    CREATE EXTENSION IF NOT EXISTS unaccent;
    CREATE TEXT SEARCH CONFIGURATION presstrace (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION presstrace
        ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;
    CREATE TABLE documents (
        seq bigserial NOT NULL UNIQUE,
        id text COLLATE "C" PRIMARY KEY,
        source text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        title text,
        text text NOT NULL,
        published_date text COLLATE "C",
        outlet text COLLATE "C",
        language text COLLATE "C",
        duplicate_of text COLLATE "C",
        story_id text COLLATE "C",
        thread_id text COLLATE "C",
        data text NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('presstrace', coalesce(title, '')), 'A')
            || setweight(to_tsvector('presstrace', left(text, {FTS_MAX_CHARS})), 'B')
        ) STORED
    );
    CREATE INDEX documents_published ON documents(published_date);
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_source ON documents(source);
    CREATE INDEX documents_search ON documents USING gin(search);
    CREATE TABLE raw_inputs (
        id text COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        content bytea NOT NULL
    );
    """,
    # 2: the version of each stage's own tables (store/schema.py, SchemaPart).
    """
    CREATE TABLE schema_parts (name text COLLATE "C" PRIMARY KEY, version integer NOT NULL);
    """,
    # 3: story and thread lookups (see migrations.py step 3).
    """
    CREATE INDEX IF NOT EXISTS documents_story_id ON documents(story_id);
    CREATE INDEX IF NOT EXISTS documents_thread_id ON documents(thread_id);
    """,
    # 4: story and thread lookups with the date beside them (see migrations.py step 4).
    #    No confidence column here: a generated column must parse each row's JSON with a
    #    json cast, which refuses text holding \u0000 escapes and would make such inserts
    #    fail; store/timeline.py reads the confidence with a regular expression instead.
    """
    CREATE INDEX documents_story_dated ON documents(story_id, published_date);
    CREATE INDEX documents_thread_dated ON documents(thread_id, published_date);
    DROP INDEX IF EXISTS documents_story_id;
    DROP INDEX IF EXISTS documents_thread_id;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
