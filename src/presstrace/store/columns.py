"""The document columns both backends write, in one place, so a column added for a later
stage is added to SQLite and PostgreSQL alike."""

from __future__ import annotations

from presstrace.model import Document


def document_columns(doc: Document) -> tuple:
    """id, source, kind, title, text, published_date, outlet, language, duplicate_of,
    story_id, thread_id, then the whole record as JSON (`data`)."""
    return (
        doc.id,
        doc.source,
        doc.kind,
        doc.title,
        doc.text,
        doc.published.date,
        doc.outlet,
        doc.language,
        doc.duplicate_of,
        doc.story_id,
        doc.thread_id,
        doc.to_json(),
    )


COLUMN_NAMES = (
    "id", "source", "kind", "title", "text", "published_date", "outlet", "language",
    "duplicate_of", "story_id", "thread_id", "data",
)  # fmt: skip

# Document fields that have a column of their own, which `patch` keeps in step with `data`
# (text and title are not patchable: they feed the full-text index).
PATCHABLE_COLUMNS = ("outlet", "language", "duplicate_of", "story_id", "thread_id")
