"""Choose a document's headline from the container's metadata or the cleaner's guess."""

from __future__ import annotations

import re
from typing import Any

_WS = re.compile(r"\s+")


def _norm(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def choose_title(clean_title: str | None, hints: dict[str, Any] | None) -> str | None:
    """Headline for the document.

    A title from JSON/HTML metadata was written by the publisher, so it wins when present;
    otherwise the cleaner's title (usually the first prominent line of the text) is used.
    """
    hint = _norm((hints or {}).get("title"))
    return hint or _norm(clean_title)
