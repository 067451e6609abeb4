"""One exception tree for everything presstrace says went wrong, as httpx has one.

Every error a user can cause or meet (a store that cannot open, a bad taxonomy file, a model
that cannot load, an engine that cannot start) is a `PresstraceError` whose message is one
line for the user; the CLI prints it as `presstrace: <message>` and exits with the class's
`exit_code`, the API answers with its `http_status`. A bug is anything else, and shows its
traceback. Stages define their own subclasses (`TaxonomyError(ConfigError)`), so a caller
can catch one stage's errors or all of them.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EngineError",
    "ModelError",
    "NotFoundError",
    "PresstraceError",
    "StepError",
    "StoreError",
    "UsageError",
]


class PresstraceError(Exception):
    """Something the user can act on; str() is one line that says what and where."""

    exit_code = 1
    http_status = 500


class UsageError(PresstraceError):
    """Wrong use of a command: options that do not go together, a value out of range."""

    exit_code = 2
    http_status = 422


class StoreError(PresstraceError):
    """A store that cannot be opened or used (the message names the store)."""

    http_status = 503


class EngineError(PresstraceError):
    """An engine (process pool, Dask cluster) that cannot start."""


class StepError(PresstraceError):
    """A corpus step that cannot run (its message starts with the step's name)."""


class ConfigError(PresstraceError, ValueError):
    """A file or value the user gave (taxonomy, alias table, calendar, examples) that cannot
    be used. Also a ValueError, as these were before the tree existed."""

    http_status = 422


class ModelError(PresstraceError, RuntimeError):
    """A shipped model that cannot be loaded or prepared."""


class NotFoundError(PresstraceError, LookupError):
    """What was asked for (a document, a story, an entity) is not in the store."""

    http_status = 404
