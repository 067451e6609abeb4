"""The core schema's one migration history, for SQLite and PostgreSQL alike.

Each entry upgrades the schema by one version: a template that `Dialect.render` fills with
the backend's types (`{key}`, `{real}`, …) and, in step 1, its full-text index (dialect.py).
SQLite records the version reached in `PRAGMA user_version`, PostgreSQL in its
`schema_version` table (one row per step); opening an older store applies only the missing
steps, and a store newer than the code is refused. Append new steps; never change what a
released step does to a store that has run it (a step may be reworded for new stores, as
step 4 was when step 5 superseded its indexes).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: documents with their full record as JSON (Document.to_json(), stored as is so it
    #    reads back exactly), the raw input kept for re-processing (zlib), and the full-text
    #    index (dialect.py). Ids and the columns compared or grouped on are `key` text.
    """
    {fts_setup}
    CREATE TABLE documents (
        {ingest_seq}
        id {key} PRIMARY KEY,
        source {key} NOT NULL,
        kind {key} NOT NULL,
        title {text},
        text {text} NOT NULL,
        published_date {key},
        outlet {key},
        language {key},
        duplicate_of {key},
        story_id {key},
        thread_id {key},
        data {text} NOT NULL,
        ingested_at {timestamp}{fts_column}
    );
    CREATE INDEX documents_published ON documents(published_date);
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_source ON documents(source);
    CREATE TABLE raw_inputs (
        id {key} PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        content {blob} NOT NULL
    );
    {fts_index}
    """,
    # 2: the version of each stage's own tables (store/schema.py, SchemaPart).
    """
    CREATE TABLE schema_parts (name {key} PRIMARY KEY, version {int} NOT NULL);
    """,
    # 3: story and thread lookups (a story's page, the overview's distinct counts, the
    #    timelines) read by these columns; without an index each one scans the table.
    #    IF NOT EXISTS: a stage part may have created an index on the same column already.
    """
    CREATE INDEX IF NOT EXISTS documents_story_id ON documents(story_id);
    CREATE INDEX IF NOT EXISTS documents_thread_id ON documents(thread_id);
    """,
    # 4: story and thread lookups with the date beside them (superseded by step 5's). SQLite
    #    stores that ran this step before step 5 existed also got a virtual generated column
    #    `published_confidence` (json_extract of `data`) and two more indexes holding it;
    #    step 5 drops those indexes; the column stays, unused (it takes no space, and SQLite
    #    cannot drop a column only where it exists).
    """
    CREATE INDEX documents_story_dated ON documents(story_id, published_date);
    CREATE INDEX documents_thread_dated ON documents(thread_id, published_date);
    DROP INDEX IF EXISTS documents_story_id;
    DROP INDEX IF EXISTS documents_thread_id;
    """,
    # 5: the date's confidence as a column of its own on both backends, written with the
    #    document and filled in here from the stored records, so timelines count
    #    low-confidence dates the same way everywhere. The indexes hold it with the date, so
    #    per-day counts are index-only scans: the whole-corpus timeline at 10k documents went
    #    from 261 ms (json_extract over every row; published_date itself sits after the text,
    #    in overflow pages) to 1.5 ms on SQLite. documents_id_dated serves selections by
    #    document id (a narrative label's, an entity's); SQLite prefers the primary key's
    #    index for `id IN (...)`, so store/timeline.py names it (Dialect.index_hints).
    """
    DROP INDEX IF EXISTS documents_dated;
    DROP INDEX IF EXISTS documents_id_dated;
    DROP INDEX IF EXISTS documents_story_dated;
    DROP INDEX IF EXISTS documents_thread_dated;
    ALTER TABLE documents ADD COLUMN date_confidence {real};
    UPDATE documents SET date_confidence = {json_confidence};
    CREATE INDEX documents_dated ON documents(published_date, date_confidence);
    CREATE INDEX documents_id_dated ON documents(id, published_date, date_confidence);
    CREATE INDEX documents_story_dated ON documents(story_id, published_date, date_confidence);
    CREATE INDEX documents_thread_dated
        ON documents(thread_id, published_date, date_confidence);
    """,
    # 6: the full-text index with prefix indexes (dialect.FTS_PREFIXES; SQLite only, where
    #    the FTS5 table is dropped and rebuilt in place from the documents, keeping its
    #    triggers, since FTS5 cannot add the option to an existing table; PostgreSQL's GIN
    #    index serves prefixes as it is).
    """
    {fts_prefix_index}
    """,
    # 7: each corpus step's queue of documents to do (store/todo.py): listing them was a scan
    #    of every document per step per ingest. Empty here: a step's first listing fills its
    #    queue from its own tables, so existing stores upgrade in place.
    """
    CREATE TABLE step_queues (step {key} PRIMARY KEY, tag {text} NOT NULL);
    CREATE TABLE step_todo (
        step {key} NOT NULL,
        doc_id {key} NOT NULL,
        PRIMARY KEY (step, doc_id)
    ){without_rowid};
    """,
    # 8: SQLite keeps the rowids of the copies in a table of their own, by triggers, so that
    #    search leaves copies out with one lookup per match instead of first gathering every
    #    copy in each statement (dialect.py, `copy_rows`); filled here from the documents, so
    #    existing stores upgrade in place. Nothing on PostgreSQL.
    """
    {copy_rows}
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
QUEUES_VERSION = 7  # the step with the steps' queues: a store below it queues nothing
