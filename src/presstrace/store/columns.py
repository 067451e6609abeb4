"""The document columns both backends write, in one place, so a column added for a later
stage is added to SQLite and PostgreSQL alike."""

from __future__ import annotations

from presstrace.model import Document


def document_columns(doc: Document) -> tuple:
    """id, source, kind, title, text, published_date, date_confidence, outlet, language,
    duplicate_of, story_id, thread_id, then the whole record as JSON (`data`)."""
    return (
        doc.id,
        doc.source,
        doc.kind,
        doc.title,
        doc.text,
        doc.published.date,
        doc.published.confidence,
        doc.outlet,
        doc.language,
        doc.duplicate_of,
        doc.story_id,
        doc.thread_id,
        doc.to_json(),
    )


COLUMN_NAMES = (
    "id", "source", "kind", "title", "text", "published_date", "date_confidence", "outlet",
    "language", "duplicate_of", "story_id", "thread_id", "data",
)  # fmt: skip

# What `update` rewrites (all but the id).
UPDATE_COLUMNS = COLUMN_NAMES[1:]

# Document fields that have columns of their own, which `patch` keeps in step with `data`
# (text and title are not patchable: they feed the full-text index).
PATCHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "published": ("published_date", "date_confidence"),
    "outlet": ("outlet",),
    "language": ("language",),
    "duplicate_of": ("duplicate_of",),
    "story_id": ("story_id",),
    "thread_id": ("thread_id",),
}
