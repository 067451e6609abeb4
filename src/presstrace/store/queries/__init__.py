"""The read side, in one place: every question the CLI, the API, the web pages and the
report ask of a store is answered here (search.py: the one full-text search; corpus.py:
documents, entities, quotes, stories and threads, narratives, the overview). The interfaces
only format what these return: they hold no SQL.
"""

from presstrace.store.queries.corpus import (
    PLURAL,
    DocumentFilter,
    DocumentView,
    document,
    entities,
    entity,
    group,
    group_summary,
    groups,
    names_pattern,
    narrative,
    narrative_labels_of,
    narratives,
    overview,
    parent_label,
    parts,
    quotes,
    quotes_about,
    timeline,
)
from presstrace.store.queries.query_language import Query, QueryError, parse, quote_value
from presstrace.store.queries.query_timeline import period_query, query_timeline
from presstrace.store.queries.search import (
    MAX_LIMIT,
    SORTS,
    fold,
    hits,
    query_terms,
    run,
    search,
    snippet_segments,
)

__all__ = [
    "MAX_LIMIT",
    "PLURAL",
    "SORTS",
    "Query",
    "QueryError",
    "DocumentFilter",
    "DocumentView",
    "document",
    "entities",
    "entity",
    "fold",
    "group",
    "group_summary",
    "groups",
    "hits",
    "names_pattern",
    "narrative",
    "narrative_labels_of",
    "narratives",
    "overview",
    "parent_label",
    "parse",
    "period_query",
    "query_timeline",
    "parts",
    "query_terms",
    "quote_value",
    "quotes",
    "quotes_about",
    "run",
    "search",
    "snippet_segments",
    "timeline",
]
