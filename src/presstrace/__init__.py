"""presstrace: turn messy news articles into clean, dated, attributed, deduplicated data.

The Python API (presstrace.library) is importable from here: `presstrace.open(db)`,
`ingest`, `search`, `query` (the query language, with totals and facets), `timeline`,
`export`, `recompute_copies`, `train_narratives`; errors are
`presstrace.PresstraceError` and its subclasses (presstrace.errors).
"""

from presstrace.errors import PresstraceError

__version__ = "0.1.0"

__all__ = [
    "PresstraceError",
    "__version__",
    "export",
    "ingest",
    "open",
    "query",
    "recompute_copies",
    "search",
    "timeline",
    "train_narratives",
]

_LIBRARY = {"export", "ingest", "open", "query", "recompute_copies", "search", "timeline",
            "train_narratives"}  # fmt: skip


def __getattr__(name: str):
    """The API functions load the store package on first use, so `import presstrace` (and
    the CLI's start) stays cheap."""
    if name in _LIBRARY:
        from presstrace import library

        return getattr(library, name)
    raise AttributeError(f"module 'presstrace' has no attribute {name!r}")
